"""KMS keys with imported key material (origin EXTERNAL), multi-Region keys,
key agreement (DeriveSharedSecret) and the checks AWS's recordings pin
(test/aws-recorded/kms.json), through boto3, with the client side of key
import done by the `cryptography` package as an AWS user would.

Messages marked INFERRED in the code (src/services/kms/import_ops.cpp,
src/core/kms/key_import.cpp) are crosskey's wording where AWS's is unknown;
these tests check the codes there and the texts only where AWS's are
recorded."""

import datetime
import os
import tempfile
import time
import unittest

import botocore.exceptions
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.keywrap import aes_key_wrap_with_padding

from crosskey import ACCOUNT1, ACCOUNT2, REGION, Server, error_of

PLAIN = b"test content 123 !#"
REDACTED_TAIL = ("on this resource because the resource does not exist in this Region, no resource-based policies "
                 "allow access, or a resource-based policy explicitly denies access")


def wrap(params, algorithm, material):
    """EncryptedKeyMaterial for ImportKeyMaterial, from GetParametersForImport's public key."""
    public = serialization.load_der_public_key(params["PublicKey"])
    digest = hashes.SHA1() if algorithm.endswith("SHA_1") else hashes.SHA256()
    oaep = padding.OAEP(mgf=padding.MGF1(algorithm=digest), algorithm=digest, label=None)
    if algorithm.startswith("RSAES_OAEP_"):
        return public.encrypt(material, oaep)
    aes_key = os.urandom(32)
    return public.encrypt(aes_key, oaep) + aes_key_wrap_with_padding(aes_key, material)


def pkcs8(private_key):
    return private_key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())


def spki(public_key):
    return public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


class KmsImportBase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server().start()
        cls.kms1 = cls.server.client("kms", account=ACCOUNT1)
        cls.kms2 = cls.server.client("kms", account=ACCOUNT2)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()

    def assertError(self, fn, code, message=None, **kw):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            fn(**kw)
        c, m, status = error_of(cm.exception)
        self.assertEqual((c, status), (code, 400), m)
        if message is not None:
            self.assertEqual(m, message)
        return m

    def external_key(self, **kw):
        return self.kms1.create_key(Origin="EXTERNAL", **kw)["KeyMetadata"]

    def import_material(self, key, material, algorithm="RSAES_OAEP_SHA_256", wrapping_spec="RSA_2048", **kw):
        params = self.kms1.get_parameters_for_import(KeyId=key["KeyId"], WrappingAlgorithm=algorithm,
                                                     WrappingKeySpec=wrapping_spec)
        kw.setdefault("ExpirationModel", "KEY_MATERIAL_DOES_NOT_EXPIRE")
        return self.kms1.import_key_material(KeyId=key["KeyId"], ImportToken=params["ImportToken"],
                                             EncryptedKeyMaterial=wrap(params, algorithm, material), **kw)

    def describe(self, key):
        return self.kms1.describe_key(KeyId=key["KeyId"])["KeyMetadata"]


