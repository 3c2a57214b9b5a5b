"""Every request gets an answer and a log line.

The access line carries the AWS error code (and, at --log-level debug, the
message); requests answered or dropped below the services (header section too
large, unparsable request, the connection limit, bodies cut short, responses
the client stopped reading) are logged too; --log-level trace logs routing
and authentication decisions, never a secret or a signature."""

import os
import re
import socket
import struct
import time
import unittest
import urllib.parse
import urllib.request

import botocore.auth
import botocore.awsrequest
import botocore.credentials
from botocore.exceptions import ClientError

from crosskey import ACCOUNT1, Server

USER_KEY = "AKIALOGUSER000000001"
USER_SECRET = "log-user-secret-do-not-print"
CONFIG = """
[[users]]
account = "111111111111"
name = "alice"
access_key_id = "%s"
secret_access_key = "%s"
policies = [{ name = "all", document = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}' }]
""" % (USER_KEY, USER_SECRET)


def raw(server, data, read=True, timeout=10):
    """Sends bytes on a fresh connection; returns what came back (until close)."""
    s = socket.create_connection(("127.0.0.1", server.port), timeout=timeout)
    s.sendall(data)
    out = b""
    if read:
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                out += chunk
        except socket.timeout:
            pass
    s.close()
    return out


def signed_head(server, method, path, headers, access_key=ACCOUNT1, secret="test"):
    """The request line and headers of a SigV4-signed S3 request, as bytes."""
    req = botocore.awsrequest.AWSRequest(method=method, url=server.endpoint + path, headers=headers)
    botocore.auth.S3SigV4Auth(botocore.credentials.Credentials(access_key, secret), "s3", "us-east-1").add_auth(req)
    lines = ["%s %s HTTP/1.1" % (method, path), "Host: 127.0.0.1:%d" % server.port]
    lines += ["%s: %s" % (k, v) for k, v in req.headers.items() if k.lower() != "host"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def wait_log(server, pattern, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        m = re.search(pattern, server.read_log())
        if m:
            return m
        time.sleep(0.05)
    raise AssertionError("no log line matches %r:\n%s" % (pattern, server.read_log()[-4000:]))


class AccessLineTest(unittest.TestCase):
    def test_error_code_always_message_at_debug(self):
        for level, with_message in [("info", False), ("debug", True)]:
            with Server("--log-level", level) as server:
                s3 = server.client("s3")
                s3.create_bucket(Bucket="logged")
                with self.assertRaises(ClientError):
                    s3.get_object(Bucket="logged", Key="missing")
                with self.assertRaises(ClientError):
                    server.client("kms").describe_key(KeyId="alias/none")
                log = server.read_log()
                m = wait_log(server, r"s3 GetObject 404 in=0 out=\d+ \d+us error=NoSuchKey(.*)")
                k = wait_log(server, r"kms DescribeKey 400 in=\d+ out=\d+ \d+us error=NotFoundException(.*)")
                if with_message:
                    self.assertEqual(m.group(1), ' message="The specified key does not exist."')
                    self.assertIn("is not found.", k.group(1))
                else:
                    self.assertEqual(m.group(1), "")
                    self.assertEqual(k.group(1), "")
                self.assertRegex(log, r"s3 CreateBucket 200 in=0 out=0 \d+us\n")  # no error part

    def test_crosskey_endpoints_are_logged(self):
        with Server() as server:
            status, _, _ = server.get("/_crosskey/nothing-here")
            self.assertEqual(status, 404)
            wait_log(server, r"crosskey GET /_crosskey/nothing-here 404 in=0 out=\d+")


class HttpLevelTest(unittest.TestCase):
    def test_header_section_too_large(self):
        with Server("--max-header-bytes", "2048") as server:
            resp = raw(server, b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 4000 + b"\r\n\r\n")
            self.assertTrue(resp.startswith(b"HTTP/1.1 400"), resp[:200])
            self.assertIn(b"<Code>RequestHeaderSectionTooLarge</Code>", resp)
            wait_log(server, r"- - http - 400 in=0 out=0 0us error=RequestHeaderSectionTooLarge remote=127\.0\.0\.1: "
                             r"request line and headers exceed --max-header-bytes 2048")

    def test_bad_request_line(self):
        with Server() as server:
            resp = raw(server, b"THIS IS NOT HTTP\r\n\r\n")
            self.assertTrue(resp.startswith(b"HTTP/1.1 400"), resp[:200])
            self.assertIn(b"<Code>BadRequest</Code>", resp)
            wait_log(server, r"- - http - 400 .* error=BadRequest remote=127\.0\.0\.1: unparsable request")
            # The server lives on.
            self.assertEqual(server.health()["status"], "ok")

    def test_connection_limit(self):
        with Server("--max-connections", "2") as server:
            held = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(2)]
            time.sleep(0.2)
            resp = raw(server, b"GET /_crosskey/health HTTP/1.1\r\nHost: x\r\n\r\n")
            self.assertTrue(resp.startswith(b"HTTP/1.1 503"), resp[:200])
            self.assertIn(b"<Code>SlowDown</Code>", resp)
            wait_log(server, r"- - http - 503 .* error=SlowDown remote=127\.0\.0\.1: 3 open connections, more than "
                             r"--max-connections 2")
            for s in held:
                s.close()

    def test_upload_cut_short_is_logged_and_leaves_nothing(self):
        with Server(memory=False) as server:
            server.client("s3").create_bucket(Bucket="logged")
            head = signed_head(server, "PUT", "/logged/cut", {"x-amz-content-sha256": "UNSIGNED-PAYLOAD",
                                                              "Content-Length": "1048576"})
            raw(server, head + b"x" * 1000, read=False)
            m = wait_log(server, r"([0-9A-F]{16}) PUT /logged/cut aborted: connection from 127\.0\.0\.1 closed after "
                                 r"(\d+) of 1048576 body bytes")
            self.assertEqual(m.group(2), "1000")
            with self.assertRaises(ClientError):
                server.client("s3").head_object(Bucket="logged", Key="cut")
            self.assertEqual(os.listdir(os.path.join(server.data_dir, "blobs", "tmp")), [])

    def test_response_the_client_stops_reading_is_logged(self):
        with Server() as server:
            s3 = server.client("s3")
            s3.create_bucket(Bucket="logged")
            s3.put_object(Bucket="logged", Key="big", Body=b"b" * (48 << 20))
            head = signed_head(server, "GET", "/logged/big", {"x-amz-content-sha256": "UNSIGNED-PAYLOAD"})
            s = socket.create_connection(("127.0.0.1", server.port))
            s.sendall(head)
            s.recv(1024)  # the start of the answer, then stop reading and reset
            time.sleep(0.3)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            s.close()
            wait_log(server, r"[0-9A-F]{16} GET /logged/big dropped: the 200 response could not be sent whole to "
                             r"127\.0\.0\.1")


class TraceTest(unittest.TestCase):
    def test_routing_and_auth_decisions_without_secrets(self):
        with Server("--log-level", "trace", config=CONFIG) as server:
            signatures = []

            def capture(request, **_):
                auth = request.headers.get("Authorization", b"")
                auth = auth.decode() if isinstance(auth, bytes) else auth
                m = re.search(r"Signature=([0-9a-f]{64})", auth)
                if m:
                    signatures.append(m.group(1))

            s3 = server.client("s3", account=USER_KEY, secret=USER_SECRET)
            s3.meta.events.register("before-send", capture)
            s3.create_bucket(Bucket="traced")
            s3.put_object(Bucket="traced", Key="k", Body=b"v")
            presigned = []
            for version, param in [("s3v4", "X-Amz-Signature"), ("s3", "Signature")]:
                signer = server.client("s3", account=USER_KEY, secret=USER_SECRET, signature_version=version)
                url = signer.generate_presigned_url("get_object", Params={"Bucket": "traced", "Key": "k"})
                presigned.append(urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)[param][0])
                with urllib.request.urlopen(url) as r:
                    self.assertEqual(r.read(), b"v")
            kms = server.client("kms", account=USER_KEY, secret=USER_SECRET)
            kms.meta.events.register("before-send", capture)
            kms.list_keys()
            with self.assertRaises(ClientError):
                server.client("sts", account=USER_KEY, secret="wrong-secret").get_caller_identity()
            log = server.read_log()
            self.assertRegex(log, r"route: PUT /traced/k from 127\.0\.0\.1 -> service=s3 protocol=rest-xml")
            self.assertRegex(log, r"route: POST / from 127\.0\.0\.1 -> service=kms protocol=json operation=ListKeys")
            self.assertIn("auth: SigV4 header access key %s: known key, signature verified" % USER_KEY, log)
            self.assertIn("auth: SigV4 presigned access key %s: known key, signature verified" % USER_KEY, log)
            self.assertIn("auth: principal=arn:aws:iam::111111111111:user/alice account=111111111111", log)
            self.assertIn("auth: SigV2 access key %s: known key, signature verified" % USER_KEY, log)
            self.assertIn("auth: signature over the body refused: SignatureDoesNotMatch", log)
            self.assertIn("authz: arn:aws:iam::111111111111:user/alice s3:PutObject on arn:aws:s3:::traced/k -> "
                          "allowed", log)
            self.assertIn(USER_KEY, log)  # the key id is not a secret
            self.assertNotIn(USER_SECRET, log)
            self.assertGreater(len(signatures), 2)
            for sig in signatures + presigned:
                self.assertTrue(sig)
                self.assertNotIn(sig, log)

    def test_info_level_has_no_trace_lines(self):
        with Server() as server:
            server.client("sts").get_caller_identity()
            log = server.read_log()
            self.assertNotIn("route:", log)
            self.assertNotIn("authz:", log)


if __name__ == "__main__":
    unittest.main()
