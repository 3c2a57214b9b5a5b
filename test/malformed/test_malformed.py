"""Replays the malformed-request corpus (test/malformed/*.json) against one
crosskey over raw HTTP: every case must get its expected status and error
code, the server must stay up, and no refused request may change state
(buckets, objects, blobs on disk, keys, aliases, tables, items, secrets,
IAM users, roles and policies are compared before and after).

  CROSSKEY_BIN=build/src/exe/crosskey python3 -m unittest -v test_malformed
  MALFORMED_ONLY=s3,kms   only these corpus files
  MALFORMED_SHOW=1        print every case's answer (for writing new cases)

Cases may use ${key_id} (the corpus key's id) and the clock's ${now},
${today}, ${hour_ago} and ${http_date}, besides their matrix variables.
"""

import datetime
import email.utils
import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))

import corpus  # noqa: E402
import rawhttp  # noqa: E402
from crosskey import ACCOUNT1, Server  # noqa: E402


def clock():
    """Times cases may refer to: ${now} and ${hour_ago} (X-Amz-Date form),
    ${today} (credential scope date), ${http_date} (Date header form)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    ago = now - datetime.timedelta(hours=1)
    return {"now": now.strftime("%Y%m%dT%H%M%SZ"), "today": now.strftime("%Y%m%d"),
            "hour_ago": ago.strftime("%Y%m%dT%H%M%SZ"), "http_date": email.utils.format_datetime(now, usegmt=True)}


def snapshot(server):
    """Everything a refused request could have changed."""
    s3 = server.client("s3")
    kms = server.client("kms")
    ddb = server.client("dynamodb")
    sm = server.client("secretsmanager")
    iam = server.client("iam")
    state = {
        "buckets": sorted(b["Name"] for b in s3.list_buckets()["Buckets"]),
        "objects": {},
        "keys": sorted(k["KeyId"] for k in kms.list_keys()["Keys"]),
        "aliases": sorted(a["AliasName"] for a in kms.list_aliases()["Aliases"]),
        "tables": sorted(ddb.list_tables()["TableNames"]),
        "items": {},
        "secrets": sorted((s["Name"], s.get("LastChangedDate", "").isoformat() if s.get("LastChangedDate") else "")
                          for s in sm.list_secrets()["SecretList"]),
        "users": sorted((u["UserName"], tuple(iam.list_user_policies(UserName=u["UserName"])["PolicyNames"]),
                         tuple(k["AccessKeyId"] for k in iam.list_access_keys(UserName=u["UserName"])["AccessKeyMetadata"]))
                        for u in iam.list_users()["Users"]),
        "roles": sorted((r["RoleName"], tuple(iam.list_role_policies(RoleName=r["RoleName"])["PolicyNames"]))
                        for r in iam.list_roles()["Roles"]),
        "policies": sorted(p["PolicyName"] for p in iam.list_policies(Scope="Local")["Policies"]),
        "blobs": sum(len(files) for _, _, files in os.walk(os.path.join(server.data_dir, "blobs"))),
    }
    for b in state["buckets"]:
        objs = s3.list_object_versions(Bucket=b)
        state["objects"][b] = sorted((v["Key"], v["VersionId"], v["ETag"]) for v in objs.get("Versions", []))
        state["objects"][b] += sorted(("marker", d["Key"], d["VersionId"]) for d in objs.get("DeleteMarkers", []))
        tags = {}
        for key, _, _ in [o for o in state["objects"][b] if o[0] != "marker"]:
            tags[key] = s3.get_object_tagging(Bucket=b, Key=key)["TagSet"]
        state["objects"][b].append(json.dumps(tags, sort_keys=True))
    for t in state["tables"]:
        state["items"][t] = sorted(json.dumps(i, sort_keys=True) for i in ddb.scan(TableName=t)["Items"])
    return state


class MalformedCorpus(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(memory=False).start()
        s = cls.server
        # Fixtures the cases refer to: a bucket with an object, a key and its
        # alias, a table with an item, a secret, a user and a role.
        s3 = s.client("s3")
        s3.create_bucket(Bucket="corpus")
        s3.put_object(Bucket="corpus", Key="object", Body=b"original", Tagging="t=1")
        kms = s.client("kms")
        key = kms.create_key(Description="corpus")["KeyMetadata"]["KeyId"]
        kms.create_alias(AliasName="alias/corpus", TargetKeyId=key)
        cls.fixtures = {"key_id": key}
        ddb = s.client("dynamodb")
        ddb.create_table(TableName="corpus", BillingMode="PAY_PER_REQUEST",
                         KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
        ddb.put_item(TableName="corpus", Item={"pk": {"S": "item"}, "n": {"N": "1"}})
        s.client("secretsmanager").create_secret(Name="corpus", SecretString="original")
        iam = s.client("iam")
        iam.create_user(UserName="corpus")
        iam.create_role(RoleName="corpus", AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ACCOUNT1},
                                                    "Action": "sts:AssumeRole"}]}))
        cls.before = snapshot(s)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()

    def test_corpus(self):
        only = [n for n in os.environ.get("MALFORMED_ONLY", "").split(",") if n]
        show = os.environ.get("MALFORMED_SHOW")
        cases = corpus.load(only or None)
        if not only:
            self.assertGreaterEqual(len(cases), 500, "the corpus holds at least 500 cases")
        names = set()
        for i, (fn, case, env) in enumerate(cases):
            label = "%s: %s" % (fn, case["name"])
            self.assertNotIn(label, names, "duplicate case name")
            names.add(label)
            raw = corpus.request_bytes(case, dict(self.fixtures, **env, **clock()), self.server.port)
            resp = rawhttp.send(self.server.port, raw, head_request=case.get("method") == "HEAD")
            got = (resp.status, corpus.error_code(resp)) if resp else (None, None)
            if show:
                msg = resp.body[:160].decode("utf-8", "replace").replace("\n", " ") if resp else ""
                print("%-70s %s %s  %s" % (label[:70], got[0], got[1], msg))
            with self.subTest(label):
                self.assertIsNotNone(resp, "no answer: the connection closed")
                want = case["expect"]
                self.assertEqual(got, (want[0], want[1]) if len(want) > 1 else (want[0], got[1]))
                if resp.body:
                    resp.body.decode("utf-8")  # answers are UTF-8, whatever the request held
            self.assertIsNone(self.server.proc.poll(), "crosskey exited after %s:\n%s"
                              % (label, self.server.read_log()[-3000:]))
            if i % 25 == 0:
                self.assertEqual(self.server.health()["status"], "ok")
        self.assertEqual(self.server.health()["status"], "ok")
        self.assertEqual(snapshot(self.server), self.before, "a refused request changed state")


if __name__ == "__main__":
    unittest.main()
