"""Secrets Manager across accounts, by how the secret names its KMS key
(AWS-SEMANTICS §4, test cases 58 and 60).

Account 1 owns the secrets, key K1 (its policy lets account 2 use it) and
alias/my-key -> K1. Account 2 acts through role2 (a role session), which its IAM
lets do anything; each secret's resource policy lets role2 call Secrets Manager.

  default key (no KmsKeyId)       other account: GetSecretValue and PutSecretValue
                                  refused with InvalidRequestException "You can't
                                  access a secret from a different AWS account if
                                  you encrypt the secret with the default KMS
                                  service key." (AWS recording), before any KMS call.
  alias name / bare key id        kept as written; other account: GetSecretValue
                                  AccessDeniedException "Access to KMS is not
                                  allowed"; PutSecretValue / UpdateSecret without
                                  KmsKeyId "You must specify a KMS key ARN to update
                                  the secret from a different AWS account." (BLOG;
                                  code UNVERIFIED, InvalidRequestException chosen).
  key ARN                         the other account reads and writes.

Each case also checks that the owner reads and writes the same secret, and
that a refused call leaves no KMS event in either account's trail.
"""

import json
import unittest

from crosskey import ACCOUNT1, ACCOUNT2, Server
from sse_world import ErrorAssertions, assume_role, client_for, doc, events, k1_policy

DEFAULT_KEY_REFUSED = ("You can't access a secret from a different AWS account if you encrypt the secret with the "
                       "default KMS service key.")
KEY_ARN_REQUIRED = "You must specify a KMS key ARN to update the secret from a different AWS account."
KMS_DENIED = "Access to KMS is not allowed"

ROLE2 = "arn:aws:iam::%s:role/role2" % ACCOUNT2


