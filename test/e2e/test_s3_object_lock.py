"""S3 Object Lock through boto3: the bucket configuration, retention (GOVERNANCE,
COMPLIANCE), legal holds, the object-lock headers of writes and reads, deletes of
protected versions, the errors of buckets without Object Lock, and persistence
across a restart. Texts are AWS's (test/aws-recorded/s3.json) unless a test says
"not recorded; inferred"."""

import base64
import datetime
import hashlib
import json
import time
import unittest

from botocore.exceptions import ClientError

from crosskey import Server, error_of

LOCKED = "Access Denied because object protected by object lock."
MISSING_LOCK = "Bucket is missing Object Lock Configuration"
MALFORMED = "The XML you provided was not well-formed or did not validate against our published schema"
BOTH = "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied"
NO_OBJECT_LOCK = "The specified object does not have a ObjectLock configuration"


def in_seconds(s):
    return datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=s)


class LockBase(unittest.TestCase):
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
        return cm.exception.response["Error"]

    def locked_bucket(self, name, days=None, mode="GOVERNANCE"):
        self.s3.create_bucket(Bucket=name, ObjectLockEnabledForBucket=True)
        if days:
            self.s3.put_object_lock_configuration(
                Bucket=name, ObjectLockConfiguration={
                    "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": mode, "Days": days}}})
        return name


