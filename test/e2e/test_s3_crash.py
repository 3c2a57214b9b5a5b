"""Crash safety under load: kill -9 crosskey during 100 concurrent uploads
(single-part and multipart) and concurrent DynamoDB and Secrets Manager
writes, restart on the same data directory, and check that

- every acknowledged write is intact (objects, completed multipart objects,
  uploaded parts of open uploads, DynamoDB items, secrets);
- no partial object or item is visible;
- the start-up orphan sweep reclaimed the rest: no temporary file is left and
  every blob on disk is one a record names (counted through the S3 API)."""

import concurrent.futures
import hashlib
import io
import os
import signal
import sys
import threading
import time
import unittest

from botocore.exceptions import BotoCoreError, ClientError

from crosskey import Server, blob_files, small_blob_rows

SINGLE = 70      # single-part uploads
MULTIPART = 30   # multipart uploads (a 5 MiB part and a small last part)
WRITERS = 8      # DynamoDB writers and Secrets Manager writers, each


class SlowBody(io.BytesIO):
    """A body the client sends in 64 KiB pieces with pauses, so that uploads
    are still in flight when the server is killed however fast it is."""

    def __init__(self, data, pause=0.03):
        super().__init__(data)
        self.pause = pause

    def read(self, n=-1):
        time.sleep(self.pause)
        return super().read(65536 if n is None or n < 0 or n > 65536 else n)


