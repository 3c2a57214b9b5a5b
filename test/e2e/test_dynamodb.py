"""Issue 7: DynamoDB end to end (boto3 client, boto3 resource API and the AWS
CLI), AWS-SEMANTICS §3 and test cases 53-56: the SSESpecification key is
resolved as the caller when the table is configured and the key ARN is kept."""

import decimal
import json
import os
import unittest
import urllib.request

import boto3
import botocore.exceptions
from boto3.dynamodb.conditions import Attr, Key

from crosskey import ACCOUNT1, ACCOUNT2, Server, error_of


def key_schema(hash_type="S", range_type=None):
    ks = [{"AttributeName": "pk", "KeyType": "HASH"}]
    ad = [{"AttributeName": "pk", "AttributeType": hash_type}]
    if range_type:
        ks.append({"AttributeName": "sk", "KeyType": "RANGE"})
        ad.append({"AttributeName": "sk", "AttributeType": range_type})
    return {"KeySchema": ks, "AttributeDefinitions": ad}


class DynamoDbTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server().start()
        cls.ddb = cls.server.client("dynamodb", account=ACCOUNT1)
        cls.kms = cls.server.client("kms", account=ACCOUNT1)
        cls.res = boto3.resource("dynamodb", endpoint_url=cls.server.endpoint, region_name="us-east-1",
                                 aws_access_key_id=ACCOUNT1, aws_secret_access_key="test")
        cls.k1 = cls.kms.create_key()["KeyMetadata"]["Arn"]
        cls.kms.create_alias(AliasName="alias/my-key", TargetKeyId=cls.k1)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()

    def table(self, name, range_type="S", **kw):
        self.ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST", **key_schema("S", range_type), **kw)
        return self.res.Table(name)

    def assertError(self, code, message, fn, *args, **kw):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            fn(*args, **kw)
        got = error_of(cm.exception)
        self.assertEqual(got[0], code, got)
        if message is not None:
            self.assertEqual(got[1], message, got)
        return got

    # --- cases 53-56 ----------------------------------------------------------
    def test_53_alias_resolved_at_create_and_frozen(self):
        out = self.ddb.create_table(TableName="t53", BillingMode="PAY_PER_REQUEST", **key_schema(),
                                    SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": "alias/my-key"})
        sse = out["TableDescription"]["SSEDescription"]
        self.assertEqual(sse, {"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": self.k1})
        self.res.Table("t53").put_item(Item={"pk": "a", "v": "before"})
        # Re-point the alias: the table keeps the ARN it resolved.
        k_other = self.kms.create_key()["KeyMetadata"]["Arn"]
        self.kms.update_alias(AliasName="alias/my-key", TargetKeyId=k_other)
        try:
            desc = self.ddb.describe_table(TableName="t53")["Table"]
            self.assertEqual(desc["SSEDescription"]["KMSMasterKeyArn"], self.k1)
            self.assertEqual(self.res.Table("t53").get_item(Key={"pk": "a"})["Item"]["v"], "before")
        finally:
            self.kms.update_alias(AliasName="alias/my-key", TargetKeyId=self.k1)

    def test_54_enabled_without_key_uses_aws_dynamodb_and_default_has_none(self):
        out = self.ddb.create_table(TableName="t54", BillingMode="PAY_PER_REQUEST", **key_schema(),
                                    SSESpecification={"Enabled": True})
        managed = self.kms.describe_key(KeyId="alias/aws/dynamodb")["KeyMetadata"]
        self.assertEqual(managed["KeyManager"], "AWS")
        self.assertEqual(out["TableDescription"]["SSEDescription"]["KMSMasterKeyArn"], managed["Arn"])
        # INFERRED (AWS-SEMANTICS case 54): the AWS owned key shows no SSEDescription.
        plain = self.ddb.create_table(TableName="t54b", BillingMode="PAY_PER_REQUEST", **key_schema())
        self.assertNotIn("SSEDescription", plain["TableDescription"])
        self.assertNotIn("SSEDescription", self.ddb.describe_table(TableName="t54b")["Table"])

    def test_55_key_without_ssetype_is_refused(self):
        self.assertError("ValidationException", "SSEType KMS is required if KMSMasterKeyId is specified",
                         self.ddb.create_table, TableName="t55", BillingMode="PAY_PER_REQUEST", **key_schema(),
                         SSESpecification={"Enabled": True, "KMSMasterKeyId": self.k1})
        self.assertNotIn("t55", self.ddb.list_tables()["TableNames"])

    def test_56_update_table_changes_key(self):
        t = self.table("t56", range_type=None, SSESpecification={"Enabled": True})
        t.put_item(Item={"pk": "x", "n": 1})
        k2 = self.kms.create_key()["KeyMetadata"]["Arn"]
        out = self.ddb.update_table(TableName="t56", SSESpecification={"Enabled": True, "SSEType": "KMS",
                                                                        "KMSMasterKeyId": k2})
        # The answer shows the encryption the table had, as UPDATING (recorded for
        # a KMS-encrypted table; {"Status": "UPDATING"} alone from the AWS owned key).
        managed = self.kms.describe_key(KeyId="alias/aws/dynamodb")["KeyMetadata"]["Arn"]
        self.assertEqual(out["TableDescription"]["SSEDescription"],
                         {"Status": "UPDATING", "SSEType": "KMS", "KMSMasterKeyArn": managed})
        desc = self.ddb.describe_table(TableName="t56")["Table"]
        self.assertEqual(desc["SSEDescription"], {"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": k2})
        self.assertEqual(t.get_item(Key={"pk": "x"})["Item"]["n"], 1)  # old items still readable
        # Back to the AWS owned key: the answer still names the key it had.
        back = self.ddb.update_table(TableName="t56", SSESpecification={"Enabled": False})
        self.assertEqual(back["TableDescription"]["SSEDescription"],
                         {"Status": "UPDATING", "SSEType": "KMS", "KMSMasterKeyArn": k2})
        self.assertNotIn("SSEDescription", self.ddb.describe_table(TableName="t56")["Table"])
        # From the AWS owned key, only the status.
        again = self.ddb.update_table(TableName="t56", SSESpecification={"Enabled": True})
        self.assertEqual(again["TableDescription"]["SSEDescription"], {"Status": "UPDATING"})
        self.assertEqual(t.get_item(Key={"pk": "x"})["Item"]["n"], 1)

    def test_create_with_missing_alias_fails_as_caller(self):
        # UNVERIFIED code (AWS-SEMANTICS §3, recommendation: ValidationException with KMS's text).
        self.assertError("ValidationException",
                         "Alias arn:aws:kms:us-east-1:%s:alias/my-key is not found." % ACCOUNT2,
                         self.server.client("dynamodb", account=ACCOUNT2).create_table,
                         TableName="t2x", BillingMode="PAY_PER_REQUEST", **key_schema(),
                         SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": "alias/my-key"})

    def test_disabled_key_makes_table_inaccessible(self):
        k = self.kms.create_key()["KeyMetadata"]["Arn"]
        t = self.table("tdis", range_type=None, SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": k})
        t.put_item(Item={"pk": "a"})
        self.kms.disable_key(KeyId=k)
        desc = self.ddb.describe_table(TableName="tdis")["Table"]
        self.assertEqual(desc["TableStatus"], "INACCESSIBLE_ENCRYPTION_CREDENTIALS")
        self.assertIn("InaccessibleEncryptionDateTime", desc["SSEDescription"])
        # Item operations fail (code UNVERIFIED; see docs/dynamodb.md), naming KMS's reason.
        code, message, _ = self.assertError("ValidationException", None, t.get_item, Key={"pk": "a"})
        self.assertIn("%s is disabled." % k, message)
        self.kms.enable_key(KeyId=k)
        self.assertEqual(self.ddb.describe_table(TableName="tdis")["Table"]["TableStatus"], "ACTIVE")
        self.assertEqual(t.get_item(Key={"pk": "a"})["Item"], {"pk": "a"})

    def test_item_reads_decrypt_as_the_caller_through_dynamodb(self):
        t = self.table("tct", range_type=None, SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": self.k1})
        t.put_item(Item={"pk": "a"})
        ct = self.server.client("cloudtrail", account=ACCOUNT1)
        events = [json.loads(e["CloudTrailEvent"]) for e in
                  ct.lookup_events(LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "Decrypt"}])["Events"]]
        ours = [e for e in events if e["requestParameters"]["encryptionContext"].get("aws:dynamodb:tableName") == "tct"]
        self.assertTrue(ours)
        self.assertEqual(ours[0]["userIdentity"]["invokedBy"], "dynamodb.amazonaws.com")
        self.assertEqual(ours[0]["requestParameters"]["encryptionContext"]["aws:dynamodb:subscriberId"], ACCOUNT1)

    # --- tables -----------------------------------------------------------------
    def test_table_lifecycle_and_errors(self):
        out = self.ddb.create_table(TableName="life", **key_schema("N"),
                                    ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 3})
        d = out["TableDescription"]
        self.assertEqual(d["TableStatus"], "CREATING")  # as AWS answers (recorded) ...
        self.assertNotIn("BillingModeSummary", d)  # provisioned from the start: no summary (recorded)
        self.assertNotIn("WarmThroughput", d)  # only when asked for (recorded)
        desc = self.ddb.describe_table(TableName="life")["Table"]
        self.assertEqual(desc["TableStatus"], "ACTIVE")  # ... and ACTIVE at once
        self.assertEqual(desc["WarmThroughput"], {"ReadUnitsPerSecond": 5, "WriteUnitsPerSecond": 3, "Status": "ACTIVE"})
        self.assertEqual(d["TableArn"], "arn:aws:dynamodb:us-east-1:111111111111:table/life")
        self.assertEqual(d["ProvisionedThroughput"]["ReadCapacityUnits"], 5)
        self.ddb.get_waiter("table_exists").wait(TableName="life", WaiterConfig={"Delay": 1, "MaxAttempts": 2})
        self.assertError("ResourceInUseException", "Table already exists: life", self.ddb.create_table,
                         TableName="life", BillingMode="PAY_PER_REQUEST", **key_schema())
        upd = self.ddb.update_table(TableName="life", BillingMode="PAY_PER_REQUEST")
        self.assertEqual(upd["TableDescription"]["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST")
        desc = self.ddb.describe_table(TableName="life")["Table"]
        self.assertIn("LastUpdateToPayPerRequestDateTime", desc["BillingModeSummary"])
        self.assertEqual(desc["WarmThroughput"], {"ReadUnitsPerSecond": 12000, "WriteUnitsPerSecond": 4000,
                                                  "Status": "ACTIVE"})
        deleted = self.ddb.delete_table(TableName="life")["TableDescription"]
        self.assertEqual(deleted["TableStatus"], "DELETING")
        for absent in ("KeySchema", "AttributeDefinitions", "CreationDateTime", "BillingModeSummary"):
            self.assertNotIn(absent, deleted)  # as recorded
        self.assertError("ResourceNotFoundException", "Requested resource not found: Table: life not found",
                         self.ddb.describe_table, TableName="life")
        self.assertError("ResourceNotFoundException", "Requested resource not found",
                         self.ddb.get_item, TableName="life", Key={"pk": {"N": "1"}})

    def test_create_table_validation(self):
        self.assertError("ValidationException", None, self.ddb.create_table, TableName="bad",
                         BillingMode="PAY_PER_REQUEST", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "other", "AttributeType": "S"}])
        self.assertError("ValidationException",
                         "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must "
                         "both be specified when BillingMode is PROVISIONED",
                         self.ddb.create_table, TableName="bad", **key_schema())

    def test_list_tables_paginates(self):
        ddb = self.server.client("dynamodb", account="555555555555")
        for i in range(5):
            ddb.create_table(TableName="tp%d" % i, BillingMode="PAY_PER_REQUEST", **key_schema())
        first = ddb.list_tables(Limit=2)
        self.assertEqual(first["TableNames"], ["tp0", "tp1"])
        self.assertEqual(first["LastEvaluatedTableName"], "tp1")
        names = []
        for page in ddb.get_paginator("list_tables").paginate(PaginationConfig={"PageSize": 2}):
            names += page["TableNames"]
        self.assertEqual(names, ["tp%d" % i for i in range(5)])
        self.assertError("ValidationException", None, ddb.create_table, TableName="ab", BillingMode="PAY_PER_REQUEST",
                         **key_schema())

    def test_other_accounts_cannot_use_a_table(self):
        self.table("private", range_type=None)
        other = self.server.client("dynamodb", account=ACCOUNT2)
        self.assertError("AccessDeniedException", None, other.get_item,
                         TableName="arn:aws:dynamodb:us-east-1:111111111111:table/private", Key={"pk": {"S": "a"}})
        # By name, account 2 looks in its own account.
        self.assertError("ResourceNotFoundException", None, other.describe_table, TableName="private")

    # --- items ------------------------------------------------------------------
    def test_resource_api_put_query_condition_pagination(self):
        t = self.table("orders", range_type="S")
        for i in range(12):
            t.put_item(Item={"pk": "cust#1", "sk": "order#%02d" % i, "total": decimal.Decimal("10.5") * i})
        t.put_item(Item={"pk": "cust#1", "sk": "profile", "name": "Ann"})
        t.put_item(Item={"pk": "cust#2", "sk": "order#01", "total": 1})
        got = t.query(KeyConditionExpression=Key("pk").eq("cust#1") & Key("sk").begins_with("order#"))
        self.assertEqual(got["Count"], 12)
        self.assertEqual([i["sk"] for i in got["Items"]], ["order#%02d" % i for i in range(12)])
        self.assertEqual(got["Items"][3]["total"], decimal.Decimal("31.5"))
        desc = t.query(KeyConditionExpression=Key("pk").eq("cust#1"), ScanIndexForward=False, Limit=2)
        self.assertEqual([i["sk"] for i in desc["Items"]], ["profile", "order#11"])
        # Pagination with Limit / ExclusiveStartKey, through the paginator too.
        items, kw = [], {"KeyConditionExpression": Key("pk").eq("cust#1") & Key("sk").between("order#03", "order#09"),
                         "Limit": 3}
        while True:
            page = t.query(**kw)
            items += page["Items"]
            if "LastEvaluatedKey" not in page:
                break
            kw["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        self.assertEqual([i["sk"] for i in items], ["order#%02d" % i for i in range(3, 10)])
        pages = list(self.ddb.get_paginator("query").paginate(
            TableName="orders", KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "cust#1"}},
            PaginationConfig={"PageSize": 5}))
        self.assertEqual(sum(p["Count"] for p in pages), 13)
        # Filter after the key condition; Count vs ScannedCount.
        f = t.query(KeyConditionExpression=Key("pk").eq("cust#1"), FilterExpression=Attr("total").gt(100))
        self.assertEqual((f["Count"], f["ScannedCount"]), (2, 13))
        # ConditionExpression through the resource API.
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            t.put_item(Item={"pk": "cust#1", "sk": "profile"}, ConditionExpression=Attr("pk").not_exists())
        self.assertEqual(error_of(cm.exception)[:2], ("ConditionalCheckFailedException", "The conditional request failed"))
        t.put_item(Item={"pk": "cust#1", "sk": "profile", "name": "Bob"}, ConditionExpression=Attr("name").eq("Ann"))
        self.assertEqual(t.get_item(Key={"pk": "cust#1", "sk": "profile"})["Item"]["name"], "Bob")

    def test_key_validation_messages(self):
        t = self.table("keys", range_type="N")
        self.assertError("ValidationException", "One or more parameter values were invalid: Missing the key sk in the item",
                         t.put_item, Item={"pk": "a"})
        self.assertError("ValidationException",
                         "One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S",
                         t.put_item, Item={"pk": "a", "sk": "x"})
        self.assertError("ValidationException", "The provided key element does not match the schema",
                         t.get_item, Key={"pk": "a"})
        self.assertError("ValidationException", "The provided key element does not match the schema",
                         t.get_item, Key={"pk": "a", "sk": 1, "extra": 2})
        self.assertError("ValidationException", "Query condition missed key schema element: pk",
                         t.query, KeyConditionExpression=Key("sk").eq(1))
        self.assertError("ValidationException",
                         "One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
                         "contain an empty string value. Key: pk", t.put_item, Item={"pk": "", "sk": 1})
        self.assertError("ValidationException", "One or more parameter values were invalid: Cannot update attribute sk. "
                         "This attribute is part of the key", t.update_item, Key={"pk": "a", "sk": 1},
                         UpdateExpression="SET sk = :v", ExpressionAttributeValues={":v": 2})
        self.assertError("ValidationException",
                         "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}",
                         self.ddb.put_item, TableName="keys", Item={"pk": {"S": "a"}, "sk": {"N": "1"}},
                         ConditionExpression="attribute_not_exists(pk)",
                         ExpressionAttributeValues={":unused": {"S": "x"}})

    def test_numbers_are_exact_decimals(self):
        t = self.table("nums", range_type="N")
        values = ["-1E+20", "-3.5", "0", "0.1", "0.10000000000000000000000000000000000001", "2", "10",
                  "12345678901234567890123456789012345678"]
        for v in reversed(values):
            self.ddb.put_item(TableName="nums", Item={"pk": {"S": "n"}, "sk": {"N": v}, "raw": {"N": v}})
        got = self.ddb.query(TableName="nums", KeyConditionExpression="pk = :p",
                             ExpressionAttributeValues={":p": {"S": "n"}})["Items"]
        self.assertEqual([i["sk"]["N"] for i in got],
                         ["-100000000000000000000", "-3.5", "0", "0.1", "0.10000000000000000000000000000000000001",
                          "2", "10", "12345678901234567890123456789012345678"])
        out = self.ddb.update_item(TableName="nums", Key={"pk": {"S": "n"}, "sk": {"N": "0.1"}},
                                   UpdateExpression="ADD raw :x", ExpressionAttributeValues={":x": {"N": "0.2"}},
                                   ReturnValues="UPDATED_NEW")
        self.assertEqual(out["Attributes"], {"raw": {"N": "0.3"}})
        gt = self.ddb.query(TableName="nums", KeyConditionExpression="pk = :p AND sk > :v",
                            ExpressionAttributeValues={":p": {"S": "n"}, ":v": {"N": "0.1"}})
        self.assertEqual(gt["Items"][0]["sk"]["N"], "0.10000000000000000000000000000000000001")
        self.assertError("ValidationException", None, self.ddb.put_item, TableName="nums",
                         Item={"pk": {"S": "n"}, "sk": {"N": "not-a-number"}})

    def test_all_attribute_types_round_trip(self):
        t = self.table("types", range_type="B")
        item = {"pk": {"S": "a"}, "sk": {"B": b"\x00\xff"}, "s": {"S": "x"}, "n": {"N": "1.5"}, "b": {"B": b"\x01"},
                "t": {"BOOL": True}, "nul": {"NULL": True}, "l": {"L": [{"S": "x"}, {"N": "2"}]},
                "m": {"M": {"k": {"SS": ["a", "b"]}}}, "ss": {"SS": ["x", "y"]}, "ns": {"NS": ["1", "2.5"]},
                "bs": {"BS": [b"a", b"b"]}}
        self.ddb.put_item(TableName="types", Item=item)
        got = self.ddb.get_item(TableName="types", Key={"pk": {"S": "a"}, "sk": {"B": b"\x00\xff"}})["Item"]
        self.assertEqual(got["sk"], {"B": b"\x00\xff"})
        self.assertEqual(sorted(got["ns"]["NS"]), ["1", "2.5"])
        self.assertEqual(got["m"], item["m"])
        self.assertEqual(got["nul"], {"NULL": True})
        proj = self.ddb.get_item(TableName="types", Key={"pk": {"S": "a"}, "sk": {"B": b"\x00\xff"}},
                                 ProjectionExpression="l[1], #m.k", ExpressionAttributeNames={"#m": "m"})["Item"]
        self.assertEqual(proj, {"l": {"L": [{"N": "2"}]}, "m": {"M": {"k": {"SS": ["a", "b"]}}}})
        self.assertError("ValidationException", None, self.ddb.put_item, TableName="types",
                         Item={"pk": {"S": "a"}, "sk": {"B": b"x"}, "ss": {"SS": []}})

    def test_update_item_and_return_values(self):
        t = self.table("upd", range_type=None)
        out = t.update_item(Key={"pk": "u"}, UpdateExpression="SET #c = if_not_exists(#c, :zero) + :one, tags = :t",
                            ExpressionAttributeNames={"#c": "count"},
                            ExpressionAttributeValues={":zero": 0, ":one": 1, ":t": ["a"]}, ReturnValues="ALL_NEW")
        self.assertEqual(out["Attributes"], {"pk": "u", "count": 1, "tags": ["a"]})
        out = t.update_item(Key={"pk": "u"}, UpdateExpression="SET tags = list_append(tags, :more) REMOVE #c",
                            ExpressionAttributeNames={"#c": "count"}, ExpressionAttributeValues={":more": ["b"]},
                            ReturnValues="UPDATED_OLD")
        self.assertEqual(out["Attributes"], {"count": 1, "tags": ["a"]})
        out = t.update_item(Key={"pk": "u"}, UpdateExpression="SET v = :v", ConditionExpression="size(tags) = :two",
                            ExpressionAttributeValues={":v": "ok", ":two": 2}, ReturnValues="ALL_OLD")
        self.assertEqual(out["Attributes"], {"pk": "u", "tags": ["a", "b"]})
        self.assertError("ConditionalCheckFailedException", "The conditional request failed", t.update_item,
                         Key={"pk": "u"}, UpdateExpression="SET v = :v", ConditionExpression="v = :old",
                         ExpressionAttributeValues={":v": "x", ":old": "nope"})
        old = t.delete_item(Key={"pk": "u"}, ReturnValues="ALL_OLD")["Attributes"]
        self.assertEqual(old["v"], "ok")
        self.assertNotIn("Item", t.get_item(Key={"pk": "u"}))

    def test_conditional_put_and_delete(self):
        t = self.table("cond", range_type=None)
        t.put_item(Item={"pk": "c", "v": 1}, ConditionExpression="attribute_not_exists(pk)")
        self.assertError("ConditionalCheckFailedException", "The conditional request failed", t.put_item,
                         Item={"pk": "c", "v": 2}, ConditionExpression="attribute_not_exists(pk)")
        self.assertEqual(t.get_item(Key={"pk": "c"})["Item"]["v"], 1)  # the failed put changed nothing
        self.assertError("ConditionalCheckFailedException", "The conditional request failed", t.delete_item,
                         Key={"pk": "c"}, ConditionExpression="v = :two", ExpressionAttributeValues={":two": 2})
        self.assertIn("Item", t.get_item(Key={"pk": "c"}))
        # Deleting an absent item succeeds and returns no attributes; with a
        # condition on it, the condition is evaluated against no item.
        self.assertNotIn("Attributes", t.delete_item(Key={"pk": "absent"}, ReturnValues="ALL_OLD"))
        self.assertError("ConditionalCheckFailedException", "The conditional request failed", t.delete_item,
                         Key={"pk": "absent"}, ConditionExpression="attribute_exists(pk)")
        old = t.put_item(Item={"pk": "c", "v": 3}, ReturnValues="ALL_OLD")["Attributes"]
        self.assertEqual(old, {"pk": "c", "v": 1})

    def test_batch_write_and_get(self):
        t = self.table("batch", range_type=None)
        with t.batch_writer() as w:
            for i in range(30):
                w.put_item(Item={"pk": "k%02d" % i, "i": i})
        self.ddb.batch_write_item(RequestItems={"batch": [{"DeleteRequest": {"Key": {"pk": {"S": "k00"}}}}]})
        got = self.ddb.batch_get_item(RequestItems={"batch": {
            "Keys": [{"pk": {"S": "k00"}}, {"pk": {"S": "k01"}}, {"pk": {"S": "k29"}}], "ProjectionExpression": "i"}})
        self.assertEqual(sorted(int(i["i"]["N"]) for i in got["Responses"]["batch"]), [1, 29])
        self.assertEqual(got["UnprocessedKeys"], {})
        self.assertError("ValidationException", "Provided list of item keys contains duplicates",
                         self.ddb.batch_get_item, RequestItems={"batch": {"Keys": [{"pk": {"S": "a"}}, {"pk": {"S": "a"}}]}})

    def test_scan_filter_projection_segments(self):
        t = self.table("scan", range_type=None)
        for i in range(20):
            t.put_item(Item={"pk": "s%02d" % i, "even": i % 2 == 0, "i": i})
        got = t.scan(FilterExpression=Attr("even").eq(True) & Attr("i").lt(10), ProjectionExpression="i")
        self.assertEqual(sorted(int(x["i"]) for x in got["Items"]), [0, 2, 4, 6, 8])
        self.assertEqual(got["ScannedCount"], 20)
        seen = []
        for seg in range(3):
            seen += [x["pk"] for x in t.scan(Segment=seg, TotalSegments=3)["Items"]]
        self.assertEqual(sorted(seen), ["s%02d" % i for i in range(20)])
        self.assertEqual(t.scan(Select="COUNT")["Count"], 20)
        pages = list(self.ddb.get_paginator("scan").paginate(TableName="scan", PaginationConfig={"PageSize": 6}))
        self.assertEqual([p["Count"] for p in pages], [6, 6, 6, 2])

    def test_legacy_parameters_are_refused_not_ignored(self):
        self.table("legacy", range_type=None)
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.ddb.get_item(TableName="legacy", Key={"pk": {"S": "a"}}, AttributesToGet=["x"])
        self.assertEqual(error_of(cm.exception)[2], 501)

    def test_json_1_0_error_type_is_namespaced(self):
        # DynamoDB's __type is "com.amazonaws.dynamodb.v20120810#Code"; botocore
        # strips the prefix, so check the raw body. Needs the gateway to pass
        # RenderJsonError's type_namespace for dynamodb.
        out = self.server.aws("dynamodb", "describe-table", "--table-name", "nope", "--debug")
        body = [line for line in out.stderr.splitlines() if '"__type"' in line]
        self.assertTrue(body)
        self.assertIn('"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"', body[0])

    def test_cli(self):
        s = self.server
        s.aws_json("dynamodb", "create-table", "--table-name", "cli", "--billing-mode", "PAY_PER_REQUEST",
                   "--attribute-definitions", "AttributeName=pk,AttributeType=S", "AttributeName=sk,AttributeType=N",
                   "--key-schema", "AttributeName=pk,KeyType=HASH", "AttributeName=sk,KeyType=RANGE",
                   "--sse-specification", "Enabled=true,SSEType=KMS,KMSMasterKeyId=alias/my-key")
        desc = s.aws_json("dynamodb", "describe-table", "--table-name", "cli")
        self.assertEqual(desc["Table"]["SSEDescription"]["KMSMasterKeyArn"], self.k1)
        for i in range(3):
            s.aws_json("dynamodb", "put-item", "--table-name", "cli", "--item",
                       json.dumps({"pk": {"S": "a"}, "sk": {"N": str(i)}, "v": {"S": "x%d" % i}}))
        got = s.aws_json("dynamodb", "get-item", "--table-name", "cli", "--key", '{"pk":{"S":"a"},"sk":{"N":"1"}}')
        self.assertEqual(got["Item"]["v"], {"S": "x1"})
        q = s.aws_json("dynamodb", "query", "--table-name", "cli", "--key-condition-expression", "pk = :p AND sk >= :s",
                       "--expression-attribute-values", '{":p":{"S":"a"},":s":{"N":"1"}}')
        self.assertEqual([i["sk"]["N"] for i in q["Items"]], ["1", "2"])
        r = s.aws("dynamodb", "put-item", "--table-name", "cli", "--item", '{"pk":{"S":"a"},"sk":{"N":"1"}}',
                  "--condition-expression", "attribute_not_exists(pk)")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("ConditionalCheckFailedException", r.stderr)
        scanned = s.aws_json("dynamodb", "scan", "--table-name", "cli")  # the CLI paginates itself
        self.assertEqual(scanned["Count"], 3)
        self.assertIn("cli", s.aws_json("dynamodb", "list-tables")["TableNames"])
        s.aws_json("dynamodb", "delete-table", "--table-name", "cli")


class DynamoDbAtRestTest(unittest.TestCase):
    def test_items_are_not_stored_in_clear(self):
        with Server(memory=False) as server:
            ddb = server.client("dynamodb")
            for sse in ({"Enabled": True}, None):
                name = "rest-kms" if sse else "rest-owned"
                kw = {"SSESpecification": sse} if sse else {}
                ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST", **key_schema(), **kw)
                ddb.put_item(TableName=name, Item={"pk": {"S": "k"}, "secret": {"S": "ITEM-MARKER-5521"}})
                self.assertEqual(ddb.get_item(TableName=name, Key={"pk": {"S": "k"}})["Item"]["secret"]["S"],
                                 "ITEM-MARKER-5521")
            blob = b""
            for name in os.listdir(server.data_dir):
                path = os.path.join(server.data_dir, name)
                if os.path.isfile(path):
                    with open(path, "rb") as f:
                        blob += f.read()
            self.assertIn(b"ddb.items", blob)
            self.assertNotIn(b"ITEM-MARKER-5521", blob)


if __name__ == "__main__":
    unittest.main()
