"""HTTPS on crosskey's port: --tls-self-signed and --tls-cert/--tls-key.

The same port serves plain HTTP and HTTPS (the first byte of a connection
decides). Real clients over HTTPS: boto3 (verify=<cert>), the AWS CLI
(--ca-bundle) and crosskey audit (--ca-bundle); clients that do not trust the
certificate fail verification; aws:SecureTransport is true exactly for HTTPS
requests, as in AWS.
"""

import ipaddress
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
import unittest
import warnings

import boto3
import botocore.exceptions
from botocore.config import Config

from crosskey import ACCOUNT1, ACCOUNT2, BIN, REGION, Server, error_of

# The tests decide what each client trusts.
os.environ.pop("AWS_CA_BUNDLE", None)


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def client(endpoint, service, verify, account=ACCOUNT1):
    return boto3.client(service, endpoint_url=endpoint, region_name=REGION, aws_access_key_id=account,
                        aws_secret_access_key="test", verify=verify,
                        config=Config(retries={"max_attempts": 1}))


def tls_connect(port, cafile, **context_settings):
    """A TLS socket to the server, verifying with `cafile`; ragged EOFs (no close_notify) raise."""
    ctx = ssl.create_default_context(cafile=cafile)
    for k, v in context_settings.items():
        setattr(ctx, k, v)
    raw = socket.create_connection(("127.0.0.1", port), timeout=10)
    return ctx.wrap_socket(raw, server_hostname="127.0.0.1", suppress_ragged_eofs=False)


def read_to_eof(sock):
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk


class SelfSigned(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server("--tls-self-signed", memory=False).start()
        cls.cert = cls.server.tls_cert
        cls.https = cls.server.https_endpoint

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()

    def test_certificate_written_to_the_data_dir_and_printed(self):
        self.assertEqual(self.cert, os.path.join(self.server.data_dir, "tls", "cert.pem"))
        with open(self.cert) as f:
            pem = f.read()
        self.assertTrue(pem.startswith("-----BEGIN CERTIFICATE-----"), pem[:40])
        self.assertNotIn("PRIVATE KEY", pem)
        decoded = ssl._ssl._test_decode_cert(self.cert)
        sans = set()
        for kind, value in decoded["subjectAltName"]:
            sans.add((kind, str(ipaddress.ip_address(value.strip())) if kind == "IP Address" else value))
        self.assertEqual(sans, {("DNS", "localhost"), ("IP Address", "127.0.0.1"), ("IP Address", "::1")})
        self.assertIn((("commonName", "localhost"),), decoded["subject"])
        log = self.server.read_log()
        self.assertIn("https://127.0.0.1:%d" % self.server.port, log)
        self.assertIn("--ca-bundle " + self.cert, log)

    def test_certificate_passes_strict_verification(self):
        # Python 3.13 clients verify with VERIFY_X509_STRICT by default.
        with tls_connect(self.server.port, self.cert,
                         verify_flags=ssl.VERIFY_DEFAULT | ssl.VERIFY_X509_STRICT) as s:
            self.assertIn(s.version(), ("TLSv1.2", "TLSv1.3"))

    def test_boto3_over_https(self):
        s3 = client(self.https, "s3", self.cert)
        s3.create_bucket(Bucket="tls-boto3")
        body = os.urandom(5 * 1024 * 1024 + 17)  # streamed in several chunks each way
        s3.put_object(Bucket="tls-boto3", Key="big", Body=body)
        self.assertEqual(s3.get_object(Bucket="tls-boto3", Key="big")["Body"].read(), body)
        got = s3.get_object(Bucket="tls-boto3", Key="big", Range="bytes=100-199")["Body"].read()
        self.assertEqual(got, body[100:200])
        up = s3.create_multipart_upload(Bucket="tls-boto3", Key="mp")["UploadId"]
        etag = s3.upload_part(Bucket="tls-boto3", Key="mp", UploadId=up, PartNumber=1, Body=b"part")["ETag"]
        done = s3.complete_multipart_upload(Bucket="tls-boto3", Key="mp", UploadId=up, MultipartUpload={
            "Parts": [{"PartNumber": 1, "ETag": etag}]})
        self.assertEqual(done["Location"], "https://127.0.0.1:%d/tls-boto3/mp" % self.server.port)
        kms = client(self.https, "kms", self.cert)
        key = kms.create_key()["KeyMetadata"]["KeyId"]
        blob = kms.encrypt(KeyId=key, Plaintext=b"over tls")["CiphertextBlob"]
        self.assertEqual(kms.decrypt(CiphertextBlob=blob)["Plaintext"], b"over tls")
        ident = client(self.https, "sts", self.cert, account=ACCOUNT2).get_caller_identity()
        self.assertEqual(ident["Account"], ACCOUNT2)

    def test_boto3_by_host_name(self):
        ident = client("https://localhost:%d" % self.server.port, "sts", self.cert).get_caller_identity()
        self.assertEqual(ident["Account"], ACCOUNT1)

    def test_plain_http_on_the_same_port(self):
        s3 = self.server.client("s3")
        s3.create_bucket(Bucket="tls-plain")
        s3.put_object(Bucket="tls-plain", Key="k", Body=b"plain")
        self.assertEqual(client(self.https, "s3", self.cert).get_object(Bucket="tls-plain", Key="k")["Body"].read(),
                         b"plain")
        self.assertEqual(self.server.health()["version"], self.server.health()["version"])

    def test_client_that_does_not_trust_the_certificate_fails(self):
        sts = client(self.https, "sts", True)  # the default trust store (certifi)
        with self.assertRaises(botocore.exceptions.SSLError) as cm:
            sts.get_caller_identity()
        self.assertIn("CERTIFICATE_VERIFY_FAILED", str(cm.exception))
        with self.assertRaises(ssl.SSLCertVerificationError):
            tls_connect(self.server.port, None)
        # Logged, and the server serves on.
        deadline = time.monotonic() + 5
        while "TLS handshake failed" not in self.server.read_log() and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertIn("TLS handshake failed", self.server.read_log())
        self.assertEqual(client(self.https, "sts", self.cert).get_caller_identity()["Account"], ACCOUNT1)

    def test_aws_cli_with_ca_bundle(self):
        ok = self.server.aws("--endpoint-url", self.https, "--ca-bundle", self.cert, "s3api", "create-bucket",
                             "--bucket", "tls-cli")
        self.assertEqual(ok.returncode, 0, ok.stderr)
        with tempfile.NamedTemporaryFile(suffix=".txt") as f:
            f.write(b"cli over tls")
            f.flush()
            cp = self.server.aws("--endpoint-url", self.https, "--ca-bundle", self.cert, "s3", "cp", f.name,
                                 "s3://tls-cli/o.txt")
            self.assertEqual(cp.returncode, 0, cp.stderr)
        cat = self.server.aws("--endpoint-url", self.https, "--ca-bundle", self.cert, "s3", "cp",
                              "s3://tls-cli/o.txt", "-")
        self.assertEqual((cat.returncode, cat.stdout), (0, "cli over tls"), cat.stderr)
        refused = self.server.aws("--endpoint-url", self.https, "s3api", "list-buckets")
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("SSL validation failed", refused.stderr)
        self.assertIn("CERTIFICATE_VERIFY_FAILED", refused.stderr)

    def run_audit(self, *args, env_extra=None):
        env = dict(os.environ)
        env.update({"AWS_ACCESS_KEY_ID": ACCOUNT1, "AWS_SECRET_ACCESS_KEY": "test", "AWS_REGION": REGION,
                    "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"})
        for k in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
            env.pop(k, None)
        env.update(env_extra or {})
        return subprocess.run([BIN, "audit", "--endpoint-url", self.https, "--no-progress", *args], env=env,
                              capture_output=True, text=True, timeout=300)

    def test_audit_with_ca_bundle(self):
        kms = client(self.https, "kms", self.cert)
        key = kms.create_key()["KeyMetadata"]["Arn"]
        s3 = client(self.https, "s3", self.cert)
        s3.create_bucket(Bucket="tls-audit")
        s3.put_bucket_encryption(Bucket="tls-audit", ServerSideEncryptionConfiguration={"Rules": [
            {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key}}]})
        s3.put_object(Bucket="tls-audit", Key="mine.txt", Body=b"under the owner's key")
        r = self.run_audit("--ca-bundle", self.cert, "--bucket", "tls-audit", "--format", "json")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("tls-audit", r.stdout)
        self.assertIn(key, r.stdout)
        # AWS_CA_BUNDLE is the flag's fallback, as in the AWS CLI.
        r = self.run_audit("--bucket", "tls-audit", env_extra={"AWS_CA_BUNDLE": self.cert})
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        # Without it the system's trust store is used, which does not hold this certificate.
        r = self.run_audit("--bucket", "tls-audit")
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("certificate verify failed", r.stderr)

    def test_secure_transport_condition(self):
        http_s3 = self.server.client("s3")
        https_s3 = client(self.https, "s3", self.cert)
        http_s3.create_bucket(Bucket="tls-policy")
        http_s3.put_bucket_policy(Bucket="tls-policy", Policy=doc(
            {"Sid": "NoPlainReads", "Effect": "Deny", "Principal": "*", "Action": "s3:GetObject",
             "Resource": "arn:aws:s3:::tls-policy/*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
            # The opposite, so that HTTPS is seen as true rather than as a missing key.
            {"Sid": "NoTlsWritesHere", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
             "Resource": "arn:aws:s3:::tls-policy/plain-only/*",
             "Condition": {"Bool": {"aws:SecureTransport": "true"}}}))
        http_s3.put_object(Bucket="tls-policy", Key="o", Body=b"data")
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            http_s3.get_object(Bucket="tls-policy", Key="o")
        self.assertEqual(error_of(cm.exception)[0::2], ("AccessDenied", 403))
        self.assertEqual(https_s3.get_object(Bucket="tls-policy", Key="o")["Body"].read(), b"data")
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            https_s3.put_object(Bucket="tls-policy", Key="plain-only/x", Body=b"x")
        self.assertEqual(error_of(cm.exception)[0::2], ("AccessDenied", 403))
        http_s3.put_object(Bucket="tls-policy", Key="plain-only/x", Body=b"x")

        # The same key in a KMS key policy (JSON protocol).
        http_kms = self.server.client("kms")
        key = http_kms.create_key(Policy=doc(
            {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
             "Principal": {"AWS": "arn:aws:iam::%s:root" % ACCOUNT1}, "Action": "kms:*", "Resource": "*"},
            {"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "kms:Encrypt", "Resource": "*",
             "Condition": {"Bool": {"aws:SecureTransport": "false"}}}))["KeyMetadata"]["KeyId"]
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            http_kms.encrypt(KeyId=key, Plaintext=b"x")
        self.assertEqual(error_of(cm.exception)[0::2], ("AccessDeniedException", 400))
        client(self.https, "kms", self.cert).encrypt(KeyId=key, Plaintext=b"x")

    def test_protocol_versions(self):
        with tls_connect(self.server.port, self.cert) as s:
            self.assertEqual(s.version(), "TLSv1.3")
        with tls_connect(self.server.port, self.cert, maximum_version=ssl.TLSVersion.TLSv1_2) as s:
            self.assertEqual(s.version(), "TLSv1.2")
        # A client willing to speak TLS 1.1 (its own security level lowered) is refused by the server.
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.load_verify_locations(self.cert)
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # the point of the test
            ctx.minimum_version = ssl.TLSVersion.TLSv1_1
            ctx.maximum_version = ssl.TLSVersion.TLSv1_1
        raw = socket.create_connection(("127.0.0.1", self.server.port), timeout=10)
        with self.assertRaises(ssl.SSLError) as cm:
            ctx.wrap_socket(raw, server_hostname="127.0.0.1")
        raw.close()
        self.assertIn("PROTOCOL_VERSION", str(cm.exception).upper())

    def test_pipelined_requests_and_clean_close(self):
        get = "GET /_crosskey/health HTTP/1.1\r\nHost: x\r\n\r\n"
        last = "GET /_crosskey/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        with tls_connect(self.server.port, self.cert) as s:
            s.sendall((get + get + last).encode())
            data = read_to_eof(s)  # ends with a close_notify: a ragged EOF would raise
        self.assertEqual(data.count(b"HTTP/1.1 200 OK"), 3, data[:300])

    def test_header_limit_over_tls(self):
        big = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\n\r\n" % ("a" * 20000)
        with tls_connect(self.server.port, self.cert) as s:
            s.sendall(big.encode())
            data = read_to_eof(s)
        self.assertTrue(data.startswith(b"HTTP/1.1 400"), data[:200])
        self.assertIn(b"RequestHeaderSectionTooLarge", data)


class OwnCertificate(unittest.TestCase):
    """--tls-cert/--tls-key with a certificate signed by a test CA (made with the openssl command)."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="crosskey-tls-")
        p = lambda name: os.path.join(cls.dir, name)  # noqa: E731
        cls.ca, cls.ca_key, cls.cert, cls.key = p("ca.pem"), p("ca.key"), p("server.pem"), p("server.key")
        with open(p("ext.cnf"), "w") as f:
            f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"
                    "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n")
        run = lambda *a: subprocess.run(["openssl", *a], check=True, capture_output=True)  # noqa: E731
        run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", cls.ca_key, "-out", cls.ca, "-days", "2",
            "-subj", "/CN=crosskey test CA")
        run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", cls.key, "-out", p("server.csr"),
            "-subj", "/CN=localhost")
        run("x509", "-req", "-in", p("server.csr"), "-CA", cls.ca, "-CAkey", cls.ca_key, "-CAcreateserial",
            "-out", cls.cert, "-days", "2", "-extfile", p("ext.cnf"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def serve(self, *args):
        return subprocess.run([BIN, "serve", "--port", "0", "--memory", *args], capture_output=True, text=True,
                              timeout=30)

    def test_serves_the_given_certificate(self):
        with Server("--tls-cert", self.cert, "--tls-key", self.key) as s:
            self.assertIsNone(s.tls_cert)  # nothing generated, nothing written
            ident = client(s.https_endpoint, "sts", self.ca).get_caller_identity()
            self.assertEqual(ident["Account"], ACCOUNT1)
            self.assertEqual(s.client("sts").get_caller_identity()["Account"], ACCOUNT1)
            self.assertIn("CN=localhost", s.read_log())

    def test_bad_files_stop_the_start(self):
        r = self.serve("--tls-cert", self.cert, "--tls-key", self.ca_key)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("--tls-cert %s / --tls-key %s: the private key does not belong to the certificate"
                      % (self.cert, self.ca_key), r.stderr)
        r = self.serve("--tls-cert", os.path.join(self.dir, "ext.cnf"), "--tls-key", self.key)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("the certificate does not parse as PEM", r.stderr)
        r = self.serve("--tls-cert", self.cert)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("--tls-key", r.stderr)
        r = self.serve("--tls-self-signed", "--tls-cert", self.cert, "--tls-key", self.key)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("excludes", r.stderr)


class SelfSignedInMemory(unittest.TestCase):
    def test_memory_mode_writes_a_temporary_certificate_and_stops_cleanly(self):
        s = Server("--tls-self-signed").start()
        try:
            self.assertIsNotNone(s.tls_cert)
            self.assertFalse(s.tls_cert.startswith(s.data_dir), s.tls_cert)
            self.assertTrue(os.path.isfile(s.tls_cert))
            # A keep-alive HTTPS connection left open does not hold up the stop.
            conn = tls_connect(s.port, s.tls_cert)
            conn.sendall(b"GET /_crosskey/health HTTP/1.1\r\nHost: x\r\n\r\n")
            self.assertTrue(conn.recv(65536).startswith(b"HTTP/1.1 200 OK"))
            t0 = time.monotonic()
            self.assertEqual(s.stop(signal.SIGTERM), 0)
            self.assertLess(time.monotonic() - t0, 5)
            conn.close()
            self.assertFalse(os.path.exists(s.tls_cert))  # removed with its directory
        finally:
            s.stop()
            s.cleanup()


if __name__ == "__main__":
    unittest.main()
