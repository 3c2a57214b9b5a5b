#!/usr/bin/env python3
"""How long `crosskey audit` takes over a bucket of N objects, and its peak memory.

Starts crosskey on a fresh data directory, fills one bucket with N small
objects (a tenth of them written by account 2 under its own alias/my-key, the
seed's quiet failure), then times `crosskey audit --bucket ...` and reads its
peak RSS (from /usr/bin/time -v when present, else getrusage).

  python3 bench/audit_objects.py --objects 100000 [--bin build/src/exe/crosskey] [--concurrency 16]

The fill uses raw HTTP with 8 keep-alive connections (dev mode: 12-digit key
ids are account roots, signatures not checked), so it is not the bottleneck.
"""

import argparse
import http.client
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time

import boto3


def start(binary, data_dir):
    p = subprocess.Popen([binary, "serve", "--port", "0", "--data-dir", data_dir, "--log-level", "warn"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    line = p.stdout.readline().decode()
    if not line.startswith("crosskey ready on port"):
        sys.exit("crosskey did not start: " + line)
    return p, int(line.split()[-1])


def fake_auth(account):
    date = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    return {"x-amz-date": date, "x-amz-content-sha256": "UNSIGNED-PAYLOAD",
            "Authorization": "AWS4-HMAC-SHA256 Credential=%s/%s/us-east-1/s3/aws4_request, "
                             "SignedHeaders=host;x-amz-date, Signature=%s" % (account, date[:8], "0" * 64)}


def fill(port, bucket, n, writer_every):
    counter = iter(range(n))
    lock = threading.Lock()

    def work():
        conn = http.client.HTTPConnection("127.0.0.1", port)
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            account = "222222222222" if writer_every and i % writer_every == 0 else "111111111111"
            headers = fake_auth(account)
            headers["Content-Length"] = "5"
            conn.request("PUT", "/%s/obj-%07d" % (bucket, i), body=b"hello", headers=headers)
            r = conn.getresponse()
            r.read()
            if r.status != 200:
                sys.exit("PUT failed: %d" % r.status)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--objects", type=int, default=100000)
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(__file__), "..", "build", "src", "exe", "crosskey"))
    ap.add_argument("--concurrency", type=int, default=16)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="ck-audit-bench-")
    proc, port = start(a.bin, os.path.join(tmp, "data"))
    endpoint = "http://127.0.0.1:%d" % port
    try:
        c = lambda svc, acct: boto3.client(svc, endpoint_url=endpoint, region_name="us-east-1",
                                           aws_access_key_id=acct, aws_secret_access_key="x")
        k1 = c("kms", "111111111111").create_key()["KeyMetadata"]["Arn"]
        c("kms", "111111111111").create_alias(AliasName="alias/my-key", TargetKeyId=k1)
        k2 = c("kms", "222222222222").create_key()["KeyMetadata"]["Arn"]
        c("kms", "222222222222").create_alias(AliasName="alias/my-key", TargetKeyId=k2)
        s3 = c("s3", "111111111111")
        s3.create_bucket(Bucket="audited")
        s3.put_bucket_policy(Bucket="audited", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "222222222222"}, "Action": "s3:PutObject",
             "Resource": "arn:aws:s3:::audited/*"}]}))
        s3.put_bucket_encryption(Bucket="audited", ServerSideEncryptionConfiguration={"Rules": [
            {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/my-key"}}]})
        t0 = time.monotonic()
        fill(port, "audited", a.objects, 10)
        print("filled %d objects in %.1f s" % (a.objects, time.monotonic() - t0))
        env = dict(os.environ, AWS_ACCESS_KEY_ID="111111111111", AWS_SECRET_ACCESS_KEY="x", AWS_REGION="us-east-1",
                   AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null")
        cmd = [a.bin, "audit", "--bucket", "audited", "--endpoint-url", endpoint, "--format", "json", "--no-progress",
               "--concurrency", str(a.concurrency)]
        t0 = time.monotonic()
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        r = subprocess.run(cmd, env=env, capture_output=True, text=True)
        elapsed = time.monotonic() - t0
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        report = json.loads(r.stdout)["buckets"][0]
        print("audit: %d versions checked, %d findings, %.1f s (%.0f objects/s), exit %d, peak RSS %.1f MiB%s"
              % (report["versions_scanned"], len(report["findings"]), elapsed, report["versions_scanned"] / elapsed,
                 r.returncode, max(peak, before) / 1024.0, "" if peak > before else " (upper bound: the server's?)"))
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