class ConfigurationTest(LockBase):
    def test_create_bucket_with_lock_enables_versioning(self):
        b = self.locked_bucket("lock-create")
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=b)["Status"], "Enabled")
        cfg = self.s3.get_object_lock_configuration(Bucket=b)["ObjectLockConfiguration"]
        self.assertEqual(cfg, {"ObjectLockEnabled": "Enabled"})
        code, msg, status = self.err(self.s3.put_bucket_versioning, Bucket=b,
                                     VersioningConfiguration={"Status": "Suspended"})
        self.assertEqual((code, status), ("InvalidBucketState", 409))
        self.assertEqual(msg, "An Object Lock configuration is present on this bucket, so the versioning state "
                              "cannot be changed.")
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=b)["Status"], "Enabled")

    def test_default_retention_round_trip(self):
        b = self.locked_bucket("lock-cfg", days=3)
        cfg = self.s3.get_object_lock_configuration(Bucket=b)["ObjectLockConfiguration"]
        self.assertEqual(cfg, {"ObjectLockEnabled": "Enabled",
                               "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 3}}})
        self.s3.put_object_lock_configuration(Bucket=b, ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Years": 2}}})
        rule = self.s3.get_object_lock_configuration(Bucket=b)["ObjectLockConfiguration"]["Rule"]
        self.assertEqual(rule, {"DefaultRetention": {"Mode": "COMPLIANCE", "Years": 2}})
        # Enabled alone removes the default rule.
        self.s3.put_object_lock_configuration(Bucket=b, ObjectLockConfiguration={"ObjectLockEnabled": "Enabled"})
        self.assertNotIn("Rule", self.s3.get_object_lock_configuration(Bucket=b)["ObjectLockConfiguration"])

    def test_enabling_on_an_existing_bucket_needs_versioning_enabled(self):
        b = "lock-existing"
        self.s3.create_bucket(Bucket=b)
        self.assertEqual(self.err(self.s3.get_object_lock_configuration, Bucket=b),
                         ("ObjectLockConfigurationNotFoundError",
                          "Object Lock configuration does not exist for this bucket", 404))
        enable = {"ObjectLockEnabled": "Enabled"}
        unversioned = ("InvalidBucketState",
                       "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration", 409)
        self.assertEqual(self.err(self.s3.put_object_lock_configuration, Bucket=b, ObjectLockConfiguration=enable),
                         unversioned)
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Suspended"})
        self.assertEqual(self.err(self.s3.put_object_lock_configuration, Bucket=b, ObjectLockConfiguration=enable),
                         unversioned)
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        self.s3.put_object_lock_configuration(Bucket=b, ObjectLockConfiguration=enable)
        self.assertEqual(self.s3.get_object_lock_configuration(Bucket=b)["ObjectLockConfiguration"], enable)
        # Versioning can no longer be suspended.
        self.assertEqual(self.err(self.s3.put_bucket_versioning, Bucket=b,
                                  VersioningConfiguration={"Status": "Suspended"})[2], 409)

    def test_configuration_validation(self):
        b = self.locked_bucket("lock-cfg-bad")
        for cfg in [{"Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1}}}, {},
                    {"ObjectLockEnabled": "Enabled", "Rule": {}},
                    {"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {}}},
                    {"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE"}}},
                    {"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "BAD-VALUE", "Days": 1}}},
                    {"ObjectLockEnabled": "Enabled",
                     "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1, "Years": 1}}}]:
            self.assertEqual(self.err(self.s3.put_object_lock_configuration, Bucket=b, ObjectLockConfiguration=cfg),
                             ("MalformedXML", MALFORMED, 400), cfg)
        # Not recorded; inferred: a period below 1 or above 100 years is InvalidArgument.
        for retention in [{"Mode": "GOVERNANCE", "Days": 0}, {"Mode": "GOVERNANCE", "Years": 101}]:
            code, _, status = self.err(self.s3.put_object_lock_configuration, Bucket=b, ObjectLockConfiguration={
                "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": retention}})
            self.assertEqual((code, status), ("InvalidArgument", 400))
        self.assertNotIn("Rule", self.s3.get_object_lock_configuration(Bucket=b)["ObjectLockConfiguration"])
        self.assertEqual(self.err(self.s3.get_object_lock_configuration, Bucket="lock-no-such-bucket")[0],
                         "NoSuchBucket")


class WriteTest(LockBase):
    def test_default_retention_applies_to_new_versions(self):
        b = self.locked_bucket("lock-default", days=1)
        before = datetime.datetime.now(datetime.timezone.utc)
        v1 = self.s3.put_object(Bucket=b, Key="k", Body=b"one")["VersionId"]
        head = self.s3.head_object(Bucket=b, Key="k")
        self.assertEqual(head["ObjectLockMode"], "GOVERNANCE")
        delta = head["ObjectLockRetainUntilDate"] - before
        self.assertTrue(datetime.timedelta(hours=23, minutes=59) < delta < datetime.timedelta(hours=24, minutes=1),
                        delta)
        self.assertNotIn("ObjectLockLegalHoldStatus", head)
        # An explicit retention wins over the default.
        until = in_seconds(600).replace(microsecond=0)
        self.s3.put_object(Bucket=b, Key="k", Body=b"two", ObjectLockMode="COMPLIANCE", ObjectLockRetainUntilDate=until)
        got = self.s3.get_object(Bucket=b, Key="k")
        self.assertEqual((got["ObjectLockMode"], got["ObjectLockRetainUntilDate"]), ("COMPLIANCE", until))
        ret = self.s3.get_object_retention(Bucket=b, Key="k", VersionId=v1)["Retention"]
        self.assertEqual(ret["Mode"], "GOVERNANCE")

    def test_lock_header_validation(self):
        b = self.locked_bucket("lock-headers")
        e = self.raw_err(self.s3.put_object, Bucket=b, Key="k", Body=b"x", ObjectLockMode="BAD-VALUE")
        self.assertEqual((e["Code"], e["Message"], e["ArgumentName"]),
                         ("InvalidArgument", BOTH, "x-amz-object-lock-retain-until-date"))
        e = self.raw_err(self.s3.put_object, Bucket=b, Key="k", Body=b"x", ObjectLockRetainUntilDate=in_seconds(60))
        self.assertEqual((e["Code"], e["Message"], e["ArgumentName"]), ("InvalidArgument", BOTH, "x-amz-object-lock-mode"))
        for fn, kw in [(self.s3.put_object, {"Body": b"x"}), (self.s3.create_multipart_upload, {})]:
            e = self.raw_err(fn, Bucket=b, Key="k", ObjectLockMode="BAD-VALUE", ObjectLockRetainUntilDate=in_seconds(60),
                             **kw)
            self.assertEqual((e["Code"], e["Message"], e["ArgumentName"], e["ArgumentValue"]),
                             ("InvalidArgument", "Unknown wormMode directive.", "x-amz-object-lock-mode", "BAD-VALUE"))
        # Not recorded; inferred: a past date on a write is refused as PutObjectRetention refuses it.
        e = self.raw_err(self.s3.put_object, Bucket=b, Key="k", Body=b"x", ObjectLockMode="GOVERNANCE",
                         ObjectLockRetainUntilDate=datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc))
        self.assertEqual((e["Code"], e["Message"], e["ArgumentValue"]),
                         ("InvalidArgument", "The retain until date must be in the future!",
                          "Tue Dec 31 16:00:00 PST 2019"))
        self.assertEqual(self.s3.list_object_versions(Bucket=b).get("Versions", []), [])  # nothing was written

    def test_lock_headers_need_a_checksum(self):
        # Without flexible checksums (when_required) boto3 sends no integrity header for PutObject.
        bare = self.server.client("s3", request_checksum_calculation="when_required")
        b = self.locked_bucket("lock-md5")
        code, msg, status = self.err(bare.put_object, Bucket=b, Key="k", Body=b"x", ObjectLockLegalHoldStatus="ON")
        # Not recorded; inferred: S3's wording.
        self.assertEqual((code, status), ("InvalidRequest", 400))
        self.assertIn("Content-MD5", msg)
        md5 = base64.b64encode(hashlib.md5(b"x").digest()).decode()
        bare.put_object(Bucket=b, Key="k", Body=b"x", ObjectLockLegalHoldStatus="ON", ContentMD5=md5)
        self.assertEqual(self.s3.head_object(Bucket=b, Key="k")["ObjectLockLegalHoldStatus"], "ON")
        bare.put_object(Bucket=b, Key="plain", Body=b"x")  # no lock parameters: no requirement

    def test_copy_takes_the_requests_lock_not_the_sources(self):
        b = self.locked_bucket("lock-copy")
        src = self.s3.put_object(Bucket=b, Key="src", Body=b"data", ObjectLockMode="GOVERNANCE",
                                 ObjectLockRetainUntilDate=in_seconds(600), ObjectLockLegalHoldStatus="ON")
        out = self.s3.copy_object(Bucket=b, Key="dst", CopySource={"Bucket": b, "Key": "src"})
        self.assertEqual(out["CopySourceVersionId"], src["VersionId"])
        head = self.s3.head_object(Bucket=b, Key="dst")
        for h in ("ObjectLockMode", "ObjectLockRetainUntilDate", "ObjectLockLegalHoldStatus"):
            self.assertNotIn(h, head)
        self.s3.copy_object(Bucket=b, Key="dst2", CopySource={"Bucket": b, "Key": "src"},
                            ObjectLockMode="COMPLIANCE", ObjectLockRetainUntilDate=in_seconds(600))
        self.assertEqual(self.s3.head_object(Bucket=b, Key="dst2")["ObjectLockMode"], "COMPLIANCE")

    def test_multipart_upload_keeps_its_lock_until_completion(self):
        b = self.locked_bucket("lock-mpu", days=2, mode="COMPLIANCE")
        up = self.s3.create_multipart_upload(Bucket=b, Key="m", ObjectLockLegalHoldStatus="ON")
        etag = self.s3.upload_part(Bucket=b, Key="m", UploadId=up["UploadId"], PartNumber=1, Body=b"p")["ETag"]
        done = self.s3.complete_multipart_upload(Bucket=b, Key="m", UploadId=up["UploadId"],
                                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]})
        head = self.s3.head_object(Bucket=b, Key="m")
        self.assertEqual((head["ObjectLockLegalHoldStatus"], head["ObjectLockMode"]), ("ON", "COMPLIANCE"))
        self.assertEqual(self.err(self.s3.delete_object, Bucket=b, Key="m", VersionId=done["VersionId"]),
                         ("AccessDenied", LOCKED, 403))

    def test_headers_on_a_bucket_without_lock(self):
        self.s3.create_bucket(Bucket="lock-none-put")
        # Not recorded; inferred: as the retention and legal hold operations answer.
        for kw in [{"ObjectLockLegalHoldStatus": "ON"},
                   {"ObjectLockMode": "GOVERNANCE", "ObjectLockRetainUntilDate": in_seconds(60)}]:
            self.assertEqual(self.err(self.s3.put_object, Bucket="lock-none-put", Key="k", Body=b"x", **kw),
                             ("InvalidRequest", MISSING_LOCK, 400))


class RetentionTest(LockBase):
    def test_governance_retention(self):
        b = self.locked_bucket("lock-gov")
        vid = self.s3.put_object(Bucket=b, Key="k", Body=b"x")["VersionId"]
        self.assertEqual(self.err(self.s3.get_object_retention, Bucket=b, Key="k", VersionId=vid),
                         ("NoSuchObjectLockConfiguration", NO_OBJECT_LOCK, 404))
        until = in_seconds(3600).replace(microsecond=0)
        self.s3.put_object_retention(Bucket=b, Key="k", Retention={"Mode": "GOVERNANCE", "RetainUntilDate": until})
        ret = self.s3.get_object_retention(Bucket=b, Key="k")["Retention"]
        self.assertEqual(ret, {"Mode": "GOVERNANCE", "RetainUntilDate": until})
        self.assertEqual(self.err(self.s3.delete_object, Bucket=b, Key="k", VersionId=vid),
                         ("AccessDenied", LOCKED, 403))
        # Shortening needs the bypass; extending does not.
        shorter = {"Mode": "GOVERNANCE", "RetainUntilDate": in_seconds(600)}
        self.assertEqual(self.err(self.s3.put_object_retention, Bucket=b, Key="k", VersionId=vid, Retention=shorter),
                         ("AccessDenied", LOCKED, 403))
        self.s3.put_object_retention(Bucket=b, Key="k", VersionId=vid,
                                     Retention={"Mode": "GOVERNANCE", "RetainUntilDate": in_seconds(7200)})
        self.s3.put_object_retention(Bucket=b, Key="k", VersionId=vid, Retention=shorter, BypassGovernanceRetention=True)
        # Removing it needs the bypass too.
        self.assertEqual(self.err(self.s3.put_object_retention, Bucket=b, Key="k", Retention={})[0], "AccessDenied")
        self.s3.put_object_retention(Bucket=b, Key="k", Retention={}, BypassGovernanceRetention=True)
        self.assertEqual(self.err(self.s3.get_object_retention, Bucket=b, Key="k")[0], "NoSuchObjectLockConfiguration")
        self.s3.put_object_retention(Bucket=b, Key="k", Retention={"Mode": "GOVERNANCE", "RetainUntilDate": until})
        out = self.s3.delete_object(Bucket=b, Key="k", VersionId=vid, BypassGovernanceRetention=True)
        self.assertEqual(out["VersionId"], vid)

    def test_compliance_retention(self):
        b = self.locked_bucket("lock-comp")
        vid = self.s3.put_object(Bucket=b, Key="k", Body=b"x")["VersionId"]
        until = in_seconds(3600)
        self.s3.put_object_retention(Bucket=b, Key="k", Retention={"Mode": "COMPLIANCE", "RetainUntilDate": until})
        self.assertEqual(self.err(self.s3.delete_object, Bucket=b, Key="k", VersionId=vid,
                                  BypassGovernanceRetention=True), ("AccessDenied", LOCKED, 403))
        for retention in [{"Mode": "COMPLIANCE", "RetainUntilDate": in_seconds(60)},
                          {"Mode": "GOVERNANCE", "RetainUntilDate": in_seconds(7200)}, {}]:
            self.assertEqual(self.err(self.s3.put_object_retention, Bucket=b, Key="k", VersionId=vid,
                                      Retention=retention, BypassGovernanceRetention=True),
                             ("AccessDenied", LOCKED, 403), retention)
        self.s3.put_object_retention(Bucket=b, Key="k", Retention={"Mode": "COMPLIANCE",
                                                                   "RetainUntilDate": in_seconds(7200)})
        # A delete without a version id adds a delete marker, which is allowed.
        marker = self.s3.delete_object(Bucket=b, Key="k")
        self.assertTrue(marker["DeleteMarker"])
        self.assertEqual(self.s3.head_object(Bucket=b, Key="k", VersionId=vid)["ObjectLockMode"], "COMPLIANCE")
        # The marker itself is no retention target (recorded on AWS).
        code, _, status = self.err(self.s3.put_object_retention, Bucket=b, Key="k", VersionId=marker["VersionId"],
                                   Retention={"Mode": "GOVERNANCE", "RetainUntilDate": in_seconds(60)})
        self.assertEqual((code, status), ("MethodNotAllowed", 405))
        self.assertEqual(self.err(self.s3.get_object_retention, Bucket=b, Key="k", VersionId=marker["VersionId"])[2],
                         405)
        self.s3.delete_object(Bucket=b, Key="k", VersionId=marker["VersionId"])  # markers are never locked

    def test_retention_expires(self):
        b = self.locked_bucket("lock-expire")
        vid = self.s3.put_object(Bucket=b, Key="k", Body=b"x", ObjectLockMode="COMPLIANCE",
                                 ObjectLockRetainUntilDate=in_seconds(2))["VersionId"]
        self.assertEqual(self.err(self.s3.delete_object, Bucket=b, Key="k", VersionId=vid)[0], "AccessDenied")
        time.sleep(2.5)
        self.s3.delete_object(Bucket=b, Key="k", VersionId=vid)
        self.assertEqual(self.s3.list_object_versions(Bucket=b).get("Versions", []), [])

    def test_retention_request_errors(self):
        b = self.locked_bucket("lock-ret-exc")
        good = {"Mode": "GOVERNANCE", "RetainUntilDate": in_seconds(600)}
        self.assertEqual(self.err(self.s3.put_object_retention, Bucket="lock-missing-bucket", Key="k",
                                  Retention=good)[0], "NoSuchBucket")
        e = self.raw_err(self.s3.put_object_retention, Bucket=b, Key="none", Retention=good)
        self.assertEqual((e["Code"], e["Key"]), ("NoSuchKey", "none"))
        self.s3.put_object(Bucket=b, Key="k", Body=b"x")
        self.assertEqual(self.err(self.s3.put_object_retention, Bucket=b, Key="k", Retention={"Mode": "GOVERNANCE"},
                                  BypassGovernanceRetention=True), ("MalformedXML", MALFORMED, 400))
        self.assertEqual(self.err(self.s3.put_object_retention, Bucket=b, Key="k",
                                  Retention={"Mode": "BAD-VALUE", "RetainUntilDate": in_seconds(60)})[0],
                         "MalformedXML")
        e = self.raw_err(self.s3.put_object_retention, Bucket=b, Key="k",
                         Retention={"Mode": "GOVERNANCE",
                                    "RetainUntilDate": datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)})
        self.assertEqual(e, {"Code": "InvalidArgument", "Message": "The retain until date must be in the future!",
                             "ArgumentName": "RetainUntilDate", "ArgumentValue": "Tue Dec 31 16:00:00 PST 2019"})

    def test_bypass_needs_the_permission(self):
        b = self.locked_bucket("lock-perm")
        iam = self.server.client("iam")
        iam.create_user(UserName="locker")
        key = iam.create_access_key(UserName="locker")["AccessKey"]
        actions = ["s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:DeleteObjectVersion",
                   "s3:PutObjectRetention", "s3:GetObjectRetention"]

        def allow(extra=()):
            iam.put_user_policy(UserName="locker", PolicyName="s3", PolicyDocument=json.dumps({
                "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions + list(extra),
                                                        "Resource": "arn:aws:s3:::%s/*" % b}]}))
        allow()
        user = self.server.client("s3", account=key["AccessKeyId"], secret=key["SecretAccessKey"])
        vid = user.put_object(Bucket=b, Key="k", Body=b"x", ObjectLockMode="GOVERNANCE",
                              ObjectLockRetainUntilDate=in_seconds(600))["VersionId"]
        self.assertEqual(self.err(user.delete_object, Bucket=b, Key="k", VersionId=vid, BypassGovernanceRetention=True),
                         ("AccessDenied", LOCKED, 403))
        self.assertEqual(self.err(user.put_object_retention, Bucket=b, Key="k", Retention={},
                                  BypassGovernanceRetention=True)[1], LOCKED)
        # Setting a legal hold on write takes s3:PutObjectLegalHold.
        self.assertEqual(self.err(user.put_object, Bucket=b, Key="h", Body=b"x", ObjectLockLegalHoldStatus="ON")[0],
                         "AccessDenied")
        allow(["s3:BypassGovernanceRetention"])
        user.delete_object(Bucket=b, Key="k", VersionId=vid, BypassGovernanceRetention=True)


