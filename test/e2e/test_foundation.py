"""Issue: foundation. One binary, one port; real AWS clients authenticate as the
right account; SigV4 failures come back in each protocol's own error format;
state survives a restart."""

import datetime
import json
import os
import signal
import time
import unittest
import urllib.request
from unittest import mock

import botocore.auth
import botocore.exceptions

from crosskey import ACCOUNT1, ACCOUNT2, Server, error_of

STRICT_CONFIG = """
[[accounts]]
id = "111111111111"
name = "dev"

[[users]]
account = "111111111111"
name = "alice"
access_key_id = "AKIAALICE00000000001"
secret_access_key = "alice-secret-key"
"""


class DevModeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server().start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()

    def test_boto3_get_caller_identity_answers_each_account(self):
        for account in (ACCOUNT1, ACCOUNT2):
            ident = self.server.client("sts", account=account).get_caller_identity()
            self.assertEqual(ident["Account"], account)
            self.assertEqual(ident["Arn"], "arn:aws:iam::%s:root" % account)
            self.assertEqual(ident["UserId"], account)
            self.assertIn("x-amzn-requestid", ident["ResponseMetadata"]["HTTPHeaders"])

    def test_cli_get_caller_identity_answers_each_account(self):
        for account in (ACCOUNT1, ACCOUNT2):
            ident = self.server.aws_json("sts", "get-caller-identity", account=account)
            self.assertEqual(ident["Account"], account)
            self.assertEqual(ident["Arn"], "arn:aws:iam::%s:root" % account)

    def test_unknown_key_is_the_default_account_root(self):
        ident = self.server.client("sts", account="test").get_caller_identity()
        self.assertEqual(ident["Account"], "000000000000")

    def test_unknown_query_action_is_invalid_action(self):
        req = urllib.request.Request(self.server.endpoint + "/", data=b"Action=FlyToTheMoon&Version=2011-06-15",
                                     method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            "Authorization": "AWS4-HMAC-SHA256 Credential=111111111111/20261129/us-east-1/sts/aws4_request, "
                             "SignedHeaders=host;x-amz-date, Signature=" + "0" * 64,
            "X-Amz-Date": datetime.datetime.utcnow().strftime("%Y%m%dT%H%M%SZ")})
        with self.assertRaises(urllib.error.HTTPError) as cm:
            urllib.request.urlopen(req, timeout=10)
        self.assertEqual(cm.exception.code, 400)
        body = cm.exception.read()
        self.assertIn(b"<Code>InvalidAction</Code>", body)
        self.assertIn(b"<Message>Could not find operation FlyToTheMoon for version 2011-06-15</Message>", body)
        self.assertIn(b"<Type>Sender</Type>", body)

    def test_unknown_json_target_is_unknown_operation(self):
        data = b"{}"
        req = urllib.request.Request(self.server.endpoint + "/", data=data, method="POST", headers={
            "X-Amz-Target": "TrentService.MakeCoffee", "Content-Type": "application/x-amz-json-1.1",
            "Authorization": "AWS4-HMAC-SHA256 Credential=111111111111/20261129/us-east-1/kms/aws4_request, "
                             "SignedHeaders=host;x-amz-date, Signature=" + "0" * 64,
            "X-Amz-Date": datetime.datetime.utcnow().strftime("%Y%m%dT%H%M%SZ")})
        with self.assertRaises(urllib.error.HTTPError) as cm:
            urllib.request.urlopen(req, timeout=10)
        self.assertEqual(cm.exception.code, 400)
        body = json.loads(cm.exception.read())
        self.assertEqual(body["__type"], "UnknownOperationException")

    def test_request_twenty_minutes_skewed_is_refused(self):
        skewed = datetime.datetime.utcnow() - datetime.timedelta(minutes=20)
        with mock.patch.object(botocore.auth, "get_current_datetime", return_value=skewed):
            with self.assertRaises(botocore.exceptions.ClientError) as cm:
                self.server.client("sts").get_caller_identity()
        code, message, status = error_of(cm.exception)
        self.assertEqual((code, status), ("SignatureDoesNotMatch", 403))
        self.assertTrue(message.startswith("Signature expired: "), message)
        self.assertIn("- 15 min.)", message)

    def test_request_twenty_minutes_skewed_is_refused_by_s3(self):
        skewed = datetime.datetime.utcnow() - datetime.timedelta(minutes=20)
        with mock.patch.object(botocore.auth, "get_current_datetime", return_value=skewed):
            with self.assertRaises(botocore.exceptions.ClientError) as cm:
                self.server.client("s3").list_buckets()
        code, message, status = error_of(cm.exception)
        self.assertEqual((code, status), ("RequestTimeTooSkewed", 403))
        self.assertEqual(message, "The difference between the request time and the current time is too large.")

    def test_presigned_url_after_expiry_is_refused(self):
        s3 = self.server.client("s3", signature_version="s3v4")
        url = s3.generate_presigned_url("get_object", Params={"Bucket": "b", "Key": "k"}, ExpiresIn=1)
        time.sleep(2.1)
        status, headers, body = self.server.get(url[len(self.server.endpoint):])
        self.assertEqual(status, 403)
        self.assertIn(b"<Code>AccessDenied</Code>", body)
        self.assertIn(b"<Message>Request has expired</Message>", body)
        self.assertIn("x-amz-request-id", {k.lower() for k in headers})

    def test_sigv2_presigned_url_from_boto3_defaults_expires_too(self):
        # boto3 presigns S3 URLs with SigV2 unless signature_version="s3v4" is configured.
        url = self.server.client("s3").generate_presigned_url(
            "get_object", Params={"Bucket": "b", "Key": "k"}, ExpiresIn=1)
        self.assertIn("AWSAccessKeyId=", url)
        time.sleep(2.1)
        status, _, body = self.server.get(url[len(self.server.endpoint):])
        self.assertEqual(status, 403)
        self.assertIn(b"<Message>Request has expired</Message>", body)

    def test_health_reports_version_services_and_store(self):
        h = self.server.health()
        self.assertEqual(h["status"], "ok")
        self.assertIn("sts", h["services"])
        self.assertEqual(h["store"]["metadata"], "memory")
        self.assertGreaterEqual(h["uptime_seconds"], 0)
        self.assertTrue(h["version"])

    def test_keep_alive_serves_many_requests_on_one_connection(self):
        sts = self.server.client("sts")
        for _ in range(20):
            self.assertEqual(sts.get_caller_identity()["Account"], ACCOUNT1)


class StrictModeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server("--strict", config=STRICT_CONFIG).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()

    def test_declared_user_authenticates(self):
        ident = self.server.client("sts", account="AKIAALICE00000000001",
                                   secret="alice-secret-key").get_caller_identity()
        self.assertEqual(ident["Account"], ACCOUNT1)
        self.assertEqual(ident["Arn"], "arn:aws:iam::111111111111:user/alice")
        self.assertTrue(ident["UserId"].startswith("AIDA"), ident["UserId"])
        self.assertEqual(len(ident["UserId"]), 20)

    def test_wrong_secret_is_signature_does_not_match(self):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.server.client("sts", account="AKIAALICE00000000001", secret="wrong").get_caller_identity()
        code, message, status = error_of(cm.exception)
        self.assertEqual((code, status), ("SignatureDoesNotMatch", 403))
        self.assertEqual(message, "The request signature we calculated does not match the signature you provided. "
                                  "Check your AWS Secret Access Key and signing method. Consult the service "
                                  "documentation for details.")

    def test_wrong_secret_through_cli(self):
        r = self.server.aws("sts", "get-caller-identity", account="AKIAALICE00000000001", secret="wrong")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("SignatureDoesNotMatch", r.stderr)

    def test_unknown_key_is_invalid_client_token_id(self):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.server.client("sts", account=ACCOUNT2).get_caller_identity()
        code, message, status = error_of(cm.exception)
        self.assertEqual((code, status), ("InvalidClientTokenId", 403))
        self.assertEqual(message, "The security token included in the request is invalid.")
        r = self.server.aws("sts", "get-caller-identity", account="AKIANOBODY0000000000")
        self.assertIn("InvalidClientTokenId", r.stderr)

    def test_unknown_key_on_s3_is_invalid_access_key_id(self):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.server.client("s3", account="AKIANOBODY0000000000").list_buckets()
        code, message, status = error_of(cm.exception)
        self.assertEqual((code, status), ("InvalidAccessKeyId", 403))
        self.assertEqual(message, "The AWS Access Key Id you provided does not exist in our records.")

    def test_unknown_key_on_kms_is_unrecognized_client(self):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.server.client("kms", account="AKIANOBODY0000000000").list_keys()
        code, message, status = error_of(cm.exception)
        self.assertEqual((code, status), ("UnrecognizedClientException", 400))
        self.assertEqual(message, "The security token included in the request is invalid.")


