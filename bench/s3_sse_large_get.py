#!/usr/bin/env python3
"""Large-object GET throughput under server-side encryption: stores one object
(default 1 GiB, SSE-KMS unless --sse says otherwise) and times full GETs of a
presigned URL with curl (output discarded), reporting GB/s per run.

  crosskey serve --data-dir /tmp/ck-bench --log-level warn &
  python3 bench/s3_sse_large_get.py --endpoint http://127.0.0.1:4566 --size-mib 1024 --runs 3
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--endpoint", default="http://127.0.0.1:4566")
    ap.add_argument("--region", default="us-east-1")
    ap.add_argument("--bucket", default="crosskey-sse-large")
    ap.add_argument("--access-key", default="111111111111")
    ap.add_argument("--secret-key", default="test")
    ap.add_argument("--size-mib", type=int, default=1024)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sse", default="aws:kms", choices=["none", "AES256", "aws:kms", "aws:kms:dsse"])
    a = ap.parse_args()
    kw = dict(endpoint_url=a.endpoint, region_name=a.region, aws_access_key_id=a.access_key,
              aws_secret_access_key=a.secret_key)
    s3 = boto3.client("s3", config=Config(s3={"addressing_style": "path"}, signature_version="s3v4"), **kw)
    try:
        s3.create_bucket(Bucket=a.bucket)
    except Exception:
        pass
    extra = {}
    if a.sse != "none":
        extra["ServerSideEncryption"] = a.sse
    if a.sse.startswith("aws:kms"):
        extra["SSEKMSKeyId"] = boto3.client("kms", **kw).create_key()["KeyMetadata"]["Arn"]
    with tempfile.TemporaryFile() as f:
        block = os.urandom(1 << 20)
        for _ in range(a.size_mib):
            f.write(block)
        f.seek(0)
        s3.upload_fileobj(f, a.bucket, "large", ExtraArgs=extra,
                          Config=TransferConfig(multipart_chunksize=64 << 20, max_concurrency=2))
    head = s3.head_object(Bucket=a.bucket, Key="large")
    print("object: %d MiB, %s %s, parts=%s" % (a.size_mib, head.get("ServerSideEncryption"),
                                              head.get("SSEKMSKeyId", ""), head["ETag"]))
    url = s3.generate_presigned_url("get_object", Params={"Bucket": a.bucket, "Key": "large"}, ExpiresIn=3600)
    for i in range(a.runs):
        t0 = time.monotonic()
        out = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{size_download} %{http_code}", url],
                             capture_output=True, text=True, check=True).stdout.split()
        dt = time.monotonic() - t0
        if out[1] != "200" or int(out[0]) != a.size_mib << 20:
            sys.exit("GET failed: %s" % out)
        print("run %d: %.2f s, %.2f GB/s" % (i + 1, dt, (a.size_mib << 20) / dt / 1e9), flush=True)


if __name__ == "__main__":
    main()
