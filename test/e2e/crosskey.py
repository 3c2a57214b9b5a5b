"""Test fixture: starts a real crosskey process on a free port and builds real
AWS clients (boto3, the AWS CLI) pointed at it. Hermetic: each server gets its
own temporary data directory (or --memory) and port."""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

import boto3
from botocore.config import Config

BIN = os.environ.get("CROSSKEY_BIN") or os.path.join(
    os.path.dirname(__file__), "..", "..", "build", "src", "exe", "crosskey")

def small_blob_rows(data_dir):
    """Small blobs of a data directory (serve --small-blob-bytes): rows of
    metadata.db's table blob.small, id ("s" + 31 hex) -> the stored bytes
    (the row's value after its 8-byte time)."""
    con = sqlite3.connect("file:%s?mode=ro" % os.path.join(data_dir, "metadata.db"), uri=True)
    try:
        rows = con.execute("SELECT k, v FROM kv WHERE tbl = 'blob.small'").fetchall()
    finally:
        con.close()
    return {bytes(k).decode(): bytes(v)[8:] for k, v in rows}


def blob_files(data_dir):
    """Committed blob files of a data directory: id -> path (blobs/<2 hex>/<id>)."""
    root = os.path.join(data_dir, "blobs")
    out = {}
    for shard in os.listdir(root):
        if len(shard) == 2:
            for name in os.listdir(os.path.join(root, shard)):
                out[name] = os.path.join(root, shard, name)
    return out


def stored_blobs(data_dir):
    """Every committed blob of a data directory, in either tier: id -> bytes."""
    out = small_blob_rows(data_dir)
    for blob_id, path in blob_files(data_dir).items():
        with open(path, "rb") as f:
            out[blob_id] = f.read()
    return out


ACCOUNT1 = "111111111111"
ACCOUNT2 = "222222222222"
REGION = "us-east-1"


class Server:
    """A crosskey process. Use as a context manager or call start()/stop()."""

    def __init__(self, *extra_args, memory=True, data_dir=None, config=None):
        self.extra_args = list(extra_args)
        self.memory = memory and data_dir is None
        self.tmp = tempfile.mkdtemp(prefix="crosskey-e2e-")
        self.data_dir = data_dir or os.path.join(self.tmp, "data")
        self.config_path = None
        if config is not None:
            self.config_path = os.path.join(self.tmp, "config.toml")
            with open(self.config_path, "w") as f:
                f.write(config)
        self.proc = None
        self.port = None
        self.tls_cert = None  # the certificate --tls-self-signed wrote (its path, printed at start)
        self.log_path = os.path.join(self.tmp, "server.log")

    def args(self):
        a = [BIN, "serve", "--port", "0"]
        a += ["--memory"] if self.memory else ["--data-dir", self.data_dir]
        if self.config_path:
            a += ["--config", self.config_path]
        return a + self.extra_args

    def start(self, timeout=15):
        self.log = open(self.log_path, "ab")
        self.started_at = time.monotonic()
        self.proc = subprocess.Popen(self.args(), stdout=subprocess.PIPE, stderr=self.log)
        deadline = time.monotonic() + timeout
        line = b""
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            if line.startswith(b"crosskey self-signed certificate: "):
                self.tls_cert = line.split(b": ", 1)[1].strip().decode()
            if line.startswith(b"crosskey ready on port "):
                self.port = int(line.split()[-1])
                return self
        self.stop()
        raise RuntimeError("crosskey did not start: %r\n%s" % (line, self.read_log()))

    def stop(self, sig=signal.SIGTERM, timeout=15):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc and self.proc.stdout:
            self.proc.stdout.close()
        if getattr(self, "log", None):
            self.log.close()
        return self.proc.returncode if self.proc else None

    def cleanup(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        self.cleanup()

    def read_log(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode(errors="replace")
        except OSError:
            return ""

    @property
    def endpoint(self):
        return "http://127.0.0.1:%d" % self.port

    @property
    def https_endpoint(self):
        """The same port over TLS (a server started with --tls-self-signed or --tls-cert)."""
        return "https://127.0.0.1:%d" % self.port

    def client(self, service, account=ACCOUNT1, secret="test", token=None, region=REGION, **config):
        """A boto3 client; `account` is the access key id (12 digits = that account's root in dev mode)."""
        return boto3.client(
            service, endpoint_url=self.endpoint, region_name=region,
            aws_access_key_id=account, aws_secret_access_key=secret, aws_session_token=token,
            config=Config(retries={"max_attempts": 1}, **config))

    def aws(self, *args, account=ACCOUNT1, secret="test", token=None, region=REGION, check=False, input=None):
        """Runs the AWS CLI (python3 -m awscli) against this server; returns CompletedProcess."""
        env = dict(os.environ)
        env.update({"AWS_ENDPOINT_URL": self.endpoint, "AWS_ACCESS_KEY_ID": account,
                    "AWS_SECRET_ACCESS_KEY": secret, "AWS_DEFAULT_REGION": region,
                    "AWS_MAX_ATTEMPTS": "1", "AWS_PAGER": "", "AWS_CONFIG_FILE": "/dev/null",
                    "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"})
        env.pop("AWS_PROFILE", None)
        if token:
            env["AWS_SESSION_TOKEN"] = token
        else:
            env.pop("AWS_SESSION_TOKEN", None)
        return subprocess.run([sys.executable, "-m", "awscli", *args], env=env, capture_output=True,
                              text=True, check=check, input=input, timeout=600)

    def aws_json(self, *args, **kw):
        r = self.aws(*args, "--output", "json", **kw)
        if r.returncode != 0:
            raise AssertionError("aws %s failed (%d): %s" % (" ".join(args), r.returncode, r.stderr))
        return json.loads(r.stdout) if r.stdout.strip() else {}

    def get(self, path, headers=None):
        """A raw HTTP GET; returns (status, headers, body bytes)."""
        req = urllib.request.Request(self.endpoint + path, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def health(self):
        status, _, body = self.get("/_crosskey/health")
        assert status == 200, status
        return json.loads(body)


def error_of(exc):
    """(code, message, http status) of a botocore ClientError."""
    e = exc.response["Error"]
    return e.get("Code"), e.get("Message"), exc.response["ResponseMetadata"]["HTTPStatusCode"]
