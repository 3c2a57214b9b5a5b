"""Issue 7: Secrets Manager end to end (boto3 and the AWS CLI), AWS-SEMANTICS
§4 and test cases 57-62. Account 1 owns the secrets and key K1; account 2 acts
through role2 (a role session, as in the reference case)."""

import base64
import json
import os
import re
import unittest

import botocore.exceptions

from crosskey import ACCOUNT1, ACCOUNT2, Server, error_of

K1_POLICY = lambda: json.dumps({"Version": "2012-10-17", "Statement": [
    {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
     "Principal": {"AWS": "arn:aws:iam::%s:root" % ACCOUNT1}, "Action": "kms:*", "Resource": "*"},
    {"Sid": "Account2", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % ACCOUNT2},
     "Action": ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*"}]})

DEFAULT_KEY_REFUSED = ("You can't access a secret from a different AWS account if you encrypt the secret with the "
                       "default KMS service key.")
KEY_ARN_REQUIRED = "You must specify a KMS key ARN to update the secret from a different AWS account."

ROLE2_POLICY = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["secretsmanager:*", "kms:*"], "Resource": "*"}]})


def secret_policy(actions):
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:role/role2" % ACCOUNT2},
         "Action": actions, "Resource": "*"}]})


def role2_session(server):
    """A role session in account 2 (user u2 assumes role2), like the reference case's role 2."""
    iam2 = server.client("iam", account=ACCOUNT2)
    iam2.create_role(RoleName="role2", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % ACCOUNT2}, "Action": "sts:AssumeRole"}]}))
    iam2.put_role_policy(RoleName="role2", PolicyName="p", PolicyDocument=ROLE2_POLICY)
    iam2.create_user(UserName="u2")
    iam2.put_user_policy(UserName="u2", PolicyName="assume", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}))
    key = iam2.create_access_key(UserName="u2")["AccessKey"]
    sts = server.client("sts", account=key["AccessKeyId"], secret=key["SecretAccessKey"])
    creds = sts.assume_role(RoleArn="arn:aws:iam::%s:role/role2" % ACCOUNT2, RoleSessionName="s2")["Credentials"]
    return creds


class SecretsManagerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server().start()
        cls.sm1 = cls.server.client("secretsmanager", account=ACCOUNT1)
        cls.kms1 = cls.server.client("kms", account=ACCOUNT1)
        cls.k1 = cls.kms1.create_key(Policy=K1_POLICY())["KeyMetadata"]
        cls.creds2 = role2_session(cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()

    def as_role2(self, service):
        c = self.creds2
        return self.server.client(service, account=c["AccessKeyId"], secret=c["SecretAccessKey"],
                                  token=c["SessionToken"])

    def assertError(self, code, message, fn, *args, **kw):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            fn(*args, **kw)
        got = error_of(cm.exception)
        self.assertEqual(got[0], code, got)
        if message is not None:
            self.assertEqual(got[1], message, got)
        return got

    # --- case 57 -----------------------------------------------------------
    def test_57_default_key_created_on_first_use_and_not_described(self):
        aliases = [a["AliasName"] for a in self.server.client("kms", account="333333333333").list_aliases()["Aliases"]]
        self.assertNotIn("alias/aws/secretsmanager", aliases)
        sm3 = self.server.client("secretsmanager", account="333333333333")
        out = sm3.create_secret(Name="s57", SecretString="x")
        self.assertRegex(out["ARN"], r"^arn:aws:secretsmanager:us-east-1:333333333333:secret:s57-[A-Za-z0-9]{6}$")
        desc = sm3.describe_secret(SecretId="s57")
        self.assertNotIn("KmsKeyId", desc)
        self.assertEqual(desc["VersionIdsToStages"], {out["VersionId"]: ["AWSCURRENT"]})
        aliases = [a["AliasName"] for a in self.server.client("kms", account="333333333333").list_aliases()["Aliases"]]
        self.assertIn("alias/aws/secretsmanager", aliases)

    # --- cases 58 and 59 ---------------------------------------------------
    def test_58_59_cross_account_read_needs_customer_key(self):
        arn = self.sm1.create_secret(Name="s58", SecretString="shared-value")["ARN"]
        self.sm1.put_resource_policy(SecretId="s58", ResourcePolicy=secret_policy("secretsmanager:GetSecretValue"))
        sm2 = self.as_role2("secretsmanager")
        # Case 58: the default key cannot serve another account (AWS recording).
        self.assertError("InvalidRequestException", DEFAULT_KEY_REFUSED, sm2.get_secret_value, SecretId=arn)
        # Case 59: switch to K1 (whose policy allows account 2) and read again.
        self.sm1.update_secret(SecretId="s58", KmsKeyId=self.k1["Arn"])
        self.assertEqual(self.sm1.describe_secret(SecretId="s58")["KmsKeyId"], self.k1["Arn"])
        got = sm2.get_secret_value(SecretId=arn)
        self.assertEqual(got["SecretString"], "shared-value")
        # Account 1's trail shows role2's Decrypt, made through Secrets Manager.
        ct1 = self.server.client("cloudtrail", account=ACCOUNT1)
        events = ct1.lookup_events(LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "Decrypt"}])["Events"]
        records = [json.loads(e["CloudTrailEvent"]) for e in events]
        mine = [r for r in records if r["userIdentity"].get("arn", "").endswith("assumed-role/role2/s2")
                and r["requestParameters"]["encryptionContext"].get("SecretARN") == arn]
        self.assertTrue(mine, records[:3])
        r = mine[0]
        self.assertEqual(r["userIdentity"]["invokedBy"], "secretsmanager.amazonaws.com")
        self.assertEqual(r["requestParameters"]["encryptionContext"]["SecretVersionId"], got["VersionId"])
        self.assertEqual(r["recipientAccountId"], ACCOUNT1)
        # A resource policy alone is not enough for other actions.
        self.assertError("AccessDeniedException", None, sm2.describe_secret, SecretId=arn)

    # --- case 60 -----------------------------------------------------------
    def test_60_cross_account_write_on_default_key_fails_fast(self):
        # AWS recording (test_cross_account_access).
        arn = self.sm1.create_secret(Name="s60", SecretString="v1")["ARN"]
        self.sm1.put_resource_policy(SecretId="s60", ResourcePolicy=secret_policy("secretsmanager:PutSecretValue"))
        sm2 = self.as_role2("secretsmanager")
        self.assertError("InvalidRequestException", DEFAULT_KEY_REFUSED, sm2.put_secret_value, SecretId=arn,
                         SecretString="v2")

    # --- case 61 -----------------------------------------------------------
    def test_61_bare_key_id_refuses_the_other_account(self):
        # A bare key id is not an ARN: the other account's write fails fast
        # (BLOG text, code UNVERIFIED) instead of reaching KMS in its own account.
        key_id = self.k1["KeyId"]
        arn = self.sm1.create_secret(Name="s61", SecretString="v1", KmsKeyId=key_id)["ARN"]
        self.assertEqual(self.sm1.describe_secret(SecretId="s61")["KmsKeyId"], key_id)  # stored as given
        self.sm1.put_resource_policy(SecretId="s61", ResourcePolicy=secret_policy("secretsmanager:PutSecretValue"))
        sm2 = self.as_role2("secretsmanager")
        self.assertError("InvalidRequestException", KEY_ARN_REQUIRED, sm2.put_secret_value, SecretId=arn,
                         SecretString="v2")

    # --- case 62 -----------------------------------------------------------
    def test_62_cross_account_cannot_choose_managed_key(self):
        arn = self.sm1.create_secret(Name="s62", SecretString="v1", KmsKeyId=self.k1["Arn"])["ARN"]
        self.sm1.put_resource_policy(SecretId="s62", ResourcePolicy=secret_policy("secretsmanager:UpdateSecret"))
        sm2 = self.as_role2("secretsmanager")
        self.assertError("InvalidRequestException",
                         "You must specify a KMS key ARN to update the secret from a different AWS account.",
                         sm2.update_secret, SecretId=arn, KmsKeyId="alias/aws/secretsmanager")
        # With the key ARN (K1 allows account 2), the cross-account update works.
        out = sm2.update_secret(SecretId=arn, KmsKeyId=self.k1["Arn"], SecretString="from-account-2")
        self.assertIn("VersionId", out)
        self.assertEqual(self.sm1.get_secret_value(SecretId="s62")["SecretString"], "from-account-2")

    # --- operations ----------------------------------------------------------
    def test_versions_stages_and_idempotency(self):
        v1 = self.sm1.create_secret(Name="ver", SecretString="one", ClientRequestToken="a" * 32)["VersionId"]
        self.assertEqual(v1, "a" * 32)
        # Same token, same value: idempotent. Same token, other value: refused.
        self.assertEqual(self.sm1.put_secret_value(SecretId="ver", SecretString="one",
                                                   ClientRequestToken="a" * 32)["VersionId"], v1)
        self.assertError("ResourceExistsException",
                         "You can't modify an existing version, you can only create a new version.",
                         self.sm1.put_secret_value, SecretId="ver", SecretString="other", ClientRequestToken="a" * 32)
        v2 = self.sm1.put_secret_value(SecretId="ver", SecretString="two")["VersionId"]
        self.assertEqual(self.sm1.get_secret_value(SecretId="ver")["SecretString"], "two")
        prev = self.sm1.get_secret_value(SecretId="ver", VersionStage="AWSPREVIOUS")
        self.assertEqual((prev["SecretString"], prev["VersionId"]), ("one", v1))
        self.assertEqual(self.sm1.get_secret_value(SecretId="ver", VersionId=v1)["SecretString"], "one")
        pending = self.sm1.put_secret_value(SecretId="ver", SecretString="three", VersionStages=["AWSPENDING"])
        self.assertEqual(pending["VersionStages"], ["AWSPENDING"])
        self.assertEqual(self.sm1.get_secret_value(SecretId="ver")["SecretString"], "two")
        # Promote the pending version: AWSCURRENT moves, the old current becomes AWSPREVIOUS.
        self.sm1.update_secret_version_stage(SecretId="ver", VersionStage="AWSCURRENT",
                                             MoveToVersionId=pending["VersionId"], RemoveFromVersionId=v2)
        stages = self.sm1.describe_secret(SecretId="ver")["VersionIdsToStages"]
        self.assertIn("AWSCURRENT", stages[pending["VersionId"]])
        self.assertEqual(stages[v2], ["AWSPREVIOUS"])
        self.assertNotIn(v1, stages)
        ids = self.sm1.list_secret_version_ids(SecretId="ver", IncludeDeprecated=True)["Versions"]
        self.assertEqual({v["VersionId"] for v in ids}, {v1, v2, pending["VersionId"]})
        self.assertEqual(len(self.sm1.list_secret_version_ids(SecretId="ver")["Versions"]), 2)
        self.assertError("ResourceNotFoundException",
                         "Secrets Manager can't find the specified secret value for staging label: NOPE",
                         self.sm1.get_secret_value, SecretId="ver", VersionStage="NOPE")

    def test_secret_id_forms_and_binary(self):
        arn = self.sm1.create_secret(Name="app/db-creds", SecretBinary=b"\x00\x01bin")["ARN"]
        self.assertEqual(self.sm1.get_secret_value(SecretId=arn)["SecretBinary"], b"\x00\x01bin")
        partial = arn[:-7]  # without the random suffix
        self.assertEqual(self.sm1.describe_secret(SecretId=partial)["ARN"], arn)
        self.assertEqual(self.sm1.describe_secret(SecretId="app/db-creds")["ARN"], arn)
        self.assertError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.",
                         self.sm1.describe_secret, SecretId=arn[:-6] + "zzzzzz")
        self.assertError("ResourceExistsException", None, self.sm1.create_secret, Name="app/db-creds", SecretString="x")
        self.assertError("InvalidParameterException", None, self.sm1.create_secret, Name="both",
                         SecretString="x", SecretBinary=b"y")

    def test_delete_restore_and_force(self):
        self.sm1.create_secret(Name="del", SecretString="x")
        self.assertError("InvalidParameterException", None, self.sm1.delete_secret, SecretId="del",
                         RecoveryWindowInDays=7, ForceDeleteWithoutRecovery=True)
        out = self.sm1.delete_secret(SecretId="del", RecoveryWindowInDays=7)
        self.assertIn("DeletionDate", out)
        self.assertError("InvalidRequestException",
                         "You can't perform this operation on the secret because it was marked for deletion.",
                         self.sm1.get_secret_value, SecretId="del")
        self.assertIn("DeletedDate", self.sm1.describe_secret(SecretId="del"))
        names = [s["Name"] for s in self.sm1.list_secrets()["SecretList"]]
        self.assertNotIn("del", names)
        names = [s["Name"] for s in self.sm1.list_secrets(IncludePlannedDeletion=True)["SecretList"]]
        self.assertIn("del", names)
        self.sm1.restore_secret(SecretId="del")
        self.assertEqual(self.sm1.get_secret_value(SecretId="del")["SecretString"], "x")
        self.sm1.delete_secret(SecretId="del", ForceDeleteWithoutRecovery=True)
        self.assertError("ResourceNotFoundException", None, self.sm1.describe_secret, SecretId="del")

    def test_list_filters_pagination_and_tags(self):
        sm = self.server.client("secretsmanager", account="444444444444")
        for i in range(5):
            sm.create_secret(Name="list/%d" % i, SecretString="v", Description="d%d" % i,
                             Tags=[{"Key": "team", "Value": "blue" if i % 2 else "red"}])
        sm.create_secret(Name="other", SecretString="v")
        names, token = [], None
        while True:
            kw = {"MaxResults": 2, "Filters": [{"Key": "name", "Values": ["list/"]}]}
            if token:
                kw["NextToken"] = token
            page = sm.list_secrets(**kw)
            self.assertLessEqual(len(page["SecretList"]), 2)
            names += [s["Name"] for s in page["SecretList"]]
            token = page.get("NextToken")
            if not token:
                break
        self.assertEqual(sorted(names), ["list/%d" % i for i in range(5)])
        blue = sm.list_secrets(Filters=[{"Key": "tag-value", "Values": ["blue"]}])["SecretList"]
        self.assertEqual(sorted(s["Name"] for s in blue), ["list/1", "list/3"])
        not_list = sm.list_secrets(Filters=[{"Key": "name", "Values": ["!list"]}])["SecretList"]
        self.assertEqual([s["Name"] for s in not_list], ["other"])
        sm.tag_resource(SecretId="other", Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
        sm.untag_resource(SecretId="other", TagKeys=["a"])
        self.assertEqual(sm.describe_secret(SecretId="other")["Tags"], [{"Key": "b", "Value": "2"}])

    def test_resource_policy_lifecycle(self):
        self.sm1.create_secret(Name="pol", SecretString="x")
        doc = secret_policy("secretsmanager:GetSecretValue")
        self.assertTrue(self.sm1.validate_resource_policy(ResourcePolicy=doc)["PolicyValidationPassed"])
        bad = self.sm1.validate_resource_policy(ResourcePolicy='{"Statement": 5}')
        self.assertFalse(bad["PolicyValidationPassed"])
        self.sm1.put_resource_policy(SecretId="pol", ResourcePolicy=doc)
        self.assertEqual(json.loads(self.sm1.get_resource_policy(SecretId="pol")["ResourcePolicy"]), json.loads(doc))
        self.sm1.delete_resource_policy(SecretId="pol")
        self.assertNotIn("ResourcePolicy", self.sm1.get_resource_policy(SecretId="pol"))

    def test_random_password(self):
        pw = self.sm1.get_random_password(PasswordLength=40, ExcludePunctuation=True)["RandomPassword"]
        self.assertEqual(len(pw), 40)
        self.assertRegex(pw, r"^[A-Za-z0-9]+$")
        self.assertRegex(pw, r"[0-9]")  # RequireEachIncludedType defaults to true
        pw = self.sm1.get_random_password(PasswordLength=12, ExcludeCharacters="abcdefghijklmnopqrstuvwxyz")["RandomPassword"]
        self.assertFalse(re.search(r"[a-z]", pw))

    def test_batch_get_secret_value(self):
        self.sm1.create_secret(Name="b1", SecretString="one")
        self.sm1.create_secret(Name="b2", SecretString="two")
        out = self.sm1.batch_get_secret_value(SecretIdList=["b1", "b2", "missing"])
        self.assertEqual(sorted(v["SecretString"] for v in out["SecretValues"]), ["one", "two"])
        self.assertEqual([(e["SecretId"], e["ErrorCode"]) for e in out["Errors"]],
                         [("missing", "ResourceNotFoundException")])
        out = self.sm1.batch_get_secret_value(Filters=[{"Key": "name", "Values": ["b"]}])
        self.assertEqual(sorted(v["Name"] for v in out["SecretValues"]), ["b1", "b2"])

    def test_rotate_secret_without_lambda(self):
        self.sm1.create_secret(Name="rot", SecretString="x")
        # AWS recording (test_first_rotate_secret_with_missing_lambda_arn).
        self.assertError("InvalidRequestException", "No Lambda rotation function ARN is associated with this secret.",
                         self.sm1.rotate_secret, SecretId="rot", RotationRules={"AutomaticallyAfterDays": 1})
        # crosskey has no Lambda functions: AWS's answer for a function it cannot invoke
        # (AWS recording, test_rotate_secret_invalid_lambda_arn); nothing changes.
        fn = "arn:aws:lambda:us-east-1:%s:function:rotate" % ACCOUNT1
        self.assertError("AccessDeniedException",
                         "Secrets Manager cannot invoke the specified Lambda function. Ensure that the function "
                         "policy grants access to the principal secretsmanager.amazonaws.com.",
                         self.sm1.rotate_secret, SecretId="rot", RotationLambdaARN=fn,
                         RotationRules={"AutomaticallyAfterDays": 1})
        desc = self.sm1.describe_secret(SecretId="rot")
        self.assertNotIn("RotationEnabled", desc)
        self.assertNotIn("RotationLambdaARN", desc)
        self.assertError("ResourceNotFoundException", None, self.sm1.rotate_secret, SecretId="no-such-secret")

    def test_names_and_version_bookkeeping(self):
        # Names: ASCII letters, digits and /_+=.@- only, for Name and SecretId alike.
        invalid = ("Invalid name. Must be a valid name containing alphanumeric characters, or any of the "
                   "following: -/_+=.@!")
        for bad in ("with space", "bang!", "star*", "colon:x"):
            self.assertError("ValidationException", invalid, self.sm1.create_secret, Name=bad, SecretString="x")
            self.assertError("ValidationException", invalid, self.sm1.describe_secret, SecretId=bad)
        self.sm1.create_secret(Name="ok/_+=.@-Name1", SecretString="x")
        # Tags: absent until the secret is tagged, then listed even when empty.
        self.sm1.create_secret(Name="tags-empty", SecretString="x")
        self.assertNotIn("Tags", self.sm1.describe_secret(SecretId="tags-empty"))
        self.sm1.tag_resource(SecretId="tags-empty", Tags=[{"Key": "k", "Value": "v"}])
        self.sm1.untag_resource(SecretId="tags-empty", TagKeys=["k"])
        self.assertEqual(self.sm1.describe_secret(SecretId="tags-empty")["Tags"], [])
        # Each version remembers the day it was last read.
        v1 = self.sm1.create_secret(Name="accessed", SecretString="one")["VersionId"]
        v2 = self.sm1.put_secret_value(SecretId="accessed", SecretString="two")["VersionId"]
        self.sm1.get_secret_value(SecretId="accessed", VersionId=v1)
        versions = {v["VersionId"]: v for v in self.sm1.list_secret_version_ids(SecretId="accessed")["Versions"]}
        self.assertIn("LastAccessedDate", versions[v1])
        self.assertNotIn("LastAccessedDate", versions[v2])

    def test_cli(self):
        out = self.server.aws_json("secretsmanager", "create-secret", "--name", "cli-secret", "--secret-string", "s3cr3t")
        self.assertTrue(out["ARN"].startswith("arn:aws:secretsmanager:us-east-1:111111111111:secret:cli-secret-"))
        got = self.server.aws_json("secretsmanager", "get-secret-value", "--secret-id", "cli-secret")
        self.assertEqual(got["SecretString"], "s3cr3t")
        self.server.aws_json("secretsmanager", "put-secret-value", "--secret-id", "cli-secret", "--secret-string", "2")
        desc = self.server.aws_json("secretsmanager", "describe-secret", "--secret-id", "cli-secret")
        self.assertEqual(sorted(sum(desc["VersionIdsToStages"].values(), [])), ["AWSCURRENT", "AWSPREVIOUS"])
        listed = self.server.aws_json("secretsmanager", "list-secrets", "--filters", "Key=name,Values=cli-")
        self.assertEqual([s["Name"] for s in listed["SecretList"]], ["cli-secret"])
        r = self.server.aws("secretsmanager", "get-secret-value", "--secret-id", "nope")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("ResourceNotFoundException", r.stderr)


class SecretsAtRestTest(unittest.TestCase):
    def test_values_are_not_stored_in_clear(self):
        with Server(memory=False) as server:
            sm = server.client("secretsmanager")
            sm.create_secret(Name="rest", SecretString="PLAINTEXT-MARKER-7731")
            self.assertEqual(sm.get_secret_value(SecretId="rest")["SecretString"], "PLAINTEXT-MARKER-7731")
            blob = b""
            for name in os.listdir(server.data_dir):
                path = os.path.join(server.data_dir, name)
                if os.path.isfile(path):
                    with open(path, "rb") as f:
                        blob += f.read()
            self.assertIn(b"sm.secrets", blob)  # the record is there...
            self.assertNotIn(b"PLAINTEXT-MARKER-7731", blob)  # ...but not the value


if __name__ == "__main__":
    unittest.main()
