"""Data-directory ownership and orphan blobs.

- One process per --data-dir: a second instance exits (status 2) naming the
  holder's pid, and leaves the first one's files alone.
- Orphans (temporary files of writes cut short, committed blobs no record
  names) are swept at start-up and on a timer (--sweep-interval), with
  counters in /_crosskey/health; uploads in flight are never touched.
- A failure inside crosskey never shows a file path to the client."""

import io
import os
import subprocess
import threading
import time
import unittest

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from crosskey import ACCOUNT1, BIN, REGION, Server, error_of


def no_retry_s3(server):
    """botocore retries a 500 even with max_attempts=1 (legacy mode counts retries)."""
    return boto3.client("s3", endpoint_url=server.endpoint, region_name=REGION, aws_access_key_id=ACCOUNT1,
                        aws_secret_access_key="test", config=Config(retries={"total_max_attempts": 1}))


class SlowBody(io.BytesIO):
    """Sent in 64 KiB pieces with a pause before each, so the upload stays in flight."""

    def __init__(self, data, pause):
        super().__init__(data)
        self.pause = pause

    def read(self, n=-1):
        time.sleep(self.pause)
        return super().read(65536 if n is None or n < 0 or n > 65536 else n)


class Upload:
    """A PutObject on its own thread; .error is the ClientError, if any."""

    def __init__(self, s3, key, data, pause):
        self.error = None
        self.done = False

        def run():
            try:
                s3.put_object(Bucket="bkt", Key=key, Body=SlowBody(data, pause))
            except ClientError as e:
                self.error = e
            self.done = True

        self.thread = threading.Thread(target=run)
        self.thread.start()


def tmp_files(server):
    d = os.path.join(server.data_dir, "blobs", "tmp")
    return [os.path.join(d, f) for f in os.listdir(d)]


