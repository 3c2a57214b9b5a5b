"""POST Object: browser-form uploads (multipart/form-data) to a bucket's URL.

boto3's generate_presigned_post builds the form (SigV4 and SigV2); the body is
written by hand here (stdlib only) and posted with urllib, as a browser would.
Texts marked "recorded" are AWS's (LocalStack's AWS-validated snapshots of
TestS3PresignedPost); the others are noted where they are inferred."""

import base64
import datetime
import hashlib
import json
import os
import unittest
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

from botocore.config import Config

from crosskey import ACCOUNT1, ACCOUNT2, Server, error_of


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def encode_form(fields, content=b"abcdef", filename="upload.txt", file_field="file", boundary="ckBoundary7MA4YWxk",
                after_file=(), close=True):
    """multipart/form-data with `fields` (a dict or pairs) then the file part."""
    items = list(fields.items()) if isinstance(fields, dict) else list(fields)
    out = b""
    for name, value in items:
        out += b"--" + boundary.encode() + b"\r\n"
        out += b'Content-Disposition: form-data; name="' + name.encode() + b'"\r\n\r\n'
        out += (value if isinstance(value, bytes) else str(value).encode()) + b"\r\n"
    if file_field is not None:
        out += b"--" + boundary.encode() + b"\r\n"
        disposition = b'Content-Disposition: form-data; name="' + file_field.encode() + b'"'
        if filename is not None:
            disposition += b'; filename="' + filename.encode() + b'"'
        out += disposition + b"\r\nContent-Type: application/octet-stream\r\n\r\n" + content + b"\r\n"
    for name, value in after_file:
        out += b"--" + boundary.encode() + b"\r\n"
        out += b'Content-Disposition: form-data; name="' + name.encode() + b'"\r\n\r\n' + value.encode() + b"\r\n"
    if close:
        out += b"--" + boundary.encode() + b"--\r\n"
    return out, "multipart/form-data; boundary=" + boundary


def post(url, body, content_type, headers=None):
    """(status, headers with lower-case names, body)."""
    h = {"Content-Type": content_type}
    h.update(headers or {})
    req = urllib.request.Request(url, data=body, headers=h, method="POST")
    try:
        with OPENER.open(req, timeout=30) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


def error_doc(body):
    root = ET.fromstring(body)
    return {child.tag: (child.text or "") for child in root}


class PostObjectBase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server().start()
        cls.s3 = cls.server.client("s3")
        cls.s3v4 = cls.server.client("s3", signature_version="s3v4")
        cls.s3v2 = cls.server.client("s3", signature_version="s3")
        cls.s3.create_bucket(Bucket="bucket1")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()

    def submit(self, presigned, content=b"abcdef", fields=None, drop=(), headers=None, **kw):
        f = dict(presigned["fields"])
        f.update(fields or {})
        for name in drop:
            f.pop(name)
        body, ctype = encode_form(f, content, **kw)
        return post(presigned["url"], body, ctype, headers)

    def assertPostError(self, answer, status, code, message=None):
        got_status, _, body = answer
        doc = error_doc(body)
        self.assertEqual((got_status, doc.get("Code")), (status, code), body)
        if message is not None:
            self.assertEqual(doc.get("Message"), message)
        return doc


