"""Shared set-up for the S3 SSE end-to-end tests (no tests here).

The AWS-SEMANTICS test-case world, built through the public APIs:
  A1 = 111111111111 owns bucket1 and key K1 (alias/my-key -> K1); K1's policy is
       the default one plus account 2 (Encrypt/Decrypt/ReEncrypt*/GenerateDataKey*/DescribeKey).
  bucket1's policy lets arn:aws:iam::222222222222:role/role2 put and get objects.
  A2 = 222222222222 has role2 (trust: A2 root; IAM: s3:* on bucket1, kms:* on *),
       assumed by user u2 (roots cannot assume roles).
  reader1 is a role in A1 with s3 read access and kms:Decrypt on K1 only.
"""

import base64
import hashlib
import json

import botocore.exceptions

from crosskey import ACCOUNT1, ACCOUNT2, REGION, error_of


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def k1_policy(include_account2=True):
    st = [{"Sid": "Enable IAM User Permissions", "Effect": "Allow",
           "Principal": {"AWS": "arn:aws:iam::%s:root" % ACCOUNT1}, "Action": "kms:*", "Resource": "*"}]
    if include_account2:
        st.append({"Sid": "Account2", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % ACCOUNT2},
                   "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                              "kms:DescribeKey"], "Resource": "*"})
    return doc(*st)


def assume_role(server, account, role, trust_account, statements, session="sess"):
    """Creates `role` in `account` with an inline policy and returns session credentials
    (assumed by a throwaway user of the same account)."""
    iam = server.client("iam", account=account)
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=doc(
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % trust_account}, "Action": "sts:AssumeRole"}))
    iam.put_role_policy(RoleName=role, PolicyName="p", PolicyDocument=doc(*statements))
    user = "assumer-" + role
    iam.create_user(UserName=user)
    iam.put_user_policy(UserName=user, PolicyName="a", PolicyDocument=doc(
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}))
    key = iam.create_access_key(UserName=user)["AccessKey"]
    sts = server.client("sts", account=key["AccessKeyId"], secret=key["SecretAccessKey"])
    return sts.assume_role(RoleArn="arn:aws:iam::%s:role/%s" % (account, role),
                           RoleSessionName=session)["Credentials"]


def client_for(server, creds, service):
    return server.client(service, account=creds["AccessKeyId"], secret=creds["SecretAccessKey"],
                         token=creds["SessionToken"])


class ErrorAssertions:
    """assertError for unittest.TestCase subclasses: the call fails with this AWS error."""

    def assertError(self, fn, code, message=None, status=None, **kw):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            fn(**kw)
        c, m, s = error_of(cm.exception)
        self.assertEqual(c, code, m)
        if message is not None:
            self.assertEqual(m, message)
        if status is not None:
            self.assertEqual(s, status)
        return cm.exception


class World:
    """The two-account world of AWS-SEMANTICS 'Test cases'."""

    def __init__(self, server, bucket="bucket1", k1_allows_account2=True):
        self.server = server
        self.bucket = bucket
        self.kms1 = server.client("kms", account=ACCOUNT1)
        self.s3_1 = server.client("s3", account=ACCOUNT1)
        self.ct1 = server.client("cloudtrail", account=ACCOUNT1)
        self.ct2 = server.client("cloudtrail", account=ACCOUNT2)
        meta = self.kms1.create_key(Policy=k1_policy(k1_allows_account2))["KeyMetadata"]
        self.k1, self.k1_id = meta["Arn"], meta["KeyId"]
        self.kms1.create_alias(AliasName="alias/my-key", TargetKeyId=self.k1_id)
        self.s3_1.create_bucket(Bucket=bucket)
        self.role2_arn = "arn:aws:iam::%s:role/role2" % ACCOUNT2
        self.s3_1.put_bucket_policy(Bucket=bucket, Policy=doc(
            {"Effect": "Allow", "Principal": {"AWS": self.role2_arn},
             "Action": ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
             "Resource": "arn:aws:s3:::%s/*" % bucket}))
        self.creds2 = assume_role(server, ACCOUNT2, "role2", ACCOUNT2, [
            {"Effect": "Allow", "Action": "s3:*", "Resource": ["arn:aws:s3:::%s" % bucket, "arn:aws:s3:::%s/*" % bucket]},
            {"Effect": "Allow", "Action": "kms:*", "Resource": "*"}], session="session2")
        self.creds_reader1 = assume_role(server, ACCOUNT1, "reader1", ACCOUNT1, [
            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"},
            {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": self.k1}], session="reader")
        self.s3_2 = client_for(server, self.creds2, "s3")
        self.kms2 = client_for(server, self.creds2, "kms")
        self.s3_reader1 = client_for(server, self.creds_reader1, "s3")
        self.role2_session = "arn:aws:sts::%s:assumed-role/role2/session2" % ACCOUNT2

    def set_default(self, algorithm="aws:kms", key=None, bucket_key=None, bucket=None):
        by_default = {"SSEAlgorithm": algorithm}
        if key is not None:
            by_default["KMSMasterKeyID"] = key
        rule = {"ApplyServerSideEncryptionByDefault": by_default}
        if bucket_key is not None:
            rule["BucketKeyEnabled"] = bucket_key
        self.s3_1.put_bucket_encryption(Bucket=bucket or self.bucket,
                                        ServerSideEncryptionConfiguration={"Rules": [rule]})

    def create_k2(self):
        """K2 in account 2 with alias/my-key -> K2 (default key policy)."""
        meta = self.kms2.create_key()["KeyMetadata"]
        self.kms2.create_alias(AliasName="alias/my-key", TargetKeyId=meta["KeyId"])
        return meta["Arn"]


def events(ct, name, since_ids=()):
    """CloudTrail events named `name` in the client's account (parsed), excluding event ids in since_ids."""
    out = []
    for e in ct.lookup_events(LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": name}],
                              MaxResults=50)["Events"]:
        p = json.loads(e["CloudTrailEvent"])
        if p["eventID"] not in since_ids:
            out.append(p)
    return out


def event_ids(ct, name):
    return {e["eventID"] for e in events(ct, name)}


def with_context(events_list, object_arn):
    return [e for e in events_list
            if (e.get("requestParameters") or {}).get("encryptionContext", {}).get("aws:s3:arn") == object_arn]


def sse_c_key(seed=b"k"):
    raw = hashlib.sha256(seed).digest()
    return raw, base64.b64encode(raw).decode(), base64.b64encode(hashlib.md5(raw).digest()).decode()


def key_arn(account, key_id, region=REGION):
    return "arn:aws:kms:%s:%s:key/%s" % (region, account, key_id)
