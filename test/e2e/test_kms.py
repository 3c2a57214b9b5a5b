"""Issue 4: KMS keys, aliases, key policies, grants, crypto and the exact
rules of key resolution (AWS-SEMANTICS §1, test cases 1-23), with boto3 and
the AWS CLI.

AWS-SEMANTICS uses a role `role2` in account 2. AssumeRole is not available to
these tests, so config-declared IAM USERS with inline policies stand in for
roles: the resolution and policy rules under test are the same for a user and
a role session (only the principal ARN in messages differs)."""

import base64
import json
import os
import tempfile
import unittest

import botocore.exceptions

from crosskey import ACCOUNT1, ACCOUNT2, REGION, Server, error_of

ACCOUNT3 = "333333333333"


def user(account, name, key, actions):
    doc = json.dumps({"Version": "2012-10-17",
                      "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]} if actions else None)
    policies = "[]" if not actions else "[{ name = \"p\", document = '%s' }]" % doc
    return ('[[users]]\naccount = "%s"\nname = "%s"\naccess_key_id = "%s"\nsecret_access_key = "secret"\n'
            "policies = %s\n\n" % (account, name, key, policies))


CONFIG = (user(ACCOUNT2, "role2", "AKIAROLE200000000001", ["kms:*", "s3:*"])
          + user(ACCOUNT2, "nokms", "AKIANOKMS00000000001", ["s3:*"])
          + user(ACCOUNT1, "admin1", "AKIAADMIN100000000001"[:20], ["kms:*"])
          + user(ACCOUNT1, "reader1", "AKIAREADER1000000001", ["kms:Decrypt"]))

ROLE2 = "AKIAROLE200000000001"
NOKMS2 = "AKIANOKMS00000000001"
ADMIN1 = "AKIAADMIN10000000000"
READER1 = "AKIAREADER1000000001"

REDACTED_TAIL = ("on this resource because the resource does not exist in this Region, no resource-based policies "
                 "allow access, or a resource-based policy explicitly denies access")


def policy_with(account, extra_statements):
    return json.dumps({"Version": "2012-10-17", "Id": "key-default-1", "Statement": [
        {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
         "Principal": {"AWS": "arn:aws:iam::%s:root" % account}, "Action": "kms:*", "Resource": "*"}
    ] + extra_statements})


def allow_account(account, actions=None):
    return {"Sid": "Allow %s" % account, "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % account},
            "Action": actions or ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                                  "kms:DescribeKey"],
            "Resource": "*"}


class KmsTestBase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(config=CONFIG).start()
        cls.kms1 = cls.server.client("kms", account=ACCOUNT1)
        cls.kms2 = cls.server.client("kms", account=ACCOUNT2)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()

    def kms(self, key_id, region=REGION):
        return self.server.client("kms", account=key_id, secret="secret", region=region)

    def assertError(self, fn, code, message=None, **kw):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            fn(**kw)
        c, m, status = error_of(cm.exception)
        self.assertEqual((c, status), (code, 400), m)
        if message is not None:
            self.assertEqual(m, message)
        return m

    def new_key(self, client=None, **kw):
        return (client or self.kms1).create_key(**kw)["KeyMetadata"]


class ResolutionTest(KmsTestBase):
    """AWS-SEMANTICS cases 1-9 and 20-23."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.k1 = cls.kms1.create_key(Policy=policy_with(ACCOUNT1, [allow_account(ACCOUNT2)]))["KeyMetadata"]
        cls.kms1.create_alias(AliasName="alias/my-key", TargetKeyId=cls.k1["KeyId"])

    def test_01_alias_name_resolves_in_callers_account(self):
        m = self.kms1.describe_key(KeyId="alias/my-key")["KeyMetadata"]
        self.assertEqual(m["Arn"], self.k1["Arn"])
        self.assertEqual((m["KeyManager"], m["KeyState"]), ("CUSTOMER", "Enabled"))

    def test_02_alias_name_of_other_account_is_not_found_in_callers_account(self):
        self.assertError(self.server.client("kms", account=ACCOUNT3).describe_key, "NotFoundException",
                         "Alias arn:aws:kms:us-east-1:333333333333:alias/my-key is not found.", KeyId="alias/my-key")

    def test_03_alias_arn_crosses_accounts(self):
        m = self.kms2.describe_key(KeyId="arn:aws:kms:us-east-1:%s:alias/my-key" % ACCOUNT1)["KeyMetadata"]
        self.assertEqual(m["Arn"], self.k1["Arn"])

    def test_04_bare_key_id_resolves_in_callers_account(self):
        self.assertError(self.kms2.encrypt, "NotFoundException",
                         "Key 'arn:aws:kms:us-east-1:%s:key/%s' does not exist" % (ACCOUNT2, self.k1["KeyId"]),
                         KeyId=self.k1["KeyId"], Plaintext=b"hi")

    def test_05_key_arn_crosses_accounts(self):
        r = self.kms2.encrypt(KeyId=self.k1["Arn"], Plaintext=b"hi")
        self.assertEqual(r["KeyId"], self.k1["Arn"])
        self.assertEqual(r["EncryptionAlgorithm"], "SYMMETRIC_DEFAULT")

    def test_06_malformed_key_id(self):
        self.assertError(self.kms1.describe_key, "NotFoundException", "Invalid keyId 'fake-key-id'",
                         KeyId="fake-key-id")
        self.assertError(self.kms1.describe_key, "NotFoundException", "Invalid keyId 'aws/s3'", KeyId="aws/s3")

    def test_07_arn_in_another_region(self):
        self.assertError(self.kms1.describe_key, "NotFoundException", "Invalid arn us-west-2",
                         KeyId=self.k1["Arn"].replace("us-east-1", "us-west-2"))
        # A bare id of a us-east-1 key sent to us-west-2 is looked up in us-west-2.
        west = self.server.client("kms", account=ACCOUNT1, region="us-west-2")
        self.assertError(west.describe_key, "NotFoundException",
                         "Key 'arn:aws:kms:us-west-2:%s:key/%s' does not exist" % (ACCOUNT1, self.k1["KeyId"]),
                         KeyId=self.k1["KeyId"])

    def test_08_alias_without_prefix(self):
        self.assertError(self.kms1.create_alias, "ValidationException",
                         'Alias must start with the prefix "alias/". Please see '
                         "https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html",
                         AliasName="my-key2", TargetKeyId=self.k1["KeyId"])

    def test_09_reserved_aws_prefix(self):
        # Error code UNVERIFIED (AWS-SEMANTICS §1.1); we answer InvalidAliasNameException.
        self.assertError(self.kms1.create_alias, "InvalidAliasNameException",
                         AliasName="alias/aws/foo", TargetKeyId=self.k1["KeyId"])
        names = [a["AliasName"] for a in self.kms1.list_aliases()["Aliases"]]
        self.assertNotIn("alias/aws/foo", names)

    def test_20_list_keys_never_shows_other_accounts_keys(self):
        ids = [k["KeyId"] for k in self.kms2.list_keys()["Keys"]]
        self.assertNotIn(self.k1["KeyId"], ids)
        self.assertIn(self.k1["KeyId"], [k["KeyId"] for k in self.kms1.list_keys()["Keys"]])

    def test_21_create_grant_rejects_alias(self):
        self.assertError(self.kms2.create_grant, "InvalidArnException",
                         "Key Aliases are not supported for this operation",
                         KeyId="arn:aws:kms:us-east-1:%s:alias/my-key" % ACCOUNT1,
                         GranteePrincipal="arn:aws:iam::%s:root" % ACCOUNT2, Operations=["Decrypt"])

    def test_22_generate_data_key_needs_spec_or_bytes(self):
        self.assertError(self.kms1.generate_data_key, "ValidationException", KeyId=self.k1["KeyId"])
        self.assertError(self.kms1.generate_data_key, "ValidationException", KeyId=self.k1["KeyId"],
                         KeySpec="AES_256", NumberOfBytes=32)
        r = self.kms1.generate_data_key(KeyId="alias/my-key", KeySpec="AES_256")
        self.assertEqual(len(r["Plaintext"]), 32)
        self.assertEqual(r["KeyId"], self.k1["Arn"])
        self.assertEqual(self.kms1.decrypt(CiphertextBlob=r["CiphertextBlob"])["Plaintext"], r["Plaintext"])
        self.assertEqual(len(self.kms1.generate_data_key(KeyId=self.k1["Arn"], NumberOfBytes=7)["Plaintext"]), 7)
        self.assertEqual(len(self.kms1.generate_data_key(KeyId=self.k1["Arn"], KeySpec="AES_128")["Plaintext"]), 16)
        w = self.kms1.generate_data_key_without_plaintext(KeyId=self.k1["Arn"], KeySpec="AES_256")
        self.assertNotIn("Plaintext", w)
        self.assertEqual(len(self.kms1.decrypt(CiphertextBlob=w["CiphertextBlob"])["Plaintext"]), 32)

    def test_23_aws_managed_key_created_on_first_use_and_not_usable_directly(self):
        kms4 = self.server.client("kms", account="444444444444")
        m = kms4.describe_key(KeyId="alias/aws/s3")["KeyMetadata"]
        self.assertEqual(m["KeyManager"], "AWS")
        self.assertEqual(m["Description"], "Default key that protects my S3 objects when no other key is defined")
        self.assertEqual((m["KeySpec"], m["Origin"]), ("SYMMETRIC_DEFAULT", "AWS_KMS"))
        self.assertEqual(kms4.describe_key(KeyId="alias/aws/s3")["KeyMetadata"]["KeyId"], m["KeyId"])
        aliases = {a["AliasName"]: a.get("TargetKeyId") for a in kms4.list_aliases()["Aliases"]}
        self.assertEqual(aliases.get("alias/aws/s3"), m["KeyId"])
        msg = self.assertError(kms4.encrypt, "AccessDeniedException", KeyId="alias/aws/s3", Plaintext=b"x")
        self.assertIn("kms:Encrypt", msg)
        # Its policy cannot be changed and it cannot be deleted (policy evaluation, not special cases).
        self.assertError(kms4.schedule_key_deletion, "AccessDeniedException", KeyId=m["KeyId"])
        self.assertError(kms4.put_key_policy, "AccessDeniedException", KeyId=m["KeyId"], PolicyName="default",
                         Policy=policy_with("444444444444", []))
        # Another account can never use it, even by ARN.
        self.assertError(self.kms1.encrypt, "AccessDeniedException", KeyId=m["Arn"], Plaintext=b"x")


class StatesAndContextTest(KmsTestBase):
    """AWS-SEMANTICS cases 10-16, rotation, tampering."""

    def test_10_default_key_policy(self):
        k = self.new_key()
        doc = json.loads(self.kms1.get_key_policy(KeyId=k["KeyId"], PolicyName="default")["Policy"])
        self.assertEqual(doc["Id"], "key-default-1")
        self.assertEqual(len(doc["Statement"]), 1)
        st = doc["Statement"][0]
        self.assertEqual(st["Sid"], "Enable IAM User Permissions")
        self.assertEqual(st["Principal"], {"AWS": "arn:aws:iam::%s:root" % ACCOUNT1})
        self.assertEqual(st["Action"], "kms:*")
        self.assertEqual(self.kms1.list_key_policies(KeyId=k["KeyId"])["PolicyNames"], ["default"])

    def test_11_to_13_encryption_context_and_incorrect_key(self):
        k = self.new_key()
        other = self.new_key()
        ct = self.kms1.encrypt(KeyId=k["KeyId"], Plaintext=b"secret", EncryptionContext={"a": "1"})["CiphertextBlob"]
        r = self.kms1.decrypt(CiphertextBlob=ct, EncryptionContext={"a": "1"})
        self.assertEqual((r["Plaintext"], r["KeyId"]), (b"secret", k["Arn"]))
        for ctx in ({"a": "2"}, {}, {"a": "1", "b": "2"}):
            self.assertError(self.kms1.decrypt, "InvalidCiphertextException", "", CiphertextBlob=ct,
                             EncryptionContext=ctx)
        self.assertError(self.kms1.decrypt, "IncorrectKeyException",
                         "The key ID in the request does not identify a CMK that can perform this operation.",
                         CiphertextBlob=ct, EncryptionContext={"a": "1"}, KeyId=other["Arn"])
        # The right KeyId (in any form) is accepted.
        self.assertEqual(self.kms1.decrypt(CiphertextBlob=ct, EncryptionContext={"a": "1"},
                                           KeyId=k["KeyId"])["Plaintext"], b"secret")

    def test_tampered_blob_is_invalid_ciphertext(self):
        k = self.new_key()
        ct = bytearray(self.kms1.encrypt(KeyId=k["KeyId"], Plaintext=b"secret")["CiphertextBlob"])
        # Past the header (IV, ciphertext, tag): always InvalidCiphertextException with an empty message.
        for i in range(len(ct) - 34, len(ct)):
            t = bytearray(ct)
            t[i] ^= 1
            self.assertError(self.kms1.decrypt, "InvalidCiphertextException", "", CiphertextBlob=bytes(t))
        # In the header a flip may name another key: then that key's rules apply (not found / not allowed).
        for i in (0, 5, 20):
            t = bytearray(ct)
            t[i] ^= 1
            with self.assertRaises(botocore.exceptions.ClientError) as cm:
                self.kms1.decrypt(CiphertextBlob=bytes(t))
            self.assertIn(error_of(cm.exception)[0],
                          ("InvalidCiphertextException", "NotFoundException", "AccessDeniedException"))
        self.assertError(self.kms1.decrypt, "InvalidCiphertextException", "", CiphertextBlob=b"not a blob at all")

    def test_14_disabled_key(self):
        k = self.new_key()
        self.kms1.disable_key(KeyId=k["KeyId"])
        self.assertError(self.kms1.encrypt, "DisabledException", "%s is disabled." % k["Arn"],
                         KeyId=k["KeyId"], Plaintext=b"x")
        self.assertFalse(self.kms1.describe_key(KeyId=k["KeyId"])["KeyMetadata"]["Enabled"])
        self.kms1.enable_key(KeyId=k["KeyId"])
        self.kms1.encrypt(KeyId=k["KeyId"], Plaintext=b"x")

    def test_15_16_pending_deletion_and_cancel(self):
        k = self.new_key()
        ct = self.kms1.encrypt(KeyId=k["KeyId"], Plaintext=b"x")["CiphertextBlob"]
        self.assertError(self.kms1.cancel_key_deletion, "KMSInvalidStateException",
                         "%s is not pending deletion." % k["Arn"], KeyId=k["KeyId"])
        # AWS's words as recorded in a public error report (kms-issuer#8); the model itself allows 1-365.
        for days in (6, 31):
            self.assertError(self.kms1.schedule_key_deletion, "ValidationException",
                             "PendingWindowInDays must be between 7 and 30", KeyId=k["KeyId"], PendingWindowInDays=days)
        r = self.kms1.schedule_key_deletion(KeyId=k["KeyId"], PendingWindowInDays=7)
        self.assertEqual((r["KeyState"], r["PendingWindowInDays"], r["KeyId"]), ("PendingDeletion", 7, k["Arn"]))
        self.assertError(self.kms1.decrypt, "KMSInvalidStateException", "%s is pending deletion." % k["Arn"],
                         CiphertextBlob=ct)
        m = self.kms1.describe_key(KeyId=k["KeyId"])["KeyMetadata"]
        self.assertEqual(m["KeyState"], "PendingDeletion")
        self.assertIn("DeletionDate", m)
        self.assertError(self.kms1.enable_key, "KMSInvalidStateException", KeyId=k["KeyId"])
        self.kms1.cancel_key_deletion(KeyId=k["KeyId"])
        self.assertEqual(self.kms1.describe_key(KeyId=k["KeyId"])["KeyMetadata"]["KeyState"], "Disabled")

    def test_rotation_keeps_old_ciphertexts_decryptable(self):
        k = self.new_key()
        old = self.kms1.encrypt(KeyId=k["KeyId"], Plaintext=b"old", EncryptionContext={"v": "1"})["CiphertextBlob"]
        m0 = self.kms1.describe_key(KeyId=k["KeyId"])["KeyMetadata"]["CurrentKeyMaterialId"]
        self.assertFalse(self.kms1.get_key_rotation_status(KeyId=k["KeyId"])["KeyRotationEnabled"])
        self.kms1.enable_key_rotation(KeyId=k["KeyId"], RotationPeriodInDays=90)
        st = self.kms1.get_key_rotation_status(KeyId=k["KeyId"])
        self.assertTrue(st["KeyRotationEnabled"])
        self.assertEqual(st["RotationPeriodInDays"], 90)
        self.assertIn("NextRotationDate", st)
        self.assertEqual(self.kms1.rotate_key_on_demand(KeyId=k["KeyId"])["KeyId"], k["Arn"])
        m1 = self.kms1.describe_key(KeyId=k["KeyId"])["KeyMetadata"]["CurrentKeyMaterialId"]
        self.assertNotEqual(m0, m1)
        rotations = self.kms1.list_key_rotations(KeyId=k["KeyId"])["Rotations"]
        self.assertEqual([(r["RotationType"], r["KeyMaterialId"]) for r in rotations], [("ON_DEMAND", m1)])
        new = self.kms1.encrypt(KeyId=k["KeyId"], Plaintext=b"new")["CiphertextBlob"]
        self.assertEqual(self.kms1.decrypt(CiphertextBlob=old, EncryptionContext={"v": "1"})["Plaintext"], b"old")
        r = self.kms1.decrypt(CiphertextBlob=new)
        self.assertEqual((r["Plaintext"], r["KeyMaterialId"]), (b"new", m1))
        self.kms1.disable_key_rotation(KeyId=k["KeyId"])
        self.assertFalse(self.kms1.get_key_rotation_status(KeyId=k["KeyId"])["KeyRotationEnabled"])

    def test_reencrypt_moves_ciphertext_between_keys(self):
        a, b = self.new_key(), self.new_key()
        ct = self.kms1.encrypt(KeyId=a["KeyId"], Plaintext=b"p", EncryptionContext={"x": "1"})["CiphertextBlob"]
        r = self.kms1.re_encrypt(CiphertextBlob=ct, SourceEncryptionContext={"x": "1"},
                                 DestinationKeyId=b["Arn"], DestinationEncryptionContext={"y": "2"})
        self.assertEqual((r["SourceKeyId"], r["KeyId"]), (a["Arn"], b["Arn"]))
        d = self.kms1.decrypt(CiphertextBlob=r["CiphertextBlob"], EncryptionContext={"y": "2"})
        self.assertEqual((d["Plaintext"], d["KeyId"]), (b"p", b["Arn"]))

    def test_description_tags_and_listing(self):
        k = self.new_key(Description="first", Tags=[{"TagKey": "team", "TagValue": "a"}])
        self.kms1.update_key_description(KeyId=k["KeyId"], Description="second")
        self.assertEqual(self.kms1.describe_key(KeyId=k["Arn"])["KeyMetadata"]["Description"], "second")
        self.kms1.tag_resource(KeyId=k["KeyId"], Tags=[{"TagKey": "team", "TagValue": "b"},
                                                      {"TagKey": "env", "TagValue": "dev"}])
        tags = {t["TagKey"]: t["TagValue"] for t in self.kms1.list_resource_tags(KeyId=k["KeyId"])["Tags"]}
        self.assertEqual(tags, {"team": "b", "env": "dev"})
        self.kms1.untag_resource(KeyId=k["KeyId"], TagKeys=["team"])
        self.assertEqual([t["TagKey"] for t in self.kms1.list_resource_tags(KeyId=k["KeyId"])["Tags"]], ["env"])
        self.assertError(self.kms1.tag_resource, "TagException", KeyId=k["KeyId"],
                         Tags=[{"TagKey": "aws:x", "TagValue": "1"}])
        page = self.kms1.list_keys(Limit=1)
        self.assertEqual(len(page["Keys"]), 1)
        self.assertTrue(page["Truncated"])
        rest = self.kms1.list_keys(Marker=page["NextMarker"])["Keys"]
        self.assertNotIn(page["Keys"][0], rest)

    def test_alias_update_delete_and_filter(self):
        a, b = self.new_key(), self.new_key()
        self.kms1.create_alias(AliasName="alias/moving", TargetKeyId=a["KeyId"])
        self.assertError(self.kms1.create_alias, "AlreadyExistsException", AliasName="alias/moving",
                         TargetKeyId=b["KeyId"])
        self.kms1.update_alias(AliasName="alias/moving", TargetKeyId=b["Arn"])
        self.assertEqual(self.kms1.describe_key(KeyId="alias/moving")["KeyMetadata"]["Arn"], b["Arn"])
        filtered = self.kms1.list_aliases(KeyId=b["KeyId"])["Aliases"]
        self.assertEqual([x["AliasName"] for x in filtered], ["alias/moving"])
        self.assertEqual(filtered[0]["AliasArn"], "arn:aws:kms:us-east-1:%s:alias/moving" % ACCOUNT1)
        self.assertEqual(self.kms1.list_aliases(KeyId=a["KeyId"])["Aliases"], [])
        self.kms1.delete_alias(AliasName="alias/moving")
        self.assertError(self.kms1.delete_alias, "NotFoundException",
                         "Alias arn:aws:kms:us-east-1:%s:alias/moving is not found." % ACCOUNT1,
                         AliasName="alias/moving")

    def test_unsupported_features_fail_instead_of_faking(self):
        self.assertError(self.kms1.create_key, "UnsupportedOperationException", CustomKeyStoreId="cks-1234567890abcdef0")
        k = self.new_key(Origin="EXTERNAL")
        self.assertEqual(k["KeyState"], "PendingImport")
        self.assertError(self.kms1.encrypt, "KMSInvalidStateException", "%s is pending import." % k["Arn"],
                         KeyId=k["KeyId"], Plaintext=b"x")
        self.assertError(self.kms1.replicate_key, "UnsupportedOperationException", KeyId=k["KeyId"],
                         ReplicaRegion="us-west-2")
        self.assertError(self.kms1.create_custom_key_store, "UnsupportedOperationException",
                         CustomKeyStoreName="x", CloudHsmClusterId="cluster-abcdefghijk")

    def test_put_key_policy_validation_and_lockout_check(self):
        k = self.new_key()
        self.assertError(self.kms1.put_key_policy, "MalformedPolicyDocumentException", KeyId=k["KeyId"],
                         PolicyName="default", Policy="{not json")
        lockout = json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % ACCOUNT1}, "Action": "kms:Encrypt",
             "Resource": "*"}]})
        self.assertError(self.kms1.put_key_policy, "MalformedPolicyDocumentException",
                         "The new key policy will not allow you to update the key policy in the future.",
                         KeyId=k["KeyId"], PolicyName="default", Policy=lockout)
        self.kms1.put_key_policy(KeyId=k["KeyId"], PolicyName="default", Policy=lockout,
                                 BypassPolicyLockoutSafetyCheck=True)
        # The bypassed policy really is in force: the account can no longer read it.
        self.assertError(self.kms1.get_key_policy, "AccessDeniedException", KeyId=k["KeyId"], PolicyName="default")


class AsymmetricAndMacTest(KmsTestBase):
    def test_rsa_encrypt_sign_and_public_key(self):
        enc = self.new_key(KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")
        self.assertEqual(enc["EncryptionAlgorithms"], ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"])
        ct = self.kms1.encrypt(KeyId=enc["KeyId"], Plaintext=b"hi", EncryptionAlgorithm="RSAES_OAEP_SHA_256")
        d = self.kms1.decrypt(KeyId=enc["KeyId"], CiphertextBlob=ct["CiphertextBlob"],
                              EncryptionAlgorithm="RSAES_OAEP_SHA_256")
        self.assertEqual(d["Plaintext"], b"hi")
        pub = self.kms1.get_public_key(KeyId=enc["KeyId"])
        self.assertEqual((pub["KeySpec"], pub["KeyUsage"]), ("RSA_2048", "ENCRYPT_DECRYPT"))
        from cryptography.hazmat.primitives.serialization import load_der_public_key
        self.assertEqual(load_der_public_key(pub["PublicKey"]).key_size, 2048)

        sig = self.new_key(KeySpec="RSA_3072", KeyUsage="SIGN_VERIFY")
        self.assertError(self.kms1.encrypt, "InvalidKeyUsageException",
                         "%s key usage is SIGN_VERIFY which is not valid for Encrypt." % sig["Arn"],
                         KeyId=sig["KeyId"], Plaintext=b"x")
        s = self.kms1.sign(KeyId=sig["KeyId"], Message=b"msg", SigningAlgorithm="RSASSA_PSS_SHA_256")
        v = self.kms1.verify(KeyId=sig["KeyId"], Message=b"msg", Signature=s["Signature"],
                             SigningAlgorithm="RSASSA_PSS_SHA_256")
        self.assertTrue(v["SignatureValid"])
        self.assertError(self.kms1.verify, "KMSInvalidSignatureException", KeyId=sig["KeyId"], Message=b"other",
                         Signature=s["Signature"], SigningAlgorithm="RSASSA_PSS_SHA_256")

    def test_ecc_including_secp256k1(self):
        import hashlib
        for spec, alg in (("ECC_NIST_P256", "ECDSA_SHA_256"), ("ECC_NIST_P384", "ECDSA_SHA_384"),
                          ("ECC_SECG_P256K1", "ECDSA_SHA_256")):
            k = self.new_key(KeySpec=spec, KeyUsage="SIGN_VERIFY")
            digest = hashlib.new("sha" + alg[-3:], b"m").digest()
            s = self.kms1.sign(KeyId=k["KeyId"], Message=digest, MessageType="DIGEST", SigningAlgorithm=alg)
            self.assertTrue(self.kms1.verify(KeyId=k["Arn"], Message=b"m", Signature=s["Signature"],
                                             SigningAlgorithm=alg)["SignatureValid"], spec)
        self.assertError(self.kms1.create_key, "ValidationException", KeySpec="ECC_NIST_P256",
                         KeyUsage="ENCRYPT_DECRYPT")

    def test_hmac_keys(self):
        k = self.new_key(KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")
        self.assertEqual(k["MacAlgorithms"], ["HMAC_SHA_256"])
        mac = self.kms1.generate_mac(KeyId=k["KeyId"], Message=b"m", MacAlgorithm="HMAC_SHA_256")["Mac"]
        self.assertEqual(len(mac), 32)
        self.assertTrue(self.kms1.verify_mac(KeyId=k["KeyId"], Message=b"m", Mac=mac,
                                             MacAlgorithm="HMAC_SHA_256")["MacValid"])
        self.assertError(self.kms1.verify_mac, "KMSInvalidMacException", KeyId=k["KeyId"], Message=b"n", Mac=mac,
                         MacAlgorithm="HMAC_SHA_256")
        self.assertError(self.kms1.generate_mac, "InvalidKeyUsageException", KeyId=k["KeyId"], Message=b"m",
                         MacAlgorithm="HMAC_SHA_512")

    def test_data_key_pairs_and_random(self):
        k = self.new_key()
        p = self.kms1.generate_data_key_pair(KeyId=k["KeyId"], KeyPairSpec="ECC_NIST_P256",
                                             EncryptionContext={"c": "1"})
        d = self.kms1.decrypt(CiphertextBlob=p["PrivateKeyCiphertextBlob"], EncryptionContext={"c": "1"})
        self.assertEqual(d["Plaintext"], p["PrivateKeyPlaintext"])
        from cryptography.hazmat.primitives.serialization import load_der_private_key
        self.assertEqual(load_der_private_key(p["PrivateKeyPlaintext"], None).public_key().public_bytes(
            encoding=__import__("cryptography.hazmat.primitives.serialization").hazmat.primitives.serialization
            .Encoding.DER,
            format=__import__("cryptography.hazmat.primitives.serialization").hazmat.primitives.serialization
            .PublicFormat.SubjectPublicKeyInfo), p["PublicKey"])
        w = self.kms1.generate_data_key_pair_without_plaintext(KeyId=k["KeyId"], KeyPairSpec="RSA_2048")
        self.assertNotIn("PrivateKeyPlaintext", w)
        self.assertEqual(len(self.kms1.generate_random(NumberOfBytes=17)["Plaintext"]), 17)


class CrossAccountTest(KmsTestBase):
    """The issue's "Done when" cross-account story and cases 17-19."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.k1 = cls.kms1.create_key()["KeyMetadata"]
        cls.kms1.create_alias(AliasName="alias/my-key", TargetKeyId=cls.k1["KeyId"])
        cls.k2 = cls.kms2.create_key()["KeyMetadata"]
        cls.kms2.create_alias(AliasName="alias/my-key", TargetKeyId=cls.k2["KeyId"])

    def test_alias_name_uses_each_callers_own_key(self):
        self.assertEqual(self.kms1.encrypt(KeyId="alias/my-key", Plaintext=b"x")["KeyId"], self.k1["Arn"])
        self.assertEqual(self.kms2.encrypt(KeyId="alias/my-key", Plaintext=b"x")["KeyId"], self.k2["Arn"])
        self.assertEqual(self.kms(ROLE2).encrypt(KeyId="alias/my-key", Plaintext=b"x")["KeyId"], self.k2["Arn"])

    def test_other_accounts_alias_arn_refused_until_key_policy_and_iam_allow(self):
        k = self.kms2.create_key()["KeyMetadata"]
        self.kms2.create_alias(AliasName="alias/shared", TargetKeyId=k["KeyId"])
        alias_arn = "arn:aws:kms:us-east-1:%s:alias/shared" % ACCOUNT2
        blob = self.kms2.encrypt(KeyId=k["KeyId"], Plaintext=b"from-a2", EncryptionContext={"p": "q"})
        admin1 = self.kms(ADMIN1)
        # Case 17: the key policy does not name account 1: redacted, ARN not revealed.
        msg = self.assertError(admin1.encrypt, "AccessDeniedException", KeyId=alias_arn, Plaintext=b"x")
        self.assertEqual(msg, "User: arn:aws:iam::%s:user/admin1 is not authorized to perform: kms:Encrypt %s"
                         % (ACCOUNT1, REDACTED_TAIL))
        self.assertNotIn(k["KeyId"], msg)
        self.assertError(admin1.decrypt, "AccessDeniedException", CiphertextBlob=blob["CiphertextBlob"],
                         EncryptionContext={"p": "q"})
        # A key that does not exist in a foreign account looks exactly the same.
        missing = self.assertError(admin1.encrypt, "AccessDeniedException",
                                   KeyId="arn:aws:kms:us-east-1:%s:alias/nope" % ACCOUNT2, Plaintext=b"x")
        self.assertEqual(missing, msg)

        self.kms2.put_key_policy(KeyId=k["KeyId"], PolicyName="default",
                                 Policy=policy_with(ACCOUNT2, [allow_account(ACCOUNT1)]))
        self.assertEqual(admin1.encrypt(KeyId=alias_arn, Plaintext=b"x")["KeyId"], k["Arn"])
        d = admin1.decrypt(CiphertextBlob=blob["CiphertextBlob"], EncryptionContext={"p": "q"})
        self.assertEqual((d["Plaintext"], d["KeyId"]), (b"from-a2", k["Arn"]))
        # Case 18 analogue: key policy allows account 1, but this user's IAM has no kms:Decrypt... reader1 has.
        self.assertEqual(self.kms(READER1).decrypt(CiphertextBlob=blob["CiphertextBlob"],
                                                   EncryptionContext={"p": "q"})["Plaintext"], b"from-a2")
        msg = self.assertError(self.kms(READER1).encrypt, "AccessDeniedException", KeyId=alias_arn, Plaintext=b"x")
        self.assertEqual(msg, "User: arn:aws:iam::%s:user/reader1 is not authorized to perform: kms:Encrypt on this "
                              "resource because no identity-based policy allows the kms:Encrypt action" % ACCOUNT1)

    def test_18_key_policy_allows_account_but_iam_does_not(self):
        k = self.kms1.create_key(Policy=policy_with(ACCOUNT1, [allow_account(ACCOUNT2)]))["KeyMetadata"]
        self.assertEqual(self.kms(ROLE2).encrypt(KeyId=k["Arn"], Plaintext=b"x")["KeyId"], k["Arn"])
        self.assertError(self.kms(NOKMS2).encrypt, "AccessDeniedException", KeyId=k["Arn"], Plaintext=b"x")

    def test_19_no_root_statement_makes_iam_ineffective(self):
        policy = json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % ACCOUNT1}, "Action": "kms:PutKeyPolicy",
             "Resource": "*"}]})
        k = self.kms1.create_key(Policy=policy)["KeyMetadata"]
        # admin1's IAM allows kms:*, but the key policy grants only PutKeyPolicy.
        msg = self.assertError(self.kms(ADMIN1).encrypt, "AccessDeniedException", KeyId=k["Arn"], Plaintext=b"x")
        self.assertEqual(msg, "User: arn:aws:iam::%s:user/admin1 is not authorized to perform: kms:Encrypt on "
                              "resource: %s because no resource-based policy allows the kms:Encrypt action"
                         % (ACCOUNT1, k["Arn"]))

    def test_grants_allow_grantee_and_can_be_retired_and_revoked(self):
        k = self.kms1.create_key(Policy=policy_with(ACCOUNT1, []))["KeyMetadata"]
        nokms = self.kms(NOKMS2)
        self.assertError(nokms.encrypt, "AccessDeniedException", KeyId=k["Arn"], Plaintext=b"x")
        g = self.kms1.create_grant(KeyId=k["KeyId"], GranteePrincipal="arn:aws:iam::%s:user/nokms" % ACCOUNT2,
                                   RetiringPrincipal="arn:aws:iam::%s:root" % ACCOUNT1,
                                   Operations=["Encrypt", "Decrypt"], Name="g1",
                                   Constraints={"EncryptionContextSubset": {"team": "a"}})
        self.assertEqual(len(g["GrantId"]), 64)
        ct = nokms.encrypt(KeyId=k["Arn"], Plaintext=b"x", EncryptionContext={"team": "a", "more": "1"},
                           GrantTokens=[g["GrantToken"]])
        self.assertEqual(nokms.decrypt(CiphertextBlob=ct["CiphertextBlob"],
                                       EncryptionContext={"team": "a", "more": "1"})["Plaintext"], b"x")
        # The constraint binds: other contexts are not covered by the grant.
        self.assertError(nokms.encrypt, "AccessDeniedException", KeyId=k["Arn"], Plaintext=b"x",
                         EncryptionContext={"team": "b"})
        again = self.kms1.create_grant(KeyId=k["KeyId"], GranteePrincipal="arn:aws:iam::%s:user/nokms" % ACCOUNT2,
                                       RetiringPrincipal="arn:aws:iam::%s:root" % ACCOUNT1,
                                       Operations=["Encrypt", "Decrypt"], Name="g1")
        self.assertEqual(again["GrantId"], g["GrantId"])
        grants = self.kms1.list_grants(KeyId=k["KeyId"])["Grants"]
        self.assertEqual([x["GrantId"] for x in grants], [g["GrantId"]])
        self.assertEqual(grants[0]["Constraints"], {"EncryptionContextSubset": {"team": "a"}})
        self.assertEqual(grants[0]["IssuingAccount"], "arn:aws:iam::%s:root" % ACCOUNT1)
        retirable = self.kms1.list_retirable_grants(RetiringPrincipal="arn:aws:iam::%s:root" % ACCOUNT1)["Grants"]
        self.assertIn(g["GrantId"], [x["GrantId"] for x in retirable])
        self.assertError(nokms.retire_grant, "AccessDeniedException", GrantToken=g["GrantToken"])
        self.kms1.retire_grant(GrantToken=g["GrantToken"])
        self.assertEqual(self.kms1.list_grants(KeyId=k["KeyId"])["Grants"], [])
        self.assertError(nokms.encrypt, "AccessDeniedException", KeyId=k["Arn"], Plaintext=b"x",
                         EncryptionContext={"team": "a"})
        g2 = self.kms1.create_grant(KeyId=k["Arn"], GranteePrincipal="arn:aws:iam::%s:root" % ACCOUNT2,
                                    Operations=["DescribeKey"])
        self.assertEqual(nokms.describe_key(KeyId=k["Arn"])["KeyMetadata"]["Arn"], k["Arn"])
        self.kms1.revoke_grant(KeyId=k["KeyId"], GrantId=g2["GrantId"])
        self.assertError(self.kms1.revoke_grant, "NotFoundException", KeyId=k["KeyId"], GrantId=g2["GrantId"])
        self.assertError(nokms.describe_key, "AccessDeniedException", KeyId=k["Arn"])
        self.assertError(self.kms1.retire_grant, "InvalidGrantTokenException", GrantToken="bogus")


