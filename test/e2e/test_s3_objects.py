"""S3 through boto3: buckets, objects, conditions, ranges, checksums, tagging,
copies, listing, versioning and multipart, against a real crosskey."""

import base64
import datetime
import hashlib
import os
import unittest
import urllib.request
import zlib

from botocore.exceptions import ClientError

from crosskey import ACCOUNT1, ACCOUNT2, Server, error_of


def md5_hex(b):
    return hashlib.md5(b).hexdigest()


class S3Base(unittest.TestCase):
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

    def bucket(self, name):
        self.s3.create_bucket(Bucket=name)
        return name


class BucketTest(S3Base):
    def test_create_head_list_delete(self):
        self.bucket("b-basic")
        self.s3.head_bucket(Bucket="b-basic")
        names = [b["Name"] for b in self.s3.list_buckets()["Buckets"]]
        self.assertIn("b-basic", names)
        # Another account does not see it.
        other = self.server.client("s3", account=ACCOUNT2)
        self.assertNotIn("b-basic", [b["Name"] for b in other.list_buckets()["Buckets"]])
        self.s3.put_object(Bucket="b-basic", Key="k", Body=b"x")
        code, msg, status = self.err(self.s3.delete_bucket, Bucket="b-basic")
        self.assertEqual((code, msg, status), ("BucketNotEmpty", "The bucket you tried to delete is not empty", 409))
        self.s3.delete_object(Bucket="b-basic", Key="k")
        self.s3.delete_bucket(Bucket="b-basic")
        code, msg, status = self.err(self.s3.head_bucket, Bucket="b-basic")
        self.assertEqual((code, status), ("404", 404))
        code, msg, status = self.err(self.s3.get_bucket_location, Bucket="b-basic")
        self.assertEqual((code, msg, status), ("NoSuchBucket", "The specified bucket does not exist", 404))

    def test_names_and_namespace(self):
        code, msg, status = self.err(self.s3.create_bucket, Bucket="Bad_Name")
        self.assertEqual((code, msg, status), ("InvalidBucketName", "The specified bucket is not valid.", 400))
        self.bucket("b-shared")
        other = self.server.client("s3", account=ACCOUNT2)
        code, _, status = self.err(other.create_bucket, Bucket="b-shared")
        self.assertEqual((code, status), ("BucketAlreadyExists", 409))
        # us-east-1 answers 200 to the owner; elsewhere it is BucketAlreadyOwnedByYou.
        self.s3.create_bucket(Bucket="b-shared")
        west = self.server.client("s3", region="eu-west-1")
        west.create_bucket(Bucket="b-west", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        code, _, status = self.err(west.create_bucket, Bucket="b-west",
                                   CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        self.assertEqual((code, status), ("BucketAlreadyOwnedByYou", 409))
        self.assertEqual(self.s3.get_bucket_location(Bucket="b-west")["LocationConstraint"], "eu-west-1")
        self.assertIsNone(self.s3.get_bucket_location(Bucket="b-shared")["LocationConstraint"])

    def test_location_constraint_rules(self):
        code, _, _ = self.err(self.s3.create_bucket, Bucket="b-lc1",
                              CreateBucketConfiguration={"LocationConstraint": "us-east-1"})
        self.assertEqual(code, "InvalidLocationConstraint")
        west = self.server.client("s3", region="eu-west-1")
        code, msg, _ = self.err(west.create_bucket, Bucket="b-lc2")
        self.assertEqual(code, "IllegalLocationConstraintException")
        self.assertIn("unspecified location constraint is incompatible", msg)
        code, msg, _ = self.err(west.create_bucket, Bucket="b-lc3",
                                CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
        self.assertEqual(code, "IllegalLocationConstraintException")
        self.assertIn("The eu-central-1 location constraint is incompatible", msg)

    def test_policy_tagging_pab_ownership_versioning_acl_encryption(self):
        b = self.bucket("b-config")
        code, msg, status = self.err(self.s3.get_bucket_policy, Bucket=b)
        self.assertEqual((code, msg, status), ("NoSuchBucketPolicy", "The bucket policy does not exist", 404))
        code, _, status = self.err(self.s3.put_bucket_policy, Bucket=b, Policy="not json")
        self.assertEqual((code, status), ("MalformedPolicy", 400))
        code, msg, _ = self.err(self.s3.put_bucket_policy, Bucket=b, Policy='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::other-bucket/*"}]}')
        self.assertEqual((code, msg), ("MalformedPolicy", "Policy has invalid resource"))
        policy = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b-config/*"}]}'
        self.s3.put_bucket_policy(Bucket=b, Policy=policy)
        self.assertEqual(self.s3.get_bucket_policy(Bucket=b)["Policy"], policy)
        self.assertFalse(self.s3.get_bucket_policy_status(Bucket=b)["PolicyStatus"]["IsPublic"])
        # Public policies are blocked by the default public access block.
        public = policy.replace('{"AWS":"arn:aws:iam::222222222222:root"}', '"*"')
        code, msg, status = self.err(self.s3.put_bucket_policy, Bucket=b, Policy=public)
        self.assertEqual((code, status), ("AccessDenied", 403))
        self.assertIn("BlockPublicPolicy", msg)
        self.s3.delete_bucket_policy(Bucket=b)

        code, msg, _ = self.err(self.s3.get_bucket_tagging, Bucket=b)
        self.assertEqual((code, msg), ("NoSuchTagSet", "The TagSet does not exist"))
        self.s3.put_bucket_tagging(Bucket=b, Tagging={"TagSet": [{"Key": "env", "Value": "dev"}]})
        self.assertEqual(self.s3.get_bucket_tagging(Bucket=b)["TagSet"], [{"Key": "env", "Value": "dev"}])
        self.s3.delete_bucket_tagging(Bucket=b)
        self.assertEqual(self.err(self.s3.get_bucket_tagging, Bucket=b)[0], "NoSuchTagSet")

        pab = self.s3.get_public_access_block(Bucket=b)["PublicAccessBlockConfiguration"]
        self.assertEqual(pab, {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
                               "RestrictPublicBuckets": True})
        self.s3.delete_public_access_block(Bucket=b)
        self.assertEqual(self.err(self.s3.get_public_access_block, Bucket=b)[0],
                         "NoSuchPublicAccessBlockConfiguration")

        rules = self.s3.get_bucket_ownership_controls(Bucket=b)["OwnershipControls"]["Rules"]
        self.assertEqual(rules, [{"ObjectOwnership": "BucketOwnerEnforced"}])
        code, msg, status = self.err(self.s3.put_object, Bucket=b, Key="k", Body=b"x", ACL="public-read")
        self.assertEqual((code, msg, status), ("AccessControlListNotSupported", "The bucket does not allow ACLs", 400))
        self.s3.put_object(Bucket=b, Key="k", Body=b"x", ACL="bucket-owner-full-control")
        acl = self.s3.get_bucket_acl(Bucket=b)
        self.assertEqual(acl["Grants"][0]["Permission"], "FULL_CONTROL")
        self.assertEqual(self.err(self.s3.put_bucket_acl, Bucket=b, ACL="public-read")[0],
                         "AccessControlListNotSupported")
        self.s3.put_bucket_ownership_controls(
            Bucket=b, OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]})
        self.s3.put_bucket_acl(Bucket=b, ACL="public-read")
        uris = [g["Grantee"].get("URI") for g in self.s3.get_bucket_acl(Bucket=b)["Grants"]]
        self.assertIn("http://acs.amazonaws.com/groups/global/AllUsers", uris)

        self.assertNotIn("Status", self.s3.get_bucket_versioning(Bucket=b))
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=b)["Status"], "Enabled")

        enc = self.s3.get_bucket_encryption(Bucket=b)["ServerSideEncryptionConfiguration"]
        self.assertEqual(enc["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"], "AES256")

    def test_cors_and_preflight(self):
        b = self.bucket("b-cors")
        status, headers, body = self._options(b, "http://app.example", "PUT")
        self.assertEqual(status, 403)
        self.assertIn(b"CORS is not enabled for this bucket", body)
        self.s3.put_bucket_cors(Bucket=b, CORSConfiguration={"CORSRules": [{
            "AllowedOrigins": ["http://app.example"], "AllowedMethods": ["GET", "PUT"],
            "AllowedHeaders": ["*"], "ExposeHeaders": ["ETag"], "MaxAgeSeconds": 600}]})
        self.assertEqual(self.s3.get_bucket_cors(Bucket=b)["CORSRules"][0]["AllowedMethods"], ["GET", "PUT"])
        status, headers, _ = self._options(b, "http://app.example", "PUT", "content-type,x-amz-date")
        self.assertEqual(status, 200)
        self.assertEqual(headers["Access-Control-Allow-Origin"], "http://app.example")
        self.assertEqual(headers["Access-Control-Allow-Methods"], "GET, PUT")
        self.assertEqual(headers["Access-Control-Max-Age"], "600")
        status, _, body = self._options(b, "http://evil.example", "PUT")
        self.assertEqual(status, 403)
        self.assertIn(b"This CORS request is not allowed", body)
        code, msg, _ = self.err(self.s3.put_bucket_cors, Bucket=b, CORSConfiguration={"CORSRules": [
            {"AllowedOrigins": ["*"], "AllowedMethods": ["PATCH"]}]})
        self.assertEqual(code, "InvalidRequest")
        self.s3.delete_bucket_cors(Bucket=b)
        self.assertEqual(self.err(self.s3.get_bucket_cors, Bucket=b)[0], "NoSuchCORSConfiguration")

    def _options(self, bucket, origin, method, headers=None):
        h = {"Origin": origin, "Access-Control-Request-Method": method}
        if headers:
            h["Access-Control-Request-Headers"] = headers
        req = urllib.request.Request(self.server.endpoint + "/" + bucket + "/obj", method="OPTIONS", headers=h)
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    def test_unimplemented_operation_is_501(self):
        b = self.bucket("b-501")
        for fn, kw in [(self.s3.put_bucket_replication,
                        {"ReplicationConfiguration": {"Role": "arn:aws:iam::111111111111:role/r", "Rules": [
                            {"Status": "Enabled", "Destination": {"Bucket": "arn:aws:s3:::d"}}]}}),
                       (self.s3.put_bucket_inventory_configuration,
                        {"Id": "i", "InventoryConfiguration": {
                            "Destination": {"S3BucketDestination": {"Bucket": "arn:aws:s3:::d", "Format": "CSV"}},
                            "IsEnabled": True, "Id": "i", "IncludedObjectVersions": "All",
                            "Schedule": {"Frequency": "Daily"}}})]:
            code, _, status = self.err(fn, Bucket=b, **kw)
            self.assertEqual((code, status), ("NotImplemented", 501), fn)

    def test_settings_never_stored_read_as_absent(self):
        # A bucket without these settings: reads answer as AWS does for a
        # bucket without it (texts: the S3 error-code list),
        # deletes succeed, and tools that read every setting keep working.
        b = self.bucket("b-unset")
        for fn, code, message in [
                (self.s3.get_bucket_lifecycle_configuration, "NoSuchLifecycleConfiguration",
                 "The lifecycle configuration does not exist"),
                (self.s3.get_bucket_website, "NoSuchWebsiteConfiguration",
                 "The specified bucket does not have a website configuration"),
                (self.s3.get_bucket_replication, "ReplicationConfigurationNotFoundError",
                 "The replication configuration was not found"),
                (self.s3.get_object_lock_configuration, "ObjectLockConfigurationNotFoundError",
                 "Object Lock configuration does not exist for this bucket")]:
            self.assertEqual(self.err(fn, Bucket=b), (code, message, 404))
        self.assertNotIn("LoggingEnabled", self.s3.get_bucket_logging(Bucket=b))
        self.assertNotIn("Status", self.s3.get_bucket_accelerate_configuration(Bucket=b))
        self.assertEqual(self.s3.get_bucket_request_payment(Bucket=b)["Payer"], "BucketOwner")
        notification = self.s3.get_bucket_notification_configuration(Bucket=b)
        self.assertEqual([k for k in notification if k != "ResponseMetadata"], [])
        for fn in (self.s3.delete_bucket_lifecycle, self.s3.delete_bucket_website, self.s3.delete_bucket_replication):
            self.assertEqual(fn(Bucket=b)["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertEqual(self.err(self.s3.get_bucket_website, Bucket="no-such-bucket-unset"),
                         ("NoSuchBucket", "The specified bucket does not exist", 404))
        other = self.server.client("s3", account=ACCOUNT2)
        self.assertEqual(self.err(other.get_bucket_lifecycle_configuration, Bucket=b)[2], 403)


class ObjectTest(S3Base):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.s3.create_bucket(Bucket="objs")

    def test_put_get_head_metadata(self):
        body = b"hello world"
        r = self.s3.put_object(Bucket="objs", Key="dir/hello.txt", Body=body, ContentType="text/plain",
                               Metadata={"color": "blue"}, CacheControl="max-age=60",
                               ContentDisposition="inline", ContentLanguage="en")
        self.assertEqual(r["ETag"], '"%s"' % md5_hex(body))
        g = self.s3.get_object(Bucket="objs", Key="dir/hello.txt")
        self.assertEqual(g["Body"].read(), body)
        self.assertEqual(g["ContentType"], "text/plain")
        self.assertEqual(g["Metadata"], {"color": "blue"})
        self.assertEqual(g["CacheControl"], "max-age=60")
        self.assertEqual(g["ContentLanguage"], "en")
        self.assertEqual(g["ContentLength"], len(body))
        h = self.s3.head_object(Bucket="objs", Key="dir/hello.txt")
        self.assertEqual(h["ContentLength"], len(body))
        self.assertEqual(h["ETag"], '"%s"' % md5_hex(body))
        code, msg, status = self.err(self.s3.get_object, Bucket="objs", Key="missing")
        self.assertEqual((code, msg, status), ("NoSuchKey", "The specified key does not exist.", 404))
        code, _, status = self.err(self.s3.head_object, Bucket="objs", Key="missing")
        self.assertEqual((code, status), ("404", 404))
        code, _, status = self.err(self.s3.get_object, Bucket="nobucket", Key="k")
        self.assertEqual((code, status), ("NoSuchBucket", 404))

    def test_empty_object_and_unicode_key(self):
        self.s3.put_object(Bucket="objs", Key="empty", Body=b"")
        g = self.s3.get_object(Bucket="objs", Key="empty")
        self.assertEqual(g["Body"].read(), b"")
        self.assertEqual(g["ETag"], '"d41d8cd98f00b204e9800998ecf8427e"')
        key = "ünï cødé/ key+with%chars?&=.txt"
        self.s3.put_object(Bucket="objs", Key=key, Body=b"u")
        self.assertEqual(self.s3.get_object(Bucket="objs", Key=key)["Body"].read(), b"u")

    def test_ranges(self):
        data = bytes(range(256)) * 4
        self.s3.put_object(Bucket="objs", Key="ranged", Body=data)
        for rng, expected in [("bytes=0-9", data[0:10]), ("bytes=1000-", data[1000:]), ("bytes=-5", data[-5:]),
                              ("bytes=1020-5000", data[1020:])]:
            g = self.s3.get_object(Bucket="objs", Key="ranged", Range=rng)
            self.assertEqual(g["Body"].read(), expected, rng)
            self.assertEqual(g["ResponseMetadata"]["HTTPStatusCode"], 206)
        g = self.s3.get_object(Bucket="objs", Key="ranged", Range="bytes=10-19")
        self.assertEqual(g["ContentRange"], "bytes 10-19/1024")
        code, msg, status = self.err(self.s3.get_object, Bucket="objs", Key="ranged", Range="bytes=2000-")
        self.assertEqual((code, msg, status), ("InvalidRange", "The requested range is not satisfiable", 416))

    def test_conditions(self):
        r = self.s3.put_object(Bucket="objs", Key="cond", Body=b"v1")
        etag = r["ETag"]
        self.assertEqual(self.s3.get_object(Bucket="objs", Key="cond", IfMatch=etag)["Body"].read(), b"v1")
        code, _, status = self.err(self.s3.get_object, Bucket="objs", Key="cond", IfMatch='"nope"')
        self.assertEqual((code, status), ("PreconditionFailed", 412))
        code, _, status = self.err(self.s3.get_object, Bucket="objs", Key="cond", IfNoneMatch=etag)
        self.assertEqual(status, 304)
        future = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
        past = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)
        code, _, status = self.err(self.s3.get_object, Bucket="objs", Key="cond",
                                   IfModifiedSince=datetime.datetime.now(datetime.timezone.utc))
        self.assertEqual(status, 304)
        # A date in the future is no valid condition and is ignored (recorded on AWS).
        self.assertEqual(self.s3.get_object(Bucket="objs", Key="cond", IfModifiedSince=future)["Body"].read(), b"v1")
        code, _, status = self.err(self.s3.get_object, Bucket="objs", Key="cond", IfUnmodifiedSince=past)
        self.assertEqual((code, status), ("PreconditionFailed", 412))
        self.assertEqual(self.s3.get_object(Bucket="objs", Key="cond", IfModifiedSince=past)["Body"].read(), b"v1")
        # If-None-Match: * on PUT: create only.
        code, _, status = self.err(self.s3.put_object, Bucket="objs", Key="cond", Body=b"v2", IfNoneMatch="*")
        self.assertEqual((code, status), ("PreconditionFailed", 412))
        self.s3.put_object(Bucket="objs", Key="cond-new", Body=b"n", IfNoneMatch="*")
        # If-Match on PUT: overwrite only that version.
        self.s3.put_object(Bucket="objs", Key="cond", Body=b"v2", IfMatch=etag)
        code, _, status = self.err(self.s3.put_object, Bucket="objs", Key="cond", Body=b"v3", IfMatch=etag)
        self.assertEqual((code, status), ("PreconditionFailed", 412))

    def test_content_md5_and_checksums(self):
        body = b"checksummed"
        good = base64.b64encode(hashlib.md5(body).digest()).decode()
        self.s3.put_object(Bucket="objs", Key="md5", Body=body, ContentMD5=good)
        bad = base64.b64encode(hashlib.md5(b"other").digest()).decode()
        code, msg, status = self.err(self.s3.put_object, Bucket="objs", Key="md5", Body=body, ContentMD5=bad)
        self.assertEqual((code, msg, status),
                         ("BadDigest", "The Content-MD5 you specified did not match what we received.", 400))
        # CRC32C and CRC64NVME need botocore[crt] on the client side; the JS test covers CRC32C.
        for alg in ["CRC32", "SHA1", "SHA256"]:
            self.s3.put_object(Bucket="objs", Key="ck-" + alg, Body=body, ChecksumAlgorithm=alg)
            h = self.s3.head_object(Bucket="objs", Key="ck-" + alg, ChecksumMode="ENABLED")
            self.assertIn("Checksum" + alg, h, alg)
        h = self.s3.head_object(Bucket="objs", Key="ck-CRC32", ChecksumMode="ENABLED")
        crc = base64.b64encode(zlib.crc32(body).to_bytes(4, "big")).decode()
        self.assertEqual(h["ChecksumCRC32"], crc)
        h = self.s3.head_object(Bucket="objs", Key="ck-SHA256", ChecksumMode="ENABLED")
        self.assertEqual(h["ChecksumSHA256"], base64.b64encode(hashlib.sha256(body).digest()).decode())
        g = self.s3.get_object(Bucket="objs", Key="ck-SHA256", ChecksumMode="ENABLED")
        self.assertEqual(g["Body"].read(), body)  # botocore validates the checksum while reading
        code, _, status = self.err(self.s3.put_object, Bucket="objs", Key="ck-bad", Body=body,
                                   ChecksumSHA256=base64.b64encode(hashlib.sha256(b"x").digest()).decode())
        self.assertEqual((code, status), ("BadDigest", 400))

    def test_response_overrides_and_part_number(self):
        self.s3.put_object(Bucket="objs", Key="ovr", Body=b"abc", ContentType="text/plain")
        g = self.s3.get_object(Bucket="objs", Key="ovr", ResponseContentType="application/json",
                               ResponseContentDisposition="attachment; filename=x.json",
                               ResponseCacheControl="no-cache")
        self.assertEqual(g["ContentType"], "application/json")
        self.assertEqual(g["ContentDisposition"], "attachment; filename=x.json")
        self.assertEqual(g["CacheControl"], "no-cache")
        g = self.s3.get_object(Bucket="objs", Key="ovr", PartNumber=1)
        self.assertEqual(g["Body"].read(), b"abc")
        code, _, status = self.err(self.s3.get_object, Bucket="objs", Key="ovr", PartNumber=2)
        self.assertEqual((code, status), ("InvalidPartNumber", 416))

    def test_delete_and_delete_objects(self):
        for i in range(5):
            self.s3.put_object(Bucket="objs", Key="del/%d" % i, Body=b"d")
        self.s3.delete_object(Bucket="objs", Key="del/0")
        self.s3.delete_object(Bucket="objs", Key="del/never-existed")
        r = self.s3.delete_objects(Bucket="objs", Delete={"Objects": [{"Key": "del/1"}, {"Key": "del/2"}]})
        self.assertEqual(sorted(d["Key"] for d in r["Deleted"]), ["del/1", "del/2"])
        r = self.s3.delete_objects(Bucket="objs", Delete={"Objects": [{"Key": "del/3"}], "Quiet": True})
        self.assertNotIn("Deleted", r)
        left = [o["Key"] for o in self.s3.list_objects_v2(Bucket="objs", Prefix="del/").get("Contents", [])]
        self.assertEqual(left, ["del/4"])

    def test_copy(self):
        self.s3.put_object(Bucket="objs", Key="src", Body=b"copy me", Metadata={"a": "1"}, Tagging="t=1")
        r = self.s3.copy_object(Bucket="objs", Key="dst", CopySource="objs/src")
        self.assertEqual(r["CopyObjectResult"]["ETag"], '"%s"' % md5_hex(b"copy me"))
        self.assertEqual(self.s3.head_object(Bucket="objs", Key="dst")["Metadata"], {"a": "1"})
        self.assertEqual(self.s3.get_object_tagging(Bucket="objs", Key="dst")["TagSet"], [{"Key": "t", "Value": "1"}])
        self.s3.copy_object(Bucket="objs", Key="dst2", CopySource={"Bucket": "objs", "Key": "src"},
                            MetadataDirective="REPLACE", Metadata={"b": "2"}, ContentType="text/x",
                            TaggingDirective="REPLACE", Tagging="u=2")
        h = self.s3.head_object(Bucket="objs", Key="dst2")
        self.assertEqual((h["Metadata"], h["ContentType"]), ({"b": "2"}, "text/x"))
        self.assertEqual(self.s3.get_object_tagging(Bucket="objs", Key="dst2")["TagSet"], [{"Key": "u", "Value": "2"}])
        code, msg, _ = self.err(self.s3.copy_object, Bucket="objs", Key="src", CopySource="objs/src")
        self.assertEqual(code, "InvalidRequest")
        self.assertIn("copy an object to itself", msg)
        self.s3.copy_object(Bucket="objs", Key="src", CopySource="objs/src", MetadataDirective="REPLACE",
                            Metadata={"a": "2"})
        self.assertEqual(self.s3.head_object(Bucket="objs", Key="src")["Metadata"], {"a": "2"})
        code, _, status = self.err(self.s3.copy_object, Bucket="objs", Key="dst3", CopySource="objs/src",
                                   CopySourceIfMatch='"nope"')
        self.assertEqual((code, status), ("PreconditionFailed", 412))
        code, _, status = self.err(self.s3.copy_object, Bucket="objs", Key="dst3", CopySource="objs/missing")
        self.assertEqual((code, status), ("NoSuchKey", 404))
        self.s3.create_bucket(Bucket="objs-other")
        self.s3.copy_object(Bucket="objs-other", Key="x", CopySource="objs/src")
        self.assertEqual(self.s3.get_object(Bucket="objs-other", Key="x")["Body"].read(), b"copy me")

    def test_tagging_and_attributes(self):
        self.s3.put_object(Bucket="objs", Key="tagged", Body=b"12345")
        self.s3.put_object_tagging(Bucket="objs", Key="tagged", Tagging={"TagSet": [{"Key": "k", "Value": "v"}]})
        self.assertEqual(self.s3.get_object_tagging(Bucket="objs", Key="tagged")["TagSet"], [{"Key": "k", "Value": "v"}])
        self.assertEqual(self.s3.get_object(Bucket="objs", Key="tagged")["TagCount"], 1)
        self.s3.delete_object_tagging(Bucket="objs", Key="tagged")
        self.assertEqual(self.s3.get_object_tagging(Bucket="objs", Key="tagged")["TagSet"], [])
        a = self.s3.get_object_attributes(Bucket="objs", Key="tagged", ObjectAttributes=["ETag", "ObjectSize", "StorageClass"])
        self.assertEqual((a["ETag"], a["ObjectSize"], a["StorageClass"]), (md5_hex(b"12345"), 5, "STANDARD"))

    def test_virtual_hosted_style(self):
        # Sign for objs.localhost:PORT (what virtual-hosted clients send) and
        # deliver to 127.0.0.1 with that Host header.
        import http.client
        from botocore.auth import S3SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        host = "objs.localhost:%d" % self.server.port

        def send(method, path, body=b""):
            req = AWSRequest(method=method, url="http://%s%s" % (host, path), data=body)
            S3SigV4Auth(Credentials(ACCOUNT1, "x"), "s3", "us-east-1").add_auth(req)
            conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
            headers = dict(req.headers.items())
            headers["Host"] = host
            conn.request(method, path, body=body, headers=headers)
            r = conn.getresponse()
            return r.status, r.read()

        status, _ = send("PUT", "/vhost", b"vh")
        self.assertEqual(status, 200)
        self.assertEqual(self.s3.get_object(Bucket="objs", Key="vhost")["Body"].read(), b"vh")
        status, body = send("GET", "/?list-type=2&prefix=vh")
        self.assertEqual(status, 200)
        self.assertIn(b"<Key>vhost</Key>", body)


class ListingTest(S3Base):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.s3.create_bucket(Bucket="lst")
        cls.keys = ["a", "a/b", "a/c/d", "a/c/e", "b", "b/x", "c d", "z\u00e9", "\u00e9", "~"]
        for k in cls.keys:
            cls.s3.put_object(Bucket="lst", Key=k, Body=b"x")

    def test_v2_all_sorted_by_utf8_bytes(self):
        got = [o["Key"] for o in self.s3.list_objects_v2(Bucket="lst")["Contents"]]
        self.assertEqual(got, sorted(self.keys, key=lambda k: k.encode()))

    def test_v2_delimiter_and_pages(self):
        r = self.s3.list_objects_v2(Bucket="lst", Delimiter="/")
        self.assertEqual([p["Prefix"] for p in r["CommonPrefixes"]], ["a/", "b/"])
        self.assertEqual([o["Key"] for o in r["Contents"]], ["a", "b", "c d", "z\u00e9", "~", "\u00e9"])
        r = self.s3.list_objects_v2(Bucket="lst", Prefix="a/", Delimiter="/")
        self.assertEqual([o["Key"] for o in r["Contents"]], ["a/b"])
        self.assertEqual([p["Prefix"] for p in r["CommonPrefixes"]], ["a/c/"])
        seen, token = [], None
        while True:
            kw = {"Bucket": "lst", "MaxKeys": 2, "Delimiter": "/"}
            if token:
                kw["ContinuationToken"] = token
            r = self.s3.list_objects_v2(**kw)
            self.assertLessEqual(r["KeyCount"], 2)
            seen += [o["Key"] for o in r.get("Contents", [])] + [p["Prefix"] for p in r.get("CommonPrefixes", [])]
            if not r["IsTruncated"]:
                break
            token = r["NextContinuationToken"]
        self.assertEqual(sorted(seen), sorted(["a", "b", "c d", "z\u00e9", "~", "\u00e9", "a/", "b/"]))
        r = self.s3.list_objects_v2(Bucket="lst", StartAfter="b", FetchOwner=True)
        self.assertEqual(r["Contents"][0]["Key"], "b/x")
        self.assertIn("ID", r["Contents"][0]["Owner"])
        self.assertEqual(self.s3.list_objects_v2(Bucket="lst", MaxKeys=0)["KeyCount"], 0)

    def test_v1_marker_and_encoding(self):
        r = self.s3.list_objects(Bucket="lst", Marker="a/c/d", MaxKeys=2)
        self.assertEqual([o["Key"] for o in r["Contents"]], ["a/c/e", "b"])
        self.assertTrue(r["IsTruncated"])
        r = self.s3.list_objects(Bucket="lst", Delimiter="/", MaxKeys=1)
        self.assertEqual(r["NextMarker"], "a")
        # botocore asks for encoding-type=url and decodes it back.
        r = self.s3.list_objects_v2(Bucket="lst", Prefix="c")
        self.assertEqual([o["Key"] for o in r["Contents"]], ["c d"])
        paginator = self.s3.get_paginator("list_objects")
        keys = [o["Key"] for page in paginator.paginate(Bucket="lst", PaginationConfig={"PageSize": 3})
                for o in page.get("Contents", [])]
        self.assertEqual(keys, sorted(self.keys, key=lambda k: k.encode()))


class VersioningTest(S3Base):
    def test_versions_and_delete_markers(self):
        b = self.bucket("ver")
        self.s3.put_object(Bucket=b, Key="k", Body=b"unversioned")
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        v1 = self.s3.put_object(Bucket=b, Key="k", Body=b"one")["VersionId"]
        v2 = self.s3.put_object(Bucket=b, Key="k", Body=b"two")["VersionId"]
        self.assertNotEqual(v1, v2)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k")["Body"].read(), b"two")
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k", VersionId=v1)["Body"].read(), b"one")
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k", VersionId="null")["Body"].read(), b"unversioned")
        d = self.s3.delete_object(Bucket=b, Key="k")
        self.assertTrue(d["DeleteMarker"])
        with self.assertRaises(ClientError) as cm:
            self.s3.get_object(Bucket=b, Key="k")
        self.assertEqual(error_of(cm.exception)[0], "NoSuchKey")
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPHeaders"]["x-amz-delete-marker"], "true")
        code, _, status = self.err(self.s3.get_object, Bucket=b, Key="k", VersionId=d["VersionId"])
        self.assertEqual((code, status), ("MethodNotAllowed", 405))
        self.assertNotIn("Contents", self.s3.list_objects_v2(Bucket=b))
        lv = self.s3.list_object_versions(Bucket=b)
        self.assertEqual([v["VersionId"] for v in lv["Versions"]], [v2, v1, "null"])
        self.assertEqual([m["VersionId"] for m in lv["DeleteMarkers"]], [d["VersionId"]])
        self.assertTrue(lv["DeleteMarkers"][0]["IsLatest"])
        self.assertFalse(any(v["IsLatest"] for v in lv["Versions"]))
        # Removing the marker brings v2 back.
        self.s3.delete_object(Bucket=b, Key="k", VersionId=d["VersionId"])
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k")["Body"].read(), b"two")
        self.s3.delete_object(Bucket=b, Key="k", VersionId=v2)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k")["Body"].read(), b"one")
        code, _, _ = self.err(self.s3.get_object, Bucket=b, Key="k", VersionId="bogus")
        self.assertEqual(code, "InvalidArgument")
        # Suspended: writes replace the null version.
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Suspended"})
        self.s3.put_object(Bucket=b, Key="k", Body=b"null2")
        ids = [v["VersionId"] for v in self.s3.list_object_versions(Bucket=b)["Versions"]]
        self.assertEqual(ids, ["null", v1])
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k", VersionId="null")["Body"].read(), b"null2")


class MultipartTest(S3Base):
    def test_multipart_lifecycle(self):
        b = self.bucket("mpu")
        part1 = os.urandom(5 * 1024 * 1024)
        part2 = os.urandom(1024)
        u = self.s3.create_multipart_upload(Bucket=b, Key="big", ContentType="application/x-test",
                                            Metadata={"m": "1"})["UploadId"]
        e1 = self.s3.upload_part(Bucket=b, Key="big", UploadId=u, PartNumber=1, Body=part1)["ETag"]
        e2 = self.s3.upload_part(Bucket=b, Key="big", UploadId=u, PartNumber=2, Body=part2)["ETag"]
        parts = self.s3.list_parts(Bucket=b, Key="big", UploadId=u)["Parts"]
        self.assertEqual([(p["PartNumber"], p["Size"]) for p in parts], [(1, len(part1)), (2, len(part2))])
        ups = self.s3.list_multipart_uploads(Bucket=b)["Uploads"]
        self.assertEqual([x["UploadId"] for x in ups], [u])
        code, _, _ = self.err(self.s3.complete_multipart_upload, Bucket=b, Key="big", UploadId=u,
                              MultipartUpload={"Parts": [{"PartNumber": 2, "ETag": e2}, {"PartNumber": 1, "ETag": e1}]})
        self.assertEqual(code, "InvalidPartOrder")
        code, _, _ = self.err(self.s3.complete_multipart_upload, Bucket=b, Key="big", UploadId=u,
                              MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": '"0000"'}]})
        self.assertEqual(code, "InvalidPart")
        code, _, _ = self.err(self.s3.complete_multipart_upload, Bucket=b, Key="big", UploadId=u,
                              MultipartUpload={"Parts": [{"PartNumber": 2, "ETag": e2}, {"PartNumber": 3, "ETag": e2}]})
        self.assertEqual(code, "InvalidPart")
        r = self.s3.complete_multipart_upload(Bucket=b, Key="big", UploadId=u, MultipartUpload={
            "Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]})
        md5s = hashlib.md5(hashlib.md5(part1).digest() + hashlib.md5(part2).digest()).hexdigest()
        self.assertEqual(r["ETag"], '"%s-2"' % md5s)
        g = self.s3.get_object(Bucket=b, Key="big")
        self.assertEqual(g["Body"].read(), part1 + part2)
        self.assertEqual((g["ContentType"], g["Metadata"]), ("application/x-test", {"m": "1"}))
        p2 = self.s3.get_object(Bucket=b, Key="big", PartNumber=2)
        self.assertEqual((p2["Body"].read(), p2["PartsCount"]), (part2, 2))
        rg = self.s3.get_object(Bucket=b, Key="big", Range="bytes=%d-%d" % (len(part1) - 2, len(part1) + 1))
        self.assertEqual(rg["Body"].read(), (part1 + part2)[len(part1) - 2:len(part1) + 2])
        self.assertEqual(self.err(self.s3.list_parts, Bucket=b, Key="big", UploadId=u)[0], "NoSuchUpload")
        attrs = self.s3.get_object_attributes(Bucket=b, Key="big", ObjectAttributes=["ObjectParts", "ObjectSize"])
        self.assertEqual(attrs["ObjectParts"]["TotalPartsCount"], 2)

    def test_entity_too_small_abort_and_copy_part(self):
        b = self.bucket("mpu2")
        u = self.s3.create_multipart_upload(Bucket=b, Key="small")["UploadId"]
        e1 = self.s3.upload_part(Bucket=b, Key="small", UploadId=u, PartNumber=1, Body=b"a" * 100)["ETag"]
        e2 = self.s3.upload_part(Bucket=b, Key="small", UploadId=u, PartNumber=2, Body=b"b")["ETag"]
        code, msg, status = self.err(self.s3.complete_multipart_upload, Bucket=b, Key="small", UploadId=u,
                                     MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]})
        self.assertEqual((code, msg, status),
                         ("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size", 400))
        self.s3.abort_multipart_upload(Bucket=b, Key="small", UploadId=u)
        code, msg, status = self.err(self.s3.abort_multipart_upload, Bucket=b, Key="small", UploadId=u)
        self.assertEqual((code, status), ("NoSuchUpload", 404))
        src = os.urandom(6 * 1024 * 1024)
        self.s3.put_object(Bucket=b, Key="src", Body=src)
        u = self.s3.create_multipart_upload(Bucket=b, Key="copied")["UploadId"]
        c1 = self.s3.upload_part_copy(Bucket=b, Key="copied", UploadId=u, PartNumber=1, CopySource="mpu2/src",
                                      CopySourceRange="bytes=0-5242879")["CopyPartResult"]["ETag"]
        c2 = self.s3.upload_part_copy(Bucket=b, Key="copied", UploadId=u, PartNumber=2,
                                      CopySource="mpu2/src", CopySourceRange="bytes=5242880-%d" % (len(src) - 1))["CopyPartResult"]["ETag"]
        self.s3.complete_multipart_upload(Bucket=b, Key="copied", UploadId=u, MultipartUpload={
            "Parts": [{"PartNumber": 1, "ETag": c1}, {"PartNumber": 2, "ETag": c2}]})
        self.assertEqual(self.s3.get_object(Bucket=b, Key="copied")["Body"].read(), src)

    def test_multipart_with_checksums(self):
        b = self.bucket("mpu3")
        parts = [os.urandom(5 * 1024 * 1024), os.urandom(3000)]
        u = self.s3.create_multipart_upload(Bucket=b, Key="ck", ChecksumAlgorithm="SHA256")["UploadId"]
        done = []
        for i, p in enumerate(parts, 1):
            r = self.s3.upload_part(Bucket=b, Key="ck", UploadId=u, PartNumber=i, Body=p, ChecksumAlgorithm="SHA256")
            self.assertEqual(r["ChecksumSHA256"], base64.b64encode(hashlib.sha256(p).digest()).decode())
            done.append({"PartNumber": i, "ETag": r["ETag"], "ChecksumSHA256": r["ChecksumSHA256"]})
        r = self.s3.complete_multipart_upload(Bucket=b, Key="ck", UploadId=u, MultipartUpload={"Parts": done})
        composite = hashlib.sha256(b"".join(hashlib.sha256(p).digest() for p in parts)).digest()
        self.assertEqual(r["ChecksumSHA256"], base64.b64encode(composite).decode() + "-2")


if __name__ == "__main__":
    unittest.main()
