"""The seed case ("Gotcha: always use ARNs for S3 SSE-KMS", shared/reference),
played end to end with the AWS CLI and boto3, exactly as on AWS.

Cast:
  account 1 (111111111111) owns bucket1, key K1 and alias/my-key -> K1. K1's key
            policy lets account 2 use it. reader1 is a role in account 1 that may
            decrypt with K1.
  account 2 (222222222222) has role2, which the bucket policy lets write and read.

Bucket 1's default encryption says KMSMasterKeyID = "alias/my-key". Everyone in
account 1 thinks that means K1. It does not: S3 hands the reference to KMS
unchanged, as the requester, so it resolves in the REQUESTER's account.

Act 1: account 2 has no alias/my-key. role2's upload fails fast, naming account 2.
Act 2: account 2 gets its own alias/my-key -> K2. The same upload now succeeds,
       silently encrypted under K2. Account 1's reader cannot read its own bucket's
       object, and every KMS event sits in account 2, none in account 1.
Act 3: the fix. The default becomes K1's ARN. role2's upload uses K1, account 1
       reads it, and the GenerateDataKey event is delivered to both accounts with
       one sharedEventID. The stranded object is re-encrypted by copying it onto
       itself with the ARN.
"""

import os
import tempfile
import unittest

import botocore.exceptions

from crosskey import ACCOUNT1, ACCOUNT2, Server, error_of
from sse_world import World, events, with_context


