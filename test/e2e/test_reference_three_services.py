"""The reference case (shared/reference, "Gotcha: always use ARNs for S3
SSE-KMS"), played on S3, DynamoDB and Secrets Manager side by side.

Account 1 owns key K1 and `alias/my-key` → K1, and K1's policy lets account 2
use it. Role 2 in account 2 then uses each service with the unqualified alias
(or the default key) that account 1 configured:

  S3              resolves LATE:  the alias is looked up at every PutObject, in
                                  the CALLER's account → KMS.NotFoundException
                                  naming account 2.
  DynamoDB        resolves EARLY: the alias is resolved when the table is
                                  configured and the key ARN is stored; later
                                  alias changes do not matter.
  Secrets Manager REFUSES:        "Access to KMS is not allowed" on reads and
                                  "You must specify a KMS key ARN ..." on writes
                                  (on the default key: "You can't access a secret
                                  from a different AWS account ..." for both).
"""

import json
import unittest

import botocore.exceptions

from crosskey import ACCOUNT1, ACCOUNT2, Server, error_of

REGION = "us-east-1"
ALIAS2 = "arn:aws:kms:%s:%s:alias/my-key" % (REGION, ACCOUNT2)


def k1_policy():
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
         "Principal": {"AWS": "arn:aws:iam::%s:root" % ACCOUNT1}, "Action": "kms:*", "Resource": "*"},
        {"Sid": "Account2", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % ACCOUNT2},
         "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*"}]})


