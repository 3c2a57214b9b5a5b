"""S3 behaviours an S3 conformance suite checks, each through boto3 (or raw
HTTP where boto3 cannot send the request), against a real crosskey: keys
made of whitespace, repeated completions, SSE-C on parts, conditional
writes, policy condition keys, Block Public Access, listing tokens, user
metadata encoding, chunked uploads."""

import base64
import hashlib
import json
import unittest

from botocore.exceptions import ClientError

import rawhttp
from crosskey import ACCOUNT1, ACCOUNT2, Server, error_of


class S3Case(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server().start()
        cls.s3 = cls.server.client("s3")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()

    def err(self, fn, *a, **kw):
        with self.assertRaises(ClientError) as cm:
            fn(*a, **kw)
        return error_of(cm.exception)

    def raw_err(self, fn, *a, **kw):
        with self.assertRaises(ClientError) as cm:
            fn(*a, **kw)
        return cm.exception.response

    def bucket(self, name):
        self.s3.create_bucket(Bucket=name)
        return name


class WhitespaceKeyTest(S3Case):
    def test_delete_objects_keeps_whitespace_keys(self):
        b = self.bucket("ws-keys")
        for k in (" ", "\t", " a "):
            self.s3.put_object(Bucket=b, Key=k, Body=b"x")
        r = self.s3.delete_objects(Bucket=b, Delete={"Objects": [{"Key": " "}, {"Key": "\t"}, {"Key": " a "}]})
        self.assertEqual(sorted(d["Key"] for d in r["Deleted"]), ["\t", " ", " a "])
        self.assertNotIn("Contents", self.s3.list_objects_v2(Bucket=b))
        self.s3.delete_bucket(Bucket=b)


def sse_c_key(seed):
    key = hashlib.sha256(seed).digest()
    return {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": base64.b64encode(key).decode(),
            "SSECustomerKeyMD5": base64.b64encode(hashlib.md5(key).digest()).decode()}


class MultipartTest(S3Case):
    def upload(self, b, key, body=b"part-data", **create):
        u = self.s3.create_multipart_upload(Bucket=b, Key=key, **create)["UploadId"]
        part = self.s3.upload_part(Bucket=b, Key=key, UploadId=u, PartNumber=1, Body=body,
                                   **{k: v for k, v in create.items()
                                      if k.startswith("SSECustomer") or k == "ChecksumAlgorithm"})
        return u, part

    def test_repeated_complete_answers_the_same_result(self):
        b = self.bucket("mpu-twice")
        u, part = self.upload(b, "k")
        parts = {"Parts": [{"ETag": part["ETag"], "PartNumber": 1}]}
        first = self.s3.complete_multipart_upload(Bucket=b, Key="k", UploadId=u, MultipartUpload=parts)
        again = self.s3.complete_multipart_upload(Bucket=b, Key="k", UploadId=u, MultipartUpload=parts)
        self.assertEqual(again["ResponseMetadata"]["HTTPStatusCode"], 200)
        for field in ("ETag", "Bucket", "Key", "Location", "ChecksumCRC64NVME", "ChecksumType"):
            self.assertEqual(again.get(field), first.get(field), field)
        # Once another write replaced it, the upload is gone for good.
        self.s3.put_object(Bucket=b, Key="k", Body=b"other")
        code, _, status = self.err(self.s3.complete_multipart_upload, Bucket=b, Key="k", UploadId=u,
                                   MultipartUpload=parts)
        self.assertEqual((code, status), ("NoSuchUpload", 404))

    def test_default_checksum_is_full_object_crc64nvme(self):
        b = self.bucket("mpu-default-sum")
        u, part = self.upload(b, "k", body=b"upload-part-1" * 5)
        done = self.s3.complete_multipart_upload(Bucket=b, Key="k", UploadId=u,
                                                 MultipartUpload={"Parts": [{"ETag": part["ETag"], "PartNumber": 1}]})
        # Recorded on AWS (LocalStack test_multipart_and_list_parts): CRC64NVME of the whole object.
        self.assertEqual((done["ChecksumCRC64NVME"], done["ChecksumType"]), ("CTXktO4pIQs=", "FULL_OBJECT"))
        head = self.s3.head_object(Bucket=b, Key="k", ChecksumMode="ENABLED")
        self.assertEqual(head["ChecksumCRC64NVME"], "CTXktO4pIQs=")

    def test_upload_part_sse_c_must_match_the_upload(self):
        b = self.bucket("mpu-sse-c")
        k1, k2 = sse_c_key(b"one"), sse_c_key(b"two")
        u = self.s3.create_multipart_upload(Bucket=b, Key="k", **k1)["UploadId"]
        code, msg, status = self.err(self.s3.upload_part, Bucket=b, Key="k", UploadId=u, PartNumber=1, Body=b"x",
                                     **k2)
        self.assertEqual((code, msg, status),
                         ("InvalidRequest", "The provided encryption parameters did not match the ones used originally.",
                          400))
        needs = ("The multipart upload initiate requested encryption. Subsequent part requests must include the "
                 "appropriate encryption parameters.")
        code, msg, status = self.err(self.s3.upload_part, Bucket=b, Key="k", UploadId=u, PartNumber=1, Body=b"x")
        self.assertEqual((code, msg, status), ("InvalidRequest", needs, 400))
        plain = self.s3.create_multipart_upload(Bucket=b, Key="p")["UploadId"]
        code, msg, status = self.err(self.s3.upload_part, Bucket=b, Key="p", UploadId=plain, PartNumber=1,
                                     Body=b"x", **k1)
        self.assertEqual((code, msg, status), ("InvalidRequest", needs, 400))
        self.s3.upload_part(Bucket=b, Key="k", UploadId=u, PartNumber=1, Body=b"x", **k1)

    def test_complete_checksums_are_validated(self):
        b = self.bucket("mpu-sums")
        u, part = self.upload(b, "k", body=b"abc", ChecksumAlgorithm="CRC32", ChecksumType="FULL_OBJECT")
        good = part["ChecksumCRC32"]
        parts = {"Parts": [{"ETag": part["ETag"], "PartNumber": 1, "ChecksumCRC32": good}]}
        bad_digest = ("BadDigest", "The crc32 you specified did not match the calculated checksum.", 400)
        # A whole-object checksum that is not the object's, or in another algorithm.
        self.assertEqual(self.err(self.s3.complete_multipart_upload, Bucket=b, Key="k", UploadId=u,
                                  MultipartUpload=parts, ChecksumCRC32="AAAAAA==", ChecksumType="FULL_OBJECT"),
                         bad_digest)
        self.assertEqual(self.err(self.s3.complete_multipart_upload, Bucket=b, Key="k", UploadId=u,
                                  MultipartUpload=parts, ChecksumSHA1="AAAAAAAAAAAAAAAAAAAAAAAAAAA=", ChecksumType="FULL_OBJECT"),
                         bad_digest)
        code, msg, status = self.err(self.s3.complete_multipart_upload, Bucket=b, Key="k", UploadId=u,
                                     MultipartUpload=parts, ChecksumType="COMPOSITE")
        self.assertEqual((code, msg, status), (
            "InvalidRequest",
            "The upload was created using the FULL_OBJECT checksum mode. The complete request must use the same "
            "checksum mode.", 400))
        # A part checksum in another algorithm.
        other = {"Parts": [{"ETag": part["ETag"], "PartNumber": 1, "ChecksumSHA256": base64.b64encode(
            hashlib.sha256(b"abc").digest()).decode()}]}
        code, msg, status = self.err(self.s3.complete_multipart_upload, Bucket=b, Key="k", UploadId=u,
                                     MultipartUpload=other)
        self.assertEqual((code, msg, status),
                         ("BadDigest", "The sha256 you specified for part 1 did not match what we received.", 400))
        done = self.s3.complete_multipart_upload(Bucket=b, Key="k", UploadId=u, MultipartUpload=parts,
                                                 ChecksumCRC32=good, ChecksumType="FULL_OBJECT")
        self.assertEqual(done["ChecksumCRC32"], good)

    def test_composite_upload_needs_part_checksums(self):
        b = self.bucket("mpu-composite")
        u, part = self.upload(b, "k", body=b"abc", ChecksumAlgorithm="SHA256")
        code, msg, status = self.err(self.s3.complete_multipart_upload, Bucket=b, Key="k", UploadId=u,
                                     MultipartUpload={"Parts": [{"ETag": part["ETag"], "PartNumber": 1}]})
        self.assertEqual((code, msg, status), (
            "InvalidRequest", "The upload was created using a sha256 checksum. The complete request must include the "
            "checksum for each part. It was missing for part 1 in the request.", 400))
        code, msg, status = self.err(self.s3.create_multipart_upload, Bucket=b, Key="k", ChecksumType="COMPOSITE")
        self.assertEqual((code, msg, status), (
            "InvalidRequest", "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm "
            "header.", 400))


class ConditionalWriteTest(S3Case):
    def test_unsupported_condition_values_answer_501(self):
        b = self.bucket("cond-501")
        put = self.s3.put_object(Bucket=b, Key="k", Body=b"x")
        cases = [({"IfMatch": "*"}, "If-Match", "We don't accept the provided value of If-Match header for this API"),
                 ({"IfNoneMatch": put["ETag"]}, "If-None-Match",
                  "We don't accept the provided value of If-None-Match header for this API"),
                 ({"IfMatch": put["ETag"], "IfNoneMatch": "*"}, "If-Match,If-None-Match",
                  "Multiple conditional request headers present in the request")]
        for kwargs, header, why in cases:
            e = self.raw_err(self.s3.put_object, Bucket=b, Key="k", Body=b"y", **kwargs)
            self.assertEqual(e["ResponseMetadata"]["HTTPStatusCode"], 501)
            self.assertEqual((e["Error"]["Code"], e["Error"]["Header"], e["Error"]["additionalMessage"]),
                             ("NotImplemented", header, why))
        u = self.s3.create_multipart_upload(Bucket=b, Key="k")["UploadId"]
        part = self.s3.upload_part(Bucket=b, Key="k", UploadId=u, PartNumber=1, Body=b"p")
        e = self.raw_err(self.s3.complete_multipart_upload, Bucket=b, Key="k", UploadId=u, IfNoneMatch=put["ETag"],
                         MultipartUpload={"Parts": [{"ETag": part["ETag"], "PartNumber": 1}]})
        self.assertEqual((e["ResponseMetadata"]["HTTPStatusCode"], e["Error"]["Code"], e["Error"]["Header"]),
                         (501, "NotImplemented", "If-None-Match"))
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k")["Body"].read(), b"x")

    def test_conditional_complete_conflicts_with_writes_during_the_upload(self):
        b = self.bucket("cond-mpu")
        first = self.s3.put_object(Bucket=b, Key="k", Body=b"test")
        u = self.s3.create_multipart_upload(Bucket=b, Key="k")["UploadId"]
        part = self.s3.upload_part(Bucket=b, Key="k", UploadId=u, PartNumber=1, Body=b"test")
        parts = {"Parts": [{"ETag": part["ETag"], "PartNumber": 1}]}
        second = self.s3.put_object(Bucket=b, Key="k", Body=b"test")  # same ETag, still a write
        self.assertEqual(first["ETag"], second["ETag"])
        e = self.raw_err(self.s3.complete_multipart_upload, Bucket=b, Key="k", UploadId=u, IfMatch=second["ETag"],
                         MultipartUpload=parts)
        self.assertEqual((e["ResponseMetadata"]["HTTPStatusCode"], e["Error"]["Code"], e["Error"]["Condition"],
                          e["Error"]["Key"]), (409, "ConditionalRequestConflict", "If-Match", "k"))
        # Deleted during the upload: If-None-Match: * now holds, but the upload began before the delete.
        self.s3.delete_object(Bucket=b, Key="k")
        e = self.raw_err(self.s3.complete_multipart_upload, Bucket=b, Key="k", UploadId=u, IfNoneMatch="*",
                         MultipartUpload=parts)
        self.assertEqual((e["ResponseMetadata"]["HTTPStatusCode"], e["Error"]["Code"], e["Error"]["Condition"]),
                         (409, "ConditionalRequestConflict", "If-None-Match"))
        # An upload begun after the last write completes.
        u2 = self.s3.create_multipart_upload(Bucket=b, Key="k")["UploadId"]
        part = self.s3.upload_part(Bucket=b, Key="k", UploadId=u2, PartNumber=1, Body=b"test")
        self.s3.complete_multipart_upload(Bucket=b, Key="k", UploadId=u2, IfNoneMatch="*",
                                          MultipartUpload={"Parts": [{"ETag": part["ETag"], "PartNumber": 1}]})


class SseCTest(S3Case):
    WRONG_KEY = ("AccessDenied", "Requests specifying Server Side Encryption with Customer provided keys must provide "
                 "the correct secret key.", 403)

    def test_reads_with_the_wrong_key_are_denied(self):
        b = self.bucket("ssec-reads")
        key, other = sse_c_key(b"one"), sse_c_key(b"two")
        self.s3.put_object(Bucket=b, Key="o", Body=b"data", **key)
        self.assertEqual(self.err(self.s3.get_object, Bucket=b, Key="o", **other), self.WRONG_KEY)
        self.assertEqual(self.err(self.s3.get_object_attributes, Bucket=b, Key="o", ObjectAttributes=["ETag"],
                                  **other), self.WRONG_KEY)
        # A key of another length (botocore encodes an already-encoded key once more) is a wrong key on a read.
        raw = base64.b64decode(key["SSECustomerKey"])
        self.assertEqual(self.err(self.s3.get_object, Bucket=b, Key="o", SSECustomerAlgorithm="AES256",
                                  SSECustomerKey=base64.b64encode(raw).decode()), self.WRONG_KEY)
        # GetObjectAttributes needs the key as GET does.
        code, msg, status = self.err(self.s3.get_object_attributes, Bucket=b, Key="o", ObjectAttributes=["ETag"])
        self.assertEqual((code, status), ("InvalidRequest", 400))
        self.assertEqual(msg, "The object was stored using a form of Server Side Encryption. The correct parameters "
                              "must be provided to retrieve the object.")
        attrs = self.s3.get_object_attributes(Bucket=b, Key="o", ObjectAttributes=["ObjectSize"], **key)
        self.assertEqual(attrs["ObjectSize"], 4)

    def test_validation_names_the_sse_header(self):
        b = self.bucket("ssec-validate")
        key = sse_c_key(b"one")
        e = self.raw_err(self.s3.put_object, Bucket=b, Key="o", Body=b"x", ServerSideEncryption="AES256",
                         **dict(key, SSECustomerAlgorithm="KMS"))["Error"]
        self.assertEqual((e["Code"], e["ArgumentName"], e["ArgumentValue"]),
                         ("InvalidArgument", "x-amz-server-side-encryption", "AES256"))
        e = self.raw_err(self.s3.put_object, Bucket=b, Key="o", Body=b"x",
                         **dict(key, SSECustomerAlgorithm="KMS"))["Error"]
        self.assertEqual((e["Code"], e["Message"], e["ArgumentName"], e["ArgumentValue"]),
                         ("InvalidEncryptionAlgorithmError",
                          "The Encryption request you specified is not valid. Supported value: AES256.",
                          "x-amz-server-side-encryption", "KMS"))
        e = self.raw_err(self.s3.put_object, Bucket=b, Key="o", Body=b"x", SSECustomerAlgorithm="AES256",
                         SSECustomerKey=key["SSECustomerKey"])["Error"]
        self.assertEqual((e["Code"], e["Message"], e["ArgumentName"]),
                         ("InvalidArgument", "The secret key was invalid for the specified algorithm.",
                          "x-amz-server-side-encryption"))
        self.assertNotIn("ArgumentValue", e)


class ListingTest(S3Case):
    def test_empty_continuation_token_is_refused(self):
        b = self.bucket("list-token")
        e = self.raw_err(self.s3.list_objects_v2, Bucket=b, ContinuationToken="")
        self.assertEqual(e["ResponseMetadata"]["HTTPStatusCode"], 400)
        self.assertEqual(e["Error"], {"Code": "InvalidArgument", "Message": "The continuation token provided is incorrect",
                                      "ArgumentName": "continuation-token"})

    def test_empty_encoding_type_is_refused(self):
        b = self.bucket("list-encoding")
        for call in (self.s3.list_objects, self.s3.list_objects_v2, self.s3.list_object_versions,
                     self.s3.list_multipart_uploads):
            e = self.raw_err(call, Bucket=b, EncodingType="")
            self.assertEqual((e["Error"]["Code"], e["Error"]["Message"], e["Error"]["ArgumentName"]),
                             ("InvalidArgument", "Invalid Encoding Method specified in Request", "encoding-type"))


class UserMetadataTest(S3Case):
    def test_non_ascii_metadata_is_rfc2047_encoded(self):
        b = self.bucket("meta-2047")
        self.s3.put_object(Bucket=b, Key="k", Body=b"", Metadata={
            "q": "=?UTF-8?Q?=C3=84M=C3=84Z=C3=95=C3=91_S3?=",  # sent encoded: decoded, then shown encoded
            "binary": "=?UTF-8?B?AAECAw==?=",
            "plain-word": "=?UTF-8?Q?actually-ascii?=",
            "ascii": "as is \t!\"#$%&'()*+,-./:;<=>?@[]^_`{|}~"})
        md = self.s3.head_object(Bucket=b, Key="k")["Metadata"]
        # Recorded on AWS (LocalStack test_user_metadata_rfc2047_encoded).
        self.assertEqual(md["q"], "=?UTF-8?Q?=C3=84M=C3=84Z=C3=95=C3=91_S3?=")
        self.assertEqual(md["binary"], "=?UTF-8?B?AAECAw==?=")
        self.assertEqual(md["plain-word"], "actually-ascii")
        self.assertEqual(md["ascii"], "as is \t!\"#$%&'()*+,-./:;<=>?@[]^_`{|}~")
        # Raw UTF-8 in the header is shown encoded too.
        r = rawhttp.send(self.server.port, rawhttp.build(
            "PUT", "/%s/raw" % b, rawhttp.amz_auth("s3") + [("x-amz-content-sha256", "UNSIGNED-PAYLOAD"),
                                                            ("x-amz-meta-name", "test_\u2014_\u00e9_2?.pdf".encode())]))
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="raw")["Metadata"]["name"],
                         "=?UTF-8?Q?test=5F=E2=80=94=5F=C3=A9=5F2=3F.pdf?=")


