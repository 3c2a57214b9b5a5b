"""S3 server-side encryption, one account (AWS-SEMANTICS §2, cases 24-43) plus
the at-rest format: SSE-S3, SSE-KMS, DSSE-KMS, SSE-C, bucket keys, ranged
reads over sealed segments, tamper detection, re-encryption by copy-in-place,
BlockedEncryptionTypes and --require-key-arns. boto3 and the AWS CLI."""

import base64
import glob
import hashlib
import json
import os
import unittest

import botocore.exceptions

from crosskey import ACCOUNT1, REGION, Server, blob_files, error_of, stored_blobs
from sse_world import ErrorAssertions, World, assume_role, client_for, doc, events, key_arn, sse_c_key, with_context

SEG = 64 * 1024


class SseTest(ErrorAssertions, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(memory=False).start()
        cls.w = World(cls.server)
        cls.s3 = cls.w.s3_1
        cls.kms = cls.w.kms1

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()

    def bucket(self, name, **default):
        self.s3.create_bucket(Bucket=name)
        if default:
            self.w.set_default(bucket=name, **default)
        return name

    # --- Bucket default encryption (24-29) ---

    def test_24_unvalidated_key_is_echoed_verbatim(self):
        b = self.bucket("c24")
        cfg = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms",
                                                                 "KMSMasterKeyID": "alias/does-not-exist"}}]}
        r = self.server.aws("s3api", "put-bucket-encryption", "--bucket", b,
                            "--server-side-encryption-configuration", json.dumps(cfg))
        self.assertEqual(r.returncode, 0, r.stderr)
        got = self.server.aws_json("s3api", "get-bucket-encryption", "--bucket", b)
        rule = got["ServerSideEncryptionConfiguration"]["Rules"][0]
        self.assertEqual(rule["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"], "alias/does-not-exist")
        # A bare UUID also comes back as it was given, not as an ARN.
        self.w.set_default(bucket=b, key=self.w.k1_id, bucket_key=True)
        rule = self.s3.get_bucket_encryption(Bucket=b)["ServerSideEncryptionConfiguration"]["Rules"][0]
        self.assertEqual(rule["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"], self.w.k1_id)
        self.assertTrue(rule["BucketKeyEnabled"])

    def test_25_key_with_aes256_is_invalid(self):
        b = self.bucket("c25")
        e = self.assertError(self.s3.put_bucket_encryption, "InvalidArgument",
                             "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse",
                             400, Bucket=b, ServerSideEncryptionConfiguration={"Rules": [
                                 {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256", "KMSMasterKeyID": "x"}}]})
        self.assertEqual(e.response["Error"]["ArgumentName"], "ApplyServerSideEncryptionByDefault")

    def test_26_zero_or_two_rules_are_malformed(self):
        b = self.bucket("c26")
        rule = {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
        for rules in ([], [rule, rule]):
            self.assertError(self.s3.put_bucket_encryption, "MalformedXML", status=400, Bucket=b,
                             ServerSideEncryptionConfiguration={"Rules": rules})

    def test_27_never_configured_reports_aes256(self):
        b = self.bucket("c27")
        got = self.server.aws_json("s3api", "get-bucket-encryption", "--bucket", b)
        self.assertEqual(got["ServerSideEncryptionConfiguration"]["Rules"], [
            {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": False}])

    def test_28_delete_is_idempotent_and_resets_to_aes256(self):
        b = self.bucket("c28", key=self.w.k1)
        for _ in range(2):
            r = self.s3.delete_bucket_encryption(Bucket=b)
            self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 204)
        rule = self.s3.get_bucket_encryption(Bucket=b)["ServerSideEncryptionConfiguration"]["Rules"][0]
        self.assertEqual(rule["ApplyServerSideEncryptionByDefault"], {"SSEAlgorithm": "AES256"})
        put = self.s3.put_object(Bucket=b, Key="o", Body=b"x")
        self.assertEqual(put["ServerSideEncryption"], "AES256")
        self.assertNotIn("SSEKMSKeyId", put)

    def test_29_missing_bucket(self):
        for fn, kw in ((self.s3.get_bucket_encryption, {}), (self.s3.delete_bucket_encryption, {}),
                       (self.s3.put_bucket_encryption, {"ServerSideEncryptionConfiguration": {"Rules": [
                           {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}})):
            self.assertError(fn, "NoSuchBucket", "The specified bucket does not exist", 404, Bucket="no-such-c29", **kw)

    def test_blocked_encryption_types_echoed_and_enforced(self):
        b = self.bucket("blocked")
        cfg = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": False,
                          "BlockedEncryptionTypes": {"EncryptionType": ["SSE-C"]}}]}
        self.s3.put_bucket_encryption(Bucket=b, ServerSideEncryptionConfiguration=cfg)
        self.assertEqual(self.s3.get_bucket_encryption(Bucket=b)["ServerSideEncryptionConfiguration"], cfg)
        _, key, md5 = sse_c_key()
        # UNVERIFIED wording: AWS documents a 403 for SSE-C writes to a bucket that blocks them.
        self.assertError(self.s3.put_object, "AccessDenied", status=403, Bucket=b, Key="o", Body=b"x",
                         SSECustomerAlgorithm="AES256", SSECustomerKey=base64.b64decode(key))
        self.s3.put_object(Bucket=b, Key="plain", Body=b"x")

    # --- Object operations (30-43) ---

    def test_30_bare_uuid_default_with_bucket_key(self):
        b = self.bucket("c30", key=self.w.k1_id, bucket_key=True)
        put = self.s3.put_object(Bucket=b, Key="o", Body=b"hello")
        for r in (put, self.s3.head_object(Bucket=b, Key="o"), self.s3.get_object(Bucket=b, Key="o")):
            self.assertEqual(r["ServerSideEncryption"], "aws:kms")
            self.assertEqual(r["SSEKMSKeyId"], self.w.k1)  # the full ARN, not the stored UUID
            self.assertTrue(r["BucketKeyEnabled"])
        self.assertEqual(self.s3.get_object(Bucket=b, Key="o")["Body"].read(), b"hello")

    def test_31_no_bucket_key_header_without_bucket_key(self):
        b = self.bucket("c31", key=self.w.k1_id, bucket_key=False)
        put = self.s3.put_object(Bucket=b, Key="o", Body=b"hello")
        self.assertEqual(put["SSEKMSKeyId"], self.w.k1)
        self.assertNotIn("BucketKeyEnabled", put)
        self.assertNotIn("x-amz-server-side-encryption-bucket-key-enabled", put["ResponseMetadata"]["HTTPHeaders"])

    def test_32_aws_kms_without_key_creates_aws_s3_key(self):
        acct = "333333333333"
        s3 = self.server.client("s3", account=acct)
        kms = self.server.client("kms", account=acct)
        s3.create_bucket(Bucket="c32")
        put = s3.put_object(Bucket="c32", Key="o", Body=b"x", ServerSideEncryption="aws:kms")
        meta = kms.describe_key(KeyId="alias/aws/s3")["KeyMetadata"]
        self.assertEqual(put["SSEKMSKeyId"], meta["Arn"])
        self.assertEqual(meta["KeyManager"], "AWS")
        self.assertIn(":%s:" % acct, meta["Arn"])
        self.assertEqual(s3.get_object(Bucket="c32", Key="o")["Body"].read(), b"x")

    def test_33_key_id_without_aws_kms(self):
        b = self.bucket("c33")
        self.assertError(self.s3.put_object, "InvalidArgument",
                         "Server Side Encryption with AWS KMS managed key requires HTTP header "
                         "x-amz-server-side-encryption : aws:kms", 400,
                         Bucket=b, Key="o", Body=b"x", SSEKMSKeyId=self.w.k1)
        self.assertEqual(self.s3.list_objects_v2(Bucket=b)["KeyCount"], 0)

    def test_34_malformed_key_id_on_put_multipart_and_copy(self):
        b = self.bucket("c34")
        self.s3.put_object(Bucket=b, Key="src", Body=b"x")
        msg = "Invalid keyId 'fake-key-id'"
        kw = dict(Bucket=b, Key="o", ServerSideEncryption="aws:kms", SSEKMSKeyId="fake-key-id")
        self.assertError(self.s3.put_object, "KMS.NotFoundException", msg, 400, Body=b"x", **kw)
        self.assertError(self.s3.create_multipart_upload, "KMS.NotFoundException", msg, 400, **kw)
        self.assertError(self.s3.copy_object, "KMS.NotFoundException", msg, 400, CopySource={"Bucket": b, "Key": "src"},
                         **kw)
        r = self.server.aws("s3", "cp", __file__, "s3://%s/cli" % b, "--sse", "aws:kms", "--sse-kms-key-id", "fake-key-id")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("KMS.NotFoundException", r.stderr)
        self.assertIn(msg, r.stderr)

    def test_35_absent_uuid(self):
        b = self.bucket("c35")
        kid = "134f2428-cec1-4b25-a1ae-9048164dba47"
        self.assertError(self.s3.put_object, "KMS.NotFoundException",
                         "Key 'arn:aws:kms:us-east-1:111111111111:key/%s' does not exist" % kid, 400,
                         Bucket=b, Key="o", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=kid)

    def test_36_key_in_another_region(self):
        s3e2 = self.server.client("s3", account=ACCOUNT1, region="us-east-2")
        s3e2.create_bucket(Bucket="c36", CreateBucketConfiguration={"LocationConstraint": "us-east-2"})
        west = self.server.client("kms", account=ACCOUNT1, region="us-west-2").create_key()["KeyMetadata"]
        self.assertError(s3e2.put_object, "KMS.NotFoundException", "Invalid arn us-west-2", 400,
                         Bucket="c36", Key="o", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=west["Arn"])
        self.assertError(s3e2.put_object, "KMS.NotFoundException",
                         "Key 'arn:aws:kms:us-east-2:111111111111:key/%s' does not exist" % west["KeyId"], 400,
                         Bucket="c36", Key="o", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=west["KeyId"])

    def test_37_disabled_and_pending_deletion_keys(self):
        b = self.bucket("c37")
        k = self.kms.create_key()["KeyMetadata"]
        self.s3.put_object(Bucket=b, Key="o", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=k["Arn"])
        self.kms.disable_key(KeyId=k["KeyId"])
        msg = "%s is disabled." % k["Arn"]
        self.assertError(self.s3.get_object, "KMS.DisabledException", msg, 400, Bucket=b, Key="o")
        self.assertError(self.s3.put_object, "KMS.DisabledException", msg, 400, Bucket=b, Key="o2", Body=b"x",
                         ServerSideEncryption="aws:kms", SSEKMSKeyId=k["Arn"])
        self.kms.enable_key(KeyId=k["KeyId"])
        self.kms.schedule_key_deletion(KeyId=k["KeyId"], PendingWindowInDays=7)
        self.assertError(self.s3.get_object, "KMS.KMSInvalidStateException", "%s is pending deletion." % k["Arn"], 400,
                         Bucket=b, Key="o")

    def test_38_sse_headers_on_get_and_head_are_refused(self):
        b = self.bucket("c38", key=self.w.k1)
        self.s3.put_object(Bucket=b, Key="o", Body=b"x")
        s3 = self.server.client("s3", account=ACCOUNT1)

        def add_header(request, **_):
            request.headers["x-amz-server-side-encryption"] = "aws:kms"
        s3.meta.events.register("before-sign.s3.GetObject", add_header)
        s3.meta.events.register("before-sign.s3.HeadObject", add_header)
        # Code INFERRED (AWS-SEMANTICS §2.3: "400 Bad Request", code unverified): InvalidArgument.
        self.assertError(s3.get_object, "InvalidArgument", status=400, Bucket=b, Key="o")
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            s3.head_object(Bucket=b, Key="o")
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)

    def test_39_encryption_context_is_merged_and_not_returned(self):
        b = self.bucket("c39")
        ctx = base64.b64encode(json.dumps({"team": "x"}).encode()).decode()
        put = self.s3.put_object(Bucket=b, Key="o", Body=b"data", ServerSideEncryption="aws:kms",
                                 SSEKMSKeyId=self.w.k1, SSEKMSEncryptionContext=ctx)
        self.assertEqual(json.loads(base64.b64decode(put["SSEKMSEncryptionContext"])),
                         {"team": "x", "aws:s3:arn": "arn:aws:s3:::c39/o"})
        ev = with_context(events(self.w.ct1, "GenerateDataKey"), "arn:aws:s3:::c39/o")
        self.assertEqual(len(ev), 1)
        self.assertEqual(ev[0]["requestParameters"]["encryptionContext"], {"team": "x", "aws:s3:arn": "arn:aws:s3:::c39/o"})
        self.assertEqual(ev[0]["userIdentity"]["invokedBy"], "s3.amazonaws.com")
        self.assertEqual(self.s3.get_object(Bucket=b, Key="o")["Body"].read(), b"data")  # no context resent
        self.assertNotIn("SSEKMSEncryptionContext", self.s3.head_object(Bucket=b, Key="o"))
        self.assertError(self.s3.put_object, "InvalidArgument", status=400, Bucket=b, Key="bad", Body=b"x",
                         ServerSideEncryption="aws:kms", SSEKMSEncryptionContext="bm90IGpzb24=")

    def test_40_bucket_key_context_is_the_bucket(self):
        b = self.bucket("c40")
        ctx = base64.b64encode(json.dumps({"team": "x"}).encode()).decode()
        self.s3.put_object(Bucket=b, Key="o", Body=b"data", ServerSideEncryption="aws:kms", SSEKMSKeyId=self.w.k1,
                           SSEKMSEncryptionContext=ctx, BucketKeyEnabled=True)
        ev = with_context(events(self.w.ct1, "GenerateDataKey"), "arn:aws:s3:::c40")
        self.assertEqual(len(ev), 1)
        self.assertEqual(ev[0]["requestParameters"]["encryptionContext"], {"team": "x", "aws:s3:arn": "arn:aws:s3:::c40"})
        # Reuse: more objects under the same bucket key make no new GenerateDataKey.
        for i in range(5):
            self.s3.put_object(Bucket=b, Key="more%d" % i, Body=b"m", ServerSideEncryption="aws:kms",
                               SSEKMSKeyId=self.w.k1, SSEKMSEncryptionContext=ctx, BucketKeyEnabled=True)
        self.assertEqual(len(with_context(events(self.w.ct1, "GenerateDataKey"), "arn:aws:s3:::c40")), 1)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="more3")["Body"].read(), b"m")
        self.assertEqual(self.s3.get_object(Bucket=b, Key="o")["Body"].read(), b"data")

    def test_41_multipart_upload_part_needs_decrypt(self):
        b = self.bucket("c41")
        creds = assume_role(self.server, ACCOUNT1, "gdk-only", ACCOUNT1, [
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
            {"Effect": "Allow", "Action": "kms:GenerateDataKey", "Resource": self.w.k1}])
        s3 = client_for(self.server, creds, "s3")
        up = s3.create_multipart_upload(Bucket=b, Key="o", ServerSideEncryption="aws:kms", SSEKMSKeyId=self.w.k1)
        self.assertEqual(up["SSEKMSKeyId"], self.w.k1)
        e = self.assertError(s3.upload_part, "AccessDenied", status=403, Bucket=b, Key="o", UploadId=up["UploadId"],
                             PartNumber=1, Body=b"x")
        self.assertIn("kms:Decrypt", error_of(e)[1])

    def test_42_upload_part_keeps_the_uploads_key(self):
        b = self.bucket("c42")
        other = self.kms.create_key()["KeyMetadata"]["Arn"]
        up = self.s3.create_multipart_upload(Bucket=b, Key="o", ServerSideEncryption="aws:kms", SSEKMSKeyId=self.w.k1)
        s3 = self.server.client("s3", account=ACCOUNT1)

        def add_header(request, **_):
            request.headers["x-amz-server-side-encryption-aws-kms-key-id"] = other
        s3.meta.events.register("before-sign.s3.UploadPart", add_header)
        # UNVERIFIED (AWS-SEMANTICS case 42): we ignore the header; the part uses the upload's key.
        part = s3.upload_part(Bucket=b, Key="o", UploadId=up["UploadId"], PartNumber=1, Body=b"part")
        self.assertEqual(part["SSEKMSKeyId"], self.w.k1)
        self.assertEqual(part["ServerSideEncryption"], "aws:kms")
        done = self.s3.complete_multipart_upload(Bucket=b, Key="o", UploadId=up["UploadId"], MultipartUpload={
            "Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
        self.assertEqual(done["SSEKMSKeyId"], self.w.k1)
        self.assertEqual(self.s3.head_object(Bucket=b, Key="o")["SSEKMSKeyId"], self.w.k1)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="o")["Body"].read(), b"part")

    def test_43_copy_uses_destination_default_unless_request_says_otherwise(self):
        src = self.bucket("c43src")
        dst = self.bucket("c43dst", key=self.w.k1)
        self.s3.put_object(Bucket=src, Key="o", Body=b"copy me")
        r = self.s3.copy_object(Bucket=dst, Key="a", CopySource={"Bucket": src, "Key": "o"})
        self.assertEqual((r["ServerSideEncryption"], r["SSEKMSKeyId"]), ("aws:kms", self.w.k1))
        r = self.s3.copy_object(Bucket=dst, Key="b", CopySource={"Bucket": src, "Key": "o"}, ServerSideEncryption="AES256")
        self.assertEqual(r["ServerSideEncryption"], "AES256")
        self.assertNotIn("SSEKMSKeyId", r)
        self.assertEqual(self.s3.get_object(Bucket=dst, Key="a")["Body"].read(), b"copy me")
        self.assertEqual(self.s3.get_object(Bucket=dst, Key="b")["Body"].read(), b"copy me")

    # --- Algorithms and the at-rest format ---

    def blobs(self):
        """id -> stored bytes, files and small-blob rows alike."""
        return stored_blobs(self.server.data_dir)

    def new_blob(self, before):
        """The id of the one blob stored since `before` (a blobs() result)."""
        new = sorted(set(self.blobs()) - set(before))
        self.assertEqual(len(new), 1, new)
        return new[0]

    def test_sealed_sizes_and_etags_per_algorithm(self):
        b = self.bucket("algos")
        body = os.urandom(3 * SEG + 100)  # four segments
        md5 = hashlib.md5(body).hexdigest()
        _, ckey, cmd5 = sse_c_key(b"algos")
        cases = [("s3", {"ServerSideEncryption": "AES256"}, 16),
                 ("kms", {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": self.w.k1}, 16),
                 ("dsse", {"ServerSideEncryption": "aws:kms:dsse", "SSEKMSKeyId": self.w.k1}, 32),
                 ("c", {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": base64.b64decode(ckey)}, 16)]
        for name, kw, per_segment in cases:
            before = self.blobs()
            put = self.s3.put_object(Bucket=b, Key=name, Body=body, **kw)
            blob = self.new_blob(before)
            self.assertIn(blob, blob_files(self.server.data_dir), "a 4-segment body is a file")
            stored = self.blobs()[blob]
            self.assertEqual(len(stored), len(body) + 4 * per_segment, name)
            self.assertNotIn(body[:64], stored, name)  # not plaintext at rest
            # A small body is a row of the metadata database, sealed the same way.
            small = body[:3000]
            before = self.blobs()
            self.s3.put_object(Bucket=b, Key=name + "-small", Body=small, **kw)
            row = self.new_blob(before)
            self.assertTrue(row.startswith("s"), row)
            self.assertNotIn(row, blob_files(self.server.data_dir))
            self.assertEqual(len(self.blobs()[row]), len(small) + per_segment, name)
            self.assertNotIn(small[:64], self.blobs()[row], name)
            self.assertEqual(self.s3.get_object(Bucket=b, Key=name + "-small", **{
                k: v for k, v in kw.items() if k.startswith("SSECustomer")})["Body"].read(), small)
            # Replaced, then deleted: each write drops the row it no longer names, in its own batch.
            self.s3.put_object(Bucket=b, Key=name + "-small", Body=small[:100], **kw)
            replaced = set(self.blobs()) - set(before)
            self.assertEqual(len(replaced), 1)
            self.assertNotIn(row, self.blobs())
            self.s3.delete_object(Bucket=b, Key=name + "-small")
            self.assertFalse(replaced & set(self.blobs()))
            # S3: SSE-S3 ETags are the MD5; SSE-KMS, DSSE and SSE-C ETags are not.
            self.assertEqual(put["ETag"] == '"%s"' % md5, name == "s3", name)
            get_kw = {k: v for k, v in kw.items() if k.startswith("SSECustomer")}
            got = self.s3.get_object(Bucket=b, Key=name, **get_kw)
            self.assertEqual(got["Body"].read(), body, name)
        head = self.s3.head_object(Bucket=b, Key="dsse")
        self.assertEqual((head["ServerSideEncryption"], head["SSEKMSKeyId"]), ("aws:kms:dsse", self.w.k1))

    def test_sse_c_round_trip_errors_and_key_never_stored(self):
        b = self.bucket("ssec")
        raw, key, md5 = sse_c_key(b"customer")
        k = raw
        c = dict(SSECustomerAlgorithm="AES256", SSECustomerKey=k)
        put = self.s3.put_object(Bucket=b, Key="o", Body=b"secret", **c)
        self.assertEqual(put["SSECustomerKeyMD5"], md5)
        self.assertNotIn("ServerSideEncryption", put)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="o", **c)["Body"].read(), b"secret")
        self.assertEqual(self.s3.head_object(Bucket=b, Key="o", **c)["SSECustomerAlgorithm"], "AES256")
        self.assertError(self.s3.get_object, "InvalidRequest",
                         "The object was stored using a form of Server Side Encryption. The correct parameters must "
                         "be provided to retrieve the object.", 400, Bucket=b, Key="o")
        _, wkey, wmd5 = sse_c_key(b"wrong")
        self.assertError(self.s3.get_object, "AccessDenied", status=403, Bucket=b, Key="o", SSECustomerAlgorithm="AES256",
                         SSECustomerKey=base64.b64decode(wkey))
        s3raw = self.server.client("s3", account=ACCOUNT1)

        def bad_md5(request, **_):
            request.headers["x-amz-server-side-encryption-customer-key-MD5"] = wmd5
        s3raw.meta.events.register("before-sign.s3.PutObject", bad_md5)
        self.assertError(s3raw.put_object, "InvalidArgument",
                         "The calculated MD5 hash of the key did not match the hash that was provided.", 400,
                         Bucket=b, Key="o2", Body=b"x", **c)
        # Copy with the copy-source key, to SSE-KMS.
        r = self.s3.copy_object(Bucket=b, Key="kms", CopySource={"Bucket": b, "Key": "o"},
                                CopySourceSSECustomerAlgorithm="AES256", CopySourceSSECustomerKey=k,
                                ServerSideEncryption="aws:kms", SSEKMSKeyId=self.w.k1)
        self.assertEqual(r["SSEKMSKeyId"], self.w.k1)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="kms")["Body"].read(), b"secret")
        self.assertError(self.s3.copy_object, "InvalidRequest", status=400, Bucket=b, Key="x",
                         CopySource={"Bucket": b, "Key": "o"})
        # Multipart with SSE-C: every part carries the key.
        up = self.s3.create_multipart_upload(Bucket=b, Key="mp", **c)
        p1 = self.s3.upload_part(Bucket=b, Key="mp", UploadId=up["UploadId"], PartNumber=1, Body=b"p" * 10, **c)
        self.assertError(self.s3.upload_part, "InvalidRequest", status=400, Bucket=b, Key="mp", UploadId=up["UploadId"],
                         PartNumber=2, Body=b"q")
        self.s3.complete_multipart_upload(Bucket=b, Key="mp", UploadId=up["UploadId"], MultipartUpload={
            "Parts": [{"PartNumber": 1, "ETag": p1["ETag"]}]})
        self.assertEqual(self.s3.get_object(Bucket=b, Key="mp", **c)["Body"].read(), b"p" * 10)
        # The key is nowhere in the data directory.
        for path in glob.glob(os.path.join(self.server.data_dir, "**", "*"), recursive=True):
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    data = f.read()
                self.assertNotIn(raw, data, path)
                self.assertNotIn(key.encode(), data, path)

    def test_ranged_reads_match_plaintext_at_every_segment_boundary(self):
        b = self.bucket("ranges")
        body = os.urandom(5 * SEG + 4321)
        for algo, kw in (("kms", {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": self.w.k1}),
                         ("dsse", {"ServerSideEncryption": "aws:kms:dsse", "SSEKMSKeyId": self.w.k1}),
                         ("bk", {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": self.w.k1, "BucketKeyEnabled": True})):
            self.s3.put_object(Bucket=b, Key=algo, Body=body, **kw)
            for i in range(1, 6):
                edge = i * SEG
                for lo, hi in ((edge - 1, edge), (edge - 17, edge + 16), (edge, edge), (edge - SEG, edge - 1),
                               (edge - 1, min(edge + SEG, len(body) - 1))):
                    got = self.s3.get_object(Bucket=b, Key=algo, Range="bytes=%d-%d" % (lo, hi))["Body"].read()
                    self.assertEqual(got, body[lo:hi + 1], (algo, lo, hi))
            got = self.s3.get_object(Bucket=b, Key=algo, Range="bytes=-100")["Body"].read()
            self.assertEqual(got, body[-100:])
        # Multipart: part boundaries are blob boundaries, each part with its own key.
        part = 5 * 1024 * 1024 + 10
        mp = os.urandom(2 * part + 777)
        up = self.s3.create_multipart_upload(Bucket=b, Key="mp", ServerSideEncryption="aws:kms", SSEKMSKeyId=self.w.k1)
        etags = []
        for n, off in enumerate(range(0, len(mp), part), start=1):
            etags.append(self.s3.upload_part(Bucket=b, Key="mp", UploadId=up["UploadId"], PartNumber=n,
                                             Body=mp[off:off + part])["ETag"])
        self.s3.complete_multipart_upload(Bucket=b, Key="mp", UploadId=up["UploadId"], MultipartUpload={
            "Parts": [{"PartNumber": i + 1, "ETag": e} for i, e in enumerate(etags)]})
        for edge in (part, 2 * part, SEG * 80, part + SEG * 80):
            for lo, hi in ((edge - 1, edge), (edge - 100, edge + 100)):
                got = self.s3.get_object(Bucket=b, Key="mp", Range="bytes=%d-%d" % (lo, hi))["Body"].read()
                self.assertEqual(got, mp[lo:hi + 1], (lo, hi))
        self.assertEqual(hashlib.sha256(self.s3.get_object(Bucket=b, Key="mp")["Body"].read()).digest(),
                         hashlib.sha256(mp).digest())

    def test_tampered_blob_fails_instead_of_returning_wrong_bytes(self):
        b = self.bucket("tamper")
        body = os.urandom(4 * SEG)
        for algo, kw in (("s3", {"ServerSideEncryption": "AES256"}),
                         ("kms", {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": self.w.k1})):
            before = self.blobs()
            self.s3.put_object(Bucket=b, Key=algo, Body=body, **kw)
            path = blob_files(self.server.data_dir)[self.new_blob(before)]
            with open(path, "r+b") as f:  # flip one bit in segment 2
                f.seek(2 * (SEG + 16) + 1000)
                byte = f.read(1)
                f.seek(-1, 1)
                f.write(bytes([byte[0] ^ 1]))
            with self.assertRaises(Exception) as cm:
                data = self.s3.get_object(Bucket=b, Key=algo)["Body"].read()
                # A short body is also a failure, never wrong bytes.
                if len(data) == len(body):
                    self.fail("tampered object returned %s bytes" % ("identical" if data == body else "WRONG"))
                raise IOError("short read")
            self.assertNotIsInstance(cm.exception, AssertionError)
            # The tampered segment is the first one read, so nothing has been
            # sent yet: the answer is a 500, not a 206 with a short body.
            with self.assertRaises(botocore.exceptions.ClientError) as cm:
                self.s3.get_object(Bucket=b, Key=algo, Range="bytes=%d-%d" % (2 * SEG, 2 * SEG + 10))
            self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 500)
            # Untouched segments still read: only touched segments are decrypted.
            got = self.s3.get_object(Bucket=b, Key=algo, Range="bytes=0-%d" % (SEG - 1))["Body"].read()
            self.assertEqual(got, body[:SEG])

    def test_content_md5_is_checked_on_objects_whose_etag_is_not_the_md5(self):
        # Without Content-MD5 an SSE-KMS PutObject does not compute the body's MD5 (its ETag is opaque);
        # with one, the MD5 is computed and checked as for any object.
        b = self.bucket("kmsmd5", key=self.w.k1)
        body = os.urandom(100 * 1024)
        good = base64.b64encode(hashlib.md5(body).digest()).decode()
        bad = base64.b64encode(hashlib.md5(b"other").digest()).decode()
        put = self.s3.put_object(Bucket=b, Key="ok", Body=body, ContentMD5=good)
        self.assertEqual(put["ServerSideEncryption"], "aws:kms")
        self.assertNotEqual(put["ETag"], '"%s"' % hashlib.md5(body).hexdigest())
        self.assertError(self.s3.put_object, "BadDigest",
                         "The Content-MD5 you specified did not match what we received.", status=400,
                         Bucket=b, Key="bad", Body=body, ContentMD5=bad)
        self.assertError(self.s3.head_object, "404", status=404, Bucket=b, Key="bad")
        plain = self.s3.put_object(Bucket=b, Key="plain", Body=body)
        self.assertRegex(plain["ETag"], r'^"[0-9a-f]{32}"$')
        self.assertNotEqual(plain["ETag"], put["ETag"])
        self.assertEqual(self.s3.get_object(Bucket=b, Key="plain")["Body"].read(), body)

    def test_copy_onto_itself_with_new_key_re_encrypts(self):
        b = self.bucket("recrypt")
        old = self.kms.create_key()["KeyMetadata"]["Arn"]
        before = self.blobs()
        self.s3.put_object(Bucket=b, Key="o", Body=b"payload" * 1000, ServerSideEncryption="aws:kms", SSEKMSKeyId=old)
        first_bytes = self.blobs()[self.new_blob(before)]
        r = self.server.aws_json("s3api", "copy-object", "--bucket", b, "--key", "o", "--copy-source", "%s/o" % b,
                                 "--server-side-encryption", "aws:kms", "--ssekms-key-id", self.w.k1)
        self.assertEqual(r["SSEKMSKeyId"], self.w.k1)
        self.assertEqual(self.s3.head_object(Bucket=b, Key="o")["SSEKMSKeyId"], self.w.k1)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="o")["Body"].read(), b"payload" * 1000)
        # The object no longer depends on the old key.
        self.kms.disable_key(KeyId=old)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="o")["Body"].read(), b"payload" * 1000)
        current = [data for blob, data in self.blobs().items() if blob not in before]
        self.assertTrue(current and all(data != first_bytes for data in current))
        # Copied onto itself without SSE headers, an SSE-KMS object takes the bucket's default (SSE-S3):
        # a change, so allowed (recorded on AWS); once SSE-S3, the same copy changes nothing and is illegal.
        r = self.s3.copy_object(Bucket=b, Key="o", CopySource={"Bucket": b, "Key": "o"})
        self.assertEqual(r["ServerSideEncryption"], "AES256")
        self.assertError(self.s3.copy_object, "InvalidRequest", status=400, Bucket=b, Key="o",
                         CopySource={"Bucket": b, "Key": "o"})

    def test_deny_unencrypted_bucket_policy(self):
        b = self.bucket("deny-unenc")
        self.s3.put_bucket_policy(Bucket=b, Policy=doc({
            "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::%s/*" % b,
            "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}}))
        self.assertError(self.s3.put_object, "AccessDenied", status=403, Bucket=b, Key="o", Body=b"x")
        self.assertError(self.s3.create_multipart_upload, "AccessDenied", status=403, Bucket=b, Key="o")
        self.s3.put_object(Bucket=b, Key="o", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=self.w.k1)


class RequireKeyArnsTest(unittest.TestCase):
    def test_key_ids_and_alias_names_refused(self):
        with Server("--require-key-arns") as server:
            s3 = server.client("s3")
            kms = server.client("kms")
            k = kms.create_key()["KeyMetadata"]
            kms.create_alias(AliasName="alias/strict", TargetKeyId=k["KeyId"])
            s3.create_bucket(Bucket="strict")
            for ref in ("alias/strict", k["KeyId"]):
                with self.assertRaises(botocore.exceptions.ClientError) as cm:
                    s3.put_bucket_encryption(Bucket="strict", ServerSideEncryptionConfiguration={"Rules": [
                        {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": ref}}]})
                code, msg, status = error_of(cm.exception)
                self.assertEqual((code, status), ("InvalidArgument", 400))
                self.assertIn("use a key ARN", msg)
                self.assertIn("alias ARN", msg)
                with self.assertRaises(botocore.exceptions.ClientError) as cm:
                    s3.put_object(Bucket="strict", Key="o", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=ref)
                self.assertEqual(error_of(cm.exception)[0], "InvalidArgument")
            alias_arn = "arn:aws:kms:%s:%s:alias/strict" % (REGION, ACCOUNT1)
            s3.put_bucket_encryption(Bucket="strict", ServerSideEncryptionConfiguration={"Rules": [
                {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": alias_arn}}]})
            self.assertEqual(s3.put_object(Bucket="strict", Key="o", Body=b"x")["SSEKMSKeyId"], k["Arn"])
            put = s3.put_object(Bucket="strict", Key="p", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=k["Arn"])
            self.assertEqual(put["SSEKMSKeyId"], k["Arn"])


if __name__ == "__main__":
    unittest.main()
