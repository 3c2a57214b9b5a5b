"""DynamoDB behaviours taken from AWS's recorded answers (test/aws-recorded,
issue 12), end to end through boto3: transactions, ReturnValuesOnConditionCheckFailure,
BatchWriteItem's key error, secondary indexes, continuous backups, Contributor
Insights and PartiQL. Texts marked UNVERIFIED in the code are asserted by
presence only."""

import unittest

import botocore.exceptions

from crosskey import ACCOUNT1, Server, error_of


def schema(hash_key="pk", range_key=None, extra=()):
    ks = [{"AttributeName": hash_key, "KeyType": "HASH"}]
    ad = [{"AttributeName": hash_key, "AttributeType": "S"}]
    if range_key:
        ks.append({"AttributeName": range_key, "KeyType": "RANGE"})
        ad.append({"AttributeName": range_key, "AttributeType": "S"})
    for name, t in extra:
        ad.append({"AttributeName": name, "AttributeType": t})
    return {"KeySchema": ks, "AttributeDefinitions": ad}


def S(v):
    return {"S": v}


def N(v):
    return {"N": str(v)}


class DynamoDbFidelityTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server().start()
        cls.ddb = cls.server.client("dynamodb", account=ACCOUNT1)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()

    def create(self, name, **kw):
        kw.setdefault("BillingMode", "PAY_PER_REQUEST")
        if "KeySchema" not in kw:
            kw.update(schema())
        return self.ddb.create_table(TableName=name, **kw)["TableDescription"]

    def error(self, fn, *args, **kw):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            fn(*args, **kw)
        return cm.exception

    def get(self, table, pk):
        return self.ddb.get_item(TableName=table, Key={"pk": S(pk)}).get("Item")

    # --- TransactWriteItems / TransactGetItems ---------------------------------
    def test_transact_write_applies_every_action(self):
        self.create("tw-all")
        self.ddb.put_item(TableName="tw-all", Item={"pk": S("del"), "x": N(1)})
        self.ddb.put_item(TableName="tw-all", Item={"pk": S("upd"), "n": N(1)})
        out = self.ddb.transact_write_items(TransactItems=[
            {"ConditionCheck": {"TableName": "tw-all", "Key": {"pk": S("chk")},
                                "ConditionExpression": "attribute_not_exists(pk)"}},
            {"Put": {"TableName": "tw-all", "Item": {"pk": S("new"), "b": {"B": b"\x00\xff"}}}},
            {"Update": {"TableName": "tw-all", "Key": {"pk": S("upd")}, "UpdateExpression": "ADD n :one",
                        "ExpressionAttributeValues": {":one": N(1)}}},
            {"Delete": {"TableName": "tw-all", "Key": {"pk": S("del")}}},
        ])
        self.assertNotIn("ConsumedCapacity", out)
        self.assertEqual(self.get("tw-all", "new")["b"]["B"], b"\x00\xff")
        self.assertEqual(self.get("tw-all", "upd")["n"], N(2))
        self.assertIsNone(self.get("tw-all", "del"))
        self.assertIsNone(self.get("tw-all", "chk"))  # a check writes nothing

    def test_transact_write_cancelled_writes_nothing_and_lists_reasons(self):
        self.create("tw-cancel")
        self.ddb.put_item(TableName="tw-cancel", Item={"pk": S("Fred"), "age": N(40)})
        exc = self.error(self.ddb.transact_write_items, TransactItems=[
            {"Put": {"TableName": "tw-cancel", "Item": {"pk": S("Bert")}}},
            {"ConditionCheck": {"TableName": "tw-cancel", "Key": {"pk": S("Fred")},
                                "ConditionExpression": "attribute_not_exists(pk)",
                                "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}},
            {"Update": {"TableName": "tw-cancel", "Key": {"pk": S("x")}, "UpdateExpression": "SET a = a + :v",
                        "ExpressionAttributeValues": {":v": N(1)}}},
        ])
        code, message, status = error_of(exc)
        self.assertEqual((code, status), ("TransactionCanceledException", 400))
        self.assertEqual(message, "Transaction cancelled, please refer cancellation reasons for specific reasons "
                                  "[None, ConditionalCheckFailed, ValidationError]")
        reasons = exc.response["CancellationReasons"]
        self.assertEqual(reasons[0], {"Code": "None"})
        self.assertEqual(reasons[1], {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed",
                                      "Item": {"pk": S("Fred"), "age": N(40)}})
        self.assertEqual(reasons[2]["Code"], "ValidationError")
        self.assertIsNone(self.get("tw-cancel", "Bert"))  # all or nothing

    def test_transact_write_refusals(self):
        self.create("tw-bad")
        code, message, _ = error_of(self.error(self.ddb.transact_write_items, TransactItems=[
            {"Put": {"TableName": "tw-bad", "Item": {"pk": S("a")}}},
            {"Delete": {"TableName": "tw-bad", "Key": {"pk": S("a")}}}]))
        self.assertEqual((code, message), ("ValidationException",
                                           "Transaction request cannot include multiple operations on one item"))
        # A missing table, before the items are looked at (recorded).
        code, message, _ = error_of(self.error(self.ddb.transact_write_items, TransactItems=[
            {"Put": {"TableName": "no-such-table", "Item": {}}}]))
        self.assertEqual((code, message), ("ResourceNotFoundException", "Requested resource not found"))
        code, message, _ = error_of(self.error(self.ddb.transact_write_items, TransactItems=[
            {"Put": {"TableName": "tw-bad", "Item": {"other": S("x")}}}]))
        self.assertEqual((code, message), ("ValidationException",
                                           "One or more parameter values were invalid: Missing the key pk in the item"))

    def test_client_request_token_makes_the_write_idempotent(self):
        self.create("tw-token")
        items = [{"Update": {"TableName": "tw-token", "Key": {"pk": S("c")}, "UpdateExpression": "ADD n :one",
                             "ExpressionAttributeValues": {":one": N(1)}}}]
        self.ddb.transact_write_items(TransactItems=items, ClientRequestToken="tok-1")
        self.ddb.transact_write_items(TransactItems=items, ClientRequestToken="tok-1")
        self.assertEqual(self.get("tw-token", "c")["n"], N(1))  # applied once
        code, _, status = error_of(self.error(self.ddb.transact_write_items, ClientRequestToken="tok-1", TransactItems=[
            {"Put": {"TableName": "tw-token", "Item": {"pk": S("other")}}}]))
        self.assertEqual((code, status), ("IdempotentParameterMismatchException", 400))
        self.ddb.transact_write_items(TransactItems=items, ClientRequestToken="tok-2")
        self.assertEqual(self.get("tw-token", "c")["n"], N(2))

    def test_transact_get_items(self):
        self.create("tg-a")
        arn = self.create("tg-b")["TableArn"]
        self.ddb.put_item(TableName="tg-a", Item={"pk": S("John"), "x": N(1), "y": N(2)})
        self.ddb.put_item(TableName="tg-b", Item={"pk": S("Sarah")})
        out = self.ddb.transact_get_items(TransactItems=[
            {"Get": {"TableName": "tg-a", "Key": {"pk": S("John")}, "ProjectionExpression": "x"}},
            {"Get": {"TableName": arn, "Key": {"pk": S("Sarah")}}},
            {"Get": {"TableName": "tg-a", "Key": {"pk": S("nobody")}}},
        ], ReturnConsumedCapacity="TOTAL")
        self.assertEqual(out["Responses"], [{"Item": {"x": N(1)}}, {"Item": {"pk": S("Sarah")}}, {}])
        self.assertEqual(sorted((c["TableName"], c["CapacityUnits"]) for c in out["ConsumedCapacity"]),
                         [("tg-a", 4.0), ("tg-b", 2.0)])

    # --- item operations -------------------------------------------------------
    def test_return_values_on_condition_check_failure(self):
        self.create("rv-cc")
        self.ddb.put_item(TableName="rv-cc", Item={"pk": S("456"), "price": N(650)})
        for fn, kw in [(self.ddb.delete_item, {"Key": {"pk": S("456")}}),
                       (self.ddb.put_item, {"Item": {"pk": S("456")}}),
                       (self.ddb.update_item, {"Key": {"pk": S("456")}, "UpdateExpression": "SET q = :lo"})]:
            exc = self.error(fn, TableName="rv-cc", ConditionExpression="price between :lo and :hi",
                             ExpressionAttributeValues={":lo": N(500), ":hi": N(600)},
                             ReturnValuesOnConditionCheckFailure="ALL_OLD", **kw)
            self.assertEqual(error_of(exc)[:2], ("ConditionalCheckFailedException", "The conditional request failed"))
            self.assertEqual(exc.response["Item"], {"pk": S("456"), "price": N(650)})
        # Without it (or for a missing item), no Item.
        exc = self.error(self.ddb.delete_item, TableName="rv-cc", Key={"pk": S("456")},
                         ConditionExpression="attribute_not_exists(pk)")
        self.assertNotIn("Item", exc.response)
        exc = self.error(self.ddb.delete_item, TableName="rv-cc", Key={"pk": S("none")},
                         ConditionExpression="attribute_exists(pk)", ReturnValuesOnConditionCheckFailure="ALL_OLD")
        self.assertNotIn("Item", exc.response)

    def test_batch_write_key_mismatch_text(self):
        self.create("bw-key", **schema(range_key="sk"))
        for item in ({"nonKey": S("x")}, {"pk": S("a"), "sk": N(1)}):
            code, message, _ = error_of(self.error(self.ddb.batch_write_item,
                                                   RequestItems={"bw-key": [{"PutRequest": {"Item": item}}]}))
            self.assertEqual((code, message), ("ValidationException",
                                               "The provided key element does not match the schema"))

    # --- secondary indexes -----------------------------------------------------
    def test_global_secondary_index_query_scan_and_paging(self):
        d = self.create("gsi", **schema(extra=[("team", "S"), ("score", "N")]), GlobalSecondaryIndexes=[
            {"IndexName": "by-team", "KeySchema": [{"AttributeName": "team", "KeyType": "HASH"},
                                                   {"AttributeName": "score", "KeyType": "RANGE"}],
             "Projection": {"ProjectionType": "KEYS_ONLY"}}])
        g = d["GlobalSecondaryIndexes"][0]
        self.assertEqual(g["IndexArn"], d["TableArn"] + "/index/by-team")
        self.assertEqual(g["ProvisionedThroughput"], {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 0,
                                                      "WriteCapacityUnits": 0})
        desc = self.ddb.describe_table(TableName="gsi")["Table"]["GlobalSecondaryIndexes"][0]
        self.assertEqual(desc["IndexStatus"], "ACTIVE")
        self.assertEqual(desc["WarmThroughput"], {"ReadUnitsPerSecond": 12000, "WriteUnitsPerSecond": 4000,
                                                  "Status": "ACTIVE"})
        for i, (team, score) in enumerate([("red", 3), ("blue", 1), ("red", 1), ("red", 2), ("blue", 5)]):
            self.ddb.put_item(TableName="gsi", Item={"pk": S("p%d" % i), "team": S(team), "score": N(score),
                                                     "extra": S("x")})
        self.ddb.put_item(TableName="gsi", Item={"pk": S("loner")})  # not in the index
        got = self.ddb.query(TableName="gsi", IndexName="by-team", KeyConditionExpression="team = :t",
                             ExpressionAttributeValues={":t": S("red")})
        self.assertEqual([i["score"]["N"] for i in got["Items"]], ["1", "2", "3"])
        self.assertNotIn("extra", got["Items"][0])  # KEYS_ONLY
        first = self.ddb.query(TableName="gsi", IndexName="by-team", KeyConditionExpression="team = :t",
                               ExpressionAttributeValues={":t": S("red")}, Limit=2, ScanIndexForward=False)
        self.assertEqual([i["score"]["N"] for i in first["Items"]], ["3", "2"])
        self.assertEqual(first["LastEvaluatedKey"], {"pk": S("p3"), "team": S("red"), "score": N(2)})
        rest = self.ddb.query(TableName="gsi", IndexName="by-team", KeyConditionExpression="team = :t",
                              ExpressionAttributeValues={":t": S("red")}, ScanIndexForward=False,
                              ExclusiveStartKey=first["LastEvaluatedKey"])
        self.assertEqual([i["score"]["N"] for i in rest["Items"]], ["1"])
        self.assertEqual(self.ddb.scan(TableName="gsi", IndexName="by-team")["Count"], 5)
        code, message, _ = error_of(self.error(self.ddb.query, TableName="gsi", IndexName="nope",
                                               KeyConditionExpression="team = :t",
                                               ExpressionAttributeValues={":t": S("red")}))
        self.assertEqual((code, message), ("ValidationException", "The table does not have the specified index: nope"))
        code, _, _ = error_of(self.error(self.ddb.query, TableName="gsi", IndexName="by-team", Select="ALL_ATTRIBUTES",
                                         KeyConditionExpression="team = :t", ExpressionAttributeValues={":t": S("red")}))
        self.assertEqual(code, "ValidationException")
        code, message, _ = error_of(self.error(self.ddb.put_item, TableName="gsi",
                                               Item={"pk": S("bad"), "team": N(1), "score": N(1)}))
        self.assertEqual(code, "ValidationException")
        self.assertIn("Type mismatch for Index Key team", message)

    def test_local_secondary_index_orders_by_its_sort_key(self):
        self.create("lsi", **schema(range_key="sk", extra=[("rank", "N")]), LocalSecondaryIndexes=[
            {"IndexName": "by-rank", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                   {"AttributeName": "rank", "KeyType": "RANGE"}],
             "Projection": {"ProjectionType": "ALL"}}])
        for sk, rank in [("a", 3), ("b", 1), ("c", 2)]:
            self.ddb.put_item(TableName="lsi", Item={"pk": S("p"), "sk": S(sk), "rank": N(rank)})
        got = self.ddb.query(TableName="lsi", IndexName="by-rank", KeyConditionExpression="pk = :p AND #r > :r",
                             ExpressionAttributeNames={"#r": "rank"},
                             ExpressionAttributeValues={":p": S("p"), ":r": N(1)})
        self.assertEqual([i["sk"]["S"] for i in got["Items"]], ["c", "a"])
        lsi = self.ddb.describe_table(TableName="lsi")["Table"]["LocalSecondaryIndexes"][0]
        self.assertEqual(lsi["IndexName"], "by-rank")
        # A local index needs a table sort key (text UNVERIFIED).
        code, _, _ = error_of(self.error(self.create, "lsi-bad", **schema(extra=[("rank", "N")]), LocalSecondaryIndexes=[
            {"IndexName": "lix", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                             {"AttributeName": "rank", "KeyType": "RANGE"}],
             "Projection": {"ProjectionType": "ALL"}}]))
        self.assertEqual(code, "ValidationException")

    def test_index_throughput_follows_the_billing_mode(self):
        gsi = {"IndexName": "gix", "KeySchema": [{"AttributeName": "x", "KeyType": "HASH"}],
               "Projection": {"ProjectionType": "ALL"}}
        code, message, _ = error_of(self.error(self.create, "gsi-prov", **schema(extra=[("x", "S")]),
                                               BillingMode="PROVISIONED", GlobalSecondaryIndexes=[gsi],
                                               ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}))
        self.assertEqual((code, message), ("ValidationException", "One or more parameter values were invalid: "
                                           "ProvisionedThroughput must be specified for index: gix"))
        code, _, _ = error_of(self.error(self.create, "gsi-undef", GlobalSecondaryIndexes=[gsi]))
        self.assertEqual(code, "ValidationException")  # x is not in AttributeDefinitions

    # --- table settings ----------------------------------------------------------
    def test_warm_throughput_and_creating(self):
        d = self.create("warm", BillingMode="PROVISIONED",
                        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
                        WarmThroughput={"ReadUnitsPerSecond": 1000, "WriteUnitsPerSecond": 1200})
        self.assertEqual(d["TableStatus"], "CREATING")
        self.assertEqual(d["WarmThroughput"], {"ReadUnitsPerSecond": 1000, "WriteUnitsPerSecond": 1200,
                                               "Status": "UPDATING"})
        t = self.ddb.describe_table(TableName="warm")["Table"]
        self.assertEqual(t["WarmThroughput"], {"ReadUnitsPerSecond": 1000, "WriteUnitsPerSecond": 1200,
                                               "Status": "ACTIVE"})

    def test_continuous_backups(self):
        self.create("pitr")
        before = self.ddb.describe_continuous_backups(TableName="pitr")["ContinuousBackupsDescription"]
        self.assertEqual(before, {"ContinuousBackupsStatus": "ENABLED",
                                  "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "DISABLED"}})
        on = self.ddb.update_continuous_backups(
            TableName="pitr", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True,
                                                                 "RecoveryPeriodInDays": 7})
        p = on["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
        self.assertEqual(p["PointInTimeRecoveryStatus"], "ENABLED")
        self.assertEqual(p["RecoveryPeriodInDays"], 7)
        self.assertLessEqual(p["EarliestRestorableDateTime"], p["LatestRestorableDateTime"])
        self.ddb.update_continuous_backups(TableName="pitr",
                                           PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False})
        off = self.ddb.describe_continuous_backups(TableName="pitr")["ContinuousBackupsDescription"]
        self.assertEqual(off["PointInTimeRecoveryDescription"], {"PointInTimeRecoveryStatus": "DISABLED"})
        code, _, _ = error_of(self.error(self.ddb.describe_continuous_backups, TableName="no-such-table"))
        self.assertEqual(code, "TableNotFoundException")

    def test_contributor_insights(self):
        self.create("ci-tbl")
        self.assertEqual(self.ddb.describe_contributor_insights(TableName="ci-tbl")["ContributorInsightsStatus"], "DISABLED")
        out = self.ddb.update_contributor_insights(TableName="ci-tbl", ContributorInsightsAction="ENABLE")
        self.assertEqual(out["ContributorInsightsStatus"], "ENABLING")
        d = self.ddb.describe_contributor_insights(TableName="ci-tbl")
        self.assertEqual(d["ContributorInsightsStatus"], "ENABLED")
        self.assertIn("LastUpdateDateTime", d)
        out = self.ddb.update_contributor_insights(TableName="ci-tbl", ContributorInsightsAction="DISABLE")
        self.assertEqual(out["ContributorInsightsStatus"], "DISABLING")
        self.assertEqual(self.ddb.describe_contributor_insights(TableName="ci-tbl")["ContributorInsightsStatus"], "DISABLED")

    # --- PartiQL -----------------------------------------------------------------
    def test_partiql_statements(self):
        self.create("pq_users", **schema(hash_key="Username"))
        ex = self.ddb.execute_statement
        ex(Statement="INSERT INTO pq_users VALUE {'Username': 'alice', 'FirstName': 'Alice', 'Tags': <<'a', 'b'>>}")
        ex(Statement="INSERT INTO pq_users VALUE {'Username': ?, 'Age': ?}", Parameters=[S("bob"), N(30)])
        code, message, _ = error_of(self.error(ex, Statement="INSERT INTO pq_users VALUE {'Username': 'bob'}"))
        self.assertEqual((code, message), ("DuplicateItemException", "Duplicate primary key exists in table"))
        got = ex(Statement="SELECT * FROM pq_users WHERE FirstName IS NOT MISSING")["Items"]
        self.assertEqual([i["Username"]["S"] for i in got], ["alice"])
        self.assertEqual(sorted(got[0]["Tags"]["SS"]), ["a", "b"])
        self.assertEqual(ex(Statement="SELECT Age FROM pq_users WHERE Username = 'bob'")["Items"], [{"Age": N(30)}])
        ex(Statement="UPDATE pq_users SET Age = Age + 1 WHERE Username = 'bob'")
        self.assertEqual(self.ddb.get_item(TableName="pq_users", Key={"Username": S("bob")})["Item"]["Age"], N(31))
        # UPDATE needs the item; a false condition fails.
        for stmt in ("UPDATE pq_users SET Age = 1 WHERE Username = 'nobody'",
                     "UPDATE pq_users SET Age = 1 WHERE Username = 'bob' AND Age = 5"):
            self.assertEqual(error_of(self.error(ex, Statement=stmt))[0], "ConditionalCheckFailedException")
        code, _, _ = error_of(self.error(ex, Statement="UPDATE pq_users SET Age = 1 WHERE Age = 31"))
        self.assertEqual(code, "ValidationException")  # no equality on the key
        ex(Statement="DELETE FROM pq_users WHERE Username = 'nobody'")  # absent: success
        ex(Statement="DELETE FROM pq_users WHERE Username = 'bob'")
        self.assertNotIn("Item", self.ddb.get_item(TableName="pq_users", Key={"Username": S("bob")}))
        code, message, _ = error_of(self.error(ex, Statement="SELEC * FROM pq_users"))
        self.assertEqual(code, "ValidationException")
        self.assertTrue(message.startswith("Statement wasn't well formed, can't be processed:"), message)
        ex(Statement="INSERT INTO pq_users VALUE {'Username': 'carol'}")
        first = ex(Statement="SELECT * FROM pq_users", Limit=1)
        self.assertEqual(len(first["Items"]), 1)
        rest = ex(Statement="SELECT * FROM pq_users", NextToken=first["NextToken"])
        self.assertNotIn("NextToken", rest)
        self.assertEqual(sorted(i["Username"]["S"] for i in first["Items"] + rest["Items"]), ["alice", "carol"])

    def test_partiql_batch_and_transaction(self):
        self.create("pq_batch", **schema(hash_key="Username"))
        self.ddb.put_item(TableName="pq_batch", Item={"Username": S("user02")})
        out = self.ddb.batch_execute_statement(Statements=[
            {"Statement": "INSERT INTO pq_batch VALUE {'Username': 'user01'}"},
            {"Statement": "UPDATE pq_batch SET Age=20 WHERE Username='user02'"}])
        self.assertEqual(out["Responses"], [{"TableName": "pq_batch"}, {"TableName": "pq_batch"}])
        # Each statement fails on its own.
        out = self.ddb.batch_execute_statement(Statements=[
            {"Statement": "INSERT INTO pq_batch VALUE {'Username': 'user02'}"},
            {"Statement": "INSERT INTO pq_batch VALUE {'Username': 'user05'}"}])
        self.assertEqual(out["Responses"][0]["Error"]["Code"], "DuplicateItem")
        self.assertEqual(out["Responses"][0]["Error"]["Message"], "Duplicate primary key exists in table")
        self.assertEqual(out["Responses"][1], {"TableName": "pq_batch"})
        self.assertEqual(self.ddb.get_item(TableName="pq_batch", Key={"Username": S("user02")})["Item"]["Age"], N(20))
        out = self.ddb.execute_transaction(TransactStatements=[
            {"Statement": "INSERT INTO pq_batch VALUE {'Username': 'user03'}"},
            {"Statement": "DELETE FROM pq_batch WHERE Username = 'user01'"}])
        self.assertEqual(out["Responses"], [])
        exc = self.error(self.ddb.execute_transaction, TransactStatements=[
            {"Statement": "INSERT INTO pq_batch VALUE {'Username': 'user04'}"},
            {"Statement": "INSERT INTO pq_batch VALUE {'Username': 'user03'}"}])
        self.assertEqual(error_of(exc)[0], "TransactionCanceledException")
        self.assertEqual([r["Code"] for r in exc.response["CancellationReasons"]], ["None", "DuplicateItem"])
        self.assertNotIn("Item", self.ddb.get_item(TableName="pq_batch", Key={"Username": S("user04")}))
        read = self.ddb.execute_transaction(TransactStatements=[
            {"Statement": "SELECT * FROM pq_batch WHERE Username = 'user03'"},
            {"Statement": "SELECT * FROM pq_batch WHERE Username = 'user01'"}])
        self.assertEqual(read["Responses"], [{"Item": {"Username": S("user03")}}, {}])


if __name__ == "__main__":
    unittest.main()
