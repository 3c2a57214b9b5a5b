"""Issue 4: every KMS call is a CloudTrail event in the caller's account and,
for allowed cross-account use, in the key owner's account (AWS-SEMANTICS §6);
LookupEvents returns them with boto3 and the AWS CLI."""

import datetime
import json
import unittest

import botocore.exceptions

from crosskey import ACCOUNT1, ACCOUNT2, Server, error_of

CONFIG = """
[[users]]
account = "222222222222"
name = "role2"
access_key_id = "AKIAROLE200000000001"
secret_access_key = "secret"
policies = [{ name = "p", document = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}' }]
"""


def events(client, **kw):
    return [dict(e, Parsed=json.loads(e["CloudTrailEvent"])) for e in client.lookup_events(**kw)["Events"]]


class CloudTrailTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(config=CONFIG).start()
        cls.kms1 = cls.server.client("kms", account=ACCOUNT1)
        cls.ct1 = cls.server.client("cloudtrail", account=ACCOUNT1)
        cls.ct2 = cls.server.client("cloudtrail", account=ACCOUNT2)
        cls.role2 = cls.server.client("kms", account="AKIAROLE200000000001", secret="secret")
        policy = json.dumps({"Version": "2012-10-17", "Statement": [
            {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
             "Principal": {"AWS": "arn:aws:iam::%s:root" % ACCOUNT1}, "Action": "kms:*", "Resource": "*"},
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % ACCOUNT2},
             "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*"}]})
        cls.k1 = cls.kms1.create_key(Policy=policy)["KeyMetadata"]
        cls.private = cls.kms1.create_key()["KeyMetadata"]

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()

    def test_cross_account_decrypt_is_delivered_to_both_accounts(self):
        ct = self.kms1.encrypt(KeyId=self.k1["KeyId"], Plaintext=b"x", EncryptionContext={"case": "xacct"})
        self.role2.decrypt(CiphertextBlob=ct["CiphertextBlob"], EncryptionContext={"case": "xacct"})
        owner = [e for e in events(self.ct1, LookupAttributes=[{"AttributeKey": "EventName",
                                                                 "AttributeValue": "Decrypt"}])
                 if e["Parsed"]["userIdentity"].get("accountId") == ACCOUNT2]
        caller = events(self.ct2, LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "Decrypt"}])
        self.assertEqual(len(owner), 1)
        self.assertEqual(len(caller), 1)
        o, c = owner[0]["Parsed"], caller[0]["Parsed"]
        self.assertEqual(o["recipientAccountId"], ACCOUNT1)
        self.assertEqual(c["recipientAccountId"], ACCOUNT2)
        self.assertEqual(o["sharedEventID"], c["sharedEventID"])
        self.assertNotEqual(o["eventID"], c["eventID"])
        self.assertEqual(o["userIdentity"]["arn"], "arn:aws:iam::%s:user/role2" % ACCOUNT2)
        self.assertEqual(o["userIdentity"]["type"], "IAMUser")
        self.assertEqual(o["eventSource"], "kms.amazonaws.com")
        self.assertEqual(o["requestParameters"]["keyId"], self.k1["Arn"])
        self.assertEqual(o["requestParameters"]["encryptionAlgorithm"], "SYMMETRIC_DEFAULT")
        self.assertEqual(o["requestParameters"]["encryptionContext"], {"case": "xacct"})
        self.assertIsNone(o["responseElements"])
        self.assertEqual(o["resources"], [{"accountId": ACCOUNT1, "type": "AWS::KMS::Key", "ARN": self.k1["Arn"]}])
        self.assertTrue(o["readOnly"])
        self.assertEqual(o["eventType"], "AwsApiCall")
        self.assertTrue(o["managementEvent"])
        self.assertEqual(owner[0]["Username"], "role2")
        self.assertEqual(owner[0]["Resources"], [{"ResourceType": "AWS::KMS::Key", "ResourceName": self.k1["Arn"]}])

    def test_denied_cross_account_call_is_logged_only_in_callers_account(self):
        with self.assertRaises(botocore.exceptions.ClientError):
            self.role2.encrypt(KeyId=self.private["Arn"], Plaintext=b"x")
        mine = [e["Parsed"] for e in events(self.ct2, LookupAttributes=[
            {"AttributeKey": "EventName", "AttributeValue": "Encrypt"}])]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["errorCode"], "AccessDeniedException")
        self.assertIn("on this resource", mine[0]["errorMessage"])
        self.assertNotIn("sharedEventID", mine[0])
        theirs = [e for e in events(self.ct1, LookupAttributes=[
            {"AttributeKey": "ResourceName", "AttributeValue": self.private["Arn"]}])
                  if e["Parsed"]["eventName"] == "Encrypt"]
        self.assertEqual(theirs, [])

    def test_filters_time_range_and_paging(self):
        k = self.kms1.create_key()["KeyMetadata"]
        for _ in range(3):
            self.kms1.generate_data_key(KeyId=k["KeyId"], KeySpec="AES_256", EncryptionContext={"n": "1"})
        by_resource = events(self.ct1, LookupAttributes=[{"AttributeKey": "ResourceName", "AttributeValue": k["Arn"]}])
        self.assertEqual([e["EventName"] for e in by_resource], ["GenerateDataKey"] * 3 + ["CreateKey"])
        gdk = by_resource[0]["Parsed"]
        self.assertEqual(gdk["requestParameters"], {"keyId": k["KeyId"], "keySpec": "AES_256",
                                                    "encryptionContext": {"n": "1"}})
        self.assertEqual(gdk["userIdentity"]["type"], "Root")
        times = [e["EventTime"] for e in by_resource]
        self.assertEqual(times, sorted(times, reverse=True))
        page = self.ct1.lookup_events(LookupAttributes=[{"AttributeKey": "ResourceName", "AttributeValue": k["Arn"]}],
                                      MaxResults=2)
        self.assertEqual(len(page["Events"]), 2)
        rest = self.ct1.lookup_events(LookupAttributes=[{"AttributeKey": "ResourceName", "AttributeValue": k["Arn"]}],
                                      MaxResults=2, NextToken=page["NextToken"])
        self.assertEqual(len(rest["Events"]), 2)
        self.assertNotIn("NextToken", rest)
        self.assertEqual({e["EventId"] for e in page["Events"]} & {e["EventId"] for e in rest["Events"]}, set())
        future = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
        self.assertEqual(self.ct1.lookup_events(StartTime=future)["Events"], [])
        past = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)
        self.assertEqual(self.ct1.lookup_events(EndTime=past)["Events"], [])
        self.assertTrue(events(self.ct1, LookupAttributes=[{"AttributeKey": "Username", "AttributeValue": "root"}]))
        self.assertEqual(events(self.ct1, LookupAttributes=[{"AttributeKey": "Username", "AttributeValue": "nobody"}]),
                         [])
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.ct1.lookup_events(LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "a"},
                                                     {"AttributeKey": "Username", "AttributeValue": "b"}])
        self.assertEqual(error_of(cm.exception)[0], "InvalidLookupAttributesException")

    def test_failed_call_records_error_and_cli_lookup(self):
        with self.assertRaises(botocore.exceptions.ClientError):
            self.kms1.describe_key(KeyId="fake-key-id")
        out = self.server.aws_json("cloudtrail", "lookup-events", "--lookup-attributes",
                                   "AttributeKey=EventName,AttributeValue=DescribeKey", "--max-results", "5")
        failed = [json.loads(e["CloudTrailEvent"]) for e in out["Events"]]
        failed = [e for e in failed if e.get("errorCode") == "NotFoundException"]
        self.assertTrue(failed)
        self.assertEqual(failed[0]["errorMessage"], "Invalid keyId 'fake-key-id'")
        self.assertEqual(failed[0]["requestParameters"], {"keyId": "fake-key-id"})
        self.assertEqual(failed[0]["recipientAccountId"], ACCOUNT1)


if __name__ == "__main__":
    unittest.main()