class MasterKeyTest(unittest.TestCase):
    def test_master_key_file_is_0600_and_keys_survive_restart(self):
        data = tempfile.mkdtemp(prefix="crosskey-kms-")
        with Server(data_dir=data) as s:
            kms = s.client("kms")
            k = kms.create_key()["KeyMetadata"]
            kms.create_alias(AliasName="alias/persist", TargetKeyId=k["KeyId"])
            ct = kms.encrypt(KeyId="alias/persist", Plaintext=b"durable")["CiphertextBlob"]
        path = os.path.join(data, "master.key")
        self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)
        with open(os.path.join(data, "metadata.db"), "rb") as f:
            self.assertNotIn(b"durable", f.read())
        with Server(data_dir=data) as s:
            self.assertEqual(s.client("kms").decrypt(CiphertextBlob=ct)["Plaintext"], b"durable")

    def test_env_master_key_must_match_the_stored_material(self):
        data = tempfile.mkdtemp(prefix="crosskey-kms-")
        key_a = base64.b64encode(b"a" * 32).decode()
        os.environ["CROSSKEY_MASTER_KEY"] = key_a
        try:
            with Server(data_dir=data) as s:
                ct = s.client("kms").encrypt(KeyId=s.client("kms").create_key()["KeyMetadata"]["KeyId"],
                                             Plaintext=b"x")["CiphertextBlob"]
            self.assertFalse(os.path.exists(os.path.join(data, "master.key")))
            with Server(data_dir=data) as s:
                self.assertEqual(s.client("kms").decrypt(CiphertextBlob=ct)["Plaintext"], b"x")
            os.environ["CROSSKEY_MASTER_KEY"] = base64.b64encode(b"b" * 32).decode()
            with self.assertRaises(RuntimeError):
                Server(data_dir=data).start()
        finally:
            del os.environ["CROSSKEY_MASTER_KEY"]