def wait_for(pred, timeout=10, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(0.02)
    raise AssertionError("timed out waiting for " + what)


def plant_blob(server, blob_id, size, age_seconds=0):
    shard = os.path.join(server.data_dir, "blobs", blob_id[:2])
    os.makedirs(shard, exist_ok=True)
    path = os.path.join(shard, blob_id)
    with open(path, "wb") as f:
        f.write(b"o" * size)
    if age_seconds:
        t = time.time() - age_seconds
        os.utime(path, (t, t))
    return path


def plant_tmp(server, name, size):
    path = os.path.join(server.data_dir, "blobs", "tmp", name)
    with open(path, "wb") as f:
        f.write(b"t" * size)
    return path


class DataDirTest(unittest.TestCase):
    def test_second_instance_is_refused_and_the_first_is_unharmed(self):
        first = Server(memory=False).start()
        try:
            s3 = first.client("s3")
            s3.create_bucket(Bucket="bkt")
            data = os.urandom(2 << 20)
            up = Upload(s3, "inflight", data, pause=0.05)
            files = wait_for(lambda: tmp_files(first), what="the upload's temporary file")
            r = subprocess.run([BIN, "serve", "--port", "0", "--data-dir", first.data_dir],
                               capture_output=True, text=True, timeout=20)
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn("crosskey: data directory %s is in use by another crosskey process (pid %d); stop it "
                          "first, or give this one another --data-dir" % (first.data_dir, first.proc.pid), r.stderr)
            for f in files:
                self.assertTrue(os.path.exists(f), "the second instance touched " + f)
            up.thread.join(60)
            self.assertIsNone(up.error)
            self.assertEqual(s3.get_object(Bucket="bkt", Key="inflight")["Body"].read(), data)
            self.assertEqual(first.stop(), 0)
            # Once the first is gone, the directory is free again.
            again = Server(data_dir=first.data_dir).start()
            try:
                self.assertEqual(again.client("s3").get_object(Bucket="bkt", Key="inflight")["ContentLength"],
                                 2 << 20)
            finally:
                again.stop()
                again.cleanup()
        finally:
            first.stop()
            first.cleanup()

    def test_start_up_sweep_reclaims_orphans_and_keeps_what_records_name(self):
        server = Server(memory=False).start()
        data_dir = server.data_dir
        s3 = server.client("s3")
        s3.create_bucket(Bucket="bkt")
        for i in range(3):
            s3.put_object(Bucket="bkt", Key="k%d" % i, Body=b"object %d" % i)
        upload = s3.create_multipart_upload(Bucket="bkt", Key="mp")["UploadId"]
        part = s3.upload_part(Bucket="bkt", Key="mp", UploadId=upload, PartNumber=1, Body=b"p" * (5 << 20))
        self.assertEqual(server.stop(), 0)
        tmp = plant_tmp(server, "0123456789abcdef0123456789abcdef", 1000)
        orphan = plant_blob(server, "ab" + "0" * 30, 500)
        restarted = Server(data_dir=data_dir).start()
        try:
            orphans = restarted.health()["orphans"]
            self.assertEqual(orphans["temp_files_removed"], 1)
            self.assertEqual(orphans["temp_bytes_removed"], 1000)
            self.assertEqual(orphans["blobs_removed"], 1)
            self.assertEqual(orphans["blob_bytes_removed"], 500)
            self.assertFalse(os.path.exists(tmp))
            self.assertFalse(os.path.exists(orphan))
            self.assertIn("orphan sweep: removed 1 temporary file(s) (1000 bytes) and 1 unreferenced blob(s) "
                          "(500 bytes)", restarted.read_log())
            s3 = restarted.client("s3")
            for i in range(3):
                self.assertEqual(s3.get_object(Bucket="bkt", Key="k%d" % i)["Body"].read(), b"object %d" % i)
            # The part of the open upload is referenced by its record: kept.
            s3.complete_multipart_upload(Bucket="bkt", Key="mp", UploadId=upload, MultipartUpload={
                "Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
            self.assertEqual(s3.get_object(Bucket="bkt", Key="mp")["Body"].read(), b"p" * (5 << 20))
        finally:
            restarted.stop()
            restarted.cleanup()
            server.cleanup()

    def test_timer_sweep_spares_uploads_in_flight_and_recent_blobs(self):
        with Server("--sweep-interval", "1", memory=False) as server:
            s3 = server.client("s3")
            s3.create_bucket(Bucket="bkt")
            data = os.urandom(3 << 20)
            up = Upload(s3, "slow", data, pause=0.08)  # about 4 s in flight
            wait_for(lambda: tmp_files(server), what="the upload's temporary file")
            aged = plant_blob(server, "cd" + "1" * 30, 300, age_seconds=7200)
            recent = plant_blob(server, "ef" + "2" * 30, 200)  # as if its record were being written
            dead_tmp = plant_tmp(server, "fedcba9876543210fedcba9876543210", 50)
            sweeps = server.health()["orphans"]["sweeps"]
            wait_for(lambda: server.health()["orphans"]["sweeps"] >= sweeps + 2, what="two timer sweeps")
            self.assertFalse(up.done, "the upload ended before the sweeps; the test proves nothing")
            up.thread.join(60)
            self.assertIsNone(up.error)
            self.assertEqual(s3.get_object(Bucket="bkt", Key="slow")["Body"].read(), data)
            self.assertFalse(os.path.exists(aged))
            self.assertFalse(os.path.exists(dead_tmp))
            self.assertTrue(os.path.exists(recent), "a blob younger than the grace period was swept")
            orphans = server.health()["orphans"]
            self.assertEqual(orphans["blobs_removed"], 1)
            self.assertEqual(orphans["blob_bytes_removed"], 300)
            self.assertEqual(orphans["temp_files_removed"], 1)
            self.assertEqual(orphans["failures"], 0)

    def test_internal_failure_does_not_show_paths(self):
        # A temporary file removed under a live upload (what a second instance
        # once did): the upload fails as an internal error, saying nothing of
        # the file; the log has the detail.
        with Server(memory=False) as server:
            s3 = no_retry_s3(server)
            s3.create_bucket(Bucket="bkt")
            up = Upload(s3, "victim", os.urandom(2 << 20), pause=0.05)
            for f in wait_for(lambda: tmp_files(server), what="the upload's temporary file"):
                os.remove(f)
            up.thread.join(60)
            self.assertIsNotNone(up.error, "the upload succeeded without its file")
            code, message, status = error_of(up.error)
            self.assertEqual((code, status), ("InternalError", 500))
            self.assertEqual(message, "We encountered an internal error. Please try again.")
            self.assertNotIn(server.data_dir, str(up.error.response))
            log = server.read_log()
            self.assertRegex(log, r"s3 PutObject 500 in=\d+ out=\d+ \d+us error=InternalError message=\".*%s/blobs/tmp/"
                             % server.data_dir)
            with self.assertRaises(ClientError) as missing:
                s3.head_object(Bucket="bkt", Key="victim")
            self.assertEqual(error_of(missing.exception)[2], 404)


if __name__ == "__main__":
    unittest.main()