class ChunkedUploadTest(S3Case):
    def test_chunked_body_without_length_is_not_implemented(self):
        b = self.bucket("chunked")
        head = rawhttp.amz_auth("s3") + [("x-amz-content-sha256", "UNSIGNED-PAYLOAD"), ("Transfer-Encoding", "chunked")]
        r = rawhttp.send(self.server.port, rawhttp.build("PUT", "/%s/k" % b, head, body=b"3\r\nabc\r\n0\r\n\r\n"))
        self.assertEqual(r.status, 501, r.body)
        self.assertIn(b"<Code>NotImplemented</Code>", r.body)
        self.assertIn(b"<Header>Transfer-Encoding</Header>", r.body)


STRICT_CONFIG = """
[[accounts]]
id = "111111111111"
name = "dev"

[[users]]
account = "111111111111"
name = "admin"
access_key_id = "AKIAADMIN00000000001"
secret_access_key = "admin-secret-key"
policies = [{ name = "all", document = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}' }]
"""


class StrictSigV2Test(unittest.TestCase):
    """--strict checks SigV2 signatures: bucket-level requests are signed over "/bucket/"."""

    def test_bucket_and_object_requests_signed_with_sigv2(self):
        with Server("--strict", config=STRICT_CONFIG) as server:
            s3 = server.client("s3", account="AKIAADMIN00000000001", secret="admin-secret-key",
                               signature_version="s3")
            s3.create_bucket(Bucket="sigv2-bucket")
            s3.head_bucket(Bucket="sigv2-bucket")
            self.assertNotIn("Status", s3.get_bucket_versioning(Bucket="sigv2-bucket"))
            s3.put_object(Bucket="sigv2-bucket", Key="a/b", Body=b"x")
            self.assertEqual([o["Key"] for o in s3.list_objects(Bucket="sigv2-bucket")["Contents"]], ["a/b"])
            s3.delete_object(Bucket="sigv2-bucket", Key="a/b")
            s3.delete_bucket(Bucket="sigv2-bucket")
            wrong = server.client("s3", account="AKIAADMIN00000000001", secret="wrong", signature_version="s3")
            with self.assertRaises(ClientError) as cm:
                wrong.list_buckets()
            self.assertEqual(error_of(cm.exception)[0], "SignatureDoesNotMatch")


