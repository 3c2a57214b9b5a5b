"""crosskey audit and crosskey fix against crosskey (they are AWS API clients).

The seed's situation: account 1 owns bucket1 with default encryption
`aws:kms` + `alias/my-key`; its policy lets account 2's role2 write. Account 2
has its OWN alias/my-key, so its unqualified writes land under its key
(silently), and writes with `aws:kms` and no key land under account 2's
aws/s3. The audit must list exactly those objects, say account 1 cannot read
them, and fix must re-encrypt them under account 1's key.
"""

import json
import os
import subprocess
import tempfile
import unittest

import botocore.exceptions

from crosskey import ACCOUNT1, ACCOUNT2, BIN, REGION, Server

ROLE2 = "arn:aws:iam::%s:role/role2" % ACCOUNT2
AUDITOR2 = "arn:aws:iam::%s:role/auditor" % ACCOUNT2
FIXER2 = "arn:aws:iam::%s:role/fixer" % ACCOUNT2


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


class AuditFix(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # HTTP and HTTPS on one port; the HTTPS tests trust the generated certificate with --ca-bundle.
        cls.server = s = Server("--tls-self-signed").start()
        kms1 = s.client("kms", account=ACCOUNT1)
        cls.k1 = kms1.create_key()["KeyMetadata"]["Arn"]
        kms1.create_alias(AliasName="alias/my-key", TargetKeyId=cls.k1)
        kms2 = s.client("kms", account=ACCOUNT2)
        cls.k2 = kms2.create_key()["KeyMetadata"]["Arn"]
        kms2.create_alias(AliasName="alias/my-key", TargetKeyId=cls.k2)
        # Role 2 (the writer) and an auditor role in account 2 that account 1 may assume.
        iam2 = s.client("iam", account=ACCOUNT2)
        iam2.create_role(RoleName="role2", AssumeRolePolicyDocument=doc(
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % ACCOUNT2}, "Action": "sts:AssumeRole"}))
        iam2.put_role_policy(RoleName="role2", PolicyName="p", PolicyDocument=doc(
            {"Effect": "Allow", "Action": ["s3:*", "kms:*"], "Resource": "*"}))
        iam2.create_role(RoleName="auditor", AssumeRolePolicyDocument=doc(
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % ACCOUNT1}, "Action": "sts:AssumeRole"}))
        iam2.put_role_policy(RoleName="auditor", PolicyName="read", PolicyDocument=doc(
            {"Effect": "Allow", "Action": ["kms:Describe*", "kms:Get*", "kms:List*", "cloudtrail:LookupEvents",
                                           "s3:Get*", "s3:List*", "sts:AssumeRole"], "Resource": "*"}))
        # A second hop inside account 2 for the profile role-chain test.
        iam2.create_role(RoleName="reader2", AssumeRolePolicyDocument=doc(
            {"Effect": "Allow", "Principal": {"AWS": AUDITOR2}, "Action": "sts:AssumeRole"}))
        iam2.put_role_policy(RoleName="reader2", PolicyName="read", PolicyDocument=doc(
            {"Effect": "Allow", "Action": ["s3:Get*", "s3:List*", "kms:Describe*", "kms:List*"], "Resource": "*"}))
        # A fixer role in account 2 that account 1's auditor may assume: it can read
        # the objects (account 2's keys) and write them under account 1's key.
        iam2.create_role(RoleName="fixer", AssumeRolePolicyDocument=doc(
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % ACCOUNT1}, "Action": "sts:AssumeRole"}))
        iam2.put_role_policy(RoleName="fixer", PolicyName="p", PolicyDocument=doc(
            {"Effect": "Allow", "Action": ["s3:*", "kms:*"], "Resource": "*"}))
        iam2.create_user(UserName="u2")
        iam2.put_user_policy(UserName="u2", PolicyName="assume", PolicyDocument=doc(
            {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": ROLE2}))
        key = iam2.create_access_key(UserName="u2")["AccessKey"]
        sts_u2 = s.client("sts", account=key["AccessKeyId"], secret=key["SecretAccessKey"])
        cls.creds2 = sts_u2.assume_role(RoleArn=ROLE2, RoleSessionName="writer")["Credentials"]
        # The auditor in account 1: a user (roots cannot assume roles) that reads
        # buckets and keys and may look into account 2 through its auditor role.
        iam1 = s.client("iam", account=ACCOUNT1)
        iam1.create_user(UserName="auditor")
        iam1.put_user_policy(UserName="auditor", PolicyName="audit", PolicyDocument=doc(
            {"Effect": "Allow", "Action": ["s3:*", "kms:Describe*", "kms:Get*", "kms:List*", "sts:AssumeRole"],
             "Resource": "*"}))
        cls.auditor1 = iam1.create_access_key(UserName="auditor")["AccessKey"]

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()

    def role2(self, service):
        c = self.creds2
        return self.server.client(service, account=c["AccessKeyId"], secret=c["SecretAccessKey"],
                                  token=c["SessionToken"])

    def make_bucket(self, name):
        s3 = self.server.client("s3", account=ACCOUNT1)
        s3.create_bucket(Bucket=name)
        s3.put_bucket_policy(Bucket=name, Policy=doc(
            {"Effect": "Allow", "Principal": {"AWS": ROLE2}, "Action": ["s3:PutObject", "s3:GetObject"],
             "Resource": "arn:aws:s3:::%s/*" % name}))
        s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={"Rules": [
            {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/my-key"}}]})
        return s3

    def run_tool(self, *args, env_extra=None, endpoint=None):
        env = dict(os.environ)
        env.update({"AWS_ACCESS_KEY_ID": self.auditor1["AccessKeyId"],
                    "AWS_SECRET_ACCESS_KEY": self.auditor1["SecretAccessKey"], "AWS_REGION": REGION,
                    "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"})
        env.pop("AWS_PROFILE", None)
        env.update(env_extra or {})
        return subprocess.run([BIN, *args, "--endpoint-url", endpoint or self.server.endpoint, "--no-progress"],
                              env=env, capture_output=True, text=True, timeout=300)

    def test_audit_finds_the_writers_keys_and_fix_repairs_them(self):
        s3_1 = self.make_bucket("bucket1")
        s3_1.put_object(Bucket="bucket1", Key="owner.txt", Body=b"mine")
        w = self.role2("s3")
        w.put_object(Bucket="bucket1", Key="alias-write.txt", Body=b"under k2")
        w.put_object(Bucket="bucket1", Key="managed-write.txt", Body=b"under aws/s3 of 2",
                     ServerSideEncryption="aws:kms")
        aws_s3_2 = w.head_object(Bucket="bucket1", Key="managed-write.txt")["SSEKMSKeyId"]
        self.assertIn(":%s:key/" % ACCOUNT2, aws_s3_2)
        # Account 1 cannot read either (the seed's quiet failure).
        for key in ("alias-write.txt", "managed-write.txt"):
            with self.assertRaises(botocore.exceptions.ClientError) as cm:
                s3_1.get_object(Bucket="bucket1", Key=key)
            self.assertEqual(cm.exception.response["Error"]["Code"], "AccessDenied")

        audit = self.run_tool("audit", "--bucket", "bucket1", "--assume", AUDITOR2, "--format", "json")
        self.assertEqual(audit.returncode, 1, audit.stderr)
        report = json.loads(audit.stdout)["buckets"][0]
        self.assertEqual(report["default_encryption"]["kms_master_key_id"], "alias/my-key")
        self.assertEqual(report["owner_resolution"]["key_arn"], self.k1)
        writer = report["writers"][0]
        self.assertEqual((writer["principal"], writer["mode"], writer["resolves_to"]), (ROLE2, "writer-key", self.k2))
        found = {f["key"]: f for f in report["findings"]}
        self.assertEqual(sorted(found), ["alias-write.txt", "managed-write.txt"])
        self.assertEqual(found["alias-write.txt"]["finding"], "foreign-customer-key")
        self.assertEqual(found["alias-write.txt"]["key_arn"], self.k2)
        self.assertEqual(found["managed-write.txt"]["finding"], "foreign-aws-s3-key")
        for f in found.values():
            self.assertEqual(f["owner_can_decrypt"], "no")
            self.assertEqual(f["writer"], "arn:aws:sts::%s:assumed-role/role2/writer" % ACCOUNT2)

        # The text form names the mode in words; SARIF carries one result per object.
        text = self.run_tool("audit", "--bucket", "bucket1", "--assume", AUDITOR2)
        self.assertIn("silently encrypted under its own key", text.stdout)
        sarif = json.loads(self.run_tool("audit", "--bucket", "bucket1", "--format", "sarif").stdout)
        self.assertEqual(sarif["version"], "2.1.0")
        self.assertEqual(len(sarif["runs"][0]["results"]), 2)

        # Dry run changes nothing.
        dry = self.run_tool("fix", "--bucket", "bucket1")
        self.assertEqual(dry.returncode, 1, dry.stderr)
        self.assertIn("would re-encrypt", dry.stdout)
        self.assertEqual(s3_1.head_object(Bucket="bucket1", Key="alias-write.txt")["SSEKMSKeyId"], self.k2)

        # The fixer must read the objects: only account 2 can (its keys). It runs
        # as account 2's fixer role, assumed by account 1's auditor, writing
        # under account 1's key, which account 1 shares for that.
        kms1 = self.server.client("kms", account=ACCOUNT1)
        kms1.put_key_policy(KeyId=self.k1, PolicyName="default", Policy=doc(
            {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
             "Principal": {"AWS": "arn:aws:iam::%s:root" % ACCOUNT1}, "Action": "kms:*", "Resource": "*"},
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % ACCOUNT2},
             "Action": ["kms:GenerateDataKey*", "kms:Decrypt", "kms:DescribeKey"], "Resource": "*"}))
        s3_1.put_bucket_policy(Bucket="bucket1", Policy=doc(
            {"Effect": "Allow", "Principal": {"AWS": [ROLE2, FIXER2]}, "Action": ["s3:PutObject", "s3:GetObject"],
             "Resource": "arn:aws:s3:::bucket1/*"}))
        journal = os.path.join(self.server.tmp, "fix.journal")
        fix = self.run_tool("fix", "--bucket", "bucket1", "--apply", "--copy-as", FIXER2, "--journal", journal)
        self.assertEqual(fix.returncode, 0, fix.stdout + fix.stderr)
        self.assertEqual(fix.stdout.count("re-encrypted under " + self.k1), 2, fix.stdout)
        for key, body in (("alias-write.txt", b"under k2"), ("managed-write.txt", b"under aws/s3 of 2")):
            self.assertEqual(s3_1.head_object(Bucket="bucket1", Key=key)["SSEKMSKeyId"], self.k1)
            self.assertEqual(s3_1.get_object(Bucket="bucket1", Key=key)["Body"].read(), body)
        after = self.run_tool("audit", "--bucket", "bucket1", "--format", "json")
        self.assertEqual(json.loads(after.stdout)["buckets"][0]["findings"], [])
        # A rerun with the journal does nothing twice.
        again = self.run_tool("fix", "--bucket", "bucket1", "--apply", "--copy-as", FIXER2, "--journal", journal)
        self.assertEqual(again.returncode, 0, again.stdout + again.stderr)
        self.assertNotIn("re-encrypted under", again.stdout)

    def test_unqualified_key_missing_in_the_writers_account_is_put_fails(self):
        s3 = self.server.client("s3", account=ACCOUNT1)
        s3.create_bucket(Bucket="bucket-keyid")
        key_id = self.k1.split("/")[-1]
        s3.put_bucket_policy(Bucket="bucket-keyid", Policy=doc(
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % ACCOUNT2}, "Action": "s3:PutObject",
             "Resource": "arn:aws:s3:::bucket-keyid/*"}))
        s3.put_bucket_encryption(Bucket="bucket-keyid", ServerSideEncryptionConfiguration={"Rules": [
            {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_id}}]})
        out = self.run_tool("audit", "--bucket", "bucket-keyid", "--assume", AUDITOR2, "--format", "json")
        writer = json.loads(out.stdout)["buckets"][0]["writers"][0]
        self.assertEqual((writer["account"], writer["mode"]), (ACCOUNT2, "put-fails"))
        self.assertEqual(out.returncode, 1)

    def test_qualified_arn_is_clean(self):
        s3 = self.server.client("s3", account=ACCOUNT1)
        s3.create_bucket(Bucket="bucket-arn")
        s3.put_bucket_encryption(Bucket="bucket-arn", ServerSideEncryptionConfiguration={"Rules": [
            {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": self.k1}}]})
        s3.put_object(Bucket="bucket-arn", Key="a", Body=b"x")
        out = self.run_tool("audit", "--bucket", "bucket-arn")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("1 versions checked, 0 finding(s)", out.stdout)

    def profiles(self):
        """An ~/.aws/config and credentials file: owner (account 1's auditor), hop1 (account 2's auditor
        role, from owner) and hop2 (reader2, from hop1): a two-hop role chain. Returns the environment."""
        home = tempfile.mkdtemp(dir=self.server.tmp)
        with open(os.path.join(home, "credentials"), "w") as f:
            f.write("[owner]\naws_access_key_id = %s\naws_secret_access_key = %s\n"
                    % (self.auditor1["AccessKeyId"], self.auditor1["SecretAccessKey"]))
        with open(os.path.join(home, "config"), "w") as f:
            f.write("[profile owner]\nregion = %s\n"
                    "[profile hop1]\nrole_arn = %s\nsource_profile = owner\nrole_session_name = hop1\n"
                    "[profile hop2]\nrole_arn = arn:aws:iam::%s:role/reader2\nsource_profile = hop1\n"
                    % (REGION, AUDITOR2, ACCOUNT2))
        return {"AWS_CONFIG_FILE": os.path.join(home, "config"),
                "AWS_SHARED_CREDENTIALS_FILE": os.path.join(home, "credentials"),
                "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""}

    def bucket_of_2(self, name):
        s3_2 = self.server.client("s3", account=ACCOUNT2)
        s3_2.create_bucket(Bucket=name)
        s3_2.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={"Rules": [
            {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": self.k2}}]})
        s3_2.put_object(Bucket=name, Key="k", Body=b"x")

    def test_profiles_and_a_role_chain_from_the_config_files(self):
        self.bucket_of_2("bucket-of-2")
        env = self.profiles()
        out = self.run_tool("audit", "--profile", "hop2", "--bucket", "bucket-of-2", "--format", "json", env_extra=env)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        report = json.loads(out.stdout)["buckets"][0]
        self.assertEqual(report["owner_account"], ACCOUNT2)
        self.assertEqual(report["owner_resolution"]["key_arn"], self.k2)
        self.assertEqual(report["versions_scanned"], 1)
        # A profile with no credentials is a clear error, exit 2.
        bad = self.run_tool("audit", "--profile", "nope", env_extra=env)
        self.assertEqual(bad.returncode, 2)
        self.assertIn("profile nope has no credentials", bad.stderr)

    def test_over_https_with_a_ca_bundle_and_a_role_chain(self):
        self.assertTrue(self.server.tls_cert)
        https = self.server.https_endpoint
        # The seed's situation over HTTPS: account 2 writes under its own alias/my-key.
        self.make_bucket("bucket-tls")
        self.role2("s3").put_object(Bucket="bucket-tls", Key="alias-write.txt", Body=b"a")
        out = self.run_tool("audit", "--bucket", "bucket-tls", "--assume", AUDITOR2, "--format", "json",
                            "--ca-bundle", self.server.tls_cert, endpoint=https)
        self.assertEqual(out.returncode, 1, out.stdout + out.stderr)  # findings
        report = json.loads(out.stdout)["buckets"][0]
        self.assertEqual([(f["key"], f["key_arn"]) for f in report["findings"]], [("alias-write.txt", self.k2)])
        # Profiles with a two-hop role chain, over HTTPS, the bundle from the environment (AWS_CA_BUNDLE).
        self.bucket_of_2("bucket-of-2-tls")
        env = dict(self.profiles(), AWS_CA_BUNDLE=self.server.tls_cert)
        out = self.run_tool("audit", "--profile", "hop2", "--bucket", "bucket-of-2-tls", "--format", "json",
                            env_extra=env, endpoint=https)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertEqual(json.loads(out.stdout)["buckets"][0]["versions_scanned"], 1)
        # Without the bundle the certificate is not trusted: a clear error, no report.
        out = self.run_tool("audit", "--bucket", "bucket-tls", endpoint=https)
        self.assertEqual(out.returncode, 2, out.stdout + out.stderr)
        self.assertIn("certificate", out.stderr.lower())
        self.assertEqual(out.stdout, "")


if __name__ == "__main__":
    unittest.main()