class ReferenceThreeServices(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = s = Server().start()
        kms1 = s.client("kms", account=ACCOUNT1)
        cls.k1 = kms1.create_key(Policy=k1_policy())["KeyMetadata"]["Arn"]
        kms1.create_alias(AliasName="alias/my-key", TargetKeyId=cls.k1)
        # Role 2 in account 2, assumed by user u2 (roots cannot assume roles).
        iam2 = s.client("iam", account=ACCOUNT2)
        iam2.create_role(RoleName="role2", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % ACCOUNT2}, "Action": "sts:AssumeRole"}]}))
        iam2.put_role_policy(RoleName="role2", PolicyName="p", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*", "Action": [
                "s3:*", "dynamodb:*", "secretsmanager:*", "kms:*"]}]}))
        iam2.create_user(UserName="u2")
        iam2.put_user_policy(UserName="u2", PolicyName="a", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}))
        key = iam2.create_access_key(UserName="u2")["AccessKey"]
        creds = s.client("sts", account=key["AccessKeyId"], secret=key["SecretAccessKey"]).assume_role(
            RoleArn="arn:aws:iam::%s:role/role2" % ACCOUNT2, RoleSessionName="s2")["Credentials"]
        cls.creds2 = creds

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()

    def role2(self, service):
        c = self.creds2
        return self.server.client(service, account=c["AccessKeyId"], secret=c["SecretAccessKey"],
                                  token=c["SessionToken"])

    def error(self, fn, *args, **kw):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            fn(*args, **kw)
        return error_of(cm.exception)

    def test_s3_resolves_late_in_the_callers_account(self):
        s3_1 = self.server.client("s3", account=ACCOUNT1)
        s3_1.create_bucket(Bucket="bucket1")
        s3_1.put_bucket_policy(Bucket="bucket1", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:role/role2" % ACCOUNT2},
             "Action": ["s3:PutObject", "s3:GetObject"], "Resource": "arn:aws:s3:::bucket1/*"}]}))
        s3_1.put_bucket_encryption(Bucket="bucket1", ServerSideEncryptionConfiguration={"Rules": [
            {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/my-key"}}]})
        # Stored verbatim, resolved at PutObject time as role 2 → account 2's alias.
        code, message, status = self.error(self.role2("s3").put_object, Bucket="bucket1", Key="o1", Body=b"x")
        self.assertEqual((code, message, status), ("KMS.NotFoundException", "Alias %s is not found." % ALIAS2, 400))
        # The fix: name the key by ARN.
        s3_1.put_bucket_encryption(Bucket="bucket1", ServerSideEncryptionConfiguration={"Rules": [
            {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": self.k1}}]})
        out = self.role2("s3").put_object(Bucket="bucket1", Key="o1", Body=b"x")
        self.assertEqual(out["SSEKMSKeyId"], self.k1)

    def test_dynamodb_resolves_early_and_stores_the_arn(self):
        ddb1 = self.server.client("dynamodb", account=ACCOUNT1)
        schema = {"KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                  "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                  "BillingMode": "PAY_PER_REQUEST"}
        sse = {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": "alias/my-key"}
        out = ddb1.create_table(TableName="table1", SSESpecification=sse, **schema)
        self.assertEqual(out["TableDescription"]["SSEDescription"]["KMSMasterKeyArn"], self.k1)
        # The same alias given by role 2 resolves in account 2, at configuration time.
        # (ValidationException carrying KMS's text: UNVERIFIED code, AWS-SEMANTICS §3 recommendation.)
        code, message, _ = self.error(self.role2("dynamodb").create_table, TableName="table2", SSESpecification=sse,
                                      **schema)
        self.assertEqual((code, message), ("ValidationException", "Alias %s is not found." % ALIAS2))
        # Re-pointing the alias later changes nothing for table1.
        kms1 = self.server.client("kms", account=ACCOUNT1)
        other = kms1.create_key()["KeyMetadata"]["Arn"]
        kms1.update_alias(AliasName="alias/my-key", TargetKeyId=other)
        try:
            self.assertEqual(ddb1.describe_table(TableName="table1")["Table"]["SSEDescription"]["KMSMasterKeyArn"],
                             self.k1)
        finally:
            kms1.update_alias(AliasName="alias/my-key", TargetKeyId=self.k1)

    def test_secrets_manager_refuses(self):
        sm1 = self.server.client("secretsmanager", account=ACCOUNT1)
        policy = json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:role/role2" % ACCOUNT2},
             "Action": ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"], "Resource": "*"}]})
        sm2 = self.role2("secretsmanager")
        # The reference case: the key named by the unqualified alias (K1 allows account 2).
        arn = sm1.create_secret(Name="secret1", SecretString="v1", KmsKeyId="alias/my-key")["ARN"]
        sm1.put_resource_policy(SecretId="secret1", ResourcePolicy=policy)
        self.assertEqual(sm1.describe_secret(SecretId="secret1")["KmsKeyId"], "alias/my-key")
        self.assertEqual(sm1.get_secret_value(SecretId="secret1")["SecretString"], "v1")
        self.assertEqual(self.error(sm2.get_secret_value, SecretId=arn)[:2],
                         ("AccessDeniedException", "Access to KMS is not allowed"))
        # Code UNVERIFIED (AWS-SEMANTICS §4); the message is the reference case's.
        self.assertEqual(self.error(sm2.put_secret_value, SecretId=arn, SecretString="v2")[:2],
                         ("InvalidRequestException",
                          "You must specify a KMS key ARN to update the secret from a different AWS account."))
        # On the default key aws/secretsmanager, both are refused with AWS's recorded text.
        arn0 = sm1.create_secret(Name="secret0", SecretString="v0")["ARN"]
        sm1.put_resource_policy(SecretId="secret0", ResourcePolicy=policy)
        default_key = ("InvalidRequestException", "You can't access a secret from a different AWS account if you "
                       "encrypt the secret with the default KMS service key.")
        self.assertEqual(self.error(sm2.get_secret_value, SecretId=arn0)[:2], default_key)
        self.assertEqual(self.error(sm2.put_secret_value, SecretId=arn0, SecretString="v2")[:2], default_key)
        # With K1 named by ARN, account 2 can read.
        sm1.update_secret(SecretId="secret1", KmsKeyId=self.k1)
        self.assertEqual(sm2.get_secret_value(SecretId=arn)["SecretString"], "v1")

if __name__ == "__main__":
    unittest.main()
