"""The full cross-account scenario, AWS-SEMANTICS cases 44-52: a role in
account 2 writes to account 1's bucket under each kind of default key
reference; KMS resolves unqualified references in the requester's account.
Also the emulator's own warning (log, counter, x-crosskey-warning)."""

import json
import unittest

import botocore.exceptions

from crosskey import ACCOUNT1, ACCOUNT2, REGION, Server, error_of
from sse_world import ErrorAssertions, World, doc, event_ids, events, k1_policy, with_context

REDACTED = ("User: arn:aws:sts::%s:assumed-role/role2/session2 is not authorized to perform: %s on this resource "
            "because the resource does not exist in this Region, no resource-based policies allow access, or a "
            "resource-based policy explicitly denies access")


class Base(ErrorAssertions, unittest.TestCase):
    server_args = ()

    @classmethod
    def setUpClass(cls):
        cls.server = Server(*cls.server_args).start()
        cls.w = World(cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()

    def obj_arn(self, key, bucket="bucket1"):
        return "arn:aws:s3:::%s/%s" % (bucket, key)


class WithoutK2(Base):
    """Account 2 has no alias/my-key of its own."""

    def test_44_alias_default_not_found_in_account_2(self):
        w = self.w
        w.set_default(key="alias/my-key")
        warnings_before = self.server.health()["warnings"]["foreign_key_resolutions"]
        e = self.assertError(w.s3_2.put_object, "KMS.NotFoundException",
                             "Alias arn:aws:kms:us-east-1:222222222222:alias/my-key is not found.", 400,
                             Bucket="bucket1", Key="o44", Body=b"x")
        self.assertNotIn("x-crosskey-warning", e.response["ResponseMetadata"]["HTTPHeaders"])  # flag off
        self.assertEqual(w.s3_1.list_objects_v2(Bucket="bucket1", Prefix="o44")["KeyCount"], 0)
        self.assertEqual(with_context(events(w.ct1, "GenerateDataKey"), self.obj_arn("o44")), [])
        self.assertEqual(self.server.health()["warnings"]["foreign_key_resolutions"], warnings_before + 1)
        log = self.server.read_log()
        self.assertIn("bucket=bucket1 object=o44", log)
        self.assertIn("key_ref='alias/my-key' resolved in account 222222222222 (bucket owner 111111111111)", log)

    def test_46_key_id_default_resolves_in_account_2(self):
        w = self.w
        w.set_default(key=w.k1_id)
        self.assertError(w.s3_2.put_object, "KMS.NotFoundException",
                         "Key 'arn:aws:kms:us-east-1:222222222222:key/%s' does not exist" % w.k1_id, 400,
                         Bucket="bucket1", Key="o46", Body=b"x")

    def test_48_arn_default_but_key_policy_lacks_account_2(self):
        w = self.w
        k = w.kms1.create_key(Policy=k1_policy(include_account2=False))["KeyMetadata"]["Arn"]
        w.set_default(key=k)
        self.assertError(w.s3_2.put_object, "AccessDenied", REDACTED % (ACCOUNT2, "kms:GenerateDataKey"), 403,
                         Bucket="bucket1", Key="o48", Body=b"x")
        denied2 = [e for e in with_context(events(w.ct2, "GenerateDataKey"), self.obj_arn("o48"))]
        self.assertEqual(len(denied2), 1)
        self.assertIn("errorCode", denied2[0])  # the denial is logged, in account 2 only
        self.assertEqual(with_context(events(w.ct1, "GenerateDataKey"), self.obj_arn("o48")), [])

    def test_50_request_header_overrides_bad_default(self):
        w = self.w
        w.set_default(key="alias/my-key")
        put = w.s3_2.put_object(Bucket="bucket1", Key="o50", Body=b"x", ServerSideEncryption="aws:kms",
                                SSEKMSKeyId=w.k1)
        self.assertEqual(put["SSEKMSKeyId"], w.k1)
        # The same fix through the CLI (aws/aws-cli#8405 workaround).
        r = self.server.aws("s3", "cp", __file__, "s3://bucket1/o50cli", "--sse", "aws:kms", "--sse-kms-key-id", w.k1,
                            account=w.creds2["AccessKeyId"], secret=w.creds2["SecretAccessKey"],
                            token=w.creds2["SessionToken"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(w.s3_1.head_object(Bucket="bucket1", Key="o50cli")["SSEKMSKeyId"], w.k1)

    def test_51_bucket_policy_requires_the_key_arn(self):
        w = self.w
        w.s3_1.create_bucket(Bucket="bucket51")
        w.s3_1.put_bucket_policy(Bucket="bucket51", Policy=doc(
            {"Effect": "Allow", "Principal": {"AWS": w.role2_arn}, "Action": "s3:PutObject",
             "Resource": "arn:aws:s3:::bucket51/*"},
            {"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::bucket51/*",
             "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption-aws-kms-key-id": w.k1}}}))
        self.server.client("iam", account=ACCOUNT2).put_role_policy(RoleName="role2", PolicyName="b51", PolicyDocument=doc(
            {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::bucket51/*"}))
        iam_ok = w.s3_2.put_object(Bucket="bucket51", Key="o", Body=b"x", ServerSideEncryption="aws:kms",
                                   SSEKMSKeyId=w.k1)
        self.assertEqual(iam_ok["SSEKMSKeyId"], w.k1)
        # INFERRED: plain string comparison, so the alias name (even one that would resolve) is denied.
        self.assertError(w.s3_2.put_object, "AccessDenied", status=403, Bucket="bucket51", Key="o2", Body=b"x",
                         ServerSideEncryption="aws:kms", SSEKMSKeyId="alias/my-key")


class WithK2(Base):
    """Account 2 has its own alias/my-key -> K2."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.k2 = cls.w.create_k2()

    def test_45_alias_default_silently_uses_account_2s_key(self):
        w = self.w
        w.set_default(key="alias/my-key")
        put = w.s3_2.put_object(Bucket="bucket1", Key="o1", Body=b"secret")
        self.assertEqual(put["SSEKMSKeyId"], self.k2)
        self.assertIn(":222222222222:key/", put["SSEKMSKeyId"])
        e = self.assertError(w.s3_reader1.get_object, "AccessDenied", status=403, Bucket="bucket1", Key="o1")
        self.assertIn("kms:Decrypt on this resource because", error_of(e)[1])
        self.assertNotIn(self.k2, error_of(e)[1])
        self.assertEqual(w.s3_2.get_object(Bucket="bucket1", Key="o1")["Body"].read(), b"secret")
        self.assertEqual(w.s3_1.head_object(Bucket="bucket1", Key="o1")["SSEKMSKeyId"], self.k2)  # HEAD: no KMS
        self.assertEqual(w.s3_1.delete_object(Bucket="bucket1", Key="o1")["ResponseMetadata"]["HTTPStatusCode"], 204)
        in2 = with_context(events(w.ct2, "GenerateDataKey"), self.obj_arn("o1"))
        self.assertEqual(len(in2), 1)
        self.assertEqual(in2[0]["resources"][0]["ARN"], self.k2)
        self.assertEqual(in2[0]["requestParameters"]["encryptionContext"], {"aws:s3:arn": self.obj_arn("o1")})
        self.assertEqual(with_context(events(w.ct1, "GenerateDataKey"), self.obj_arn("o1")), [])

    def test_47_arn_default_is_the_fix(self):
        w = self.w
        for key in (w.k1, "arn:aws:kms:us-east-1:111111111111:alias/my-key"):
            w.set_default(key=key)
            name = "o47" + ("alias" if "alias" in key else "key")
            put = w.s3_2.put_object(Bucket="bucket1", Key=name, Body=b"shared")
            self.assertEqual(put["SSEKMSKeyId"], w.k1)
            self.assertEqual(w.s3_reader1.get_object(Bucket="bucket1", Key=name)["Body"].read(), b"shared")
            e1 = with_context(events(w.ct1, "GenerateDataKey"), self.obj_arn(name))
            e2 = with_context(events(w.ct2, "GenerateDataKey"), self.obj_arn(name))
            self.assertEqual((len(e1), len(e2)), (1, 1))
            self.assertEqual(e1[0]["sharedEventID"], e2[0]["sharedEventID"])
            self.assertNotEqual(e1[0]["eventID"], e2[0]["eventID"])
            self.assertEqual((e1[0]["recipientAccountId"], e2[0]["recipientAccountId"]), (ACCOUNT1, ACCOUNT2))
            for e in (e1[0], e2[0]):
                self.assertEqual(e["userIdentity"]["arn"], w.role2_session)
                self.assertEqual(e["userIdentity"]["invokedBy"], "s3.amazonaws.com")

    def test_49_aws_kms_default_without_key_uses_account_2s_aws_s3(self):
        w = self.w
        w.set_default()
        put = w.s3_2.put_object(Bucket="bucket1", Key="o49", Body=b"x")
        aws_s3 = w.kms2.describe_key(KeyId="alias/aws/s3")["KeyMetadata"]
        self.assertEqual(put["SSEKMSKeyId"], aws_s3["Arn"])
        self.assertIn(":222222222222:key/", put["SSEKMSKeyId"])
        self.assertEqual(aws_s3["KeyManager"], "AWS")
        self.assertError(w.s3_reader1.get_object, "AccessDenied", status=403, Bucket="bucket1", Key="o49")

    def test_52_bucket_keys_per_requester(self):
        w = self.w
        w.s3_1.create_bucket(Bucket="bucket52")
        w.s3_1.put_bucket_policy(Bucket="bucket52", Policy=doc(
            {"Effect": "Allow", "Principal": {"AWS": w.role2_arn}, "Action": ["s3:PutObject", "s3:GetObject"],
             "Resource": "arn:aws:s3:::bucket52/*"}))
        # role2's IAM policy names bucket1 only; this bucket needs it too.
        iam2 = self.server.client("iam", account=ACCOUNT2)
        iam2.put_role_policy(RoleName="role2", PolicyName="b52", PolicyDocument=doc(
            {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::bucket52/*"}))
        w.set_default(key=w.k1, bucket_key=True, bucket="bucket52")
        for i in range(3):
            self.assertTrue(w.s3_1.put_object(Bucket="bucket52", Key="a%d" % i, Body=b"1")["BucketKeyEnabled"])
            self.assertTrue(w.s3_2.put_object(Bucket="bucket52", Key="b%d" % i, Body=b"2")["BucketKeyEnabled"])
        bucket_ctx = "arn:aws:s3:::bucket52"
        in1 = with_context(events(w.ct1, "GenerateDataKey"), bucket_ctx)
        in2 = with_context(events(w.ct2, "GenerateDataKey"), bucket_ctx)
        # One bucket-level key per requester, each logged under its requester.
        self.assertEqual(sorted(e["userIdentity"]["arn"] for e in in1),
                         sorted(["arn:aws:iam::111111111111:root", w.role2_session]))
        self.assertEqual([e["userIdentity"]["arn"] for e in in2], [w.role2_session])
        self.assertEqual(w.s3_2.get_object(Bucket="bucket52", Key="a1")["Body"].read(), b"1")
        self.assertEqual(w.s3_1.get_object(Bucket="bucket52", Key="b2")["Body"].read(), b"2")


class DiagnosticHeaders(Base):
    server_args = ("--diagnostic-headers",)

    def test_warning_header_names_the_mistake(self):
        w = self.w
        w.create_k2()
        w.set_default(key="alias/my-key")
        put = w.s3_2.put_object(Bucket="bucket1", Key="diag", Body=b"x")
        warning = put["ResponseMetadata"]["HTTPHeaders"]["x-crosskey-warning"]
        for part in ("alias/my-key", "s3://bucket1/diag", ACCOUNT2, ACCOUNT1, put["SSEKMSKeyId"], "use a key ARN"):
            self.assertIn(part, warning)
        # Same-account writes and ARNs carry no warning.
        ok = w.s3_1.put_object(Bucket="bucket1", Key="diag1", Body=b"x")
        self.assertNotIn("x-crosskey-warning", ok["ResponseMetadata"]["HTTPHeaders"])
        w.set_default(key=w.k1)
        ok = w.s3_2.put_object(Bucket="bucket1", Key="diag2", Body=b"x")
        self.assertNotIn("x-crosskey-warning", ok["ResponseMetadata"]["HTTPHeaders"])
        self.assertEqual(self.server.health()["warnings"]["foreign_key_resolutions"], 1)


if __name__ == "__main__":
    unittest.main()