class LegalHoldTest(LockBase):
    def test_legal_hold_blocks_deletes(self):
        b = self.locked_bucket("lock-hold")
        v1 = self.s3.put_object(Bucket=b, Key="k", Body=b"x")["VersionId"]
        self.assertEqual(self.err(self.s3.get_object_legal_hold, Bucket=b, Key="k", VersionId=v1),
                         ("NoSuchObjectLockConfiguration", NO_OBJECT_LOCK, 404))
        self.s3.put_object_legal_hold(Bucket=b, Key="k", VersionId=v1, LegalHold={"Status": "ON"})
        self.assertEqual(self.s3.get_object_legal_hold(Bucket=b, Key="k")["LegalHold"], {"Status": "ON"})
        self.assertEqual(self.s3.head_object(Bucket=b, Key="k")["ObjectLockLegalHoldStatus"], "ON")
        self.assertEqual(self.err(self.s3.delete_object, Bucket=b, Key="k", VersionId=v1,
                                  BypassGovernanceRetention=True), ("AccessDenied", LOCKED, 403))
        out = self.s3.delete_objects(Bucket=b, Delete={"Objects": [{"Key": "k", "VersionId": v1}, {"Key": "other"}]})
        self.assertEqual(out["Errors"], [{"Key": "k", "VersionId": v1, "Code": "AccessDenied", "Message": LOCKED}])
        self.assertEqual([d["Key"] for d in out["Deleted"]], ["other"])
        self.s3.put_object_legal_hold(Bucket=b, Key="k", VersionId=v1, LegalHold={"Status": "OFF"})
        self.assertEqual(self.s3.head_object(Bucket=b, Key="k", VersionId=v1)["ObjectLockLegalHoldStatus"], "OFF")
        self.assertEqual(self.s3.delete_object(Bucket=b, Key="k", VersionId=v1)["VersionId"], v1)

    def test_legal_hold_request_errors(self):
        b = self.locked_bucket("lock-hold-exc")
        self.assertEqual(self.err(self.s3.put_object_legal_hold, Bucket="lock-missing-2", Key="k",
                                  LegalHold={"Status": "ON"})[0], "NoSuchBucket")
        self.assertEqual(self.err(self.s3.put_object_legal_hold, Bucket=b, Key="none",
                                  LegalHold={"Status": "ON"})[0], "NoSuchKey")
        self.s3.put_object(Bucket=b, Key="k", Body=b"x")
        self.assertEqual(self.err(self.s3.put_object_legal_hold, Bucket=b, Key="k", LegalHold={"Status": "MAYBE"}),
                         ("MalformedXML", MALFORMED, 400))


