"""`crosskey lint` end to end: the built binary on the fixtures in test/lint/.

The unsafe fixtures reproduce the seed case (bucket1 in account 111111111111,
default encryption alias/my-key, a bucket policy letting account 222222222222
write) as Terraform (.tf and a `terraform show -json` plan), CloudFormation YAML
and JSON, and `aws s3api get-bucket-encryption` output; the safe fixtures are
the same with ARNs. test/lint/rules/ has one case per rule. Each test checks
exactly which (file, line, column, rule) lint reports, in text, JSON and SARIF
(validated against the SARIF 2.1.0 schema), the exit status, and that --fix
makes the unsafe sources pass. The last test plays the finding's ARN against a
running crosskey: the writer's PutObject that fails with the alias succeeds
with the ARN lint computed.
"""

import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

import jsonschema

from crosskey import ACCOUNT1, ACCOUNT2, BIN, Server, error_of

HERE = os.path.dirname(os.path.abspath(__file__))
LINT = os.path.normpath(os.path.join(HERE, "..", "lint"))
SCHEMA = os.path.join(LINT, "sarif-schema-2.1.0.json")

# (path under test/lint, line, column, rule) of every finding lint must report.
UNSAFE = {
    ("unsafe/bucket-encryption.json", 7, 39, "CK002"),
    ("unsafe/cloudformation/bucket1.json", 57, 35, "CK001"),
    ("unsafe/cloudformation/bucket1.yaml", 39, 31, "CK001"),
    ("unsafe/terraform-plan.json", 95, 42, "CK001"),
    ("unsafe/terraform-plan.min.json", 1, 2444, "CK001"),
    ("unsafe/terraform/main.tf", 66, 27, "CK001"),
}
RULES = {
    ("rules/dynamodb.yaml", 20, 25, "CK006"),
    ("rules/expressions/main.tf", 8, 14, "CK002"),
    ("rules/expressions/main.tf", 19, 27, "CK007"),
    ("rules/expressions/main.tf", 30, 27, "CK002"),
    ("rules/expressions/main.tf", 51, 16, "CK002"),
    ("rules/key-policy/main.tf", 5, 1, "CK005"),
    ("rules/managed-keys.yaml", 12, 29, "CK004"),
    ("rules/managed-keys.yaml", 30, 23, "CK004"),
    ("rules/secrets/main.tf", 34, 16, "CK003"),
    ("rules/secrets/main.tf", 53, 1, "CK004"),
    ("rules/terraform-state.json", 74, 46, "CK001"),
}
SEVERITY = {"CK001": "error", "CK002": "warning", "CK003": "error", "CK004": "error", "CK005": "error",
            "CK006": "note", "CK007": "note"}


