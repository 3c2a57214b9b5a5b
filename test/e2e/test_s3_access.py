"""S3 access control: cross-account writes and reads decided by bucket
policies and identity policies, anonymous access through public policies
only when the public access block allows, object ownership."""

import json
import unittest
import urllib.request

from botocore.exceptions import ClientError

from crosskey import ACCOUNT1, ACCOUNT2, Server, error_of

CONFIG = """
[[users]]
account = "222222222222"
name = "writer"
access_key_id = "AKIAWRITER000000001"
secret_access_key = "writer-secret"
policies = [{ name = "s3", document = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject","s3:GetObject"],"Resource":"*"}]}' }]
[[users]]
account = "222222222222"
name = "nobody"
access_key_id = "AKIANOBODY000000001"
secret_access_key = "nobody-secret"
policies = []
[[users]]
account = "111111111111"
name = "reader"
access_key_id = "AKIAREADER000000001"
secret_access_key = "reader-secret"
policies = [{ name = "s3", document = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::shared/*"}]}' }]
"""

POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::222222222222:root"},
                   "Action": ["s3:PutObject", "s3:GetObject"], "Resource": "arn:aws:s3:::shared/*"}],
}


class AccessTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(config=CONFIG).start()
        cls.owner = cls.server.client("s3")
        cls.writer = cls.server.client("s3", account="AKIAWRITER000000001", secret="writer-secret")
        cls.nobody = cls.server.client("s3", account="AKIANOBODY000000001", secret="nobody-secret")
        cls.reader = cls.server.client("s3", account="AKIAREADER000000001", secret="reader-secret")
        cls.owner.create_bucket(Bucket="shared")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()

    def denied(self, fn, **kw):
        with self.assertRaises(ClientError) as cm:
            fn(**kw)
        code, msg, status = error_of(cm.exception)
        self.assertEqual((code, status), ("AccessDenied", 403))
        return msg

    def test_cross_account_put_get(self):
        # Without a bucket policy the other account is refused, with AWS's detailed text.
        self.owner.delete_bucket_policy(Bucket="shared")
        msg = self.denied(self.writer.put_object, Bucket="shared", Key="x", Body=b"x")
        self.assertIn("arn:aws:iam::222222222222:user/writer", msg)
        self.assertIn("s3:PutObject", msg)
        self.owner.put_bucket_policy(Bucket="shared", Policy=json.dumps(POLICY))
        self.writer.put_object(Bucket="shared", Key="from-2", Body=b"cross")
        self.assertEqual(self.writer.get_object(Bucket="shared", Key="from-2")["Body"].read(), b"cross")
        # BucketOwnerEnforced: the bucket owner owns it and reads it.
        self.assertEqual(self.owner.get_object(Bucket="shared", Key="from-2")["Body"].read(), b"cross")
        acl = self.owner.get_object_acl(Bucket="shared", Key="from-2")
        owner_id = self.owner.list_objects_v2(Bucket="shared", FetchOwner=True)["Contents"][0]["Owner"]["ID"]
        self.assertEqual(acl["Owner"]["ID"], owner_id)
        # The other account's user still needs its own identity policy.
        self.denied(self.nobody.put_object, Bucket="shared", Key="y", Body=b"y")
        # The bucket policy does not grant listing.
        self.denied(self.writer.list_objects_v2, Bucket="shared")
        # Same-account user: identity policy alone suffices.
        self.assertEqual(self.reader.get_object(Bucket="shared", Key="from-2")["Body"].read(), b"cross")
        self.denied(self.reader.put_object, Bucket="shared", Key="z", Body=b"z")

    def test_cross_account_copy(self):
        self.owner.put_bucket_policy(Bucket="shared", Policy=json.dumps(POLICY))
        self.owner.put_object(Bucket="shared", Key="orig", Body=b"orig")
        other = self.server.client("s3", account=ACCOUNT2)
        other.create_bucket(Bucket="acct2-bucket")
        other.copy_object(Bucket="acct2-bucket", Key="copy", CopySource="shared/orig")
        self.assertEqual(other.get_object(Bucket="acct2-bucket", Key="copy")["Body"].read(), b"orig")
        # Account 1 cannot copy out of account 2's bucket without its policy.
        self.denied(self.owner.copy_object, Bucket="shared", Key="back", CopySource="acct2-bucket/copy")

    def test_explicit_deny_in_bucket_policy(self):
        self.owner.create_bucket(Bucket="denying")
        deny = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::denying/*"}]}
        self.owner.put_bucket_policy(Bucket="denying", Policy=json.dumps(deny))
        self.owner.put_object(Bucket="denying", Key="keep", Body=b"k")
        self.denied(self.owner.delete_object, Bucket="denying", Key="keep")

    def test_anonymous_needs_public_policy_and_no_block(self):
        self.owner.create_bucket(Bucket="public-b")
        self.owner.put_object(Bucket="public-b", Key="index.html", Body=b"<html>")
        status, _, body = self.server.get("/public-b/index.html")
        self.assertEqual(status, 403)
        self.assertIn(b"<Code>AccessDenied</Code>", body)
        public = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::public-b/*"}]}
        self.owner.delete_public_access_block(Bucket="public-b")
        self.owner.put_bucket_policy(Bucket="public-b", Policy=json.dumps(public))
        status, _, body = self.server.get("/public-b/index.html")
        self.assertEqual((status, body), (200, b"<html>"))
        status, _, _ = self.server.get("/public-b?list-type=2")
        self.assertEqual(status, 403)
        self.owner.put_public_access_block(Bucket="public-b", PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": False, "RestrictPublicBuckets": True})
        status, _, _ = self.server.get("/public-b/index.html")
        self.assertEqual(status, 403)


if __name__ == "__main__":
    unittest.main()
