#!/usr/bin/env python3
"""S3 load generator: 4 KiB and 1 MiB GET/PUT at concurrency 1, 8 and 64,
reporting ops/s, MB/s and p50/p99 latency. Drives `wrk` (Debian package) with
presigned URLs, so the client costs little CPU and works against crosskey or
any S3 endpoint.

  python3 bench/s3_load.py --endpoint http://127.0.0.1:4566            # crosskey (dev mode)
  python3 bench/s3_load.py --endpoint https://s3.eu-west-1.amazonaws.com \
      --bucket my-bench-bucket --region eu-west-1 --access-key ... --secret-key ...

Options: --sizes 4096,1048576 --concurrency 1,8,64 --duration 10 --ops GET,PUT
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

import boto3
from botocore.config import Config

LUA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wrk_requests.lua")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--endpoint", default="http://127.0.0.1:4566")
    ap.add_argument("--region", default="us-east-1")
    ap.add_argument("--bucket", default="crosskey-bench")
    ap.add_argument("--access-key", default=os.environ.get("AWS_ACCESS_KEY_ID", "111111111111"))
    ap.add_argument("--secret-key", default=os.environ.get("AWS_SECRET_ACCESS_KEY", "test"))
    ap.add_argument("--sizes", default="4096,1048576")
    ap.add_argument("--concurrency", default="1,8,64")
    ap.add_argument("--ops", default="PUT,GET")
    ap.add_argument("--duration", type=int, default=10, help="seconds per run")
    ap.add_argument("--keys", type=int, default=64, help="distinct keys per run")
    ap.add_argument("--threads", type=int, default=2, help="wrk threads")
    ap.add_argument("--sse", default="", choices=["", "AES256", "aws:kms", "aws:kms+bucket-key"],
                    help="set the bucket's default encryption first (SSE-S3, SSE-KMS, SSE-KMS with a bucket key)")
    ap.add_argument("--kms-key", default="", help="key ARN for --sse aws:kms (default: a new key)")
    a = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk not found: apt-get install wrk")

    s3 = boto3.client("s3", endpoint_url=a.endpoint, region_name=a.region, aws_access_key_id=a.access_key,
                      aws_secret_access_key=a.secret_key,
                      config=Config(s3={"addressing_style": "path"}, signature_version="s3v4"))
    try:
        s3.head_bucket(Bucket=a.bucket)
    except Exception:
        s3.create_bucket(Bucket=a.bucket) if a.region == "us-east-1" else s3.create_bucket(
            Bucket=a.bucket, CreateBucketConfiguration={"LocationConstraint": a.region})
    if a.sse:
        by_default = {"SSEAlgorithm": a.sse.split("+")[0]}
        if a.sse.startswith("aws:kms"):
            by_default["KMSMasterKeyID"] = a.kms_key or boto3.client(
                "kms", endpoint_url=a.endpoint, region_name=a.region, aws_access_key_id=a.access_key,
                aws_secret_access_key=a.secret_key).create_key()["KeyMetadata"]["Arn"]
        s3.put_bucket_encryption(Bucket=a.bucket, ServerSideEncryptionConfiguration={"Rules": [
            {"ApplyServerSideEncryptionByDefault": by_default, "BucketKeyEnabled": a.sse.endswith("bucket-key")}]})
        print("bucket %s default encryption: %s" % (a.bucket, by_default))

    tmp = tempfile.mkdtemp(prefix="s3load-")
    print("%-4s %8s %5s %10s %10s %10s %10s %7s" % ("op", "size", "conc", "ops/s", "MB/s", "p50 ms", "p99 ms", "errors"))
    try:
        for size in [int(x) for x in a.sizes.split(",")]:
            keys = ["bench/%d/%03d" % (size, i) for i in range(a.keys)]
            for op in a.ops.split(","):
                if op == "GET":  # seed the objects GET reads
                    body = b"x" * size
                    for k in keys:
                        s3.put_object(Bucket=a.bucket, Key=k, Body=body)
                url_file = os.path.join(tmp, "urls.txt")
                method = "put_object" if op == "PUT" else "get_object"
                headers = "Content-Type=application/octet-stream" if op == "PUT" else ""
                with open(url_file, "w") as f:  # the format bench/wrk_requests.lua reads
                    for k in keys:
                        url = s3.generate_presigned_url(method, Params={"Bucket": a.bucket, "Key": k}, ExpiresIn=3600)
                        f.write("%s\t%s\t%s\t\n" % (op, url[len(a.endpoint):], headers))
                for conc in [int(x) for x in a.concurrency.split(",")]:
                    env = dict(os.environ, WRK_REQUESTS=url_file, WRK_BODY_SIZE=str(size if op == "PUT" else 0))
                    threads = max(1, min(a.threads, conc))
                    out = subprocess.run(["wrk", "-t%d" % threads, "-c%d" % conc, "-d%ds" % a.duration, "--timeout", "30s",
                                          "-s", LUA, a.endpoint], env=env, capture_output=True, text=True).stdout
                    m = re.search(r"WRKRESULT ops=(\d+) errors=(\d+) non2xx=(\d+) seconds=([\d.]+) p50_us=(\d+) "
                                  r"p99_us=(\d+)", out)
                    if not m:
                        print("wrk failed:\n" + out, file=sys.stderr)
                        continue
                    ops, errors, secs, p50, p99 = int(m[1]), int(m[2]) + int(m[3]), float(m[4]), int(m[5]), int(m[6])
                    rate = ops / secs
                    print("%-4s %8d %5d %10.1f %10.2f %10.2f %10.2f %7d" % (
                        op, size, conc, rate, rate * size / 1e6, p50 / 1000, p99 / 1000, errors), flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