class BucketWithoutLockTest(LockBase):
    def test_lock_operations_need_object_lock(self):
        b = "lock-none"
        self.s3.create_bucket(Bucket=b)
        self.s3.put_object(Bucket=b, Key="k", Body=b"x")
        missing = ("InvalidRequest", MISSING_LOCK, 400)
        self.assertEqual(self.err(self.s3.put_object_legal_hold, Bucket=b, Key="k", LegalHold={"Status": "ON"}),
                         missing)
        self.assertEqual(self.err(self.s3.put_object_legal_hold, Bucket=b, Key="k"), ("MalformedXML", MALFORMED, 400))
        self.assertEqual(self.err(self.s3.get_object_legal_hold, Bucket=b, Key="k"), missing)
        self.assertEqual(self.err(self.s3.put_object_retention, Bucket=b, Key="k",
                                  Retention={"Mode": "GOVERNANCE", "RetainUntilDate": in_seconds(60)}), missing)
        self.assertEqual(self.err(self.s3.get_object_retention, Bucket=b, Key="k"), missing)

    def test_bypass_header_is_refused(self):
        b = "lock-none-bypass"
        self.s3.create_bucket(Bucket=b)
        self.s3.put_object(Bucket=b, Key="k", Body=b"x")
        text = "x-amz-bypass-governance-retention is only applicable to Object Lock enabled buckets."
        for bypass in (True, False):
            e = self.raw_err(self.s3.delete_object, Bucket=b, Key="k", BypassGovernanceRetention=bypass)
            self.assertEqual(e, {"Code": "InvalidArgument", "Message": text,
                                 "ArgumentName": "x-amz-bypass-governance-retention"})
        e = self.raw_err(self.s3.delete_objects, Bucket=b, Delete={"Objects": [{"Key": "k"}]},
                         BypassGovernanceRetention=True)
        self.assertEqual(e["Code"], "InvalidArgument")
        self.assertEqual(self.s3.head_object(Bucket=b, Key="k")["ContentLength"], 1)  # nothing was deleted


