"""DynamoDB item requests unwrap the table key with KMS Decrypt as the caller
(AWS-SEMANTICS §3, docs/dynamodb.md): a caller allowed dynamodb:* but not
kms:Decrypt on a customer managed key is refused with AccessDeniedException
carrying KMS's reason, and succeeds once its policy allows kms:Decrypt."""

import json
import unittest

import botocore.exceptions

from crosskey import ACCOUNT1, Server, error_of


def policy(*actions):
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": list(actions), "Resource": "*"}]})


class DynamoDbKmsAccessTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = s = Server().start()
        cls.key = s.client("kms").create_key()["KeyMetadata"]["Arn"]  # default key policy: IAM policies decide
        ddb = s.client("dynamodb")
        ddb.create_table(TableName="secured", BillingMode="PAY_PER_REQUEST",
                         KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                         SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": cls.key})
        ddb.put_item(TableName="secured", Item={"pk": {"S": "a"}, "v": {"S": "x"}})
        cls.iam = s.client("iam")
        cls.iam.create_user(UserName="reader")
        cls.iam.put_user_policy(UserName="reader", PolicyName="p", PolicyDocument=policy("dynamodb:*"))
        k = cls.iam.create_access_key(UserName="reader")["AccessKey"]
        cls.reader = s.client("dynamodb", account=k["AccessKeyId"], secret=k["SecretAccessKey"])

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()

    def test_item_read_without_kms_decrypt_is_access_denied_then_allowed(self):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.reader.get_item(TableName="secured", Key={"pk": {"S": "a"}})
        code, message, status = error_of(cm.exception)
        # The code is AWS's for a caller without kms:Decrypt; passing KMS's own
        # message through is crosskey's choice (AWS's exact text is UNVERIFIED).
        self.assertEqual((code, status), ("AccessDeniedException", 400))
        self.assertTrue(message.startswith("User: arn:aws:iam::%s:user/reader is not authorized to perform: "
                                           "kms:Decrypt on resource: %s" % (ACCOUNT1, self.key)), message)
        self.iam.put_user_policy(UserName="reader", PolicyName="p", PolicyDocument=policy("dynamodb:*", "kms:Decrypt"))
        got = self.reader.get_item(TableName="secured", Key={"pk": {"S": "a"}})
        self.assertEqual(got["Item"], {"pk": {"S": "a"}, "v": {"S": "x"}})


if __name__ == "__main__":
    unittest.main()