def deny(action, condition, resource="arn:aws:s3:::%s/*"):
    return {"Effect": "Deny", "Principal": "*", "Action": action, "Resource": resource, "Condition": condition}


class PolicyConditionKeyTest(S3Case):
    def policy(self, b, *statements):
        self.s3.put_bucket_policy(Bucket=b, Policy=json.dumps({
            "Version": "2012-10-17",
            "Statement": [dict(st, Resource=st["Resource"] % b) for st in statements]}))

    def denied(self, fn, *a, **kw):
        code, _, status = self.err(fn, *a, **kw)
        self.assertEqual((code, status), ("AccessDenied", 403))

    def test_sse_c_algorithm_key(self):
        b = self.bucket("cond-ssec")
        self.policy(b, deny("s3:PutObject", {"Null": {"s3:x-amz-server-side-encryption-customer-algorithm": "true"}}))
        key = sse_c_key(b"k")
        self.denied(self.s3.put_object, Bucket=b, Key="plain", Body=b"x")
        self.s3.put_object(Bucket=b, Key="c", Body=b"x", **key)
        u = self.s3.create_multipart_upload(Bucket=b, Key="m", **key)["UploadId"]
        self.s3.upload_part(Bucket=b, Key="m", UploadId=u, PartNumber=1, Body=b"p", **key)

    def test_existing_object_tag_key(self):
        b = self.bucket("cond-existing-tag")
        self.s3.put_object(Bucket=b, Key="secret", Body=b"x", Tagging="class=secret")
        self.s3.put_object(Bucket=b, Key="open", Body=b"x", Tagging="class=open")
        self.policy(b, deny(["s3:GetObject", "s3:PutObjectTagging"],
                            {"StringEquals": {"s3:ExistingObjectTag/class": "secret"}}))
        self.denied(self.s3.get_object, Bucket=b, Key="secret")
        self.denied(self.s3.put_object_tagging, Bucket=b, Key="secret", Tagging={"TagSet": []})
        self.assertEqual(self.s3.get_object(Bucket=b, Key="open")["Body"].read(), b"x")
        self.s3.put_object_tagging(Bucket=b, Key="open", Tagging={"TagSet": [{"Key": "class", "Value": "open2"}]})

    def test_request_object_tag_keys(self):
        b = self.bucket("cond-request-tag")
        self.policy(b,
                    deny("s3:PutObject", {"StringEquals": {"s3:RequestObjectTag/env": "dev"}}),
                    deny(["s3:PutObject", "s3:PutObjectTagging"],
                         {"ForAnyValue:StringEquals": {"s3:RequestObjectTagKeys": ["forbidden"]}}))
        self.denied(self.s3.put_object, Bucket=b, Key="k", Body=b"x", Tagging="env=dev")
        self.denied(self.s3.put_object, Bucket=b, Key="k", Body=b"x", Tagging="forbidden=1&ok=2")
        self.s3.put_object(Bucket=b, Key="k", Body=b"x", Tagging="env=prod")
        self.denied(self.s3.put_object_tagging, Bucket=b, Key="k",
                    Tagging={"TagSet": [{"Key": "forbidden", "Value": "1"}]})
        self.s3.put_object_tagging(Bucket=b, Key="k", Tagging={"TagSet": [{"Key": "fine", "Value": "1"}]})

    def test_copy_source_and_metadata_directive_keys(self):
        b = self.bucket("cond-copy")
        self.s3.put_object(Bucket=b, Key="private/a", Body=b"x")
        self.s3.put_object(Bucket=b, Key="public/a", Body=b"x")
        self.policy(b,
                    deny("s3:PutObject", {"StringLike": {"s3:x-amz-copy-source": b + "/private/*"}}),
                    deny("s3:PutObject", {"StringEquals": {"s3:x-amz-metadata-directive": "REPLACE"}}))
        self.denied(self.s3.copy_object, Bucket=b, Key="c1", CopySource={"Bucket": b, "Key": "private/a"})
        self.s3.copy_object(Bucket=b, Key="c1", CopySource={"Bucket": b, "Key": "public/a"})
        self.denied(self.s3.copy_object, Bucket=b, Key="c2", CopySource={"Bucket": b, "Key": "public/a"},
                    MetadataDirective="REPLACE", Metadata={"a": "b"})
        self.s3.copy_object(Bucket=b, Key="c2", CopySource={"Bucket": b, "Key": "public/a"}, MetadataDirective="COPY")

    def test_grant_keys(self):
        b = self.bucket("cond-grants")
        self.policy(b, deny("s3:PutObject", {"Null": {"s3:x-amz-grant-read": "false"}}))
        self.denied(self.s3.put_object, Bucket=b, Key="k", Body=b"x", GrantRead='uri="http://acs.amazonaws.com/groups/global/AllUsers"')
        self.s3.put_object(Bucket=b, Key="k", Body=b"x")