class Success(PostObjectBase):
    def test_presigned_post_sigv4_default_204(self):
        p = self.s3v4.generate_presigned_post("bucket1", "k-v4", ExpiresIn=60)
        self.assertIn("x-amz-signature", p["fields"])
        content = b"0" * 70000
        status, headers, body = self.submit(p, content)
        self.assertEqual(status, 204, body)
        self.assertEqual(body, b"")
        self.assertEqual(headers["etag"], '"%s"' % hashlib.md5(content).hexdigest())
        # A form upload gets a CRC64NVME checksum (recorded).
        self.assertIn("x-amz-checksum-crc64nvme", headers)
        self.assertEqual(headers["x-amz-checksum-type"], "FULL_OBJECT")
        self.assertTrue(headers["location"].endswith("/bucket1/k-v4"), headers["location"])
        got = self.s3.get_object(Bucket="bucket1", Key="k-v4", ChecksumMode="ENABLED")
        self.assertEqual(got["Body"].read(), content)
        self.assertEqual(got["ContentType"], "binary/octet-stream")
        self.assertEqual(got["ChecksumCRC64NVME"], headers["x-amz-checksum-crc64nvme"])

    def test_presigned_post_sigv2(self):
        p = self.s3v2.generate_presigned_post("bucket1", "k-v2", ExpiresIn=60)
        self.assertIn("AWSAccessKeyId", p["fields"])
        status, _, body = self.submit(p, b"v2 body")
        self.assertEqual(status, 204, body)
        self.assertEqual(self.s3.get_object(Bucket="bucket1", Key="k-v2")["Body"].read(), b"v2 body")

    def test_field_name_casing(self):
        p = self.s3v4.generate_presigned_post("bucket1", "k-case", ExpiresIn=60,
                                              Conditions=[["content-length-range", 5, 10]])
        f = dict(p["fields"])
        f["Policy"] = f.pop("policy")
        f["X-Amz-Credential"] = f.pop("x-amz-credential")
        body, ctype = encode_form(f, b"a" * 5)
        self.assertEqual(post(p["url"], body, ctype)[0], 204)

    def test_success_action_status_201_and_200(self):
        p = self.s3v4.generate_presigned_post("bucket1", "key-${filename}", ExpiresIn=60,
                                              Fields={"success_action_status": "201"},
                                              Conditions=[["eq", "$success_action_status", "201"]])
        status, headers, body = self.submit(p, b"something body", filename="my-file")
        self.assertEqual(status, 201, body)
        root = ET.fromstring(body)
        self.assertEqual(root.tag, "PostResponse")
        doc = {c.tag: c.text for c in root}
        self.assertEqual(doc["Bucket"], "bucket1")
        self.assertEqual(doc["Key"], "key-my-file")
        self.assertEqual(doc["ETag"], '"43281e21fce675ac3bcb3524b38ca4ed"')  # recorded
        self.assertEqual(headers["etag"], doc["ETag"])
        self.assertEqual(headers["location"], doc["Location"])
        self.assertTrue(doc["Location"].endswith("/bucket1/key-my-file"))
        p = self.s3v4.generate_presigned_post("bucket1", "k200", ExpiresIn=60, Fields={"success_action_status": "200"},
                                              Conditions=[{"success_action_status": "200"}])
        status, _, body = self.submit(p)
        self.assertEqual((status, body), (200, b""))

    def test_redirect_303(self):
        url = "http://localhost.test/random"
        p = self.s3v4.generate_presigned_post("bucket1", "k-redirect", ExpiresIn=60,
                                              Fields={"success_action_redirect": url},
                                              Conditions=[["eq", "$success_action_redirect", url]])
        status, headers, body = self.submit(p, b"something body")
        self.assertEqual((status, body), (303, b""))
        loc = urllib.parse.urlparse(headers["location"])
        self.assertEqual("%s://%s%s" % (loc.scheme, loc.netloc, loc.path), url)
        q = urllib.parse.parse_qs(loc.query)
        self.assertEqual(q["bucket"], ["bucket1"])
        self.assertEqual(q["key"], ["k-redirect"])
        self.assertEqual(q["etag"], ['"43281e21fce675ac3bcb3524b38ca4ed"'])
        # A URL S3 cannot read is as if the field were absent (recorded).
        p = self.s3v4.generate_presigned_post("bucket1", "k-redirect", ExpiresIn=60,
                                              Fields={"success_action_redirect": "/wrong/redirect/relative"},
                                              Conditions=[["starts-with", "$success_action_redirect", ""]])
        self.assertEqual(self.submit(p)[0], 204)

    def test_filename_substitution_only_for_files(self):
        p = self.s3v4.generate_presigned_post("bucket1", "up/${filename}", ExpiresIn=60)
        self.assertEqual(self.submit(p, b"x", filename="photo.png")[0], 204)
        self.s3.head_object(Bucket="bucket1", Key="up/photo.png")
        # A file sent as a plain field (no filename) keeps the key as written (recorded).
        self.assertEqual(self.submit(p, b"y", filename=None)[0], 204)
        self.s3.head_object(Bucket="bucket1", Key="up/${filename}")

    def test_headers_metadata_tags_storage_class(self):
        expires = "Wed, 21 Oct 2037 07:28:00 GMT"
        tagging = "<Tagging><TagSet><Tag><Key>TagName</Key><Value>TagValue</Value></Tag>" \
                  "<Tag><Key>TagName2</Key><Value>TagValue2</Value></Tag></TagSet></Tagging>"
        fields = {"x-amz-meta-test-1": "test-meta-1", "x-amz-meta-TEST-2": "test-meta-2",
                  "Content-Type": "text/plain", "Expires": expires, "Cache-Control": "no-cache",
                  "Content-Disposition": "attachment", "tagging": tagging, "x-amz-storage-class": "STANDARD_IA"}
        p = self.s3v4.generate_presigned_post(
            "bucket1", "k-meta", ExpiresIn=60, Fields=fields,
            Conditions=[{"x-amz-meta-test-1": "test-meta-1"}, ["eq", "$x-amz-meta-test-2", "test-meta-2"],
                        ["eq", "$content-type", "text/plain"], {"Expires": expires},
                        ["starts-with", "$Cache-Control", "no-"], ["starts-with", "$Content-Disposition", ""],
                        {"tagging": tagging}, {"x-amz-storage-class": "STANDARD_IA"}])
        status, _, body = self.submit(p, b"meta body")
        self.assertEqual(status, 204, body)
        h = self.s3.head_object(Bucket="bucket1", Key="k-meta")
        self.assertEqual(h["Metadata"], {"test-1": "test-meta-1", "test-2": "test-meta-2"})
        self.assertEqual(h["ContentType"], "text/plain")
        self.assertEqual(h["CacheControl"], "no-cache")
        self.assertEqual(h["ContentDisposition"], "attachment")
        self.assertEqual(h["StorageClass"], "STANDARD_IA")
        self.assertEqual(h["ResponseMetadata"]["HTTPHeaders"]["expires"], expires)
        tags = self.s3.get_object_tagging(Bucket="bucket1", Key="k-meta")["TagSet"]
        self.assertEqual(tags, [{"Key": "TagName", "Value": "TagValue"}, {"Key": "TagName2", "Value": "TagValue2"}])

    def test_tagging_not_tagging_document_is_no_tags(self):
        p = self.s3v4.generate_presigned_post("bucket1", "k-tag-invalid", ExpiresIn=60,
                                              Fields={"tagging": "<InvalidXmlTagging></InvalidXmlTagging>"},
                                              Conditions=[["starts-with", "$tagging", ""]])
        self.assertEqual(self.submit(p)[0], 204)
        self.assertEqual(self.s3.get_object_tagging(Bucket="bucket1", Key="k-tag-invalid")["TagSet"], [])

    def test_fields_after_the_file_are_ignored(self):
        p = self.s3v4.generate_presigned_post("bucket1", "k-after", ExpiresIn=60)
        status, _, body = self.submit(p, b"data", after_file=[("x-amz-meta-late", "1"), ("submit", "Upload")])
        self.assertEqual(status, 204, body)
        self.assertEqual(self.s3.head_object(Bucket="bucket1", Key="k-after")["Metadata"], {})

    def test_virtual_host_style(self):
        p = self.s3v4.generate_presigned_post("bucket1", "k-vhost", ExpiresIn=60)
        body, ctype = encode_form(p["fields"], b"vhost")
        status, headers, resp = post(self.server.endpoint + "/", body, ctype,
                                     {"Host": "bucket1.s3.localhost:%d" % self.server.port})
        self.assertEqual(status, 204, resp)
        self.assertEqual(headers["location"], "http://bucket1.s3.localhost:%d/k-vhost" % self.server.port)
        self.assertEqual(self.s3.get_object(Bucket="bucket1", Key="k-vhost")["Body"].read(), b"vhost")

    def test_checksum_field_verified(self):
        content = b"checked"
        sha = base64.b64encode(hashlib.sha256(content).digest()).decode()
        p = self.s3v4.generate_presigned_post("bucket1", "k-sum", ExpiresIn=60,
                                              Fields={"x-amz-checksum-sha256": sha},
                                              Conditions=[{"x-amz-checksum-sha256": sha}])
        status, headers, _ = self.submit(p, content)
        self.assertEqual(status, 204)
        self.assertEqual(headers["x-amz-checksum-sha256"], sha)
        self.assertPostError(self.submit(p, b"other"), 400, "BadDigest")

    def test_sse_c_fields(self):
        key = b"k" * 32
        fields = {"x-amz-server-side-encryption-customer-algorithm": "AES256",
                  "x-amz-server-side-encryption-customer-key": base64.b64encode(key).decode(),
                  "x-amz-server-side-encryption-customer-key-MD5": base64.b64encode(hashlib.md5(key).digest()).decode()}
        p = self.s3v4.generate_presigned_post("bucket1", "k-ssec", ExpiresIn=60, Fields=fields,
                                              Conditions=[{k: v} for k, v in fields.items()])
        self.assertEqual(self.submit(p, b"secret")[0], 204)
        got = self.s3.get_object(Bucket="bucket1", Key="k-ssec", SSECustomerAlgorithm="AES256", SSECustomerKey=key)
        self.assertEqual(got["Body"].read(), b"secret")
        with self.assertRaises(Exception):
            self.s3.get_object(Bucket="bucket1", Key="k-ssec")

    def test_cors_headers(self):
        self.s3.create_bucket(Bucket="cors-bucket")
        self.s3.put_bucket_cors(Bucket="cors-bucket", CORSConfiguration={"CORSRules": [
            {"AllowedOrigins": ["https://app.example"], "AllowedMethods": ["POST"], "ExposeHeaders": ["ETag"]}]})
        p = self.s3v4.generate_presigned_post("cors-bucket", "k", ExpiresIn=60)
        status, headers, _ = self.submit(p, headers={"Origin": "https://app.example"})
        self.assertEqual(status, 204)
        self.assertEqual(headers.get("access-control-allow-origin"), "https://app.example")