def lint(*args, cwd=LINT):
    return subprocess.run([BIN, "lint", *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def text_findings(stdout):
    """(path, line, column, rule) from the text report's headline lines."""
    out = set()
    for m in re.finditer(r"^(\S+):(\d+):(\d+): (error|warning|note): .* \[(CK\d{3})\]$", stdout, re.M):
        assert SEVERITY[m.group(5)] == m.group(4), m.group(0)
        out.add((m.group(1), int(m.group(2)), int(m.group(3)), m.group(5)))
    return out


class LintFixtures(unittest.TestCase):
    def test_unsafe_text(self):
        r = lint("unsafe")
        self.assertEqual(r.returncode, 1, r.stderr)
        found = {(p.replace("\\", "/"), l, c, rule) for p, l, c, rule in text_findings(r.stdout)}
        self.assertEqual(found, UNSAFE, r.stdout)
        # The caret sits under the value on the line shown.
        self.assertIn(' 66 |       kms_master_key_id = "alias/my-key" # resolved in the writer\'s account\n'
                      '    |                           ^~~~~~~~~~~~~~\n', r.stdout)
        self.assertIn("fix: use aws_kms_alias.my_key.arn", r.stdout)
        self.assertIn("account 222222222222 (arn:aws:kms:us-east-1:222222222222:alias/my-key)", r.stdout)
        self.assertIn("5 errors, 1 warning, 0 notes in 6 files", r.stdout)

    def test_safe_is_clean(self):
        r = lint("safe")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("0 errors, 0 warnings, 0 notes in 5 files", r.stdout)
        r = lint("--format", "sarif", "safe")
        self.assertEqual(r.returncode, 0)
        self.assertEqual(json.loads(r.stdout)["runs"][0]["results"], [])

    def test_each_rule(self):
        r = lint("rules")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(text_findings(r.stdout), RULES, r.stdout)

    def test_notes_alone_do_not_fail(self):
        r = lint("rules/dynamodb.yaml")
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertEqual(text_findings(r.stdout), {("rules/dynamodb.yaml", 20, 25, "CK006")})
        self.assertEqual(lint("--fail-on", "note", "rules/dynamodb.yaml").returncode, 1)
        self.assertEqual(lint("--fail-on", "error", "unsafe/bucket-encryption.json").returncode, 0)

    def test_json(self):
        r = lint("--format", "json", "--account", ACCOUNT1, "--region", "us-east-1", "unsafe", "rules")
        self.assertEqual(r.returncode, 1, r.stderr)
        doc = json.loads(r.stdout)
        found = {(f["file"], f["line"], f["column"], f["rule"]) for f in doc["findings"]}
        self.assertEqual(found, UNSAFE | RULES)
        by_file = {f["file"]: f for f in doc["findings"] if f["rule"] == "CK001"}
        tf = by_file["unsafe/terraform/main.tf"]
        self.assertEqual(tf["severity"], "error")
        self.assertEqual(tf["value"], "alias/my-key")
        self.assertEqual(tf["resource"], "aws_s3_bucket_server_side_encryption_configuration.bucket1")
        self.assertEqual(tf["arn"], "arn:aws:kms:us-east-1:111111111111:alias/my-key")
        self.assertEqual(tf["replacement"], "aws_kms_alias.my_key.arn")
        self.assertEqual((tf["end_line"], tf["end_column"]), (66, 41))
        self.assertEqual(tf["related"][0]["line"], 51)
        yaml = by_file["unsafe/cloudformation/bucket1.yaml"]
        self.assertEqual(yaml["replacement"], "arn:aws:kms:us-east-1:111111111111:alias/my-key")
        plan = by_file["unsafe/terraform-plan.json"]
        self.assertEqual(plan["arn"], "arn:aws:kms:us-east-1:111111111111:alias/my-key")
        self.assertEqual(plan["suggestion"], "aws_kms_alias.my_key.arn")
        self.assertNotIn("replacement", plan)  # a plan is not a source file
        self.assertEqual(doc["summary"], {"errors": 11, "warnings": 4, "notes": 2, "files": 12})
        self.assertEqual(doc["errors"], [])

    def test_sarif_validates_against_the_2_1_0_schema(self):
        with open(SCHEMA) as f:
            schema = json.load(f)
        validator_class = jsonschema.validators.validator_for(schema)
        validator_class.check_schema(schema)
        validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
        r = lint("--format", "sarif", "unsafe", "rules")
        self.assertEqual(r.returncode, 1, r.stderr)
        log = json.loads(r.stdout)
        errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(log)]
        self.assertEqual(errors, [])
        # The validator does reject a log that breaks the schema.
        broken = json.loads(r.stdout)
        broken["runs"][0]["results"][0]["level"] = "fatal"
        self.assertTrue(list(validator.iter_errors(broken)))

        self.assertEqual(log["version"], "2.1.0")
        run = log["runs"][0]
        rules = run["tool"]["driver"]["rules"]
        self.assertEqual([r["id"] for r in rules], ["CK001", "CK002", "CK003", "CK004", "CK005", "CK006", "CK007"])
        found = set()
        for res in run["results"]:
            self.assertEqual(rules[res["ruleIndex"]]["id"], res["ruleId"])
            self.assertEqual(res["level"], SEVERITY[res["ruleId"]])
            loc = res["locations"][0]["physicalLocation"]
            found.add((loc["artifactLocation"]["uri"], loc["region"]["startLine"], loc["region"]["startColumn"],
                       res["ruleId"]))
        self.assertEqual(found, UNSAFE | RULES)
        tf = next(res for res in run["results"] if res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                  == "unsafe/terraform/main.tf")
        change = tf["fixes"][0]["artifactChanges"][0]["replacements"][0]
        self.assertEqual(change["insertedContent"]["text"], "aws_kms_alias.my_key.arn")
        self.assertEqual(change["deletedRegion"],
                         {"startLine": 66, "startColumn": 27, "endLine": 66, "endColumn": 41})

    def test_fix_makes_the_unsafe_sources_pass(self):
        tmp = tempfile.mkdtemp(prefix="crosskey-lint-")
        self.addCleanup(shutil.rmtree, tmp)
        for name in ("terraform", "cloudformation"):
            shutil.copytree(os.path.join(LINT, "unsafe", name), os.path.join(tmp, "unsafe", name))
        shutil.copytree(os.path.join(LINT, "rules"), os.path.join(tmp, "rules"))
        before = lint("unsafe", cwd=tmp)
        self.assertEqual(before.returncode, 1)

        # --dry-run prints the diff and changes nothing.
        with open(os.path.join(tmp, "unsafe/terraform/main.tf")) as f:
            original = f.read()
        dry = lint("--fix", "--dry-run", "unsafe", cwd=tmp)
        self.assertIn('-      kms_master_key_id = "alias/my-key" # resolved in the writer\'s account\n'
                      '+      kms_master_key_id = aws_kms_alias.my_key.arn # resolved in the writer\'s account\n',
                      dry.stdout)
        with open(os.path.join(tmp, "unsafe/terraform/main.tf")) as f:
            self.assertEqual(f.read(), original)

        fixed = lint("--fix", "unsafe", cwd=tmp)
        self.assertEqual(fixed.returncode, 0, fixed.stdout + fixed.stderr)
        self.assertIn("--- a/unsafe/cloudformation/bucket1.yaml\n+++ b/unsafe/cloudformation/bucket1.yaml\n",
                      fixed.stdout)
        self.assertEqual(lint("unsafe", cwd=tmp).returncode, 0)
        with open(os.path.join(tmp, "unsafe/cloudformation/bucket1.yaml")) as f:
            yaml = f.read()
        # Only the value changed: the comment after it and the rest of the file are kept.
        self.assertIn('KMSMasterKeyID: !Sub "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:'
                      'alias/my-key"   # resolved in the writer\'s account\n', yaml)
        with open(os.path.join(LINT, "unsafe/cloudformation/bucket1.yaml")) as f:
            self.assertEqual(len(f.read().splitlines()), len(yaml.splitlines()))
        with open(os.path.join(tmp, "unsafe/cloudformation/bucket1.json")) as f:
            json.load(f)  # still JSON

        # With --account and --region the literal ARN is written; what has no ARN to write stays.
        fixed = lint("--fix", "--account", ACCOUNT1, "--region", "us-east-1", "rules", cwd=tmp)
        after = {(p, line, rule) for p, line, _, rule in text_findings(fixed.stdout)}
        self.assertEqual(after, {
            ("rules/expressions/main.tf", 19, "CK007"),
            ("rules/key-policy/main.tf", 5, "CK005"),
            ("rules/managed-keys.yaml", 12, "CK004"),
            ("rules/managed-keys.yaml", 30, "CK004"),
            ("rules/secrets/main.tf", 53, "CK004"),
            ("rules/terraform-state.json", 74, "CK001"),
        }, fixed.stdout)
        with open(os.path.join(tmp, "rules/expressions/main.tf")) as f:
            tf = f.read()
        self.assertIn('  logs_key = "arn:aws:kms:us-east-1:111111111111:alias/logs"\n', tf)
        self.assertIn("      kms_master_key_id = aws_kms_key.data.arn\n", tf)
        self.assertIn('  kms_key_id = "arn:aws:kms:us-east-1:111111111111:alias/reports"\n', tf)
        with open(os.path.join(tmp, "rules/dynamodb.yaml")) as f:
            self.assertIn("        KMSMasterKeyId: 'arn:aws:kms:us-east-1:111111111111:alias/my-key'\n", f.read())

    def test_parse_errors_name_file_and_line(self):
        tmp = tempfile.mkdtemp(prefix="crosskey-lint-")
        self.addCleanup(shutil.rmtree, tmp)
        with open(os.path.join(tmp, "bad.tf"), "w") as f:
            f.write('resource "aws_s3_bucket" "b" {\n  bucket = "b\n}\n')
        with open(os.path.join(tmp, "bad.yaml"), "w") as f:
            f.write("Resources:\n  B: [unclosed\n")
        with open(os.path.join(tmp, "bad.json"), "w") as f:
            f.write('{"Resources": {\n  "B": }\n}\n')
        r = lint("bad.tf", "bad.yaml", "bad.json", cwd=tmp)
        self.assertEqual(r.returncode, 2)
        self.assertIn("bad.tf:2:12: error: unterminated string", r.stderr)
        self.assertRegex(r.stderr, r"bad\.yaml:\d+:\d+: error: not valid YAML: ")
        self.assertIn("bad.json:2:8: error: not valid JSON: ", r.stderr)

    def test_usage_errors(self):
        self.assertEqual(lint().returncode, 2)
        self.assertEqual(lint("--format", "xml", "safe").returncode, 2)
        self.assertEqual(lint("--account", "12", "safe").returncode, 2)
        self.assertEqual(lint("no-such-path").returncode, 2)
        r = lint(os.path.join("..", "e2e", "crosskey.py"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("crosskey.py: error: not a kind of file lint reads", r.stderr)
        r = lint("sarif-schema-2.1.0.json")
        self.assertEqual(r.returncode, 2)
        self.assertIn("not a Terraform plan or state", r.stderr)
        r = lint("--list-rules")
        self.assertEqual(r.returncode, 0)
        self.assertEqual(re.findall(r"^(CK\d{3}) ", r.stdout, re.M),
                         ["CK001", "CK002", "CK003", "CK004", "CK005", "CK006", "CK007"])


class LintArnAgainstCrosskey(unittest.TestCase):
    """The ARN lint computes for the seed bucket is the one that makes account 2's write work."""

    def test_writer_put_fails_with_the_alias_and_works_with_the_computed_arn(self):
        r = lint("--format", "json", "--account", ACCOUNT1, "--region", "us-east-1", "unsafe/bucket-encryption.json")
        finding = json.loads(r.stdout)["findings"][0]
        self.assertEqual(finding["rule"], "CK002")
        with Server() as server:
            kms1 = server.client("kms", account=ACCOUNT1)
            s3_1 = server.client("s3", account=ACCOUNT1)
            s3_2 = server.client("s3", account=ACCOUNT2)
            policy = {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT1}:root"}, "Action": "kms:*",
                 "Resource": "*"},
                {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT2}:root"},
                 "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": "*"}]}
            key = kms1.create_key(Policy=json.dumps(policy))["KeyMetadata"]
            kms1.create_alias(AliasName="alias/my-key", TargetKeyId=key["KeyId"])
            s3_1.create_bucket(Bucket="bucket1")
            s3_1.put_bucket_policy(Bucket="bucket1", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": ACCOUNT2}, "Action": "s3:PutObject",
                 "Resource": "arn:aws:s3:::bucket1/*"}]}))

            def encrypt_with(key_id):
                s3_1.put_bucket_encryption(Bucket="bucket1", ServerSideEncryptionConfiguration={"Rules": [
                    {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_id}}]})

            encrypt_with(finding["value"])
            with self.assertRaises(Exception) as cm:
                s3_2.put_object(Bucket="bucket1", Key="o1", Body=b"hello")
            code, message, _ = error_of(cm.exception)
            self.assertEqual(code, "KMS.NotFoundException")
            self.assertIn(f"arn:aws:kms:us-east-1:{ACCOUNT2}:alias/my-key", message)

            encrypt_with(finding["arn"])
            put = s3_2.put_object(Bucket="bucket1", Key="o1", Body=b"hello")
            self.assertEqual(put["SSEKMSKeyId"], key["Arn"])


if __name__ == "__main__":
    unittest.main()