class LifecycleTest(unittest.TestCase):
    def test_restart_keeps_state(self):
        with Server(memory=False) as first:
            pass  # just to own a temp dir
        data_dir = first.data_dir
        server = Server("--strict", data_dir=data_dir, config=STRICT_CONFIG).start()
        try:
            ident = server.client("sts", account="AKIAALICE00000000001",
                                  secret="alice-secret-key").get_caller_identity()
            user_id = ident["UserId"]
        finally:
            self.assertEqual(server.stop(), 0)
        # Second run without the config: the identity came from the store.
        again = Server("--strict", data_dir=data_dir).start()
        try:
            ident = again.client("sts", account="AKIAALICE00000000001",
                                 secret="alice-secret-key").get_caller_identity()
            self.assertEqual(ident["UserId"], user_id)
            self.assertIn("sqlite:", again.health()["store"]["metadata"])
        finally:
            again.stop()
            again.cleanup()
            server.cleanup()

    def test_config_creates_keys_and_buckets_once(self):
        config = STRICT_CONFIG.replace("[[users]]", """
[[keys]]
account = "111111111111"
alias = "alias/my-key"
description = "from config"

[[buckets]]
account = "111111111111"
name = "config-bucket"

[[users]]""")
        with Server(memory=False) as holder:
            pass
        data_dir = holder.data_dir
        arns = []
        for _ in range(2):  # the second start finds both already there
            server = Server(data_dir=data_dir, config=config).start()
            try:
                kms = server.client("kms", account=ACCOUNT1)
                meta = kms.describe_key(KeyId="alias/my-key")["KeyMetadata"]
                self.assertEqual(meta["Description"], "from config")
                arns.append(meta["Arn"])
                self.assertEqual(len(kms.list_aliases(KeyId=meta["KeyId"])["Aliases"]), 1)
                names = [b["Name"] for b in server.client("s3", account=ACCOUNT1).list_buckets()["Buckets"]]
                self.assertEqual(names, ["config-bucket"])
            finally:
                server.stop()
                server.cleanup()
        self.assertEqual(arns[0], arns[1])
        self.assertTrue(arns[0].startswith("arn:aws:kms:us-east-1:111111111111:key/"))

    def test_sigterm_exits_cleanly(self):
        server = Server().start()
        server.client("sts").get_caller_identity()
        self.assertEqual(server.stop(signal.SIGTERM), 0)
        self.assertIn("stopping", server.read_log())
        server.cleanup()

    def test_non_loopback_without_strict_is_refused(self):
        server = Server("--host", "0.0.0.0")
        import subprocess
        r = subprocess.run(server.args(), capture_output=True, text=True, timeout=10)
        self.assertEqual(r.returncode, 2)
        self.assertIn("refusing to listen on non-loopback address", r.stderr)
        server.cleanup()

    def test_bad_config_names_file_line_and_field(self):
        server = Server(config='[[users]]\naccount = "12"\nname = "x"\n')
        import subprocess
        r = subprocess.run(server.args(), capture_output=True, text=True, timeout=10)
        self.assertEqual(r.returncode, 2)
        self.assertIn("config.toml:2: users[0].account: must be a 12-digit account id", r.stderr)
        server.cleanup()


if __name__ == "__main__":
    unittest.main()


class AccessLogTest(unittest.TestCase):
    """One access-log line per request names the service and the operation
    (S3 included, whose operation is known only once its REST routing ran)."""

    def test_lines_name_service_and_operation(self):
        with Server() as server:
            s3 = server.client("s3", account=ACCOUNT1)
            s3.create_bucket(Bucket="logged")
            s3.put_object(Bucket="logged", Key="k", Body=b"hello")
            s3.get_object(Bucket="logged", Key="k")["Body"].read()
            with self.assertRaises(botocore.exceptions.ClientError):
                s3.get_object(Bucket="logged", Key="missing")
            server.client("kms", account=ACCOUNT1).list_keys()
            log = server.read_log()
            arn = "arn:aws:iam::%s:root" % ACCOUNT1
            for service, operation, status in [("s3", "CreateBucket", 200), ("s3", "PutObject", 200),
                                               ("s3", "GetObject", 200), ("s3", "GetObject", 404),
                                               ("kms", "ListKeys", 200)]:
                self.assertRegex(log, r"%s %s %s %d in=" % (arn, service, operation, status))