class CliTest(KmsTestBase):
    def test_cli_round_trip_and_errors(self):
        s = self.server
        k = s.aws_json("kms", "create-key", "--description", "cli")["KeyMetadata"]
        s.aws_json("kms", "create-alias", "--alias-name", "alias/cli", "--target-key-id", k["KeyId"])
        with tempfile.NamedTemporaryFile(delete=False) as f:
            f.write(b"cli-secret")
        enc = s.aws_json("kms", "encrypt", "--key-id", "alias/cli", "--plaintext", "fileb://" + f.name,
                         "--encryption-context", "purpose=test")
        self.assertEqual(enc["KeyId"], k["Arn"])
        with open(f.name + ".ct", "wb") as g:
            g.write(base64.b64decode(enc["CiphertextBlob"]))
        dec = s.aws_json("kms", "decrypt", "--ciphertext-blob", "fileb://" + f.name + ".ct",
                         "--encryption-context", "purpose=test")
        self.assertEqual(base64.b64decode(dec["Plaintext"]), b"cli-secret")
        r = s.aws("kms", "decrypt", "--ciphertext-blob", "fileb://" + f.name + ".ct",
                  "--encryption-context", "purpose=other")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("InvalidCiphertextException", r.stderr)
        r = s.aws("kms", "describe-key", "--key-id", "alias/my-key", account=ACCOUNT3)
        self.assertIn("(NotFoundException)", r.stderr)
        self.assertIn("Alias arn:aws:kms:us-east-1:333333333333:alias/my-key is not found.", r.stderr)
        aliases = s.aws_json("kms", "list-aliases", "--key-id", k["KeyId"])["Aliases"]
        self.assertEqual([a["AliasName"] for a in aliases], ["alias/cli"])
        policy = json.loads(s.aws_json("kms", "get-key-policy", "--key-id", k["KeyId"],
                                       "--policy-name", "default", )["Policy"])
        self.assertEqual(policy["Id"], "key-default-1")
        s.aws_json("kms", "disable-key", "--key-id", k["KeyId"])
        r = s.aws("kms", "encrypt", "--key-id", k["Arn"], "--plaintext", "fileb://" + f.name)
        self.assertIn("(DisabledException)", r.stderr)
        self.assertIn("%s is disabled." % k["Arn"], r.stderr)
        s.aws_json("kms", "enable-key", "--key-id", k["KeyId"])
        s.aws_json("kms", "enable-key-rotation", "--key-id", k["KeyId"])
        self.assertTrue(s.aws_json("kms", "get-key-rotation-status", "--key-id", k["KeyId"])["KeyRotationEnabled"])
        dk = s.aws_json("kms", "generate-data-key", "--key-id", k["Arn"], "--key-spec", "AES_256")
        self.assertEqual(len(base64.b64decode(dk["Plaintext"])), 32)
        sk = s.aws_json("kms", "create-key", "--key-spec", "ECC_NIST_P256", "--key-usage", "SIGN_VERIFY")["KeyMetadata"]
        sig = s.aws_json("kms", "sign", "--key-id", sk["KeyId"], "--message", "fileb://" + f.name,
                         "--signing-algorithm", "ECDSA_SHA_256")["Signature"]
        with open(f.name + ".sig", "wb") as g:
            g.write(base64.b64decode(sig))
        v = s.aws_json("kms", "verify", "--key-id", sk["KeyId"], "--message", "fileb://" + f.name,
                       "--signature", "fileb://" + f.name + ".sig", "--signing-algorithm", "ECDSA_SHA_256")
        self.assertTrue(v["SignatureValid"])
        s.aws_json("kms", "schedule-key-deletion", "--key-id", k["KeyId"], "--pending-window-in-days", "7")
        self.assertEqual(s.aws_json("kms", "describe-key", "--key-id", k["KeyId"])["KeyMetadata"]["KeyState"],
                         "PendingDeletion")


if __name__ == "__main__":
    unittest.main()