def body_of(i, size):
    block = hashlib.sha256(str(i).encode()).digest()
    return (block * (size // len(block) + 1))[:size]


class CrashTest(unittest.TestCase):
    def test_kill_during_concurrent_writes(self):
        # A fixed master key, so the restart does not depend on re-reading the
        # generated one (see the KMS master key loader).
        os.environ.setdefault("CROSSKEY_MASTER_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
        server = Server(memory=False).start()
        data_dir = server.data_dir
        lock = threading.Lock()
        acked_objects = {}     # key -> md5 of the whole body
        acked_parts = {}       # (key, upload id) -> {part number: etag}
        uploads = {}           # key -> upload id
        acked_items = {}       # item key -> payload
        acked_secrets = {}     # name -> value
        stop_writers = threading.Event()
        try:
            s3 = server.client("s3", max_pool_connections=120)
            s3.create_bucket(Bucket="crash")
            ddb = server.client("dynamodb", max_pool_connections=20)
            ddb.create_table(TableName="crash-items", KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                             AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                             BillingMode="PAY_PER_REQUEST")
            sm = server.client("secretsmanager", max_pool_connections=20)

            def single(i):
                # 32 KiB .. 2 MiB (files), and every fourth under 16 KiB (a row of metadata.db)
                body = body_of(i, 1000 + 97 * i if i % 4 == 3 else 1024 * 32 * (1 + i % 64))
                try:
                    s3.put_object(Bucket="crash", Key="single-%03d" % i, Body=SlowBody(body))
                except (ClientError, BotoCoreError, Exception):
                    return
                with lock:
                    acked_objects["single-%03d" % i] = hashlib.md5(body).hexdigest()

            def multipart(i):
                key = "multi-%03d" % i
                first, last = body_of(i, 5 << 20), body_of(i + 1000, 64 * 1024 + i)
                try:
                    upload = s3.create_multipart_upload(Bucket="crash", Key=key)["UploadId"]
                    with lock:
                        uploads[key] = upload
                    etags = {}
                    for number, data in [(1, first), (2, last)]:
                        # A few go fast, so that some complete before the kill.
                        etags[number] = s3.upload_part(Bucket="crash", Key=key, UploadId=upload, PartNumber=number,
                                                       Body=data if i < 4 else SlowBody(data, 0.01))["ETag"]
                        with lock:
                            acked_parts.setdefault((key, upload), {})[number] = etags[number]
                    s3.complete_multipart_upload(Bucket="crash", Key=key, UploadId=upload, MultipartUpload={
                        "Parts": [{"PartNumber": n, "ETag": e} for n, e in sorted(etags.items())]})
                except (ClientError, BotoCoreError, Exception):
                    return
                with lock:
                    acked_objects[key] = hashlib.md5(first + last).hexdigest()
                    del acked_parts[(key, upload)]

            def ddb_writer(w):
                for n in range(100000):
                    if stop_writers.is_set():
                        return
                    key = "w%d-%05d" % (w, n)
                    payload = hashlib.sha256(key.encode()).hexdigest() * 8
                    try:
                        ddb.put_item(TableName="crash-items", Item={"k": {"S": key}, "p": {"S": payload},
                                                                     "n": {"N": str(n)}})
                    except (ClientError, BotoCoreError, Exception):
                        return
                    with lock:
                        acked_items[key] = payload

            def secrets_writer(w):
                for n in range(100000):
                    if stop_writers.is_set():
                        return
                    name = "crash/w%d/%05d" % (w, n)
                    value = hashlib.sha256(name.encode()).hexdigest()
                    try:
                        sm.create_secret(Name=name, SecretString=value)
                    except (ClientError, BotoCoreError, Exception):
                        return
                    with lock:
                        acked_secrets[name] = value

            with concurrent.futures.ThreadPoolExecutor(SINGLE + MULTIPART + 2 * WRITERS) as pool:
                futures = [pool.submit(single, i) for i in range(SINGLE)]
                futures += [pool.submit(multipart, i) for i in range(MULTIPART)]
                futures += [pool.submit(ddb_writer, w) for w in range(WRITERS)]
                futures += [pool.submit(secrets_writer, w) for w in range(WRITERS)]
                # Kill once some of each kind are acknowledged and some upload is being written to a
                # file (bodies up to 16 KiB stay in memory until their row is committed): the rest are
                # in flight.
                tmp_dir = os.path.join(data_dir, "blobs", "tmp")
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    with lock:
                        multis = sum(1 for k in acked_objects if k.startswith("multi-"))
                        singles = len(acked_objects) - multis
                        ready = singles >= 5 and multis >= 2 and acked_parts and acked_items and acked_secrets
                    if ready and os.listdir(tmp_dir):
                        break
                    time.sleep(0.002)
                server.proc.send_signal(signal.SIGKILL)
                stop_writers.set()
                concurrent.futures.wait(futures)
            server.stop()
        finally:
            stop_writers.set()

        restarted = Server(data_dir=data_dir).start()
        try:
            s3 = restarted.client("s3")
            # Objects: every acknowledged one intact, nothing partial listed.
            listed = {}
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket="crash"):
                for o in page.get("Contents", []):
                    listed[o["Key"]] = o["ETag"].strip('"')
            for key in acked_objects:
                self.assertIn(key, listed, "acknowledged object lost")
            referenced_blobs = 0
            for key, etag in listed.items():
                body = s3.get_object(Bucket="crash", Key=key)["Body"].read()
                md5 = hashlib.md5(body).hexdigest()
                if key.startswith("single-"):
                    self.assertEqual(md5, etag, "partial or corrupt object listed: " + key)
                    referenced_blobs += 1
                else:
                    i = int(key.split("-")[1])
                    self.assertEqual(body, body_of(i, 5 << 20) + body_of(i + 1000, 64 * 1024 + i), key)
                    self.assertTrue(etag.endswith("-2"), etag)
                    referenced_blobs += 2
                if key in acked_objects:
                    self.assertEqual(md5, acked_objects[key])
            # Parts acknowledged for uploads that never completed are still there.
            open_uploads = {u["UploadId"]: u["Key"] for u in
                            s3.list_multipart_uploads(Bucket="crash").get("Uploads", [])}
            for (key, upload), parts in acked_parts.items():
                if key in listed:
                    continue  # completed after all (acknowledgement lost in the kill)
                self.assertIn(upload, open_uploads, "open upload lost: " + key)
                found = {p["PartNumber"]: p["ETag"] for p in
                         s3.list_parts(Bucket="crash", Key=key, UploadId=upload).get("Parts", [])}
                for number, etag in parts.items():
                    self.assertEqual(found.get(number), etag, "acknowledged part lost: %s #%d" % (key, number))
            for upload, key in open_uploads.items():
                referenced_blobs += len(s3.list_parts(Bucket="crash", Key=key, UploadId=upload).get("Parts", []))

            # The orphan sweep at start-up left exactly the blobs records name.
            blobs_root = os.path.join(data_dir, "blobs")
            self.assertEqual(os.listdir(os.path.join(blobs_root, "tmp")), [])
            files, rows = blob_files(data_dir), small_blob_rows(data_dir)
            self.assertGreater(len(rows), 0, "no small object was stored as a row; the test proves less")
            self.assertEqual(len(files) + len(rows), referenced_blobs,
                             "orphan blobs left (or referenced blobs missing)")
            orphans = restarted.health()["orphans"]
            self.assertGreater(orphans["temp_files_removed"] + orphans["blobs_removed"], 0,
                               "the kill left nothing to sweep; the test proves nothing")

            # DynamoDB: acknowledged items intact; whatever is there is whole.
            ddb = restarted.client("dynamodb")
            items = {}
            for page in ddb.get_paginator("scan").paginate(TableName="crash-items"):
                for it in page["Items"]:
                    items[it["k"]["S"]] = it["p"]["S"]
            for key, payload in acked_items.items():
                self.assertEqual(items.get(key), payload, "acknowledged item lost: " + key)
            for key, payload in items.items():
                self.assertEqual(payload, hashlib.sha256(key.encode()).hexdigest() * 8, "partial item: " + key)

            # Secrets Manager: acknowledged secrets intact.
            sm = restarted.client("secretsmanager")
            for name, value in acked_secrets.items():
                self.assertEqual(sm.get_secret_value(SecretId=name)["SecretString"], value, name)

            print("\nacknowledged before the kill: %d objects, %d parts of open uploads, %d items, %d secrets; "
                  "swept at restart: %s" % (len(acked_objects), sum(len(p) for p in acked_parts.values()),
                                            len(acked_items), len(acked_secrets), orphans), file=sys.stderr)
            # Most writes must still have been in flight, or the test proves nothing.
            self.assertLess(len(acked_objects), SINGLE + MULTIPART, "all uploads finished before the kill")
            self.assertGreater(len(acked_items), 0)
            self.assertGreater(len(acked_secrets), 0)
        finally:
            restarted.stop()
            restarted.cleanup()
            server.cleanup()


if __name__ == "__main__":
    unittest.main()
