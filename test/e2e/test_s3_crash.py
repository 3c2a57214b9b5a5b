"""Crash safety: kill -9 crosskey during 100 concurrent uploads, restart on
the same data directory: every acknowledged object reads back intact, and no
partial object is listed."""

import concurrent.futures
import hashlib
import io
import os
import signal
import threading
import time
import unittest

from botocore.exceptions import BotoCoreError, ClientError

from crosskey import Server


class SlowBody(io.BytesIO):
    """A body the client sends in 64 KiB pieces with pauses, so that uploads
    are still in flight when the server is killed however fast it is."""

    def read(self, n=-1):
        time.sleep(0.01)
        return super().read(65536 if n is None or n < 0 or n > 65536 else n)


class CrashTest(unittest.TestCase):
    def test_kill_during_uploads(self):
        # A fixed master key, so the restart does not depend on re-reading the
        # generated one (see the KMS master key loader).
        os.environ.setdefault("CROSSKEY_MASTER_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
        server = Server(memory=False).start()
        data_dir = server.data_dir
        try:
            s3 = server.client("s3", max_pool_connections=100)
            s3.create_bucket(Bucket="crash")
            acked = {}
            lock = threading.Lock()

            def upload(i):
                body = hashlib.sha256(str(i).encode()).digest() * (1024 * (1 + i % 64))  # 32 KiB .. 2 MiB
                try:
                    s3.put_object(Bucket="crash", Key="obj-%03d" % i, Body=SlowBody(body))
                except (ClientError, BotoCoreError, Exception):
                    return
                with lock:
                    acked["obj-%03d" % i] = hashlib.md5(body).hexdigest()

            with concurrent.futures.ThreadPoolExecutor(100) as pool:
                futures = [pool.submit(upload, i) for i in range(100)]
                # Kill as soon as a few uploads are acknowledged: the rest are in flight.
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    with lock:
                        if len(acked) >= 5:
                            break
                    time.sleep(0.002)
                server.proc.send_signal(signal.SIGKILL)
                concurrent.futures.wait(futures)
            server.stop()
        finally:
            pass
        restarted = Server(data_dir=data_dir).start()
        try:
            s3 = restarted.client("s3")
            listed = {}
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket="crash"):
                for o in page.get("Contents", []):
                    listed[o["Key"]] = o["ETag"].strip('"')
            for key, md5 in acked.items():
                self.assertIn(key, listed, "acknowledged object lost")
            for key, etag in listed.items():
                body = s3.get_object(Bucket="crash", Key=key)["Body"].read()
                self.assertEqual(hashlib.md5(body).hexdigest(), etag, "partial or corrupt object listed: " + key)
                if key in acked:
                    self.assertEqual(etag, acked[key])
            # Most of the uploads should not have finished before the kill,
            # or the test proves nothing.
            self.assertLess(len(acked), 100, "all uploads finished before the kill; increase sizes")
            self.assertGreater(len(acked), 0, "no upload was acknowledged before the kill")
        finally:
            restarted.stop()
            restarted.cleanup()
            server.cleanup()


if __name__ == "__main__":
    unittest.main()