class RestartTest(unittest.TestCase):
    def test_lock_state_survives_a_restart(self):
        first = Server(memory=False).start()
        try:
            s3 = first.client("s3")
            s3.create_bucket(Bucket="lock-restart", ObjectLockEnabledForBucket=True)
            s3.put_object_lock_configuration(Bucket="lock-restart", ObjectLockConfiguration={
                "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 5}}})
            until = in_seconds(3600).replace(microsecond=0)
            vid = s3.put_object(Bucket="lock-restart", Key="k", Body=b"x", ObjectLockMode="COMPLIANCE",
                                ObjectLockRetainUntilDate=until, ObjectLockLegalHoldStatus="ON")["VersionId"]
        finally:
            first.stop()
        second = Server(data_dir=first.data_dir).start()
        try:
            s3 = second.client("s3")
            rule = s3.get_object_lock_configuration(Bucket="lock-restart")["ObjectLockConfiguration"]["Rule"]
            self.assertEqual(rule, {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 5}})
            head = s3.head_object(Bucket="lock-restart", Key="k", VersionId=vid)
            self.assertEqual((head["ObjectLockMode"], head["ObjectLockRetainUntilDate"],
                              head["ObjectLockLegalHoldStatus"]), ("COMPLIANCE", until, "ON"))
            code, _, status = error_of(self._raises(s3.delete_object, Bucket="lock-restart", Key="k", VersionId=vid))
            self.assertEqual((code, status), ("AccessDenied", 403))
        finally:
            second.stop()
            first.cleanup()
            second.cleanup()

    def _raises(self, fn, **kw):
        with self.assertRaises(ClientError) as cm:
            fn(**kw)
        return cm.exception


if __name__ == "__main__":
    unittest.main()
