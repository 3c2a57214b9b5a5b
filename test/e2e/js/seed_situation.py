#!/usr/bin/env python3
"""Creates the seed's situation through boto3 against a crosskey endpoint, for
the console's browser test: account 1 owns bucket1 (default aws:kms +
alias/my-key, policy letting account 2's role2 write); account 2 has its own
alias/my-key; role2 writes one object, which lands under account 2's key.
Then role2 writes a second object naming account 1's key by ARN (its key
policy admits account 2): it lands under the owner's key, a cross-account KMS
use that CloudTrail delivers to both accounts with one sharedEventID.
Prints a JSON summary (keys, the mismatched object) on stdout.

  python3 seed_situation.py http://127.0.0.1:PORT
"""

import json
import sys

import boto3
from botocore.config import Config

A1, A2 = "111111111111", "222222222222"


def main():
    endpoint = sys.argv[1]
    c = lambda svc, key, secret="x", token=None: boto3.client(
        svc, endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=key, aws_secret_access_key=secret,
        aws_session_token=token, config=Config(retries={"max_attempts": 1}))
    doc = lambda *st: json.dumps({"Version": "2012-10-17", "Statement": list(st)})
    k1 = c("kms", A1).create_key(Description="key 1")["KeyMetadata"]["Arn"]
    c("kms", A1).create_alias(AliasName="alias/my-key", TargetKeyId=k1)
    k2 = c("kms", A2).create_key(Description="key 2")["KeyMetadata"]["Arn"]
    c("kms", A2).create_alias(AliasName="alias/my-key", TargetKeyId=k2)
    iam2 = c("iam", A2)
    iam2.create_role(RoleName="role2", AssumeRolePolicyDocument=doc(
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % A2}, "Action": "sts:AssumeRole"}))
    iam2.put_role_policy(RoleName="role2", PolicyName="p", PolicyDocument=doc(
        {"Effect": "Allow", "Action": ["s3:*", "kms:*"], "Resource": "*"}))
    iam2.create_user(UserName="u2")
    iam2.put_user_policy(UserName="u2", PolicyName="a", PolicyDocument=doc(
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}))
    ak = iam2.create_access_key(UserName="u2")["AccessKey"]
    creds = c("sts", ak["AccessKeyId"], ak["SecretAccessKey"]).assume_role(
        RoleArn="arn:aws:iam::%s:role/role2" % A2, RoleSessionName="writer")["Credentials"]
    s3 = c("s3", A1)
    s3.create_bucket(Bucket="bucket1")
    s3.put_bucket_policy(Bucket="bucket1", Policy=doc(
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:role/role2" % A2},
         "Action": ["s3:PutObject", "s3:GetObject"], "Resource": "arn:aws:s3:::bucket1/*"}))
    s3.put_bucket_encryption(Bucket="bucket1", ServerSideEncryptionConfiguration={"Rules": [
        {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/my-key"}}]})
    s3.put_object(Bucket="bucket1", Key="from-owner.txt", Body=b"owner")
    w = c("s3", creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
    put = w.put_object(Bucket="bucket1", Key="from-account2.txt", Body=b"writer")
    c("kms", A1).put_key_policy(KeyId=k1, PolicyName="default", Policy=doc(
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % A1}, "Action": "kms:*", "Resource": "*"},
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % A2},
         "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": "*"}))
    w.put_object(Bucket="bucket1", Key="from-account2-by-arn.txt", Body=b"writer", ServerSideEncryption="aws:kms",
                 SSEKMSKeyId=k1)
    print(json.dumps({"k1": k1, "k2": k2, "mismatched": "from-account2.txt",
                      "request_id": put["ResponseMetadata"]["RequestId"]}))


if __name__ == "__main__":
    main()