class SecretsManagerCrossAccountTest(ErrorAssertions, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = s = Server().start()
        cls.sm1 = s.client("secretsmanager", account=ACCOUNT1)
        cls.kms1 = s.client("kms", account=ACCOUNT1)
        meta = cls.kms1.create_key(Policy=k1_policy())["KeyMetadata"]
        cls.k1, cls.k1_id = meta["Arn"], meta["KeyId"]
        cls.kms1.create_alias(AliasName="alias/my-key", TargetKeyId=cls.k1_id)
        creds = assume_role(s, ACCOUNT2, "role2", ACCOUNT2, [
            {"Effect": "Allow", "Action": ["secretsmanager:*", "kms:*"], "Resource": "*"}], session="s2")
        cls.sm2 = client_for(s, creds, "secretsmanager")
        cls.kms2 = client_for(s, creds, "kms")
        # Account 2 has an alias of the same name, on its own key K2: a write
        # resolved in the caller's account would silently land there.
        k2 = cls.kms2.create_key()["KeyMetadata"]
        cls.k2 = k2["Arn"]
        cls.kms2.create_alias(AliasName="alias/my-key", TargetKeyId=k2["KeyId"])
        cls.ct1 = s.client("cloudtrail", account=ACCOUNT1)
        cls.ct2 = s.client("cloudtrail", account=ACCOUNT2)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()

    def shared_secret(self, name, value, **kw):
        arn = self.sm1.create_secret(Name=name, SecretString=value, **kw)["ARN"]
        self.sm1.put_resource_policy(SecretId=name, ResourcePolicy=doc(
            {"Effect": "Allow", "Principal": {"AWS": ROLE2}, "Action": "secretsmanager:*", "Resource": "*"}))
        return arn

    def kms_events_for(self, secret_arn):
        """KMS events in both accounts' trails whose encryption context names the secret."""
        out = []
        for ct in (self.ct1, self.ct2):
            for name in ("GenerateDataKey", "Decrypt"):
                out += [e for e in events(ct, name)
                        if (e.get("requestParameters") or {}).get("encryptionContext", {}).get("SecretARN")
                        == secret_arn]
        return out

    def by_role2(self, evs):
        return [e for e in evs if e["userIdentity"].get("arn", "").endswith(":assumed-role/role2/s2")]

    def assertOwnerReadsAndWrites(self, name, value):
        self.assertEqual(self.sm1.get_secret_value(SecretId=name)["SecretString"], value)
        self.sm1.put_secret_value(SecretId=name, SecretString=value + "-put")
        self.assertEqual(self.sm1.get_secret_value(SecretId=name)["SecretString"], value + "-put")
        self.sm1.update_secret(SecretId=name, SecretString=value)
        self.assertEqual(self.sm1.get_secret_value(SecretId=name)["SecretString"], value)

    # --- the default key -----------------------------------------------------
    def test_default_key_refuses_the_other_account_before_kms(self):
        arn = self.shared_secret("on-default", "v1")
        desc = self.sm1.describe_secret(SecretId="on-default")
        self.assertNotIn("KmsKeyId", desc)
        listed = [e for e in self.sm1.list_secrets()["SecretList"] if e["ARN"] == arn]
        self.assertEqual(len(listed), 1)
        self.assertNotIn("KmsKeyId", listed[0])
        versions = self.sm1.list_secret_version_ids(SecretId="on-default")["Versions"]
        self.assertEqual([v["KmsKeyIds"] for v in versions], [["DefaultEncryptionKey"]])
        self.assertOwnerReadsAndWrites("on-default", "v1")
        # The other account may describe it (no KMS involved) but neither read nor write.
        self.assertEqual(self.sm2.describe_secret(SecretId=arn)["ARN"], arn)
        before = self.by_role2(self.kms_events_for(arn))
        self.assertEqual(before, [])
        e = self.assertError(self.sm2.get_secret_value, "InvalidRequestException", DEFAULT_KEY_REFUSED, 400,
                             SecretId=arn)
        # Secrets Manager's error body names its text "Message" (botocore copies it to the top level).
        self.assertEqual(e.response.get("Message"), DEFAULT_KEY_REFUSED)
        self.assertError(self.sm2.put_secret_value, "InvalidRequestException", DEFAULT_KEY_REFUSED, 400,
                         SecretId=arn, SecretString="from-2")
        # UpdateSecret with a value writes like PutSecretValue (INFERRED: same check).
        self.assertError(self.sm2.update_secret, "InvalidRequestException", DEFAULT_KEY_REFUSED, 400,
                         SecretId=arn, SecretString="from-2")
        # Naming the managed key is no better: it is not an ARN.
        self.assertError(self.sm2.update_secret, "InvalidRequestException", KEY_ARN_REQUIRED, 400,
                         SecretId=arn, KmsKeyId="alias/aws/secretsmanager", SecretString="from-2")
        batch = self.sm2.batch_get_secret_value(SecretIdList=[arn])
        self.assertEqual(batch["SecretValues"], [])
        self.assertEqual([(x["ErrorCode"], x["Message"]) for x in batch["Errors"]],
                         [("InvalidRequestException", DEFAULT_KEY_REFUSED)])
        self.assertEqual(self.by_role2(self.kms_events_for(arn)), [])
        # Nothing was written.
        self.assertEqual(self.sm1.get_secret_value(SecretId="on-default")["SecretString"], "v1")

    # --- an unqualified alias or key id ---------------------------------------
    def check_unqualified(self, name, key_ref):
        arn = self.shared_secret(name, "v1", KmsKeyId=key_ref)
        self.assertEqual(self.sm1.describe_secret(SecretId=name)["KmsKeyId"], key_ref)  # kept as written
        listed = [e for e in self.sm1.list_secrets()["SecretList"] if e["ARN"] == arn]
        self.assertEqual(listed[0]["KmsKeyId"], key_ref)
        self.assertOwnerReadsAndWrites(name, "v1")
        self.assertError(self.sm2.get_secret_value, "AccessDeniedException", KMS_DENIED, 400, SecretId=arn)
        self.assertError(self.sm2.put_secret_value, "InvalidRequestException", KEY_ARN_REQUIRED, 400,
                         SecretId=arn, SecretString="from-2")
        self.assertError(self.sm2.update_secret, "InvalidRequestException", KEY_ARN_REQUIRED, 400,
                         SecretId=arn, SecretString="from-2")
        # Naming the key again without its account does not help either.
        self.assertError(self.sm2.update_secret, "InvalidRequestException", KEY_ARN_REQUIRED, 400,
                         SecretId=arn, KmsKeyId=key_ref, SecretString="from-2")
        # No KMS call as role2, so nothing reached account 2's alias/my-key (K2).
        self.assertEqual(self.by_role2(self.kms_events_for(arn)), [])
        self.assertEqual(self.sm1.get_secret_value(SecretId=name)["SecretString"], "v1")
        # With the key ARN (K1 allows account 2) the other account writes, then reads.
        self.sm2.update_secret(SecretId=arn, KmsKeyId=self.k1, SecretString="from-2")
        self.assertEqual(self.sm1.describe_secret(SecretId=name)["KmsKeyId"], self.k1)
        self.assertEqual(self.sm2.get_secret_value(SecretId=arn)["SecretString"], "from-2")
        self.sm2.put_secret_value(SecretId=arn, SecretString="again-from-2")
        self.assertEqual(self.sm1.get_secret_value(SecretId=name)["SecretString"], "again-from-2")
        used = {e["resources"][0]["ARN"] for e in self.by_role2(self.kms_events_for(arn)) if e.get("resources")}
        self.assertEqual(used, {self.k1})

    def test_unqualified_alias_refuses_the_other_account(self):
        self.check_unqualified("by-alias", "alias/my-key")

    def test_bare_key_id_refuses_the_other_account(self):
        self.check_unqualified("by-key-id", self.k1_id)

    # --- a key ARN --------------------------------------------------------------
    def test_key_arn_serves_both_accounts(self):
        arn = self.shared_secret("by-arn", "v1", KmsKeyId=self.k1)
        self.assertOwnerReadsAndWrites("by-arn", "v1")
        self.assertEqual(self.sm2.get_secret_value(SecretId=arn)["SecretString"], "v1")
        self.sm2.put_secret_value(SecretId=arn, SecretString="from-2")
        self.assertEqual(self.sm1.get_secret_value(SecretId="by-arn")["SecretString"], "from-2")
        self.assertTrue(self.by_role2(self.kms_events_for(arn)))


if __name__ == "__main__":
    unittest.main()
