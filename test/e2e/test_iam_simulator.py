"""IAM's policy simulator end to end, through boto3 and the AWS CLI:
SimulatePrincipalPolicy over a user's own, its groups' and attached policies,
a role's policies and permissions boundary, SimulateCustomPolicy with context
values, and GetContextKeysFor*Policy. The answer's shape and the statement
positions follow AWS's recordings (test/aws-recorded/iam.json,
test_simulate_principle_policy) and the AWS CLI reference examples."""

import json
import unittest

import botocore.exceptions

from crosskey import ACCOUNT1, ACCOUNT2, Server, error_of

PUT_ONLY = json.dumps({"Version": "2012-10-17",
                       "Statement": {"Sid": "", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}})
AFTER_2018 = ('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*",'
              '"Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}')


class IamSimulatorTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server().start()
        cls.iam = cls.server.client("iam", account=ACCOUNT1)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()

    def error(self, fn, **kw):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            fn(**kw)
        return error_of(cm.exception)

    def test_user_with_attached_group_and_inline_policies(self):
        arn = self.iam.create_policy(PolicyName="put-only", PolicyDocument=PUT_ONLY)["Policy"]["Arn"]
        user = self.iam.create_user(UserName="sim-user")["User"]["Arn"]
        self.iam.attach_user_policy(UserName="sim-user", PolicyArn=arn)
        self.iam.create_group(GroupName="sim-readers")
        self.iam.add_user_to_group(GroupName="sim-readers", UserName="sim-user")
        self.iam.put_group_policy(GroupName="sim-readers", PolicyName="read", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]}))
        self.iam.put_user_policy(UserName="sim-user", PolicyName="no-delete", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [
                {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::b/*"}]}))
        out = self.iam.simulate_principal_policy(
            PolicySourceArn=user, ActionNames=["s3:PutObject", "s3:GetObjectVersion", "s3:DeleteObject", "kms:Decrypt"],
            ResourceArns=["arn:aws:s3:::b/k"])
        self.assertFalse(out["IsTruncated"])
        by_action = {r["EvalActionName"]: r for r in out["EvaluationResults"]}
        put = by_action["s3:PutObject"]
        self.assertEqual(put["EvalDecision"], "allowed")
        self.assertEqual(put["EvalResourceName"], "arn:aws:s3:::b/k")
        self.assertEqual(put["EvalDecisionDetails"], {})
        self.assertEqual(put["OrganizationsDecisionDetail"], {"AllowedByOrganizations": True})
        # Positions as AWS recorded them for this very document.
        self.assertEqual(put["MatchedStatements"], [{
            "SourcePolicyId": "put-only", "SourcePolicyType": "IAM Policy",
            "StartPosition": {"Line": 1, "Column": 41}, "EndPosition": {"Line": 1, "Column": 113}}])
        self.assertEqual(put["ResourceSpecificResults"], [{
            "EvalResourceName": "arn:aws:s3:::b/k", "EvalResourceDecision": "allowed",
            "MatchedStatements": put["MatchedStatements"], "MissingContextValues": []}])
        self.assertEqual(by_action["s3:GetObjectVersion"]["EvalDecision"], "allowed")  # from the group
        self.assertEqual(by_action["s3:GetObjectVersion"]["MatchedStatements"][0]["SourcePolicyId"], "read")
        delete = by_action["s3:DeleteObject"]
        self.assertEqual(delete["EvalDecision"], "explicitDeny")
        self.assertEqual(delete["MatchedStatements"][0]["SourcePolicyId"], "no-delete")
        self.assertEqual(by_action["kms:Decrypt"]["EvalDecision"], "implicitDeny")
        self.assertEqual(by_action["kms:Decrypt"]["MatchedStatements"], [])

    def test_role_boundary_and_input_policies(self):
        trust = json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
        boundary = self.iam.create_policy(PolicyName="s3-boundary", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
        role = self.iam.create_role(RoleName="sim-role", AssumeRolePolicyDocument=trust,
                                    PermissionsBoundary=boundary["Policy"]["Arn"])["Role"]["Arn"]
        self.iam.put_role_policy(RoleName="sim-role", PolicyName="all", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
        out = self.iam.simulate_principal_policy(PolicySourceArn=role, ActionNames=["s3:GetObject", "kms:Decrypt"])
        s3, kms = out["EvaluationResults"]
        self.assertEqual((s3["EvalDecision"], s3["EvalResourceName"]), ("allowed", "*"))
        self.assertEqual(s3["PermissionsBoundaryDecisionDetail"], {"AllowedByPermissionsBoundary": True})
        self.assertEqual(kms["EvalDecision"], "implicitDeny")
        self.assertEqual(kms["PermissionsBoundaryDecisionDetail"], {"AllowedByPermissionsBoundary": False})
        # A boundary given in the request replaces the role's own.
        out = self.iam.simulate_principal_policy(
            PolicySourceArn=role, ActionNames=["kms:Decrypt"],
            PermissionsBoundaryPolicyInputList=[json.dumps(
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}]})])
        self.assertEqual(out["EvaluationResults"][0]["EvalDecision"], "allowed")
        # Input policies count with the role's own and are named by position.
        out = self.iam.simulate_principal_policy(
            PolicySourceArn=role, ActionNames=["s3:PutObject"],
            PolicyInputList=[json.dumps({"Version": "2012-10-17", "Statement": [
                {"Effect": "Deny", "Action": "s3:PutObject", "Resource": "*"}]})])
        result = out["EvaluationResults"][0]
        self.assertEqual(result["EvalDecision"], "explicitDeny")
        self.assertEqual(result["MatchedStatements"][0]["SourcePolicyId"], "PolicyInputList.1")

    def test_custom_policy_with_context_entries(self):
        # The AWS CLI reference's simulate-custom-policy example, answer for answer.
        def simulate(when):
            return self.iam.simulate_custom_policy(
                PolicyInputList=[AFTER_2018], ActionNames=["dynamodb:CreateBackup"],
                ContextEntries=[{"ContextKeyName": "aws:CurrentTime", "ContextKeyValues": [when],
                                 "ContextKeyType": "date"}])["EvaluationResults"][0]
        later = simulate("2019-04-25T11:00:00Z")
        self.assertEqual(later["EvalDecision"], "allowed")
        self.assertEqual(later["MatchedStatements"], [{
            "SourcePolicyId": "PolicyInputList.1", "SourcePolicyType": "IAM Policy",
            "StartPosition": {"Line": 1, "Column": 38}, "EndPosition": {"Line": 1, "Column": 167}}])
        earlier = simulate("2014-04-25T11:00:00Z")
        self.assertEqual((earlier["EvalDecision"], earlier["MatchedStatements"]), ("implicitDeny", []))
        # Without the key the statement cannot match, and the key is reported missing.
        bare = self.iam.simulate_custom_policy(PolicyInputList=[AFTER_2018], ActionNames=["dynamodb:CreateBackup"])
        self.assertEqual(bare["EvaluationResults"][0]["MissingContextValues"], ["aws:CurrentTime"])

    def test_context_keys_of_policies(self):
        self.assertEqual(self.iam.get_context_keys_for_custom_policy(PolicyInputList=[AFTER_2018])["ContextKeyNames"],
                         ["aws:CurrentTime"])
        user = self.iam.create_user(UserName="keys-user")["User"]["Arn"]
        self.iam.put_user_policy(UserName="keys-user", PolicyName="p", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*",
                                                    "Condition": {"StringLike": {"s3:prefix": "home/*"}}}]}))
        keys = self.iam.get_context_keys_for_principal_policy(PolicySourceArn=user, PolicyInputList=[AFTER_2018])
        self.assertEqual(keys["ContextKeyNames"], ["aws:CurrentTime", "s3:prefix"])

    def test_pagination_errors_and_other_accounts(self):
        out = self.iam.simulate_custom_policy(PolicyInputList=[PUT_ONLY], ActionNames=["s3:PutObject", "s3:GetObject"],
                                              ResourceArns=["arn:aws:s3:::a", "arn:aws:s3:::b"], MaxItems=3)
        self.assertTrue(out["IsTruncated"])
        self.assertEqual(len(out["EvaluationResults"]), 3)
        rest = self.iam.simulate_custom_policy(PolicyInputList=[PUT_ONLY], ActionNames=["s3:PutObject", "s3:GetObject"],
                                               ResourceArns=["arn:aws:s3:::a", "arn:aws:s3:::b"], Marker=out["Marker"])
        self.assertFalse(rest["IsTruncated"])
        self.assertEqual([(r["EvalActionName"], r["EvalResourceName"], r["EvalDecision"]) for r in rest["EvaluationResults"]],
                         [("s3:GetObject", "arn:aws:s3:::b", "implicitDeny")])
        code, _, status = self.error(self.iam.simulate_principal_policy,
                                     PolicySourceArn="arn:aws:iam::%s:user/nobody" % ACCOUNT1, ActionNames=["s3:*"])
        self.assertEqual((code, status), ("NoSuchEntity", 404))
        code, _, status = self.error(self.iam.simulate_custom_policy, PolicyInputList=["{not json"],
                                     ActionNames=["s3:*"])
        self.assertEqual((code, status), ("MalformedPolicyDocument", 400))  # code inferred, not recorded
        # Resource-based policies are not simulated: said, not faked.
        code, _, status = self.error(self.iam.simulate_custom_policy, PolicyInputList=[PUT_ONLY],
                                     ActionNames=["s3:PutObject"], ResourcePolicy=PUT_ONLY)
        self.assertEqual((code, status), ("NotImplemented", 501))
        # Another account's user is not the caller's to simulate.
        other = self.server.client("iam", account=ACCOUNT2)
        other.create_user(UserName="theirs")
        code, _, status = self.error(self.iam.simulate_principal_policy,
                                     PolicySourceArn="arn:aws:iam::%s:user/theirs" % ACCOUNT2, ActionNames=["s3:*"])
        self.assertEqual((code, status), ("AccessDenied", 403))

    def test_aws_cli(self):
        self.iam.create_user(UserName="cli-user")
        self.iam.put_user_policy(UserName="cli-user", PolicyName="p", PolicyDocument=PUT_ONLY)
        r = self.server.aws("iam", "simulate-principal-policy",
                            "--policy-source-arn", "arn:aws:iam::%s:user/cli-user" % ACCOUNT1,
                            "--action-names", "s3:PutObject", "s3:DeleteObject")
        self.assertEqual(r.returncode, 0, r.stderr)
        results = json.loads(r.stdout)["EvaluationResults"]
        self.assertEqual([x["EvalDecision"] for x in results], ["allowed", "implicitDeny"])


if __name__ == "__main__":
    unittest.main()