class SeedCase(unittest.TestCase):
    def setUp(self):
        self.server = Server().start()
        self.world = World(self.server)
        self.tmp = tempfile.mkdtemp()
        self.report = os.path.join(self.tmp, "report.csv")
        with open(self.report, "wb") as f:
            f.write(b"quarter,revenue\nQ1,100\n")

    def tearDown(self):
        self.server.stop()
        self.server.cleanup()

    def as_role2(self, *args):
        c = self.world.creds2
        return self.server.aws(*args, account=c["AccessKeyId"], secret=c["SecretAccessKey"], token=c["SessionToken"])

    def test_the_story(self):
        w = self.world
        bucket_arn_of = lambda key: "arn:aws:s3:::bucket1/" + key  # noqa: E731

        # Account 1 configures its bucket with an alias name, as the API allows.
        r = self.server.aws("s3api", "put-bucket-encryption", "--bucket", "bucket1",
                            "--server-side-encryption-configuration",
                            '{"Rules":[{"ApplyServerSideEncryptionByDefault":'
                            '{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"alias/my-key"}}]}')
        self.assertEqual(r.returncode, 0, r.stderr)

        # --- Act 1: no alias/my-key in account 2 -> fails fast, naming ACCOUNT 2 ---
        r = self.as_role2("s3", "cp", self.report, "s3://bucket1/act1.csv")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("KMS.NotFoundException", r.stderr)
        self.assertIn("Alias arn:aws:kms:us-east-1:222222222222:alias/my-key is not found.", r.stderr)
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            w.s3_2.put_object(Bucket="bucket1", Key="act1.csv", Body=b"x")
        self.assertEqual(error_of(cm.exception), ("KMS.NotFoundException",
                                                  "Alias arn:aws:kms:us-east-1:222222222222:alias/my-key is not found.",
                                                  400))
        self.assertEqual(w.s3_1.list_objects_v2(Bucket="bucket1")["KeyCount"], 0)
        self.assertEqual(with_context(events(w.ct1, "GenerateDataKey"), bucket_arn_of("act1.csv")), [])

        # --- Act 2: account 2 creates its own alias/my-key -> K2 ---
        k2 = w.create_k2()
        r = self.as_role2("s3", "cp", self.report, "s3://bucket1/act2.csv")
        self.assertEqual(r.returncode, 0, r.stderr)
        head = w.s3_1.head_object(Bucket="bucket1", Key="act2.csv")  # account 1 owns it and can HEAD it...
        self.assertEqual(head["SSEKMSKeyId"], k2)                    # ...under ACCOUNT 2's key
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            w.s3_reader1.get_object(Bucket="bucket1", Key="act2.csv")  # ...but cannot read it
        code, message, status = error_of(cm.exception)
        self.assertEqual((code, status), ("AccessDenied", 403))
        self.assertIn("is not authorized to perform: kms:Decrypt on this resource", message)
        self.assertEqual(w.s3_2.get_object(Bucket="bucket1", Key="act2.csv")["Body"].read(),
                         b"quarter,revenue\nQ1,100\n")
        # The audit trail: everything in account 2 (including account 1's failed read), nothing in account 1.
        gdk2 = with_context(events(w.ct2, "GenerateDataKey"), bucket_arn_of("act2.csv"))
        self.assertEqual(len(gdk2), 1)
        self.assertEqual(gdk2[0]["resources"][0]["ARN"], k2)
        self.assertEqual(gdk2[0]["userIdentity"]["invokedBy"], "s3.amazonaws.com")
        self.assertEqual(with_context(events(w.ct1, "GenerateDataKey"), bucket_arn_of("act2.csv")), [])
        # Account 1 sees only its own reader's denied attempt (denials are logged in the caller's account).
        dec1 = with_context(events(w.ct1, "Decrypt"), bucket_arn_of("act2.csv"))
        self.assertEqual(len(dec1), 1)
        self.assertTrue(dec1[0]["errorCode"].startswith("AccessDenied"), dec1[0]["errorCode"])

        # --- Act 3: the fix: a key ARN ---
        r = self.server.aws("s3api", "put-bucket-encryption", "--bucket", "bucket1",
                            "--server-side-encryption-configuration",
                            '{"Rules":[{"ApplyServerSideEncryptionByDefault":'
                            '{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"%s"}}]}' % w.k1)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.as_role2("s3", "cp", self.report, "s3://bucket1/act3.csv")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(w.s3_1.head_object(Bucket="bucket1", Key="act3.csv")["SSEKMSKeyId"], w.k1)
        self.assertEqual(w.s3_reader1.get_object(Bucket="bucket1", Key="act3.csv")["Body"].read(),
                         b"quarter,revenue\nQ1,100\n")
        in1 = with_context(events(w.ct1, "GenerateDataKey"), bucket_arn_of("act3.csv"))
        in2 = with_context(events(w.ct2, "GenerateDataKey"), bucket_arn_of("act3.csv"))
        self.assertEqual((len(in1), len(in2)), (1, 1))
        self.assertEqual(in1[0]["sharedEventID"], in2[0]["sharedEventID"])
        self.assertNotEqual(in1[0]["eventID"], in2[0]["eventID"])
        self.assertEqual((in1[0]["recipientAccountId"], in2[0]["recipientAccountId"]), (ACCOUNT1, ACCOUNT2))
        self.assertEqual(in1[0]["userIdentity"]["arn"], w.role2_session)
        self.assertEqual(in2[0]["userIdentity"]["arn"], w.role2_session)

        # Rescuing the stranded act-2 object: role2 (who can decrypt with K2) copies it onto itself with K1's ARN.
        r = self.as_role2("s3", "cp", "s3://bucket1/act2.csv", "s3://bucket1/act2.csv", "--sse", "aws:kms",
                          "--sse-kms-key-id", w.k1)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(w.s3_1.head_object(Bucket="bucket1", Key="act2.csv")["SSEKMSKeyId"], w.k1)
        self.assertEqual(w.s3_reader1.get_object(Bucket="bucket1", Key="act2.csv")["Body"].read(),
                         b"quarter,revenue\nQ1,100\n")
        # The emulator counted both unqualified resolutions in account 2 (acts 1 and 2).
        self.assertGreaterEqual(self.server.health()["warnings"]["foreign_key_resolutions"], 2)


if __name__ == "__main__":
    unittest.main()
