#!/usr/bin/env python3
"""crosskey's RSS after storing N small objects.

    crosskey serve --data-dir /tmp/ck-rss --log-level warn &      # note its PID
    python3 bench/rss_objects.py --pid PID --objects 100000

Puts N objects of 1 KiB through presigned SigV4 URLs from a few client threads
(keep-alive connections), then prints the server's VmRSS and the store's size.
"""
import argparse
import http.client
import threading
import time
import urllib.parse

import boto3
from botocore.config import Config


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--endpoint", default="http://127.0.0.1:4566")
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--objects", type=int, default=100000)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--bucket", default="rss-bench")
    args = ap.parse_args()
    s3 = boto3.client("s3", endpoint_url=args.endpoint, region_name="us-east-1", aws_access_key_id="111111111111",
                      aws_secret_access_key="x", config=Config(signature_version="s3v4"))
    try:
        s3.create_bucket(Bucket=args.bucket)
    except s3.exceptions.BucketAlreadyOwnedByYou:
        pass
    host = urllib.parse.urlparse(args.endpoint).netloc
    body = b"x" * 1024
    before = rss_kib(args.pid)
    t0 = time.time()

    def worker(idx):
        conn = http.client.HTTPConnection(host)
        for n in range(idx, args.objects, args.threads):
            url = s3.generate_presigned_url("put_object", Params={"Bucket": args.bucket, "Key": "obj/%08d" % n},
                                            ExpiresIn=3600)
            u = urllib.parse.urlparse(url)
            conn.request("PUT", u.path + "?" + u.query, body=body)
            r = conn.getresponse()
            r.read()
            if r.status != 200:
                raise SystemExit("PUT failed: %d" % r.status)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    secs = time.time() - t0
    time.sleep(1)
    print("stored %d objects of 1 KiB in %.1f s (%.0f PUT/s)" % (args.objects, secs, args.objects / secs))
    print("RSS before %.1f MiB, after %.1f MiB" % (before / 1024, rss_kib(args.pid) / 1024))


if __name__ == "__main__":
    main()
