"""S3 through the AWS CLI: mb/cp/sync/ls/rm, s3api, and one 1 GiB multipart
round trip with a ranged read (slow: set CROSSKEY_SKIP_SLOW=1 to skip it)."""

import hashlib
import os
import shutil
import tempfile
import unittest

from crosskey import Server


class CliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(memory=False).start()
        cls.tmp = tempfile.mkdtemp(prefix="crosskey-s3-cli-")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def aws(self, *args):
        r = self.server.aws(*args)
        self.assertEqual(r.returncode, 0, "aws %s: %s" % (" ".join(args), r.stderr))
        return r.stdout

    def test_mb_cp_sync_ls_rm(self):
        self.aws("s3", "mb", "s3://cli-bucket")
        src = os.path.join(self.tmp, "tree")
        os.makedirs(os.path.join(src, "sub"))
        files = {"a.txt": b"alpha", "sub/b.bin": os.urandom(70000), "sub/c.txt": b""}
        for name, data in files.items():
            with open(os.path.join(src, name), "wb") as f:
                f.write(data)
        self.aws("s3", "cp", os.path.join(src, "a.txt"), "s3://cli-bucket/single/a.txt")
        out = self.aws("s3", "ls", "s3://cli-bucket/single/")
        self.assertIn("a.txt", out)
        self.aws("s3", "sync", src, "s3://cli-bucket/tree")
        out = self.aws("s3", "ls", "--recursive", "s3://cli-bucket/tree/")
        for name in files:
            self.assertIn("tree/" + name, out)
        # A second sync uploads nothing.
        self.assertEqual(self.aws("s3", "sync", src, "s3://cli-bucket/tree").strip(), "")
        dst = os.path.join(self.tmp, "down")
        self.aws("s3", "sync", "s3://cli-bucket/tree", dst)
        for name, data in files.items():
            with open(os.path.join(dst, name), "rb") as f:
                self.assertEqual(f.read(), data, name)
        out = self.aws("s3", "ls", "s3://cli-bucket/")
        self.assertIn("PRE tree/", out)
        self.aws("s3", "rm", "--recursive", "s3://cli-bucket/tree")
        r = self.server.aws("s3", "ls", "--recursive", "s3://cli-bucket/tree/")  # exit 1: nothing found
        self.assertEqual(r.stdout.strip(), "")
        self.aws("s3", "rm", "s3://cli-bucket/single/a.txt")
        self.aws("s3", "rb", "s3://cli-bucket")
        r = self.server.aws("s3", "ls", "s3://cli-bucket")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("NoSuchBucket", r.stderr)

    def test_s3api(self):
        self.aws("s3api", "create-bucket", "--bucket", "api-bucket")
        self.aws("s3api", "put-object", "--bucket", "api-bucket", "--key", "k", "--body", __file__)
        out = self.server.aws_json("s3api", "head-object", "--bucket", "api-bucket", "--key", "k")
        self.assertEqual(out["ContentLength"], os.path.getsize(__file__))
        out = self.server.aws_json("s3api", "list-objects-v2", "--bucket", "api-bucket")
        self.assertEqual([o["Key"] for o in out["Contents"]], ["k"])
        r = self.server.aws("s3api", "get-object", "--bucket", "api-bucket", "--key", "nope", os.path.join(self.tmp, "x"))
        self.assertIn("NoSuchKey", r.stderr)

    @unittest.skipIf(os.environ.get("CROSSKEY_SKIP_SLOW"), "slow")
    def test_one_gib_multipart_round_trip(self):
        self.aws("s3", "mb", "s3://big-bucket")
        path = os.path.join(self.tmp, "big.bin")
        h = hashlib.sha256()
        block = os.urandom(1 << 20)
        with open(path, "wb") as f:
            for i in range(1024):
                chunk = block[i % 256:] + block[:i % 256]
                f.write(chunk)
                h.update(chunk)
        expected = h.hexdigest()
        self.aws("s3", "cp", path, "s3://big-bucket/big.bin")
        os.remove(path)
        head = self.server.aws_json("s3api", "head-object", "--bucket", "big-bucket", "--key", "big.bin")
        self.assertEqual(head["ContentLength"], 1 << 30)
        self.assertRegex(head["ETag"], r'^"[0-9a-f]{32}-\d+"$')  # multipart ETag
        back = os.path.join(self.tmp, "back.bin")
        self.aws("s3", "cp", "s3://big-bucket/big.bin", back)
        h2 = hashlib.sha256()
        with open(back, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h2.update(chunk)
        self.assertEqual(h2.hexdigest(), expected)
        # A ranged read across a part boundary (the CLI uses 8 MiB parts).
        start = 8 * 1024 * 1024 - 100
        rng = os.path.join(self.tmp, "range.bin")
        self.aws("s3api", "get-object", "--bucket", "big-bucket", "--key", "big.bin", "--range",
                 "bytes=%d-%d" % (start, start + 199), rng)
        with open(rng, "rb") as f, open(back, "rb") as g:
            g.seek(start)
            self.assertEqual(f.read(), g.read(200))
        os.remove(back)
        os.remove(rng)
        self.aws("s3", "rm", "s3://big-bucket/big.bin")


if __name__ == "__main__":
    unittest.main()
