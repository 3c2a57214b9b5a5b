"""One slow test: a 1 GiB file through `aws s3 cp --sse aws:kms --sse-kms-key-id ARN`
(multipart: one GenerateDataKey at CreateMultipartUpload, a Decrypt per part,
each part sealed under its own derived key) reads back identical."""

import hashlib
import os
import shutil
import tempfile
import unittest

from crosskey import ACCOUNT1, Server


@unittest.skipIf(os.environ.get("CROSSKEY_SKIP_SLOW"), "slow")
class LargeSseKms(unittest.TestCase):
    def test_one_gib_sse_kms_multipart_round_trip(self):
        tmp = tempfile.mkdtemp()
        try:
            with Server(memory=False) as server:
                kms = server.client("kms", account=ACCOUNT1)
                arn = kms.create_key()["KeyMetadata"]["Arn"]
                server.aws("s3", "mb", "s3://big-sse", check=True)
                path = os.path.join(tmp, "big.bin")
                h = hashlib.sha256()
                block = os.urandom(1 << 20)
                with open(path, "wb") as f:
                    for i in range(1024):
                        chunk = block[i % 256:] + block[:i % 256]
                        f.write(chunk)
                        h.update(chunk)
                r = server.aws("s3", "cp", path, "s3://big-sse/big.bin", "--sse", "aws:kms", "--sse-kms-key-id", arn)
                self.assertEqual(r.returncode, 0, r.stderr)
                os.remove(path)
                head = server.aws_json("s3api", "head-object", "--bucket", "big-sse", "--key", "big.bin")
                self.assertEqual(head["ContentLength"], 1 << 30)
                self.assertEqual((head["ServerSideEncryption"], head["SSEKMSKeyId"]), ("aws:kms", arn))
                self.assertRegex(head["ETag"], r'^"[0-9a-f]{32}-\d+"$')
                back = os.path.join(tmp, "back.bin")
                r = server.aws("s3", "cp", "s3://big-sse/big.bin", back)
                self.assertEqual(r.returncode, 0, r.stderr)
                h2 = hashlib.sha256()
                with open(back, "rb") as f:
                    for chunk in iter(lambda: f.read(1 << 20), b""):
                        h2.update(chunk)
                self.assertEqual(h2.hexdigest(), h.hexdigest())
                # Sealed at rest: the stored bytes are not the plaintext.
                blobs = [os.path.join(d, n) for d, _, names in os.walk(os.path.join(server.data_dir, "blobs"))
                         for n in names]
                with open(blobs[0], "rb") as f:
                    self.assertNotIn(block[:4096][:64], f.read(1 << 20))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