class PolicyViolations(PostObjectBase):
    REDIRECT = "http://localhost.test/random"

    def presign(self, conditions, fields=None, key="k-policy", client=None):
        return (client or self.s3v4).generate_presigned_post("bucket1", key, ExpiresIn=60, Fields=fields or {},
                                                              Conditions=conditions)

    def test_eq_wrong_value_recorded(self):
        p = self.presign([["eq", "$success_action_redirect", self.REDIRECT]], {"success_action_redirect": self.REDIRECT})
        a = self.submit(p, fields={"success_action_redirect": "http://wrong.location/test"})
        self.assertPostError(a, 403, "AccessDenied", 'Invalid according to Policy: Policy Condition failed: '
                                                     '["eq", "$success_action_redirect", "http://localhost.test/random"]')

    def test_missing_dollar_recorded(self):
        p = self.presign([["eq", "success_action_redirect", self.REDIRECT]], {"success_action_redirect": self.REDIRECT})
        self.assertPostError(self.submit(p), 403, "AccessDenied",
                             'Invalid according to Policy: Policy Condition failed: '
                             '["eq", "success_action_redirect", "http://localhost.test/random"]')

    def test_value_case_matters_name_case_does_not(self):
        p = self.presign([["eq", "$success_action_redirect", "HTTP://localhost.test/random"]],
                         {"success_action_redirect": self.REDIRECT})
        self.assertPostError(self.submit(p), 403, "AccessDenied")
        p = self.presign([["eq", "$success_Action_REDIRECT", self.REDIRECT]], {"success_action_redirect": self.REDIRECT})
        self.assertEqual(self.submit(p)[0], 303)

    def test_starts_with_recorded(self):
        p = self.presign([["starts-with", "$success_action_redirect", "http://localhost"]],
                         {"success_action_redirect": self.REDIRECT})
        for wrong in ("http://wrong.location/test", "HTTP://localhost.test/random"):
            self.assertPostError(self.submit(p, fields={"success_action_redirect": wrong}), 403, "AccessDenied",
                                 'Invalid according to Policy: Policy Condition failed: '
                                 '["starts-with", "$success_action_redirect", "http://localhost"]')
        status, headers, _ = self.submit(p)
        self.assertEqual(status, 303)
        self.assertTrue(headers["location"].startswith(self.REDIRECT))

    def test_simple_condition_with_two_properties_recorded(self):
        p = self.presign([{"bucket": "bucket1", "success_action_redirect": self.REDIRECT}],
                         {"success_action_redirect": self.REDIRECT})
        self.assertPostError(self.submit(p), 400, "InvalidPolicyDocument",
                             "Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one "
                             "property specified.")

    def test_bucket_condition(self):
        p = self.presign([{"bucket": "other-bucket"}])
        self.assertPostError(self.submit(p), 403, "AccessDenied",
                             'Invalid according to Policy: Policy Condition failed: ["eq", "$bucket", "other-bucket"]')

    def test_content_length_range_recorded(self):
        p = self.presign([["content-length-range", 5, 10]])
        doc = self.assertPostError(self.submit(p, b"a" * 12), 400, "EntityTooLarge",
                                   "Your proposed upload exceeds the maximum allowed size")
        self.assertEqual((doc["ProposedSize"], doc["MaxSizeAllowed"]), ("12", "10"))
        doc = self.assertPostError(self.submit(p, b"a"), 400, "EntityTooSmall",
                                   "Your proposed upload is smaller than the minimum allowed size")
        self.assertEqual((doc["ProposedSize"], doc["MinSizeAllowed"]), ("1", "5"))
        self.assertEqual(self.submit(p, b"a" * 5)[0], 204)
        self.assertEqual(self.submit(p, b"b" * 10)[0], 204)
        self.assertEqual(self.s3.get_object(Bucket="bucket1", Key="k-policy")["Body"].read(), b"b" * 10)
        # A too-large file far past the limit is counted, not stored.
        doc = self.assertPostError(self.submit(p, b"c" * 300000), 400, "EntityTooLarge")
        self.assertEqual(doc["ProposedSize"], "300000")
        self.assertEqual(self.s3.get_object(Bucket="bucket1", Key="k-policy")["Body"].read(), b"b" * 10)
        p = self.presign([["content-length-range", "5", "10"]])
        self.assertEqual(self.submit(p, b"a" * 10)[0], 204)
        p = self.presign([["content-length-range", "test", "10"]])
        self.assertPostError(self.submit(p, b"a" * 10), 403, "AccessDenied",
                             'Invalid according to Policy: Policy Condition failed: '
                             '["content-length-range", "test", "10"]')

    def test_expired_recorded(self):
        p = self.s3v4.generate_presigned_post("bucket1", "k-expired", ExpiresIn=-5)
        self.assertPostError(self.submit(p), 403, "AccessDenied", "Invalid according to Policy: Policy expired.")
        with self.assertRaises(Exception):
            self.s3.head_object(Bucket="bucket1", Key="k-expired")

    def test_extra_field_not_in_policy(self):
        # Not recorded: the text follows AWS's documented rule (every field but the
        # exempt ones in a condition); inferred.
        p = self.presign([])
        self.assertPostError(self.submit(p, fields={"x-amz-meta-extra": "1"}), 403, "AccessDenied",
                             "Invalid according to Policy: Extra input fields: x-amz-meta-extra")
        # x-ignore-* fields are exempt.
        self.assertEqual(self.submit(p, fields={"x-ignore-note": "1"})[0], 204)

    def test_missing_signature_fields_recorded(self):
        p = self.presign([])
        doc = self.assertPostError(self.submit(p, drop=["x-amz-signature"]), 400, "InvalidArgument",
                                   "Bucket POST must contain a field named 'X-Amz-Signature'.  If it is specified, "
                                   "please check the order of the fields.")
        self.assertEqual(doc["ArgumentName"], "X-Amz-Signature")
        doc = self.assertPostError(self.submit(p, drop=["x-amz-algorithm", "x-amz-credential"]), 400,
                                   "InvalidArgument")
        self.assertEqual(doc["ArgumentName"], "X-Amz-Algorithm")
        p2 = self.presign([], client=self.s3v2)
        doc = self.assertPostError(self.submit(p2, drop=["AWSAccessKeyId"]), 400, "InvalidArgument",
                                   "Bucket POST must contain a field named 'AWSAccessKeyId'.  If it is specified, "
                                   "please check the order of the fields.")
        doc = self.assertPostError(self.submit(p2, drop=["signature"]), 400, "InvalidArgument")
        self.assertEqual(doc["ArgumentName"], "Signature")

    def test_no_signature_fields_is_anonymous_recorded(self):
        p = self.presign([])
        f = {k: v for k, v in p["fields"].items() if k in ("key", "policy")}
        body, ctype = encode_form(f)
        self.assertPostError(post(p["url"], body, ctype), 403, "AccessDenied", "Access Denied")

    def test_wrong_content_type_recorded(self):
        p = self.presign([])
        body, _ = encode_form(p["fields"])
        doc = self.assertPostError(post(p["url"], body, "text/html"), 412, "PreconditionFailed",
                                   "At least one of the pre-conditions you specified did not hold")
        self.assertEqual(doc["Condition"], "Bucket POST must be of the enclosure-type multipart/form-data")

    def test_missing_key_recorded(self):
        p = self.presign([])
        doc = self.assertPostError(self.submit(p, drop=["key"]), 400, "InvalidArgument",
                                   "Bucket POST must contain a field named 'key'.  If it is specified, please check "
                                   "the order of the fields.")
        self.assertEqual(doc["ArgumentName"], "key")

    def test_no_file(self):
        p = self.presign([])
        doc = self.assertPostError(self.submit(p, file_field=None), 400, "InvalidArgument",
                                   "POST requires exactly one file upload per request.")
        self.assertEqual(doc["ArgumentName"], "file")

    def test_malformed_bodies(self):
        p = self.presign([], key="k-malformed")
        self.assertPostError(self.submit(p, close=False, content=b"no end"), 400, "MalformedPOSTRequest",
                             "The body of your POST request is not well-formed multipart/form-data.")
        self.assertPostError(post(p["url"], b"--x\r\nnot a header\r\n\r\n", "multipart/form-data; boundary=x"),
                             400, "MalformedPOSTRequest")
        self.assertPostError(post(p["url"], b"", "multipart/form-data"), 400, "MalformedPOSTRequest")
        with self.assertRaises(Exception):
            self.s3.head_object(Bucket="bucket1", Key="k-malformed")

    def test_fields_before_the_file_are_capped(self):
        p = self.presign([["starts-with", "$x-ignore-padding", ""]])
        self.assertPostError(self.submit(p, fields={"x-ignore-padding": "p" * 30000}), 400,
                             "MaxPostPreDataLengthExceededError",
                             "Your POST request fields preceding the upload file were too large.")

    def test_invalid_tagging_and_storage_class_recorded(self):
        p = self.presign([["starts-with", "$tagging", ""]], {"tagging": "not-xml"})
        self.assertPostError(self.submit(p), 400, "MalformedXML",
                             "The XML you provided was not well-formed or did not validate against our published "
                             "schema")
        p = self.presign([{"x-amz-storage-class": "FakeClass"}], {"x-amz-storage-class": "FakeClass"})
        doc = self.assertPostError(self.submit(p), 400, "InvalidStorageClass",
                                   "The storage class you specified is not valid")
        self.assertEqual(doc["StorageClassRequested"], "FakeClass")

    def test_no_such_bucket(self):
        p = self.s3v4.generate_presigned_post("no-such-bucket-x", "k", ExpiresIn=60)
        self.assertPostError(self.submit(p), 404, "NoSuchBucket")


