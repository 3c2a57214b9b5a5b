#!/usr/bin/env python3
"""crosskey beside nginx, in one run on this machine (issue: 4 KiB SSE-KMS GETs
at 60 % of nginx's static-file rate).

Starts nginx (one worker, serving one 4 KiB static file) and crosskey (a data
directory; a bucket whose default encryption is SSE-KMS with a customer key),
drives both with the same wrk script (presigned URLs for S3, so the client
costs little) and prints, per workload: requests/s, p50/p99, and server CPU
per request (utime+stime of the server's processes over the run / requests).

  python3 bench/side.py [--bin build/src/exe/crosskey] [--duration 10] [--conns 1,8,64]
                        [--only get4k,put4k,get1m,put1m,kms] [--fsync]

Workloads: `nginx` (4 KiB static), `get4k`/`put4k` (4 KiB objects), `get1m`/
`put1m` (1 MiB), `kms` (GenerateDataKey and Decrypt over HTTP; dev-mode
credentials, so requests carry a fixed Authorization header). wrk runs on the
same two cores as the servers (one thread), as in the issue's measurements.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import boto3
from botocore.config import Config

HERE = os.path.dirname(os.path.abspath(__file__))
LUA = os.path.join(HERE, "wrk_requests.lua")
ACCOUNT = "111111111111"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids):
    total = 0
    for pid in pids:
        try:
            with open("/proc/%d/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except OSError:
            pass
    return total / CLK_TCK


def children(pid):
    out = [pid]
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            out += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return out


def write_requests(path, reqs):
    with open(path, "w") as f:
        for method, target, headers, body in reqs:
            hdr = "\x01".join("%s=%s" % kv for kv in headers.items())
            f.write("%s\t%s\t%s\t%s\n" % (method, target, hdr, body or ""))


def wrk(endpoint, req_file, conns, duration, body_size=0):
    env = dict(os.environ, WRK_REQUESTS=req_file, WRK_BODY_SIZE=str(body_size))
    out = subprocess.run(["wrk", "-t1", "-c%d" % conns, "-d%ds" % duration, "--timeout", "30s", "-s", LUA, endpoint],
                         env=env, capture_output=True, text=True).stdout
    m = re.search(r"WRKRESULT ops=(\d+) errors=(\d+) non2xx=(\d+) seconds=([\d.]+) p50_us=(\d+) p99_us=(\d+)", out)
    if not m:
        sys.exit("wrk failed:\n" + out)
    return {"ops": int(m[1]), "errors": int(m[2]) + int(m[3]), "seconds": float(m[4]),
            "p50_ms": int(m[5]) / 1000, "p99_ms": int(m[6]) / 1000}


def free_port():
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_nginx(tmp):
    port = free_port()
    root = os.path.join(tmp, "www")
    os.makedirs(root)
    os.chmod(tmp, 0o755)  # nginx's worker runs as an unprivileged user
    with open(os.path.join(root, "4k.bin"), "wb") as f:
        f.write(os.urandom(4096))
    os.chmod(os.path.join(root, "4k.bin"), 0o644)
    conf = os.path.join(tmp, "nginx.conf")
    with open(conf, "w") as f:
        f.write("""worker_processes 1; daemon off; pid %(t)s/nginx.pid; error_log %(t)s/error.log;
events { worker_connections 1024; }
http { access_log off; sendfile on; tcp_nopush on; keepalive_requests 1000000;
  server { listen 127.0.0.1:%(p)d; root %(r)s; } }