class BlockPublicAccessTest(S3Case):
    def put_policy(self, b, condition):
        st = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::%s/*" % b}
        if condition:
            st["Condition"] = condition
        return self.s3.put_bucket_policy(Bucket=b, Policy=json.dumps({"Version": "2012-10-17", "Statement": [st]}))

    def test_everyone_with_a_non_restricting_condition_is_public(self):
        b = self.bucket("bpa-public")  # new buckets block public policies
        for condition in (None, {"StringLike": {"aws:Referer": "https://example.com/*"}},
                          {"StringEquals": {"s3:prefix": "home/"}},
                          {"StringNotEquals": {"aws:SourceAccount": ACCOUNT2}},
                          {"StringLike": {"aws:PrincipalAccount": "1111*"}}):
            code, msg, status = self.err(self.put_policy, b, condition)
            self.assertEqual((code, status), ("AccessDenied", 403), condition)
            self.assertIn("because public policies are blocked by the BlockPublicPolicy block public access setting",
                          msg)
        # Fixed accounts, networks or sources restrict it: not public.
        for condition in ({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
                          {"StringEquals": {"aws:PrincipalAccount": ACCOUNT2}},
                          {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}):
            self.put_policy(b, condition)
            self.assertFalse(self.s3.get_bucket_policy_status(Bucket=b)["PolicyStatus"]["IsPublic"])
        self.s3.delete_public_access_block(Bucket=b)
        self.put_policy(b, {"StringLike": {"aws:Referer": "https://example.com/*"}})
        self.assertTrue(self.s3.get_bucket_policy_status(Bucket=b)["PolicyStatus"]["IsPublic"])


if __name__ == "__main__":
    unittest.main()