class SymmetricImportTest(KmsImportBase):
    def test_import_use_delete_and_reimport(self):
        key = self.external_key(Description="imported")
        self.assertEqual((key["KeyState"], key["Enabled"], key["Origin"]), ("PendingImport", False, "EXTERNAL"))
        self.assertNotIn("ExpirationModel", key)
        self.assertNotIn("CurrentKeyMaterialId", key)
        self.assertError(self.kms1.encrypt, "KMSInvalidStateException", "%s is pending import." % key["Arn"],
                         KeyId=key["KeyId"], Plaintext=PLAIN)

        params = self.kms1.get_parameters_for_import(KeyId=key["KeyId"], WrappingAlgorithm="RSAES_OAEP_SHA_1",
                                                     WrappingKeySpec="RSA_3072")
        self.assertEqual(params["KeyId"], key["Arn"])
        self.assertEqual(serialization.load_der_public_key(params["PublicKey"]).key_size, 3072)
        valid_for = params["ParametersValidTo"] - datetime.datetime.now(datetime.timezone.utc)
        self.assertTrue(datetime.timedelta(hours=23) < valid_for <= datetime.timedelta(hours=24), valid_for)

        material = os.urandom(32)
        encrypted = wrap(params, "RSAES_OAEP_SHA_1", material)
        # AWS's default ExpirationModel is KEY_MATERIAL_EXPIRES, which needs a ValidTo (recorded message).
        self.assertError(self.kms1.import_key_material, "ValidationException",
                         "A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES",
                         KeyId=key["KeyId"], ImportToken=params["ImportToken"], EncryptedKeyMaterial=encrypted)
        r = self.kms1.import_key_material(KeyId=key["KeyId"], ImportToken=params["ImportToken"],
                                          EncryptedKeyMaterial=encrypted,
                                          ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")
        self.assertEqual(r["KeyId"], key["Arn"])
        self.assertRegex(r["KeyMaterialId"], "^[0-9a-f]{64}$")
        meta = self.describe(key)
        self.assertEqual((meta["KeyState"], meta["Enabled"], meta["ExpirationModel"], meta["CurrentKeyMaterialId"]),
                         ("Enabled", True, "KEY_MATERIAL_DOES_NOT_EXPIRE", r["KeyMaterialId"]))
        ct = self.kms1.encrypt(KeyId=key["KeyId"], Plaintext=PLAIN)["CiphertextBlob"]
        self.assertEqual(self.kms1.decrypt(CiphertextBlob=ct)["Plaintext"], PLAIN)

        deleted = self.kms1.delete_imported_key_material(KeyId=key["KeyId"])
        self.assertEqual((deleted["KeyId"], deleted["KeyMaterialId"]), (key["Arn"], r["KeyMaterialId"]))
        meta = self.describe(key)
        self.assertEqual((meta["KeyState"], meta["Enabled"]), ("PendingImport", False))
        self.assertNotIn("ExpirationModel", meta)
        self.assertEqual(meta["CurrentKeyMaterialId"], r["KeyMaterialId"])
        self.assertError(self.kms1.decrypt, "KMSInvalidStateException", "%s is pending import." % key["Arn"],
                         CiphertextBlob=ct)

        # Only the same material comes back; the old ciphertext decrypts again.
        self.assertError(self.kms1.import_key_material, "IncorrectKeyMaterialException", KeyId=key["KeyId"],
                         ImportToken=params["ImportToken"], EncryptedKeyMaterial=wrap(params, "RSAES_OAEP_SHA_1",
                                                                                      os.urandom(32)),
                         ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")
        again = self.import_material(key, material, algorithm="RSA_AES_KEY_WRAP_SHA_256")
        self.assertEqual(again["KeyMaterialId"], r["KeyMaterialId"])
        self.assertEqual(self.kms1.decrypt(CiphertextBlob=ct)["Plaintext"], PLAIN)

    def test_tokens_belong_to_their_key_and_origin_must_be_external(self):
        a, b = self.external_key(), self.external_key()
        params = self.kms1.get_parameters_for_import(KeyId=a["KeyId"], WrappingAlgorithm="RSAES_OAEP_SHA_256",
                                                     WrappingKeySpec="RSA_2048")
        self.assertError(self.kms1.import_key_material, "InvalidImportTokenException", KeyId=b["KeyId"],
                         ImportToken=params["ImportToken"],
                         EncryptedKeyMaterial=wrap(params, "RSAES_OAEP_SHA_256", os.urandom(32)),
                         ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")
        self.assertError(self.kms1.import_key_material, "InvalidCiphertextException", KeyId=a["KeyId"],
                         ImportToken=params["ImportToken"], EncryptedKeyMaterial=os.urandom(256),
                         ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")
        self.assertError(self.kms1.import_key_material, "IncorrectKeyMaterialException", KeyId=a["KeyId"],
                         ImportToken=params["ImportToken"],
                         EncryptedKeyMaterial=wrap(params, "RSAES_OAEP_SHA_256", os.urandom(16)),
                         ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")
        generated = self.kms1.create_key()["KeyMetadata"]
        for call in (lambda **kw: self.kms1.get_parameters_for_import(WrappingAlgorithm="RSAES_OAEP_SHA_256",
                                                                      WrappingKeySpec="RSA_2048", **kw),
                     self.kms1.delete_imported_key_material):
            # Recorded for GetParametersForImport.
            self.assertError(call, "UnsupportedOperationException",
                             "%s origin is AWS_KMS which is not valid for this operation." % generated["Arn"],
                             KeyId=generated["KeyId"])
        # Never across accounts: another account sees the redacted denial.
        m = self.assertError(self.kms2.get_parameters_for_import, "AccessDeniedException", KeyId=a["Arn"],
                             WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048")
        self.assertTrue(m.endswith(REDACTED_TAIL), m)

    def test_cancelled_deletion_of_a_key_without_material_leaves_it_pending_import(self):
        key = self.external_key()
        self.kms1.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
        self.kms1.cancel_key_deletion(KeyId=key["KeyId"])
        self.assertEqual(self.describe(key)["KeyState"], "PendingImport")
        self.import_material(key, os.urandom(32))
        self.kms1.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
        # Material deleted while the key is pending deletion leaves the state alone.
        self.kms1.delete_imported_key_material(KeyId=key["KeyId"])
        self.assertEqual(self.describe(key)["KeyState"], "PendingDeletion")
        self.kms1.cancel_key_deletion(KeyId=key["KeyId"])
        self.assertEqual(self.describe(key)["KeyState"], "PendingImport")

    def test_material_expires_at_valid_to(self):
        key = self.external_key()
        valid_to = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=3)
        self.import_material(key, os.urandom(32), ExpirationModel="KEY_MATERIAL_EXPIRES", ValidTo=valid_to)
        meta = self.describe(key)
        self.assertEqual((meta["KeyState"], meta["ExpirationModel"]), ("Enabled", "KEY_MATERIAL_EXPIRES"))
        self.assertEqual(int(meta["ValidTo"].timestamp()), int(valid_to.timestamp()))
        self.kms1.encrypt(KeyId=key["KeyId"], Plaintext=PLAIN)
        time.sleep(4)
        meta = self.describe(key)
        self.assertEqual(meta["KeyState"], "PendingImport")
        self.assertNotIn("ValidTo", meta)
        self.assertError(self.kms1.encrypt, "KMSInvalidStateException", "%s is pending import." % key["Arn"],
                         KeyId=key["KeyId"], Plaintext=PLAIN)

    def test_new_material_rotates_on_demand(self):
        key = self.external_key()
        first = self.import_material(key, os.urandom(32))["KeyMaterialId"]
        old = self.kms1.encrypt(KeyId=key["KeyId"], Plaintext=PLAIN)["CiphertextBlob"]
        # Recorded message.
        self.assertError(self.kms1.rotate_key_on_demand, "KMSInvalidStateException",
                         "No available key material pending rotation for the key: %s." % key["Arn"],
                         KeyId=key["KeyId"])
        second_material = os.urandom(32)
        second = self.import_material(key, second_material, ImportType="NEW_KEY_MATERIAL",
                                      KeyMaterialDescription="second")["KeyMaterialId"]
        self.assertNotEqual(first, second)
        self.assertEqual(self.describe(key)["CurrentKeyMaterialId"], first)
        # One pending material at a time (recorded message).
        params = self.kms1.get_parameters_for_import(KeyId=key["KeyId"], WrappingAlgorithm="RSAES_OAEP_SHA_256",
                                                     WrappingKeySpec="RSA_2048")
        m = self.assertError(self.kms1.import_key_material, "KMSInvalidStateException", KeyId=key["KeyId"],
                             ImportToken=params["ImportToken"],
                             EncryptedKeyMaterial=wrap(params, "RSAES_OAEP_SHA_256", os.urandom(32)),
                             ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE", ImportType="NEW_KEY_MATERIAL")
        self.assertRegex(m, r"^New key material \(id: [0-9a-f]{64}\) cannot be imported into KMS key %s, because "
                            r"another key material \(id: %s\) is pending rotation\.$" % (key["Arn"], second))
        all_material = self.kms1.list_key_rotations(KeyId=key["KeyId"], IncludeKeyMaterial="ALL_KEY_MATERIAL")
        self.assertEqual([(r["KeyMaterialId"], r["KeyMaterialState"], r["ImportState"])
                          for r in all_material["Rotations"]],
                         [(first, "CURRENT", "IMPORTED"), (second, "PENDING_ROTATION", "IMPORTED")])
        self.assertEqual(all_material["Rotations"][1]["KeyMaterialDescription"], "second")
        self.assertNotIn("RotationDate", all_material["Rotations"][1])
        self.assertEqual(self.kms1.list_key_rotations(KeyId=key["KeyId"])["Rotations"], [])
        # Material pending rotation can go and come back without touching the key's state.
        self.kms1.delete_imported_key_material(KeyId=key["KeyId"], KeyMaterialId=second)
        self.assertEqual(self.describe(key)["KeyState"], "Enabled")
        self.assertError(self.kms1.rotate_key_on_demand, "KMSInvalidStateException", KeyId=key["KeyId"])
        self.assertEqual(self.import_material(key, second_material, KeyMaterialId=second)["KeyMaterialId"], second)

        self.assertEqual(self.kms1.rotate_key_on_demand(KeyId=key["KeyId"])["KeyId"], key["Arn"])
        self.assertEqual(self.describe(key)["CurrentKeyMaterialId"], second)
        rotations = self.kms1.list_key_rotations(KeyId=key["KeyId"])["Rotations"]
        self.assertEqual([(r["KeyMaterialId"], r["RotationType"], r["KeyMaterialState"]) for r in rotations],
                         [(second, "ON_DEMAND", "CURRENT")])
        new = self.kms1.encrypt(KeyId=key["KeyId"], Plaintext=PLAIN)["CiphertextBlob"]
        for ct in (old, new):
            self.assertEqual(self.kms1.decrypt(CiphertextBlob=ct, KeyId=key["KeyId"])["Plaintext"], PLAIN)
        # Deleting a previous material takes the whole key back to PendingImport.
        self.kms1.delete_imported_key_material(KeyId=key["KeyId"], KeyMaterialId=first)
        self.assertEqual(self.describe(key)["KeyState"], "PendingImport")
        self.assertError(self.kms1.decrypt, "KMSInvalidStateException", CiphertextBlob=new)


class AsymmetricImportTest(KmsImportBase):
    def test_ecc_signing_key(self):
        private = ec.generate_private_key(ec.SECP384R1())
        key = self.external_key(KeySpec="ECC_NIST_P384", KeyUsage="SIGN_VERIFY")
        self.assertEqual(key["SigningAlgorithms"], ["ECDSA_SHA_384"])
        r = self.import_material(key, pkcs8(private), algorithm="RSAES_OAEP_SHA_1")
        self.assertNotIn("KeyMaterialId", r)
        meta = self.describe(key)
        self.assertEqual((meta["KeyState"], meta["ExpirationModel"]), ("Enabled", "KEY_MATERIAL_DOES_NOT_EXPIRE"))
        self.assertNotIn("CurrentKeyMaterialId", meta)
        self.assertEqual(self.kms1.get_public_key(KeyId=key["KeyId"])["PublicKey"], spki(private.public_key()))
        sig = self.kms1.sign(KeyId=key["KeyId"], Message=PLAIN, SigningAlgorithm="ECDSA_SHA_384")["Signature"]
        private.public_key().verify(sig, PLAIN, ec.ECDSA(hashes.SHA384()))  # raises if invalid
        # Another key's material is refused; after deletion only the same key comes back.
        self.assertError(lambda **kw: self.import_material(key, pkcs8(ec.generate_private_key(ec.SECP384R1()))),
                         "IncorrectKeyMaterialException")
        self.assertError(lambda **kw: self.import_material(key, pkcs8(ec.generate_private_key(ec.SECP256R1()))),
                         "IncorrectKeyMaterialException")
        self.kms1.delete_imported_key_material(KeyId=key["KeyId"])
        self.assertEqual(self.describe(key)["KeyState"], "PendingImport")
        self.assertError(self.kms1.get_public_key, "KMSInvalidStateException", "%s is pending import." % key["Arn"],
                         KeyId=key["KeyId"])
        self.import_material(key, pkcs8(private))
        self.assertEqual(self.kms1.get_public_key(KeyId=key["KeyId"])["PublicKey"], spki(private.public_key()))
        # Asymmetric keys take one material: no ImportType.
        self.assertError(lambda **kw: self.import_material(key, pkcs8(private), ImportType="NEW_KEY_MATERIAL"),
                         "ValidationException")

    def test_rsa_key_needs_rsa_aes_key_wrap(self):
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        key = self.external_key(KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")
        self.import_material(key, pkcs8(private), algorithm="RSA_AES_KEY_WRAP_SHA_1", wrapping_spec="RSA_4096")
        ct = self.kms1.encrypt(KeyId=key["KeyId"], Plaintext=PLAIN, EncryptionAlgorithm="RSAES_OAEP_SHA_256")
        oaep = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None)
        self.assertEqual(private.decrypt(ct["CiphertextBlob"], oaep), PLAIN)
        # Recorded message for a plaintext over the limit.
        self.assertError(self.kms1.encrypt, "ValidationException",
                         "Algorithm RSAES_OAEP_SHA_256 and key spec RSA_2048 cannot encrypt data larger than 190 "
                         "bytes.", KeyId=key["KeyId"], Plaintext=b"x" * 191, EncryptionAlgorithm="RSAES_OAEP_SHA_256")

    def test_hmac_key(self):
        import hmac
        material = os.urandom(40)
        key = self.external_key(KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")
        self.import_material(key, material)
        mac = self.kms1.generate_mac(KeyId=key["KeyId"], Message=PLAIN, MacAlgorithm="HMAC_SHA_256")["Mac"]
        self.assertEqual(mac, hmac.new(material, PLAIN, "sha256").digest())


class RestartTest(unittest.TestCase):
    def test_imported_and_pending_material_survive_restart(self):
        data = tempfile.mkdtemp(prefix="crosskey-kms-import-")
        material = os.urandom(32)
        with Server(data_dir=data) as s:
            kms = s.client("kms")
            key = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]
            for kw in ({}, {"ImportType": "NEW_KEY_MATERIAL"}):
                p = kms.get_parameters_for_import(KeyId=key["KeyId"], WrappingAlgorithm="RSAES_OAEP_SHA_256",
                                                  WrappingKeySpec="RSA_2048")
                kms.import_key_material(KeyId=key["KeyId"], ImportToken=p["ImportToken"],
                                        EncryptedKeyMaterial=wrap(p, "RSAES_OAEP_SHA_256",
                                                                  material if not kw else os.urandom(32)),
                                        ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE", **kw)
            ct = kms.encrypt(KeyId=key["KeyId"], Plaintext=PLAIN)["CiphertextBlob"]
        with open(os.path.join(data, "metadata.db"), "rb") as f:
            self.assertNotIn(material, f.read())
        with Server(data_dir=data) as s:
            kms = s.client("kms")
            kms.rotate_key_on_demand(KeyId=key["KeyId"])
            self.assertEqual(kms.decrypt(CiphertextBlob=ct)["Plaintext"], PLAIN)
            ct2 = kms.encrypt(KeyId=key["KeyId"], Plaintext=PLAIN)["CiphertextBlob"]
            self.assertEqual(kms.decrypt(CiphertextBlob=ct2)["Plaintext"], PLAIN)


class KeyAgreementTest(KmsImportBase):
    def test_derive_shared_secret_matches_a_local_ecdh(self):
        key = self.kms1.create_key(KeySpec="ECC_NIST_P256", KeyUsage="KEY_AGREEMENT")["KeyMetadata"]
        self.assertEqual(key["KeyAgreementAlgorithms"], ["ECDH"])
        self.assertNotIn("SigningAlgorithms", key)
        pub = self.kms1.get_public_key(KeyId=key["KeyId"])
        self.assertEqual(pub["KeyAgreementAlgorithms"], ["ECDH"])
        peer = ec.generate_private_key(ec.SECP256R1())
        r = self.kms1.derive_shared_secret(KeyId=key["KeyId"], KeyAgreementAlgorithm="ECDH",
                                           PublicKey=spki(peer.public_key()))
        self.assertEqual((r["KeyId"], r["KeyAgreementAlgorithm"], r["KeyOrigin"]), (key["Arn"], "ECDH", "AWS_KMS"))
        kms_public = serialization.load_der_public_key(pub["PublicKey"])
        self.assertEqual(r["SharedSecret"], peer.exchange(ec.ECDH(), kms_public))
        # Recorded: a peer key that is not one is ValidationException with an empty message.
        self.assertError(self.kms1.derive_shared_secret, "ValidationException", "", KeyId=key["KeyId"],
                         KeyAgreementAlgorithm="ECDH", PublicKey=b"InvalidPublicKey")
        self.assertError(self.kms1.derive_shared_secret, "ValidationException", KeyId=key["KeyId"],
                         KeyAgreementAlgorithm="ECDH", PublicKey=spki(ec.generate_private_key(ec.SECP384R1())
                                                                      .public_key()))
        self.assertError(self.kms1.derive_shared_secret, "DryRunOperationException", KeyId=key["KeyId"],
                         KeyAgreementAlgorithm="ECDH", PublicKey=spki(peer.public_key()), DryRun=True)
        signing = self.kms1.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]
        self.assertError(self.kms1.derive_shared_secret, "InvalidKeyUsageException",
                         "%s key usage is SIGN_VERIFY which is not valid for DeriveSharedSecret." % signing["Arn"],
                         KeyId=signing["KeyId"], KeyAgreementAlgorithm="ECDH", PublicKey=spki(peer.public_key()))
        self.assertError(self.kms1.create_key, "ValidationException",
                         "KeyUsage KEY_AGREEMENT is not compatible with KeySpec RSA_2048", KeySpec="RSA_2048",
                         KeyUsage="KEY_AGREEMENT")


class MultiRegionAndChecksTest(KmsImportBase):
    def test_multi_region_primary_key(self):
        key = self.kms1.create_key(MultiRegion=True)["KeyMetadata"]
        self.assertRegex(key["KeyId"], "^mrk-[0-9a-f]{32}$")
        self.assertTrue(key["MultiRegion"])
        self.assertEqual(key["MultiRegionConfiguration"],
                         {"MultiRegionKeyType": "PRIMARY", "PrimaryKey": {"Arn": key["Arn"], "Region": REGION},
                          "ReplicaKeys": []})
        ct = self.kms1.encrypt(KeyId=key["KeyId"], Plaintext=PLAIN)["CiphertextBlob"]
        self.assertEqual(self.kms1.decrypt(CiphertextBlob=ct)["Plaintext"], PLAIN)
        self.assertEqual(self.describe(key)["MultiRegionConfiguration"]["PrimaryKey"]["Arn"], key["Arn"])
        self.assertFalse(self.kms1.create_key()["KeyMetadata"]["MultiRegion"])
        # Replication into other regions stays unsupported.
        self.assertError(self.kms1.replicate_key, "UnsupportedOperationException", KeyId=key["KeyId"],
                         ReplicaRegion="us-west-2")

    def test_tags_aws_checks(self):
        key = self.kms1.create_key()["KeyMetadata"]
        for tags, message in (([{"TagKey": "AWS:x", "TagValue": "1"}], "Tags beginning with aws: are reserved"),
                              ([{"TagKey": "t", "TagValue": "1"}, {"TagKey": "t", "TagValue": "2"}],
                               "Duplicate tag keys"),
                              ([{"TagKey": "t%d" % i, "TagValue": "v"} for i in range(51)], "Too many tags")):
            self.assertError(self.kms1.tag_resource, "TagException", message, KeyId=key["KeyId"], Tags=tags)
            self.assertError(self.kms1.create_key, "TagException", message, Tags=tags)
        self.kms1.tag_resource(KeyId=key["KeyId"], Tags=[{"TagKey": "t%d" % i, "TagValue": "v"} for i in range(50)])
        self.assertError(self.kms1.tag_resource, "TagException", "Too many tags", KeyId=key["KeyId"],
                         Tags=[{"TagKey": "one-more", "TagValue": "v"}])

    def test_recorded_texts(self):
        sym = self.kms1.create_key()["KeyMetadata"]
        mac = self.kms1.create_key(KeySpec="HMAC_224", KeyUsage="GENERATE_VERIFY_MAC")["KeyMetadata"]
        ct = self.kms1.encrypt(KeyId=sym["KeyId"], Plaintext=PLAIN)["CiphertextBlob"]
        incorrect = "The key ID in the request does not identify a CMK that can perform this operation."
        self.assertError(self.kms1.decrypt, "IncorrectKeyException", incorrect, CiphertextBlob=ct, KeyId=mac["KeyId"])
        self.assertError(self.kms1.re_encrypt, "IncorrectKeyException", incorrect, CiphertextBlob=ct,
                         SourceKeyId=mac["KeyId"], DestinationKeyId=sym["KeyId"])
        self.assertError(self.kms1.generate_random, "ValidationException", "NumberOfBytes is required.")
        self.assertError(self.kms1.create_key, "ValidationException",
                         "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.",
                         KeySpec="HMAC_256")
        self.assertError(self.kms1.generate_mac, "ValidationException",
                         "1 validation error detected: Value 'INVALID' at 'macAlgorithm' failed to satisfy constraint: "
                         "Member must satisfy enum value set: [HMAC_SHA_384, HMAC_SHA_256, HMAC_SHA_224, HMAC_SHA_512]",
                         KeyId=mac["KeyId"], Message=b"m", MacAlgorithm="INVALID")
        rsa_key = self.kms1.create_key(KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")["KeyMetadata"]
        self.assertError(self.kms1.rotate_key_on_demand, "UnsupportedOperationException", "", KeyId=rsa_key["KeyId"])
        self.kms1.disable_key(KeyId=rsa_key["KeyId"])
        self.assertError(self.kms1.rotate_key_on_demand, "DisabledException", "%s is disabled." % rsa_key["Arn"],
                         KeyId=rsa_key["KeyId"])


if __name__ == "__main__":
    unittest.main()
