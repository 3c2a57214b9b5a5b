"""Issue: IAM, STS AssumeRole and the policy engine, end to end through boto3
and the AWS CLI. Account 2 creates role R2 trusting account 1; a user of
account 1 assumes it (or is refused) exactly as AWS decides."""

import json
import unittest
import urllib.request

import botocore.exceptions

from crosskey import ACCOUNT1, ACCOUNT2, Server, error_of


def trust(principal):
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"}]})


ALLOW_ASSUME = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]})


class IamStsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server("--enable-time-travel").start()
        cls.iam1 = cls.server.client("iam", account=ACCOUNT1)
        cls.iam2 = cls.server.client("iam", account=ACCOUNT2)
        # Account 2: role R2 trusting account 1.
        cls.role = cls.iam2.create_role(RoleName="R2", AssumeRolePolicyDocument=trust(ACCOUNT1))["Role"]
        cls.iam2.put_role_policy(RoleName="R2", PolicyName="s3read", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}))

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()

    def make_user(self, name, policy=None):
        self.iam1.create_user(UserName=name)
        if policy:
            self.iam1.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=policy)
        key = self.iam1.create_access_key(UserName=name)["AccessKey"]
        return key["AccessKeyId"], key["SecretAccessKey"]

    def sts_as(self, key):
        return self.server.client("sts", account=key[0], secret=key[1])

    def test_ids_have_aws_formats(self):
        self.assertTrue(self.role["RoleId"].startswith("AROA"))
        self.assertEqual(self.role["Arn"], "arn:aws:iam::222222222222:role/R2")
        user = self.iam1.create_user(UserName="fmt", Path="/team/")["User"]
        self.assertTrue(user["UserId"].startswith("AIDA") and len(user["UserId"]) == 20)
        self.assertEqual(user["Arn"], "arn:aws:iam::111111111111:user/team/fmt")
        key = self.iam1.create_access_key(UserName="fmt")["AccessKey"]
        self.assertTrue(key["AccessKeyId"].startswith("AKIA"))
        self.assertEqual(len(key["SecretAccessKey"]), 40)

    def test_cross_account_assume_role_with_identity_policy(self):
        key = self.make_user("assumer", ALLOW_ASSUME)
        ident = self.sts_as(key).get_caller_identity()
        self.assertEqual(ident["Arn"], "arn:aws:iam::111111111111:user/assumer")
        creds = self.sts_as(key).assume_role(RoleArn=self.role["Arn"], RoleSessionName="s1")
        self.assertEqual(creds["AssumedRoleUser"]["Arn"], "arn:aws:sts::222222222222:assumed-role/R2/s1")
        self.assertEqual(creds["AssumedRoleUser"]["AssumedRoleId"], self.role["RoleId"] + ":s1")
        c = creds["Credentials"]
        self.assertTrue(c["AccessKeyId"].startswith("ASIA"))
        sts = self.server.client("sts", account=c["AccessKeyId"], secret=c["SecretAccessKey"],
                                 token=c["SessionToken"])
        ident = sts.get_caller_identity()
        self.assertEqual(ident["Account"], ACCOUNT2)
        self.assertEqual(ident["Arn"], "arn:aws:sts::222222222222:assumed-role/R2/s1")
        self.assertEqual(ident["UserId"], self.role["RoleId"] + ":s1")

    def test_cli_assume_role_and_get_caller_identity(self):
        key = self.make_user("cliuser", ALLOW_ASSUME)
        out = self.server.aws_json("sts", "assume-role", "--role-arn", self.role["Arn"],
                                   "--role-session-name", "cli", account=key[0], secret=key[1])
        c = out["Credentials"]
        ident = self.server.aws_json("sts", "get-caller-identity", account=c["AccessKeyId"],
                                     secret=c["SecretAccessKey"], token=c["SessionToken"])
        self.assertEqual(ident["Arn"], "arn:aws:sts::222222222222:assumed-role/R2/cli")

    def test_without_identity_policy_is_access_denied(self):
        # Cross-account: the trust policy trusts account 1, but the user's own
        # account must also allow sts:AssumeRole (IAM cross-account evaluation).
        key = self.make_user("nopolicy")
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.sts_as(key).assume_role(RoleArn=self.role["Arn"], RoleSessionName="s0")
        code, message, status = error_of(cm.exception)
        self.assertEqual((code, status), ("AccessDenied", 403))
        self.assertEqual(message, "User: arn:aws:iam::111111111111:user/nopolicy is not authorized to perform: "
                                  "sts:AssumeRole on resource: arn:aws:iam::222222222222:role/R2")

    def test_trust_policy_naming_another_account_is_access_denied(self):
        self.iam2.create_role(RoleName="Other", AssumeRolePolicyDocument=trust("333333333333"))
        key = self.make_user("wrongacct", ALLOW_ASSUME)
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.sts_as(key).assume_role(RoleArn="arn:aws:iam::222222222222:role/Other", RoleSessionName="s0")
        self.assertEqual(error_of(cm.exception)[:1], ("AccessDenied",))
        r = self.server.aws("sts", "assume-role", "--role-arn", "arn:aws:iam::222222222222:role/Other",
                            "--role-session-name", "s0", account=key[0], secret=key[1])
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("AccessDenied", r.stderr)

    def test_missing_role_is_access_denied_not_not_found(self):
        key = self.make_user("ghost", ALLOW_ASSUME)
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.sts_as(key).assume_role(RoleArn="arn:aws:iam::222222222222:role/Nope", RoleSessionName="s0")
        self.assertEqual(error_of(cm.exception)[0], "AccessDenied")

    def test_explicit_deny_wins(self):
        deny = json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"},
            {"Effect": "Deny", "Action": "sts:*", "Resource": "arn:aws:iam::222222222222:role/*"}]})
        key = self.make_user("denied", deny)
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.sts_as(key).assume_role(RoleArn=self.role["Arn"], RoleSessionName="s0")
        self.assertEqual(error_of(cm.exception)[0], "AccessDenied")

    def test_session_name_rules(self):
        key = self.make_user("badname", ALLOW_ASSUME)
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.sts_as(key).assume_role(RoleArn=self.role["Arn"], RoleSessionName="Session1:2")
        code, message, status = error_of(cm.exception)
        self.assertEqual((code, status), ("ValidationError", 400))
        self.assertEqual(message, "1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to "
                                  "satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*")

    def test_duration_bounds(self):
        key = self.make_user("durations", ALLOW_ASSUME)
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.sts_as(key).assume_role(RoleArn=self.role["Arn"], RoleSessionName="s0", DurationSeconds=7200)
        self.assertEqual(error_of(cm.exception)[:2], (
            "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."))
        # Below 900 s botocore refuses client-side; the AWS CLI with validation off reaches the server.
        r = self.server.aws("sts", "assume-role", "--role-arn", self.role["Arn"], "--role-session-name", "s0",
                            "--duration-seconds", "60", "--no-paginate", account=key[0], secret=key[1])
        self.assertNotEqual(r.returncode, 0)

    def test_role_chaining_capped_at_one_hour(self):
        self.iam2.create_role(RoleName="Chain", AssumeRolePolicyDocument=trust(self.role["Arn"]),
                              MaxSessionDuration=7200)
        self.iam2.put_role_policy(RoleName="R2", PolicyName="chain", PolicyDocument=ALLOW_ASSUME)
        key = self.make_user("chainer", ALLOW_ASSUME)
        c = self.sts_as(key).assume_role(RoleArn=self.role["Arn"], RoleSessionName="first")["Credentials"]
        sts = self.server.client("sts", account=c["AccessKeyId"], secret=c["SecretAccessKey"], token=c["SessionToken"])
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            sts.assume_role(RoleArn="arn:aws:iam::222222222222:role/Chain", RoleSessionName="x0", DurationSeconds=7200)
        self.assertIn("role chaining", error_of(cm.exception)[1])
        ok = sts.assume_role(RoleArn="arn:aws:iam::222222222222:role/Chain", RoleSessionName="x0")
        self.assertEqual(ok["AssumedRoleUser"]["Arn"], "arn:aws:sts::222222222222:assumed-role/Chain/x0")

    def test_root_cannot_assume_roles(self):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.server.client("sts", account=ACCOUNT1).assume_role(RoleArn=self.role["Arn"], RoleSessionName="s0")
        self.assertEqual(error_of(cm.exception)[:2], ("AccessDenied", "Roles may not be assumed by root accounts."))

    def test_session_without_token_is_rejected(self):
        key = self.make_user("notoken", ALLOW_ASSUME)
        c = self.sts_as(key).assume_role(RoleArn=self.role["Arn"], RoleSessionName="s0")["Credentials"]
        # UNVERIFIED in AWS-SEMANTICS case 66: AWS rejects; crosskey answers InvalidClientTokenId.
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.server.client("sts", account=c["AccessKeyId"], secret=c["SecretAccessKey"]).get_caller_identity()
        self.assertEqual(error_of(cm.exception)[0], "InvalidClientTokenId")

    def test_expired_session_gets_expired_token(self):
        key = self.make_user("expiring", ALLOW_ASSUME)
        c = self.sts_as(key).assume_role(RoleArn=self.role["Arn"], RoleSessionName="s0",
                                         DurationSeconds=900)["Credentials"]
        sts = self.server.client("sts", account=c["AccessKeyId"], secret=c["SecretAccessKey"], token=c["SessionToken"])
        self.assertEqual(sts.get_caller_identity()["Account"], ACCOUNT2)
        req = urllib.request.Request(self.server.endpoint + "/_crosskey/time?advance=901", method="POST", data=b"")
        urllib.request.urlopen(req).read()
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            sts.get_caller_identity()
        code, message, status = error_of(cm.exception)
        self.assertEqual((code, status), ("ExpiredToken", 403))
        self.assertEqual(message, "The security token included in the request is expired")
        # The JSON protocol family names it ExpiredTokenException.
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.server.client("kms", account=c["AccessKeyId"], secret=c["SecretAccessKey"],
                               token=c["SessionToken"]).list_keys()
        self.assertEqual(error_of(cm.exception)[0], "ExpiredTokenException")

    def test_session_policy_narrows_permissions(self):
        # The session policy allows only iam:GetUser: the role's own s3 permission no longer applies
        # to actions outside it. Checked through IAM calls the session makes in account 2.
        self.iam2.put_role_policy(RoleName="R2", PolicyName="iamread", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:List*", "Resource": "*"}]}))
        key = self.make_user("narrow", ALLOW_ASSUME)
        session_policy = json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*"}]})
        c = self.sts_as(key).assume_role(RoleArn=self.role["Arn"], RoleSessionName="narrow",
                                         Policy=session_policy)["Credentials"]
        iam = self.server.client("iam", account=c["AccessKeyId"], secret=c["SecretAccessKey"], token=c["SessionToken"])
        iam.list_users()  # allowed by role and session policy
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            iam.list_roles()  # the role allows it; the session policy does not
        code, message, status = error_of(cm.exception)
        self.assertEqual((code, status), ("AccessDenied", 403))
        self.assertIn("because no session policy allows the iam:ListRoles action", message)

    def test_get_session_token(self):
        key = self.make_user("gst")
        c = self.sts_as(key).get_session_token(DurationSeconds=900)["Credentials"]
        ident = self.server.client("sts", account=c["AccessKeyId"], secret=c["SecretAccessKey"],
                                   token=c["SessionToken"]).get_caller_identity()
        self.assertEqual(ident["Arn"], "arn:aws:iam::111111111111:user/gst")


class IamApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server().start()
        cls.iam = cls.server.client("iam", account=ACCOUNT1)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()

    def test_user_lifecycle_and_errors(self):
        self.iam.create_user(UserName="u1")
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.iam.create_user(UserName="u1")
        self.assertEqual(error_of(cm.exception), ("EntityAlreadyExists", "User with name u1 already exists.", 409))
        self.assertEqual(self.iam.get_user(UserName="u1")["User"]["UserName"], "u1")
        self.assertIn("u1", [u["UserName"] for u in self.iam.list_users()["Users"]])
        self.iam.put_user_policy(UserName="u1", PolicyName="p", PolicyDocument=ALLOW_ASSUME)
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.iam.delete_user(UserName="u1")
        self.assertEqual(error_of(cm.exception)[0], "DeleteConflict")
        self.assertEqual(self.iam.get_user_policy(UserName="u1", PolicyName="p")["PolicyDocument"],
                         json.loads(ALLOW_ASSUME))
        self.iam.delete_user_policy(UserName="u1", PolicyName="p")
        self.iam.delete_user(UserName="u1")
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.iam.get_user(UserName="u1")
        self.assertEqual(error_of(cm.exception), ("NoSuchEntity", "The user with name u1 cannot be found.", 404))

    def test_access_key_limit_and_status(self):
        self.iam.create_user(UserName="keys")
        k1 = self.iam.create_access_key(UserName="keys")["AccessKey"]
        self.iam.create_access_key(UserName="keys")
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.iam.create_access_key(UserName="keys")
        self.assertEqual(error_of(cm.exception), ("LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2", 409))
        self.iam.update_access_key(UserName="keys", AccessKeyId=k1["AccessKeyId"], Status="Inactive")
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.server.client("sts", account=k1["AccessKeyId"], secret=k1["SecretAccessKey"]).get_caller_identity()
        self.assertEqual(error_of(cm.exception)[0], "InvalidClientTokenId")
        statuses = {k["AccessKeyId"]: k["Status"] for k in self.iam.list_access_keys(UserName="keys")["AccessKeyMetadata"]}
        self.assertEqual(statuses[k1["AccessKeyId"]], "Inactive")

    def test_malformed_policy_is_rejected_with_reason(self):
        self.iam.create_user(UserName="mal")
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.iam.put_user_policy(UserName="mal", PolicyName="p", PolicyDocument=json.dumps(
                {"Version": "2012-10-17", "Statement": [{"Action": "s3:*", "Resource": "*"}]}))
        code, message, status = error_of(cm.exception)
        self.assertEqual((code, status), ("MalformedPolicyDocument", 400))
        self.assertTrue(message)

    def test_managed_policies(self):
        doc = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:Get*", "Resource": "*"}]})
        p = self.iam.create_policy(PolicyName="getter", PolicyDocument=doc)["Policy"]
        self.assertEqual(p["Arn"], "arn:aws:iam::111111111111:policy/getter")
        self.assertTrue(p["PolicyId"].startswith("ANPA"))
        self.iam.create_user(UserName="m")
        self.iam.attach_user_policy(UserName="m", PolicyArn=p["Arn"])
        self.iam.attach_user_policy(UserName="m", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
        attached = [a["PolicyArn"] for a in self.iam.list_attached_user_policies(UserName="m")["AttachedPolicies"]]
        self.assertEqual(sorted(attached), sorted([p["Arn"], "arn:aws:iam::aws:policy/ReadOnlyAccess"]))
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.iam.delete_policy(PolicyArn=p["Arn"])
        self.assertEqual(error_of(cm.exception)[0], "DeleteConflict")
        v2 = self.iam.create_policy_version(PolicyArn=p["Arn"], PolicyDocument=doc, SetAsDefault=True)
        self.assertEqual(v2["PolicyVersion"]["VersionId"], "v2")
        self.assertEqual(self.iam.get_policy(PolicyArn=p["Arn"])["Policy"]["DefaultVersionId"], "v2")
        got = self.iam.get_policy_version(PolicyArn=p["Arn"], VersionId="v1")["PolicyVersion"]
        self.assertEqual(got["Document"], json.loads(doc))
        # The attached managed policy is effective: the user can call iam:GetUser.
        key = self.iam.create_access_key(UserName="m")["AccessKey"]
        me = self.server.client("iam", account=key["AccessKeyId"], secret=key["SecretAccessKey"])
        self.assertEqual(me.get_user(UserName="m")["User"]["UserName"], "m")
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            me.create_user(UserName="nope")
        self.assertEqual(error_of(cm.exception)[0], "AccessDenied")
        self.iam.detach_user_policy(UserName="m", PolicyArn=p["Arn"])
        self.assertIn("getter", [x["PolicyName"] for x in self.iam.list_policies(Scope="Local")["Policies"]])

    def test_role_operations_through_cli(self):
        out = self.server.aws_json("iam", "create-role", "--role-name", "clirole", "--path", "/svc/",
                                   "--assume-role-policy-document", trust(ACCOUNT2),
                                   "--tags", "Key=team,Value=x")
        self.assertEqual(out["Role"]["Arn"], "arn:aws:iam::111111111111:role/svc/clirole")
        got = self.server.aws_json("iam", "get-role", "--role-name", "clirole")
        self.assertEqual(got["Role"]["AssumeRolePolicyDocument"], json.loads(trust(ACCOUNT2)))
        self.server.aws_json("iam", "update-assume-role-policy", "--role-name", "clirole",
                             "--policy-document", trust(ACCOUNT1))
        got = self.server.aws_json("iam", "get-role", "--role-name", "clirole")
        self.assertEqual(got["Role"]["AssumeRolePolicyDocument"], json.loads(trust(ACCOUNT1)))
        tags = self.server.aws_json("iam", "list-role-tags", "--role-name", "clirole")
        self.assertEqual(tags["Tags"], [{"Key": "team", "Value": "x"}])
        r = self.server.aws("iam", "get-role", "--role-name", "missing")
        self.assertIn("NoSuchEntity", r.stderr)


if __name__ == "__main__":
    unittest.main()
