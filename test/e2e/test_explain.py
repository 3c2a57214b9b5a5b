"""`crosskey explain REQUEST-ID` and GET /_crosskey/explain/ID: the decision
record of a request a running server answered.

The seed case (shared/reference): bucket1 (account 1) encrypts by default with
"alias/my-key"; role2 (account 2) may write to it. Account 2 has no alias of
that name, so its PutObject fails with KMS.NotFoundException. The record must
say why: the alias was resolved in ACCOUNT 2 (the caller's), was not found
there, and key 1's policy was never consulted.
"""

import json
import os
import subprocess
import unittest

import botocore.exceptions

from crosskey import ACCOUNT1, ACCOUNT2, Server, error_of
from sse_world import World

CROSSKEY = os.environ.get("CROSSKEY_BIN", os.path.join(os.path.dirname(__file__), "../../build/src/exe/crosskey"))


class ExplainSeedCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server().start()
        cls.world = World(cls.server)
        w = cls.world
        w.s3_1.put_bucket_encryption(Bucket="bucket1", ServerSideEncryptionConfiguration={"Rules": [
            {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/my-key"}}]})

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()

    def explain(self, request_id, fmt="text"):
        r = subprocess.run([CROSSKEY, "explain", "--endpoint-url", self.server.endpoint, "--format", fmt, request_id],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout) if fmt == "json" else r.stdout

    def failed_put(self):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.world.s3_2.put_object(Bucket="bucket1", Key="act1.csv", Body=b"quarter,revenue\n")
        self.assertEqual(error_of(cm.exception)[0], "KMS.NotFoundException")
        return cm.exception.response["ResponseMetadata"]["RequestId"]

    def test_failed_cross_account_put_names_the_callers_account(self):
        rid = self.failed_put()
        rec = self.explain(rid, "json")
        self.assertEqual(rec["request_id"], rid)
        self.assertEqual(rec["service"], "s3")
        self.assertEqual(rec["operation"], "PutObject")
        self.assertEqual(rec["status"], 400)
        self.assertEqual(rec["error_code"], "KMS.NotFoundException")
        self.assertIn(":%s:" % ACCOUNT2, rec["principal"])

        # The alias resolved in account 2 (the caller's), not the bucket owner's, and was not found.
        self.assertEqual(len(rec["key_resolutions"]), 1, rec["key_resolutions"])
        res = rec["key_resolutions"][0]
        self.assertEqual(res["reference"], "alias/my-key")
        self.assertEqual(res["caller_account"], ACCOUNT2)
        self.assertEqual(res["outcome"], "NotFoundException")
        self.assertEqual(res["key_arn"], "")
        steps = "\n".join(res["steps"])
        self.assertIn("resolved in the caller's account %s" % ACCOUNT2, steps)
        self.assertIn("no alias alias/my-key in account %s" % ACCOUNT2, steps)
        self.assertIn("Alias arn:aws:kms:us-east-1:%s:alias/my-key is not found." % ACCOUNT2, steps)

        # The bucket policy let role2 write; no key policy was evaluated: key 1 never came into it.
        actions = [d["action"] for d in rec["decisions"]]
        self.assertIn("s3:PutObject", actions)
        put = next(d for d in rec["decisions"] if d["action"] == "s3:PutObject")
        self.assertEqual(put["decision"], "allow")
        bucket_policy = [p for p in put["policies"] if p["kind"] == "bucket policy"]
        self.assertEqual([p["summary"] for p in bucket_policy], ["allows"], put["policies"])
        self.assertFalse([d for d in rec["decisions"] if d["action"].startswith("kms:")], rec["decisions"])
        self.assertFalse([d for d in rec["decisions"] if ":key/" in d["resource"]], rec["decisions"])
        for d in rec["decisions"]:
            self.assertNotIn("key policy", [p["kind"] for p in d["policies"]])

        # The forward KMS call S3 made as the requester, and its CloudTrail event in account 2 only.
        self.assertEqual(len(rec["kms_calls"]), 1, rec["kms_calls"])
        call = rec["kms_calls"][0]
        self.assertEqual(call["operation"], "GenerateDataKey")
        self.assertEqual(call["via"], "s3.us-east-1.amazonaws.com")
        self.assertEqual(call["outcome"], "NotFoundException")
        self.assertIn(":%s:" % ACCOUNT2, call["caller"])
        self.assertEqual([e.split(":")[0] for e in call["cloudtrail_event_ids"]], [ACCOUNT2])

        # The CloudTrail event the record names is the one account 2 sees.
        event_id = call["cloudtrail_event_ids"][0].split(":")[1]
        found = self.world.ct2.lookup_events(LookupAttributes=[
            {"AttributeKey": "EventId", "AttributeValue": event_id}])["Events"]
        self.assertEqual([e["EventName"] for e in found], ["GenerateDataKey"])

        # Readable by a person through the CLI, and the same record over HTTP.
        text = self.explain(rid)
        self.assertIn("key reference 'alias/my-key' (caller account %s" % ACCOUNT2, text)
        self.assertIn("NotFoundException", text)
        status, _, body = self.server.get("/_crosskey/explain/" + rid + "?format=json")
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body)["key_resolutions"], rec["key_resolutions"])

    def test_successful_put_with_the_arn_evaluates_key_1s_policy(self):
        w = self.world
        k1_arn = w.k1
        r = w.s3_2.put_object(Bucket="bucket1", Key="fixed.csv", Body=b"x", ServerSideEncryption="aws:kms",
                              SSEKMSKeyId=k1_arn)
        rec = self.explain(r["ResponseMetadata"]["RequestId"], "json")
        self.assertEqual(rec["status"], 200)
        self.assertEqual([(x["reference"], x["outcome"], x["key_arn"]) for x in rec["key_resolutions"]],
                         [(k1_arn, "resolved", k1_arn)])
        kms = [d for d in rec["decisions"] if d["action"] == "kms:GenerateDataKey"]
        self.assertEqual(len(kms), 1, rec["decisions"])
        self.assertEqual(kms[0]["resource"], k1_arn)
        self.assertEqual(kms[0]["decision"], "allow")
        key_policy = [p for p in kms[0]["policies"] if p["kind"] == "key policy"]
        self.assertEqual(len(key_policy), 1)
        self.assertEqual(key_policy[0]["summary"], "allows")
        self.assertTrue(any(s.startswith("Sid Account2 (Allow): principal \u2713") and s.endswith("-> applies")
                            for s in key_policy[0]["statements"]), key_policy[0]["statements"])
        # The event went to both accounts (the caller's and the key owner's).
        accounts = sorted(e.split(":")[0] for e in rec["kms_calls"][0]["cloudtrail_event_ids"])
        self.assertEqual(accounts, sorted([ACCOUNT1, ACCOUNT2]))

    def test_unknown_request_id(self):
        r = subprocess.run([CROSSKEY, "explain", "--endpoint-url", self.server.endpoint, "0000000000000000"],
                           capture_output=True, text=True, timeout=30)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("0000000000000000", r.stderr)


class NoRecordsKept(unittest.TestCase):
    def test_decision_records_zero_keeps_none(self):
        with Server("--decision-records", "0") as server:
            r = server.client("s3").create_bucket(Bucket="no-records")
            rid = r["ResponseMetadata"]["RequestId"]
            status, _, body = server.get("/_crosskey/explain/" + rid)
            self.assertEqual(status, 404, body)


if __name__ == "__main__":
    unittest.main()