""" % {"t": tmp, "r": root, "p": port})
    p = subprocess.Popen(["nginx", "-c", conf, "-p", tmp], stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    return p, "http://127.0.0.1:%d" % port


def start_crosskey(binary, tmp, fsync, perf=None, extra=(), call_graph="fp"):
    args = [binary, "serve", "--port", "0", "--data-dir", os.path.join(tmp, "ck"), "--log-level", "warn", *extra]
    if fsync:
        args.append("--fsync")
    if perf:  # perf must start the server to record it here (attaching with -p records nothing)
        args = ["perf", "record", "-e", "cpu-clock", "--call-graph", call_graph, "-o", perf, "--"] + args
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    line = p.stdout.readline().decode()
    if not line.startswith("crosskey ready on port"):
        sys.exit("crosskey did not start: " + line)
    return p, "http://127.0.0.1:%d" % int(line.split()[-1])


def s3_requests(s3, endpoint, method, keys):
    op = "put_object" if method == "PUT" else "get_object"
    reqs = []
    for k in keys:
        url = s3.generate_presigned_url(op, Params={"Bucket": "bench", "Key": k}, ExpiresIn=3600)
        headers = {"Content-Type": "application/octet-stream"} if method == "PUT" else {}
        reqs.append((method, url[len(endpoint):], headers, None))
    return reqs


def kms_requests(kms, key_arn, op):
    date = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    headers = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "TrentService." + op, "X-Amz-Date": date,
               "Authorization": "AWS4-HMAC-SHA256 Credential=%s/%s/us-east-1/kms/aws4_request, SignedHeaders="
                                "content-type;host;x-amz-date;x-amz-target, Signature=%s" % (ACCOUNT, date[:8], "0" * 64)}
    if op == "GenerateDataKey":
        body = json.dumps({"KeyId": key_arn, "KeySpec": "AES_256", "EncryptionContext": {"a": "b"}})
    else:
        blob = kms.generate_data_key(KeyId=key_arn, KeySpec="AES_256", EncryptionContext={"a": "b"})["CiphertextBlob"]
        import base64
        body = json.dumps({"CiphertextBlob": base64.b64encode(blob).decode(), "EncryptionContext": {"a": "b"}})
    return [("POST", "/", headers, body)]


def row(name, conns, r, cpu, nginx_rate=None):
    rate = r["ops"] / r["seconds"]
    us = cpu / r["ops"] * 1e6 if r["ops"] else 0
    ratio = " %5.2f" % (rate / nginx_rate) if nginx_rate else "      "
    print("%-16s %5d %10.0f %s %8.2f %8.2f %9.1f %6d" % (name, conns, rate, ratio, r["p50_ms"], r["p99_ms"], us,
                                                         r["errors"]), flush=True)
    return rate


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(HERE, "..", "build", "src", "exe", "crosskey"))
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--conns", default="1,8,64")
    ap.add_argument("--only", default="get4k,put4k,get1m,put1m,kms")
    ap.add_argument("--fsync", action="store_true", help="crosskey --fsync (group commit)")
    ap.add_argument("--perf", metavar="FILE", help="record crosskey with perf into FILE (perf report -i FILE)")
    ap.add_argument("--call-graph", default="fp", help="perf's --call-graph (dwarf: callers of libc's malloc too)")
    ap.add_argument("--no-nginx", action="store_true", help="skip the nginx runs (profiling)")
    ap.add_argument("--serve-arg", action="append", default=[], help="one more argument to crosskey serve")
    a = ap.parse_args()
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not os.path.exists("/usr/sbin/" + tool):
            sys.exit("%s not found: scripts/install-deps.sh --bench installs it" % tool)
    conns = [int(c) for c in a.conns.split(",")]
    tmp = tempfile.mkdtemp(prefix="ck-side-")
    nginx, nginx_url = start_nginx(tmp)
    ck, endpoint = start_crosskey(os.path.abspath(a.bin), tmp, a.fsync, a.perf, a.serve_arg, a.call_graph)
    try:
        cfg = Config(s3={"addressing_style": "path"}, signature_version="s3v4")
        mk = lambda svc: boto3.client(svc, endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=ACCOUNT,
                                      aws_secret_access_key="x", config=cfg)
        s3, kms = mk("s3"), mk("kms")
        key = kms.create_key()["KeyMetadata"]["Arn"]
        s3.create_bucket(Bucket="bench")
        s3.put_bucket_encryption(Bucket="bench", ServerSideEncryptionConfiguration={"Rules": [
            {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key}}]})
        req_file = os.path.join(tmp, "reqs.txt")
        print("%-16s %5s %10s %6s %8s %8s %9s %6s" % ("workload", "conns", "req/s", "ratio", "p50 ms", "p99 ms",
                                                     "CPU us/req", "errors"))
        nginx_rates = {}
        write_requests(req_file, [("GET", "/4k.bin", {}, None)])
        for c in ([] if a.no_nginx else conns):
            pids = children(nginx.pid)
            before = cpu_seconds(pids)
            r = wrk(nginx_url, req_file, c, a.duration)
            nginx_rates[c] = row("nginx 4k static", c, r, cpu_seconds(pids) - before)
        ck_pids = children(ck.pid) if a.perf else [ck.pid]
        for w in a.only.split(","):
            size = {"get4k": 4096, "put4k": 4096, "get1m": 1 << 20, "put1m": 1 << 20}.get(w, 0)
            if w.startswith("get"):
                keys = ["obj-%d-%02d" % (size, i) for i in range(16)]
                for k in keys:
                    s3.put_object(Bucket="bench", Key=k, Body=os.urandom(size))
                write_requests(req_file, s3_requests(s3, endpoint, "GET", keys))
                body = 0
            elif w.startswith("put"):
                write_requests(req_file, s3_requests(s3, endpoint, "PUT", ["put-%d-%02d" % (size, i) for i in range(64)]))
                body = size
            else:
                for op in ("GenerateDataKey", "Decrypt"):
                    write_requests(req_file, kms_requests(kms, key, op))
                    for c in conns:
                        before = cpu_seconds(ck_pids)
                        r = wrk(endpoint, req_file, c, a.duration)
                        row("kms " + op, c, r, cpu_seconds(ck_pids) - before)
                continue
            for c in conns:
                before = cpu_seconds(ck_pids)
                r = wrk(endpoint, req_file, c, a.duration, body)
                rate = row(w + " sse-kms", c, r, cpu_seconds(ck_pids) - before,
                           nginx_rates.get(c) if w == "get4k" else None)
                if size >= 1 << 20:
                    print("%-16s %5d %10.2f GB/s" % ("", c, rate * size / 1e9))
    finally:
        ck.send_signal(2) if a.perf else ck.terminate()
        nginx.terminate()
        ck.wait()
        nginx.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
