"""S3 bucket settings through boto3: lifecycle (and the x-amz-expiration header
it gives), metrics, analytics, intelligent tiering, acceleration, request
payment, logging and website configurations; their errors, who may set them,
and that they survive a restart."""

import datetime
import json
import re
import unittest

from botocore.exceptions import ClientError

from crosskey import ACCOUNT1, ACCOUNT2, Server, error_of

MALFORMED = ("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema",
             400)
NO_CONFIG = ("NoSuchConfiguration", "The specified configuration does not exist.", 404)


class ConfigBase(unittest.TestCase):
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


def rule(rule_id="r1", days=7, prefix="", **extra):
    r = {"ID": rule_id, "Status": "Enabled", "Filter": {"Prefix": prefix}, "Expiration": {"Days": days}}
    r.update(extra)
    return r


class LifecycleTest(ConfigBase):
    def test_round_trip_default_minimum_size_and_delete(self):
        b = self.bucket("lc-round-trip")
        code, msg, status = self.err(self.s3.get_bucket_lifecycle_configuration, Bucket=b)
        self.assertEqual((code, msg, status),
                         ("NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist", 404))
        put = self.s3.put_bucket_lifecycle_configuration(Bucket=b, LifecycleConfiguration={"Rules": [rule()]})
        self.assertEqual(put["TransitionDefaultMinimumObjectSize"], "all_storage_classes_128K")
        self.assertEqual(put["ResponseMetadata"]["HTTPHeaders"]["x-amz-transition-default-minimum-object-size"],
                         "all_storage_classes_128K")
        got = self.s3.get_bucket_lifecycle_configuration(Bucket=b)
        self.assertEqual(got["Rules"], [rule()])
        put = self.s3.put_bucket_lifecycle_configuration(Bucket=b, LifecycleConfiguration={"Rules": [rule()]},
                                                         TransitionDefaultMinimumObjectSize="varies_by_storage_class")
        self.assertEqual(put["TransitionDefaultMinimumObjectSize"], "varies_by_storage_class")
        self.assertEqual(self.s3.get_bucket_lifecycle_configuration(Bucket=b)["TransitionDefaultMinimumObjectSize"],
                         "varies_by_storage_class")
        self.assertEqual(self.s3.delete_bucket_lifecycle(Bucket=b)["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertEqual(self.err(self.s3.get_bucket_lifecycle_configuration, Bucket=b)[0],
                         "NoSuchLifecycleConfiguration")

    def test_validation(self):
        b = self.bucket("lc-validation")
        cases = [
            {"ID": "no-filter", "Status": "Enabled", "Expiration": {"Days": 7}},
            rule(Filter={"And": {"Prefix": "a"}, "Prefix": ""}),
            rule(Filter={"ObjectSizeGreaterThan": 500, "Prefix": ""}),
            rule(NoncurrentVersionExpiration={}),
            rule(Expiration={"Days": 1, "ExpiredObjectDeleteMarker": True}),
            rule(Status="enabled"),
        ]
        for c in cases:
            with self.subTest(rule=c):
                self.assertEqual(
                    self.err(self.s3.put_bucket_lifecycle_configuration, Bucket=b,
                             LifecycleConfiguration={"Rules": [c]}), MALFORMED)
        dup = rule(Filter={"And": {"Tags": [{"Key": "k", "Value": "a"}, {"Key": "k", "Value": "b"}]}})
        self.assertEqual(self.err(self.s3.put_bucket_lifecycle_configuration, Bucket=b,
                                  LifecycleConfiguration={"Rules": [dup]}),
                         ("InvalidRequest", "Duplicate Tag Keys are not allowed.", 400))
        not_midnight = rule(Expiration={"Date": datetime.datetime(2023, 1, 1, 2, 2, tzinfo=datetime.timezone.utc)})
        with self.assertRaises(ClientError) as cm:
            self.s3.put_bucket_lifecycle_configuration(Bucket=b, LifecycleConfiguration={"Rules": [not_midnight]})
        self.assertEqual(error_of(cm.exception), ("InvalidArgument", "'Date' must be at midnight GMT", 400))
        self.assertEqual(cm.exception.response["Error"]["ArgumentName"], "Date")
        self.assertEqual(self.err(self.s3.put_bucket_lifecycle_configuration, Bucket=b,
                                  LifecycleConfiguration={"Rules": [rule()]},
                                  TransitionDefaultMinimumObjectSize="value"),
                         ("InvalidRequest", "Invalid TransitionDefaultMinimumObjectSize found: value", 400))
        # Nothing was stored by the refused requests.
        self.assertEqual(self.err(self.s3.get_bucket_lifecycle_configuration, Bucket=b)[0],
                         "NoSuchLifecycleConfiguration")

    def test_expiration_header_on_put_head_get(self):
        b = self.bucket("lc-expiry")
        self.s3.put_object(Bucket=b, Key="logs/early", Body=b"x")
        self.assertNotIn("Expiration", self.s3.head_object(Bucket=b, Key="logs/early"))
        self.s3.put_bucket_lifecycle_configuration(
            Bucket=b, LifecycleConfiguration={"Rules": [rule("logs-rule", 3, "logs/"),
                                                        rule("marker", Expiration={"ExpiredObjectDeleteMarker": True})]})
        put = self.s3.put_object(Bucket=b, Key="logs/a", Body=b"x")
        m = re.fullmatch(r'expiry-date="(.+)", rule-id="logs-rule"', put["Expiration"])
        self.assertIsNotNone(m, put["Expiration"])
        when = datetime.datetime.strptime(m.group(1), "%a, %d %b %Y %H:%M:%S GMT")
        self.assertEqual((when.hour, when.minute, when.second), (0, 0, 0), "rounded to midnight UTC")
        now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
        self.assertTrue(datetime.timedelta(days=3) <= when - now <= datetime.timedelta(days=4))
        self.assertEqual(self.s3.head_object(Bucket=b, Key="logs/a")["Expiration"], put["Expiration"])
        self.assertEqual(self.s3.get_object(Bucket=b, Key="logs/a")["Expiration"], put["Expiration"])
        # An object put before the rule shows it too; one outside its prefix does not.
        self.assertIn("logs-rule", self.s3.head_object(Bucket=b, Key="logs/early")["Expiration"])
        self.assertNotIn("Expiration", self.s3.put_object(Bucket=b, Key="data/a", Body=b"x"))
        self.assertNotIn("Expiration", self.s3.head_object(Bucket=b, Key="data/a"))

    def test_deleted_with_the_bucket(self):
        b = self.bucket("lc-bucket-deletion")
        self.s3.put_bucket_lifecycle_configuration(Bucket=b, LifecycleConfiguration={"Rules": [rule()]})
        self.s3.delete_bucket(Bucket=b)
        self.s3.create_bucket(Bucket=b)
        self.assertEqual(self.err(self.s3.get_bucket_lifecycle_configuration, Bucket=b)[0],
                         "NoSuchLifecycleConfiguration")


class MetricsTest(ConfigBase):
    def test_put_get_list_overwrite_delete(self):
        b = self.bucket("metrics-crud")
        self.assertEqual(self.err(self.s3.get_bucket_metrics_configuration, Bucket=b, Id="nope"), NO_CONFIG)
        for i in ("b-2", "a-1"):
            r = self.s3.put_bucket_metrics_configuration(
                Bucket=b, Id=i, MetricsConfiguration={"Id": i, "Filter": {"Prefix": "logs/"}})
            self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.s3.put_bucket_metrics_configuration(Bucket=b, Id="a-1",
                                                 MetricsConfiguration={"Id": "a-1", "Filter": {"Prefix": "new/"}})
        got = self.s3.get_bucket_metrics_configuration(Bucket=b, Id="a-1")["MetricsConfiguration"]
        self.assertEqual(got, {"Id": "a-1", "Filter": {"Prefix": "new/"}})
        listed = self.s3.list_bucket_metrics_configurations(Bucket=b)
        self.assertFalse(listed["IsTruncated"])
        self.assertEqual([c["Id"] for c in listed["MetricsConfigurationList"]], ["a-1", "b-2"])
        self.assertEqual(self.s3.delete_bucket_metrics_configuration(Bucket=b, Id="a-1")
                         ["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertEqual(self.err(self.s3.delete_bucket_metrics_configuration, Bucket=b, Id="a-1"), NO_CONFIG)
        self.assertEqual(self.err(self.s3.get_bucket_metrics_configuration, Bucket=b, Id="a-1"), NO_CONFIG)

    def test_errors_and_pages(self):
        b = self.bucket("metrics-errors")
        self.assertEqual(self.err(self.s3.put_bucket_metrics_configuration, Bucket=b, Id="one",
                                  MetricsConfiguration={"Id": "other"}), MALFORMED)
        self.assertEqual(self.err(self.s3.get_bucket_metrics_configuration, Bucket="no-such-bucket-m", Id="x")[0],
                         "NoSuchBucket")
        for i in range(105):
            self.s3.put_bucket_metrics_configuration(Bucket=b, Id="m%03d" % i, MetricsConfiguration={"Id": "m%03d" % i})
        first = self.s3.list_bucket_metrics_configurations(Bucket=b)
        self.assertTrue(first["IsTruncated"])
        self.assertEqual(len(first["MetricsConfigurationList"]), 100)
        second = self.s3.list_bucket_metrics_configurations(Bucket=b,
                                                            ContinuationToken=first["NextContinuationToken"])
        self.assertFalse(second["IsTruncated"])
        self.assertEqual([c["Id"] for c in second["MetricsConfigurationList"]],
                         ["m100", "m101", "m102", "m103", "m104"])


class AnalyticsAndTieringTest(ConfigBase):
    def test_analytics(self):
        b = self.bucket("analytics-crud")
        cfg = {"Id": "a1", "Filter": {"Prefix": "p"}, "StorageClassAnalysis": {"DataExport": {
            "OutputSchemaVersion": "V_1",
            "Destination": {"S3BucketDestination": {"Format": "CSV", "Bucket": "arn:aws:s3:::dest"}}}}}
        self.assertEqual(self.err(self.s3.put_bucket_analytics_configuration, Bucket=b, Id="different",
                                  AnalyticsConfiguration=cfg), MALFORMED)
        self.assertEqual(self.err(self.s3.delete_bucket_analytics_configuration, Bucket=b, Id="a1"), NO_CONFIG)
        r = self.s3.put_bucket_analytics_configuration(Bucket=b, Id="a1", AnalyticsConfiguration=cfg)
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertEqual(self.s3.get_bucket_analytics_configuration(Bucket=b, Id="a1")["AnalyticsConfiguration"], cfg)
        self.assertEqual(len(self.s3.list_bucket_analytics_configurations(Bucket=b)["AnalyticsConfigurationList"]), 1)
        self.s3.delete_bucket_analytics_configuration(Bucket=b, Id="a1")
        self.assertNotIn("AnalyticsConfigurationList", self.s3.list_bucket_analytics_configurations(Bucket=b))

    def test_intelligent_tiering(self):
        b = self.bucket("tiering-crud")
        cfg = {"Id": "t1", "Filter": {"Prefix": "p"}, "Status": "Enabled",
               "Tierings": [{"Days": 90, "AccessTier": "ARCHIVE_ACCESS"}]}
        self.assertEqual(self.err(self.s3.put_bucket_intelligent_tiering_configuration, Bucket=b, Id="wrong",
                                  IntelligentTieringConfiguration=cfg), MALFORMED)
        self.s3.put_bucket_intelligent_tiering_configuration(Bucket=b, Id="t1", IntelligentTieringConfiguration=cfg)
        got = self.s3.get_bucket_intelligent_tiering_configuration(Bucket=b, Id="t1")
        self.assertEqual(got["IntelligentTieringConfiguration"], cfg)
        listed = self.s3.list_bucket_intelligent_tiering_configurations(Bucket=b)
        self.assertEqual(listed["IntelligentTieringConfigurationList"], [cfg])
        self.assertEqual(self.err(self.s3.delete_bucket_intelligent_tiering_configuration, Bucket=b, Id="x"),
                         NO_CONFIG)


class SimpleSettingsTest(ConfigBase):
    def test_accelerate(self):
        b = self.bucket("accel")
        self.assertNotIn("Status", self.s3.get_bucket_accelerate_configuration(Bucket=b))
        for status in ("Enabled", "Suspended"):
            self.s3.put_bucket_accelerate_configuration(Bucket=b, AccelerateConfiguration={"Status": status})
            self.assertEqual(self.s3.get_bucket_accelerate_configuration(Bucket=b)["Status"], status)
        self.assertEqual(self.err(self.s3.put_bucket_accelerate_configuration, Bucket=b,
                                  AccelerateConfiguration={"Status": "enabled"}), MALFORMED)
        dotted = self.bucket("accel.with.dots")
        self.assertEqual(self.err(self.s3.put_bucket_accelerate_configuration, Bucket=dotted,
                                  AccelerateConfiguration={"Status": "Enabled"}),
                         ("InvalidRequest",
                          "S3 Transfer Acceleration is not supported for buckets with periods (.) in their names", 400))

    def test_request_payment(self):
        b = self.bucket("payer")
        self.assertEqual(self.s3.get_bucket_request_payment(Bucket=b)["Payer"], "BucketOwner")
        self.s3.put_bucket_request_payment(Bucket=b, RequestPaymentConfiguration={"Payer": "Requester"})
        self.assertEqual(self.s3.get_bucket_request_payment(Bucket=b)["Payer"], "Requester")
        self.assertEqual(self.err(self.s3.put_bucket_request_payment, Bucket=b,
                                  RequestPaymentConfiguration={"Payer": "Random"}), MALFORMED)
        self.assertEqual(self.s3.get_bucket_request_payment(Bucket=b)["Payer"], "Requester")

    def test_logging(self):
        src, dst = self.bucket("log-src"), self.bucket("log-dst")
        self.assertNotIn("LoggingEnabled", self.s3.get_bucket_logging(Bucket=src))
        grants = [{"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/s3/LogDelivery"},
                   "Permission": "WRITE"}]
        self.s3.put_bucket_logging(Bucket=src, BucketLoggingStatus={"LoggingEnabled": {
            "TargetBucket": dst, "TargetPrefix": "log/", "TargetGrants": grants}})
        self.assertEqual(self.s3.get_bucket_logging(Bucket=src)["LoggingEnabled"],
                         {"TargetBucket": dst, "TargetPrefix": "log/", "TargetGrants": grants})
        with self.assertRaises(ClientError) as cm:
            self.s3.put_bucket_logging(Bucket=src, BucketLoggingStatus={"LoggingEnabled": {
                "TargetBucket": "no-such-log-target", "TargetPrefix": "log/"}})
        self.assertEqual(error_of(cm.exception), ("InvalidTargetBucketForLogging",
                                                  "The target bucket for logging does not exist", 400))
        self.assertEqual(cm.exception.response["Error"]["TargetBucket"], "no-such-log-target")
        west = self.s3.create_bucket(Bucket="log-west",
                                     CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
        with self.assertRaises(ClientError) as cm:
            self.s3.put_bucket_logging(Bucket=src, BucketLoggingStatus={"LoggingEnabled": {
                "TargetBucket": "log-west", "TargetPrefix": "log/"}})
        self.assertEqual(error_of(cm.exception), ("CrossLocationLoggingProhibitted",
                                                  "Cross S3 location logging not allowed. ", 403))
        self.assertEqual(cm.exception.response["Error"]["TargetBucketLocation"], "us-west-2")
        self.assertIsNotNone(west)
        self.s3.put_bucket_logging(Bucket=src, BucketLoggingStatus={})
        self.assertNotIn("LoggingEnabled", self.s3.get_bucket_logging(Bucket=src))

    def test_website(self):
        b = self.bucket("web")
        self.assertEqual(self.err(self.s3.get_bucket_website, Bucket=b),
                         ("NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration",
                          404))
        cfg = {"IndexDocument": {"Suffix": "index.html"}, "ErrorDocument": {"Key": "err.html"},
               "RoutingRules": [{"Condition": {"KeyPrefixEquals": "docs/"},
                                 "Redirect": {"ReplaceKeyPrefixWith": "documents/"}}]}
        self.s3.put_bucket_website(Bucket=b, WebsiteConfiguration=cfg)
        got = self.s3.get_bucket_website(Bucket=b)
        self.assertEqual({k: got[k] for k in cfg}, cfg)
        self.assertEqual(self.err(self.s3.put_bucket_website, Bucket=b,
                                  WebsiteConfiguration={"IndexDocument": {"Suffix": "/index.html"}}),
                         ("InvalidArgument", "The IndexDocument Suffix is not well formed", 400))
        self.assertEqual(self.s3.delete_bucket_website(Bucket=b)["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertEqual(self.err(self.s3.get_bucket_website, Bucket=b)[0], "NoSuchWebsiteConfiguration")

    def test_tag_without_value_is_malformed(self):
        b = self.bucket("tags-no-value")
        self.s3.put_object(Bucket=b, Key="k", Body=b"")
        bad = {"TagSet": [{"Key": "key1", "Value": None}]}
        # botocore leaves out the Value element of a None value (parameter validation off).
        s3 = self.server.client("s3", parameter_validation=False)
        self.assertEqual(self.err(s3.put_bucket_tagging, Bucket=b, Tagging=bad), MALFORMED)
        self.assertEqual(self.err(s3.put_object_tagging, Bucket=b, Key="k", Tagging=bad), MALFORMED)
        self.assertEqual(self.err(s3.create_bucket, Bucket="tags-no-value-2",
                                  CreateBucketConfiguration={"Tags": [{"Key": "key1", "Value": None}]}), MALFORMED)
        # An empty value is a value.
        self.s3.put_bucket_tagging(Bucket=b, Tagging={"TagSet": [{"Key": "key1", "Value": ""}]})


class AccessTest(ConfigBase):
    def test_other_account_needs_the_settings_actions(self):
        b = self.bucket("cfg-access")
        other = self.server.client("s3", account=ACCOUNT2)
        self.assertEqual(self.err(other.put_bucket_metrics_configuration, Bucket=b, Id="m",
                                  MetricsConfiguration={"Id": "m"})[0], "AccessDenied")
        policy = {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % ACCOUNT2},
            "Action": ["s3:PutMetricsConfiguration", "s3:GetLifecycleConfiguration"],
            "Resource": "arn:aws:s3:::%s" % b}]}
        self.s3.put_bucket_policy(Bucket=b, Policy=json.dumps(policy))
        other.put_bucket_metrics_configuration(Bucket=b, Id="m", MetricsConfiguration={"Id": "m"})
        self.assertEqual(self.err(other.get_bucket_metrics_configuration, Bucket=b, Id="m")[0], "AccessDenied")
        self.assertEqual(self.err(other.put_bucket_lifecycle_configuration, Bucket=b,
                                  LifecycleConfiguration={"Rules": [rule()]})[0], "AccessDenied")
        self.assertEqual(self.err(other.get_bucket_lifecycle_configuration, Bucket=b)[0],
                         "NoSuchLifecycleConfiguration")


class RestartTest(unittest.TestCase):
    def test_settings_survive_a_restart(self):
        server = Server(memory=False).start()
        try:
            s3 = server.client("s3")
            s3.create_bucket(Bucket="persist")
            s3.put_bucket_lifecycle_configuration(Bucket="persist", LifecycleConfiguration={"Rules": [rule()]})
            s3.put_bucket_metrics_configuration(Bucket="persist", Id="m", MetricsConfiguration={"Id": "m"})
            s3.put_bucket_request_payment(Bucket="persist", RequestPaymentConfiguration={"Payer": "Requester"})
            s3.put_bucket_website(Bucket="persist", WebsiteConfiguration={"IndexDocument": {"Suffix": "i.html"}})
            self.assertEqual(server.stop(), 0)
            again = Server(data_dir=server.data_dir).start()
            try:
                s3 = again.client("s3")
                self.assertEqual(s3.get_bucket_lifecycle_configuration(Bucket="persist")["Rules"], [rule()])
                self.assertEqual(s3.get_bucket_metrics_configuration(Bucket="persist", Id="m")
                                 ["MetricsConfiguration"], {"Id": "m"})
                self.assertEqual(s3.get_bucket_request_payment(Bucket="persist")["Payer"], "Requester")
                self.assertEqual(s3.get_bucket_website(Bucket="persist")["IndexDocument"], {"Suffix": "i.html"})
            finally:
                again.stop()
        finally:
            server.stop()
            server.cleanup()


if __name__ == "__main__":
    unittest.main()
