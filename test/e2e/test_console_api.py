"""The web console's JSON API (/_crosskey/api/…, docs/admin-api.md) over state
made through the AWS APIs: the seed case (bucket1's default names alias/my-key,
account 2's role2 may write, account 2 has its own alias/my-key), objects
written by PutObject, CopyObject and a multipart upload, and a cross-account
KMS use. The console must show who wrote each object and link it to the
request that decided its key, judge it as `crosskey audit` does, and change
nothing by looking (no CloudTrail event, no AWS managed key created).
"""

import json
import unittest

from crosskey import ACCOUNT1, ACCOUNT2, Server
from sse_world import World, client_for

OWNER_ROOT = "arn:aws:iam::%s:root" % ACCOUNT1


class ConsoleApi(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server().start()
        w = cls.world = World(cls.server)
        cls.k2 = w.create_k2()
        w.set_default(key="alias/my-key")
        rid = lambda r: r["ResponseMetadata"]["RequestId"]
        cls.rid_put = rid(w.s3_2.put_object(Bucket="bucket1", Key="put.txt", Body=b"writer"))
        mp = w.s3_2.create_multipart_upload(Bucket="bucket1", Key="mp.txt")
        cls.rid_mp = rid(mp)
        part = w.s3_2.upload_part(Bucket="bucket1", Key="mp.txt", UploadId=mp["UploadId"], PartNumber=1, Body=b"p")
        w.s3_2.complete_multipart_upload(Bucket="bucket1", Key="mp.txt", UploadId=mp["UploadId"],
                                         MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
        cls.rid_own = rid(w.s3_1.put_object(Bucket="bucket1", Key="own.txt", Body=b"owner"))
        cls.rid_copy = rid(w.s3_1.copy_object(Bucket="bucket1", Key="copy.txt",
                                              CopySource={"Bucket": "bucket1", "Key": "own.txt"}))
        # Named by ARN, account 1's key (its policy admits account 2): a cross-account KMS use.
        cls.rid_arn = rid(w.s3_2.put_object(Bucket="bucket1", Key="by-arn.txt", Body=b"w",
                                            ServerSideEncryption="aws:kms", SSEKMSKeyId=w.k1))

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()

    def api(self, path, status=200):
        code, _, body = self.server.get("/_crosskey/api/" + path)
        self.assertEqual(code, status, body)
        return json.loads(body)

    def objects(self, query=""):
        return {o["key"]: o for o in self.api("buckets/bucket1/objects" + query)["objects"]}

    def test_objects_keep_their_writer_and_the_request_that_chose_their_key(self):
        o = self.objects()
        self.assertEqual(sorted(o), ["by-arn.txt", "copy.txt", "mp.txt", "own.txt", "put.txt"])
        w = self.world
        self.assertEqual(o["put.txt"]["writer"], w.role2_session)
        self.assertEqual(o["put.txt"]["request_id"], self.rid_put)
        # A multipart object: its key was chosen by CreateMultipartUpload.
        self.assertEqual(o["mp.txt"]["writer"], w.role2_session)
        self.assertEqual(o["mp.txt"]["request_id"], self.rid_mp)
        self.assertEqual(o["own.txt"]["writer"], OWNER_ROOT)
        self.assertEqual(o["copy.txt"]["writer"], OWNER_ROOT)
        self.assertEqual(o["copy.txt"]["request_id"], self.rid_copy)
        # The request id opens the decision record that shows the alias resolving in account 2.
        code, _, body = self.server.get("/_crosskey/explain/%s?format=json" % self.rid_put)
        self.assertEqual(code, 200, body)
        record = json.loads(body)
        self.assertEqual(record["operation"], "PutObject")
        self.assertEqual(record["key_resolutions"][0]["reference"], "alias/my-key")
        self.assertEqual(record["key_resolutions"][0]["caller_account"], ACCOUNT2)
        self.assertEqual(record["key_resolutions"][0]["key_arn"], self.k2)

    def test_objects_under_the_writers_key_are_the_mismatches(self):
        o = self.objects()
        for key in ("put.txt", "mp.txt"):
            self.assertEqual(o[key]["key_arn"], self.k2, key)
            self.assertEqual(o[key]["key_account"], ACCOUNT2)
            self.assertEqual(o[key]["finding"], "foreign-customer-key")
            self.assertEqual(o[key]["owner_can_decrypt"], "no")
        for key in ("own.txt", "copy.txt", "by-arn.txt"):
            self.assertEqual(o[key]["key_arn"], self.world.k1, key)
            self.assertIsNone(o[key]["finding"], key)
            self.assertEqual(o[key]["owner_can_decrypt"], "yes")
        self.assertEqual(sorted(self.objects("?mismatch=1")), ["mp.txt", "put.txt"])

    def test_bucket_names_the_writer_mode(self):
        b = self.api("buckets/bucket1")
        self.assertEqual(b["owner"], ACCOUNT1)
        self.assertEqual(b["default_encryption"]["kms_master_key_id"], "alias/my-key")
        self.assertEqual(b["owner_resolution"]["key_arn"], self.world.k1)
        self.assertEqual(b["mismatches"], 2)
        self.assertEqual([(w["principal"], w["mode"], w["resolves_to"]) for w in b["writers"]],
                         [(self.world.role2_arn, "writer-key", self.k2)])
        self.assertEqual([x for x in self.api("buckets")["buckets"] if x["name"] == "bucket1"], [b])
        self.assertEqual(self.api("buckets/nope", 404)["error"], "no such bucket: nope")

    def test_accounts_show_both_aliases(self):
        accounts = {a["id"]: a for a in self.api("accounts")["accounts"]}
        self.assertEqual(sorted(accounts), [ACCOUNT1, ACCOUNT2])
        self.assertEqual([k["arn"] for k in accounts[ACCOUNT1]["keys"] if "alias/my-key" in k["aliases"]],
                         [self.world.k1])
        self.assertEqual([k["arn"] for k in accounts[ACCOUNT2]["keys"] if "alias/my-key" in k["aliases"]], [self.k2])
        self.assertIn("role2", [r["name"] for r in accounts[ACCOUNT2]["roles"]])
        self.assertIn("reader1", [r["name"] for r in accounts[ACCOUNT1]["roles"]])

    def test_cross_account_event_is_delivered_to_both_accounts(self):
        mine = [e for e in self.api("events?account=" + ACCOUNT1)["events"]
                if e["request_id"] == self.rid_arn and e["name"] == "GenerateDataKey"]
        self.assertEqual(len(mine), 1, mine)
        e = mine[0]
        self.assertEqual(e["user_arn"], self.world.role2_session)
        self.assertEqual(e["invoked_by"], "s3.amazonaws.com")
        self.assertEqual(e["key_arn"], self.world.k1)
        self.assertTrue(e["shared_event_id"])
        pair = self.api("events?shared_event_id=" + e["shared_event_id"])["events"]
        self.assertEqual(sorted(p["recipient_account"] for p in pair), [ACCOUNT1, ACCOUNT2])
        self.assertEqual(len({p["event_id"] for p in pair}), 2)
        self.assertEqual(self.api("events", 400)["error"], "events needs ?account=ID or ?shared_event_id=ID")

    def test_looking_changes_nothing(self):
        # aws:kms without a key on a second bucket: the owner's aws/s3 does not exist yet.
        self.world.s3_1.create_bucket(Bucket="bucket2")
        self.world.set_default(bucket="bucket2")
        def newest():  # the newest events of both accounts, but LookupEvents' own
            return {e["EventId"] for ct in (self.world.ct1, self.world.ct2)
                    for e in ct.lookup_events(MaxResults=50)["Events"] if e["EventName"] != "LookupEvents"}
        keys = lambda: len(self.world.kms1.list_keys()["Keys"])
        keys_before = keys()  # ListKeys is an event too: before the marker
        events_before = newest()
        for path in ("accounts", "buckets", "buckets/bucket2", "buckets/bucket1/objects", "map",
                     "events?account=" + ACCOUNT1, "events?account=" + ACCOUNT2):
            self.api(path)
        b2 = self.api("buckets/bucket2")
        # Nothing was recorded and no key was created.
        self.assertEqual(newest() - events_before, set())
        self.assertEqual(b2["owner_resolution"]["key_arn"], "")
        self.assertIn("alias/aws/s3 has no key yet", b2["owner_resolution"]["note"])
        self.assertEqual(keys(), keys_before)


if __name__ == "__main__":
    unittest.main()