class SignedWithKnownKeys(PostObjectBase):
    """Keys crosskey knows have their form signatures verified; the writer is the signer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        iam = cls.server.client("iam")
        iam.create_user(UserName="uploader")
        iam.put_user_policy(UserName="uploader", PolicyName="put", PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::bucket1/up/*"}]}))
        k = iam.create_access_key(UserName="uploader")["AccessKey"]
        cls.user_v4 = cls.server.client("s3", account=k["AccessKeyId"], secret=k["SecretAccessKey"],
                                        signature_version="s3v4")
        cls.user_v2 = cls.server.client("s3", account=k["AccessKeyId"], secret=k["SecretAccessKey"],
                                        signature_version="s3")
        cls.key_id = k["AccessKeyId"]

    def test_signed_post_authorized_as_the_signer(self):
        for client in (self.user_v4, self.user_v2):
            p = client.generate_presigned_post("bucket1", "up/a", ExpiresIn=60)
            self.assertEqual(self.submit(p, b"mine")[0], 204)
            # s3:PutObject is allowed only under up/.
            p = client.generate_presigned_post("bucket1", "elsewhere", ExpiresIn=60)
            self.assertPostError(self.submit(p), 403, "AccessDenied")

    def test_tampered_policy_recorded(self):
        for client in (self.user_v4, self.user_v2):
            p = client.generate_presigned_post("bucket1", "up/t", ExpiresIn=60)
            tampered = p["fields"]["policy"][:-2]
            doc = self.assertPostError(self.submit(p, fields={"policy": tampered}), 403, "SignatureDoesNotMatch",
                                       "The request signature we calculated does not match the signature you "
                                       "provided. Check your key and signing method.")
            self.assertEqual(doc["StringToSign"], tampered)
            self.assertEqual(doc["AWSAccessKeyId"], self.key_id)
            sig = p["fields"].get("x-amz-signature") or p["fields"]["signature"]
            self.assertEqual(doc["SignatureProvided"], sig)

    def test_wrong_secret(self):
        bad = self.server.client("s3", account=self.key_id, secret="wrong", signature_version="s3v4")
        p = bad.generate_presigned_post("bucket1", "up/w", ExpiresIn=60)
        self.assertPostError(self.submit(p), 403, "SignatureDoesNotMatch")


class AnonymousAndAcls(PostObjectBase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.s3.create_bucket(Bucket="public-drop")
        cls.s3.delete_public_access_block(Bucket="public-drop")
        cls.s3.put_bucket_policy(Bucket="public-drop", Policy=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:PutObject",
                           "Resource": "arn:aws:s3:::public-drop/inbox/*"}]}))

    def test_plain_html_form_post_anonymous(self):
        # What a browser sends for <form method="post" enctype="multipart/form-data">: no policy, no signature.
        body, ctype = encode_form([("key", "inbox/${filename}"), ("Content-Type", "text/plain")], b"hello",
                                  filename="note.txt")
        status, _, resp = post(self.server.endpoint + "/public-drop", body, ctype)
        self.assertEqual(status, 204, resp)
        h = self.s3.head_object(Bucket="public-drop", Key="inbox/note.txt")
        self.assertEqual(h["ContentType"], "text/plain")
        # Outside what the bucket policy allows, and on a private bucket: Access Denied.
        body, ctype = encode_form([("key", "elsewhere")])
        self.assertPostError(post(self.server.endpoint + "/public-drop", body, ctype), 403, "AccessDenied",
                             "Access Denied")
        self.assertPostError(post(self.server.endpoint + "/bucket1/", body, ctype), 403, "AccessDenied")

    def test_acl_on_bucket_owner_enforced(self):
        self.s3.create_bucket(Bucket="enforced")
        p = self.s3v4.generate_presigned_post("enforced", "k", ExpiresIn=60, Fields={"acl": "public-read"},
                                              Conditions=[{"acl": "public-read"}])
        self.assertPostError(self.submit(p), 400, "AccessControlListNotSupported")
        p = self.s3v4.generate_presigned_post("enforced", "k", ExpiresIn=60,
                                              Fields={"acl": "bucket-owner-full-control"},
                                              Conditions=[{"acl": "bucket-owner-full-control"}])
        self.assertEqual(self.submit(p)[0], 204)


class SseKmsAcrossAccounts(PostObjectBase):
    """A writer in account 2 posts into account 1's bucket naming alias/my-key:
    KMS resolves the alias in the writer's account, as for PutObject."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.s3.put_bucket_policy(Bucket="bucket1", Policy=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % ACCOUNT2},
                           "Action": "s3:PutObject", "Resource": "arn:aws:s3:::bucket1/*"}]}))
        cls.s3_2 = cls.server.client("s3", account=ACCOUNT2, signature_version="s3v4")

    def kms_form(self, key):
        fields = {"x-amz-server-side-encryption": "aws:kms", "x-amz-server-side-encryption-aws-kms-key-id": "alias/my-key"}
        return self.s3_2.generate_presigned_post("bucket1", key, ExpiresIn=60, Fields=fields,
                                                 Conditions=[{k: v} for k, v in fields.items()])

    def test_1_alias_missing_in_writer_account(self):
        kms1 = self.server.client("kms")
        kms1.create_alias(AliasName="alias/my-key", TargetKeyId=kms1.create_key()["KeyMetadata"]["KeyId"])
        self.assertPostError(self.submit(self.kms_form("kms-a")), 400, "KMS.NotFoundException",
                             "Alias arn:aws:kms:us-east-1:%s:alias/my-key is not found." % ACCOUNT2)

    def test_2_alias_resolves_in_writer_account(self):
        kms2 = self.server.client("kms", account=ACCOUNT2)
        key2 = kms2.create_key()["KeyMetadata"]
        kms2.create_alias(AliasName="alias/my-key", TargetKeyId=key2["KeyId"])
        status, headers, body = self.submit(self.kms_form("kms-b"), b"kms body")
        self.assertEqual(status, 204, body)
        self.assertEqual(headers["x-amz-server-side-encryption"], "aws:kms")
        self.assertEqual(headers["x-amz-server-side-encryption-aws-kms-key-id"], key2["Arn"])
        h = self.s3.head_object(Bucket="bucket1", Key="kms-b")  # the owner sees account 2's key
        self.assertEqual(h["SSEKMSKeyId"], key2["Arn"])


if __name__ == "__main__":
    unittest.main()
