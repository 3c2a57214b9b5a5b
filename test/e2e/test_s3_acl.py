"""S3 access control lists where S3 Object Ownership leaves them enabled
(ObjectWriter, BucketOwnerPreferred): bucket and object ACLs set by canned
ACLs, grant headers and AccessControlPolicy bodies, S3's validation errors,
ACL grants in authorization beside policies (cross-account and anonymous),
Block Public Access, and BucketOwnerEnforced buckets refusing ACLs."""

import json
import unittest

from botocore import UNSIGNED
from botocore.exceptions import ClientError

from crosskey import ACCOUNT1, ACCOUNT2, Server, error_of

CONFIG = """
[[users]]
account = "222222222222"
name = "s3user"
access_key_id = "AKIAS3USER000000001"
secret_access_key = "s3user-secret"
policies = [{ name = "s3", document = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}' }]
[[users]]
account = "222222222222"
name = "nobody"
access_key_id = "AKIANOBODY000000002"
secret_access_key = "nobody-secret"
policies = []
"""

ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTHENTICATED = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
LOG_DELIVERY = "http://acs.amazonaws.com/groups/s3/LogDelivery"
OPEN_PAB = {"BlockPublicAcls": False, "IgnorePublicAcls": False, "BlockPublicPolicy": False,
            "RestrictPublicBuckets": False}


def grants_of(acl):
    """The grants as (grantee ID or URI, permission) pairs."""
    return sorted((g["Grantee"].get("ID") or g["Grantee"].get("URI"), g["Permission"]) for g in acl["Grants"])


class AclTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(config=CONFIG).start()
        cls.one = cls.server.client("s3")
        cls.two = cls.server.client("s3", account=ACCOUNT2)
        cls.user2 = cls.server.client("s3", account="AKIAS3USER000000001", secret="s3user-secret")
        cls.nobody2 = cls.server.client("s3", account="AKIANOBODY000000002", secret="nobody-secret")
        cls.anon = cls.server.client("s3", signature_version=UNSIGNED)
        cls.id1 = cls.one.list_buckets()["Owner"]["ID"]
        cls.id2 = cls.two.list_buckets()["Owner"]["ID"]

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()

    def fails(self, fn, code, status, **kw):
        with self.assertRaises(ClientError) as cm:
            fn(**kw)
        got_code, msg, got_status = error_of(cm.exception)
        self.assertEqual((got_code, got_status), (code, status), msg)
        return cm.exception.response["Error"]

    def acl_bucket(self, name, ownership="ObjectWriter", open_pab=True):
        self.one.create_bucket(Bucket=name, ObjectOwnership=ownership)
        if open_pab:
            self.one.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=OPEN_PAB)
        return name

    # --- Reading and writing ACLs ---

    def test_bucket_acl_canned_grants_and_body(self):
        b = self.acl_bucket("acl-bucket-forms")
        self.assertEqual(grants_of(self.one.get_bucket_acl(Bucket=b)), [(self.id1, "FULL_CONTROL")])
        self.one.put_bucket_acl(Bucket=b, ACL="public-read-write")
        self.assertEqual(grants_of(self.one.get_bucket_acl(Bucket=b)),
                         sorted([(self.id1, "FULL_CONTROL"), (ALL_USERS, "READ"), (ALL_USERS, "WRITE")]))
        self.one.put_bucket_acl(Bucket=b, ACL="log-delivery-write")
        self.assertEqual(grants_of(self.one.get_bucket_acl(Bucket=b)),
                         sorted([(self.id1, "FULL_CONTROL"), (LOG_DELIVERY, "WRITE"), (LOG_DELIVERY, "READ_ACP")]))
        self.one.put_bucket_acl(Bucket=b, GrantRead='id="%s"' % self.id2, GrantWriteACP='uri="%s"' % AUTHENTICATED)
        acl = self.one.get_bucket_acl(Bucket=b)
        self.assertEqual(acl["Owner"]["ID"], self.id1)
        self.assertEqual(grants_of(acl), sorted([(self.id2, "READ"), (AUTHENTICATED, "WRITE_ACP")]))
        self.one.put_bucket_acl(Bucket=b, AccessControlPolicy={
            "Owner": {"ID": self.id1},
            "Grants": [{"Grantee": {"Type": "CanonicalUser", "ID": self.id1}, "Permission": "FULL_CONTROL"},
                       {"Grantee": {"Type": "CanonicalUser", "ID": self.id2}, "Permission": "READ_ACP"}]})
        self.assertEqual(grants_of(self.one.get_bucket_acl(Bucket=b)),
                         sorted([(self.id1, "FULL_CONTROL"), (self.id2, "READ_ACP")]))

    def test_object_acl_canned_on_writes(self):
        b = self.acl_bucket("acl-object-writes")
        self.one.put_object(Bucket=b, Key="pub", Body=b"x", ACL="public-read")
        self.assertEqual(grants_of(self.one.get_object_acl(Bucket=b, Key="pub")),
                         sorted([(self.id1, "FULL_CONTROL"), (ALL_USERS, "READ")]))
        self.one.copy_object(Bucket=b, Key="copy", CopySource={"Bucket": b, "Key": "pub"}, ACL="authenticated-read")
        self.assertEqual(grants_of(self.one.get_object_acl(Bucket=b, Key="copy")),
                         sorted([(self.id1, "FULL_CONTROL"), (AUTHENTICATED, "READ")]))
        up = self.one.create_multipart_upload(Bucket=b, Key="mp", ACL="aws-exec-read")
        part = self.one.upload_part(Bucket=b, Key="mp", UploadId=up["UploadId"], PartNumber=1, Body=b"p")
        self.one.complete_multipart_upload(Bucket=b, Key="mp", UploadId=up["UploadId"], MultipartUpload={
            "Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
        ec2 = "6aa5a366c34c1cbe25dc49211496e913e0351eb0e8c37aa3477e40942ec6b97c"
        self.assertEqual(grants_of(self.one.get_object_acl(Bucket=b, Key="mp")),
                         sorted([(self.id1, "FULL_CONTROL"), (ec2, "READ")]))
        self.one.put_object_acl(Bucket=b, Key="pub", GrantFullControl='id="%s"' % self.id2)
        self.assertEqual(grants_of(self.one.get_object_acl(Bucket=b, Key="pub")), [(self.id2, "FULL_CONTROL")])

    def test_validation_errors(self):
        b = self.acl_bucket("acl-validation")
        self.one.put_object(Bucket=b, Key="k", Body=b"x")
        err = self.fails(self.one.put_bucket_acl, "InvalidArgument", 400, Bucket=b, GrantRead='id="%s"' % ("0" * 64))
        self.assertEqual((err["Message"], err["ArgumentName"]), ("Invalid id", "id"))
        err = self.fails(self.one.put_object_acl, "InvalidArgument", 400, Bucket=b, Key="k",
                         GrantRead='uri="http://acs.amazonaws.com/groups/global/Nobody"')
        self.assertEqual((err["Message"], err["ArgumentName"]), ("Invalid group uri", "uri"))
        self.fails(self.one.put_bucket_acl, "UnresolvableGrantByEmailAddress", 400, Bucket=b,
                   GrantRead='emailAddress="someone@example.com"')
        self.fails(self.one.put_object_acl, "UnresolvableGrantByEmailAddress", 400, Bucket=b, Key="k",
                   AccessControlPolicy={"Owner": {"ID": self.id1}, "Grants": [
                       {"Grantee": {"Type": "AmazonCustomerByEmail", "EmailAddress": "a@example.com"},
                        "Permission": "READ"}]})
        self.fails(self.one.put_object, "InvalidArgument", 400, Bucket=b, Key="k2", Body=b"x",
                   GrantRead='id="not-an-id"')
        err = self.fails(self.one.put_object_acl, "MissingSecurityHeader", 400, Bucket=b, Key="k")
        self.assertEqual(err["MissingHeaderName"], "x-amz-acl")
        self.fails(self.one.put_bucket_acl, "MalformedACLError", 400, Bucket=b, AccessControlPolicy={
            "Grants": [{"Grantee": {"Type": "Group", "URI": ALL_USERS}, "Permission": "READ"}]})
        # Nothing changed by the refused requests.
        self.assertEqual(grants_of(self.one.get_bucket_acl(Bucket=b)), [(self.id1, "FULL_CONTROL")])
        self.assertEqual(grants_of(self.one.get_object_acl(Bucket=b, Key="k")), [(self.id1, "FULL_CONTROL")])
        self.fails(self.one.head_object, "404", 404, Bucket=b, Key="k2")

    # --- Ownership ---

    def test_object_writer_owns_and_bucket_owner_is_denied(self):
        b = self.acl_bucket("acl-writer-owns")
        self.one.put_bucket_acl(Bucket=b, GrantWrite='id="%s"' % self.id2, GrantFullControl='id="%s"' % self.id1)
        self.two.put_object(Bucket=b, Key="theirs", Body=b"2")
        acl = self.two.get_object_acl(Bucket=b, Key="theirs")
        self.assertEqual(acl["Owner"]["ID"], self.id2)
        self.assertEqual(grants_of(acl), [(self.id2, "FULL_CONTROL")])
        # The bucket owner does not own it, so may not read it (AWS's classic ObjectWriter surprise)...
        self.fails(self.one.get_object, "AccessDenied", 403, Bucket=b, Key="theirs")
        # ... until the writer grants it.
        self.two.put_object_acl(Bucket=b, Key="theirs", ACL="bucket-owner-read")
        self.assertEqual(self.one.get_object(Bucket=b, Key="theirs")["Body"].read(), b"2")
        # The bucket owner may still delete it (bucket WRITE).
        self.one.delete_object(Bucket=b, Key="theirs")

    def test_bucket_owner_preferred_with_full_control(self):
        b = self.acl_bucket("acl-preferred", ownership="BucketOwnerPreferred")
        self.one.put_bucket_acl(Bucket=b, GrantWrite='id="%s"' % self.id2, GrantFullControl='id="%s"' % self.id1)
        self.two.put_object(Bucket=b, Key="given", Body=b"g", ACL="bucket-owner-full-control")
        self.assertEqual(self.one.get_object_acl(Bucket=b, Key="given")["Owner"]["ID"], self.id1)
        self.assertEqual(self.one.get_object(Bucket=b, Key="given")["Body"].read(), b"g")
        self.two.put_object(Bucket=b, Key="kept", Body=b"k")
        self.assertEqual(self.two.get_object_acl(Bucket=b, Key="kept")["Owner"]["ID"], self.id2)

    # --- Authorization ---

    def test_cross_account_read_by_acl_and_identity_policy(self):
        b = self.acl_bucket("acl-cross-read")
        self.one.put_object(Bucket=b, Key="doc", Body=b"d")
        self.fails(self.two.get_object, "AccessDenied", 403, Bucket=b, Key="doc")
        self.fails(self.two.list_objects_v2, "AccessDenied", 403, Bucket=b)
        self.one.put_object_acl(Bucket=b, Key="doc", GrantRead='id="%s"' % self.id2,
                                GrantFullControl='id="%s"' % self.id1)
        self.assertEqual(self.two.get_object(Bucket=b, Key="doc")["Body"].read(), b"d")
        # Account 2's users need their own identity policy too.
        self.assertEqual(self.user2.get_object(Bucket=b, Key="doc")["Body"].read(), b"d")
        self.fails(self.nobody2.get_object, "AccessDenied", 403, Bucket=b, Key="doc")
        # An object READ grant gives neither the listing nor the ACL.
        self.fails(self.two.list_objects_v2, "AccessDenied", 403, Bucket=b)
        self.fails(self.two.get_object_acl, "AccessDenied", 403, Bucket=b, Key="doc")
        self.one.put_bucket_acl(Bucket=b, GrantRead='id="%s"' % self.id2, GrantFullControl='id="%s"' % self.id1)
        self.assertEqual([o["Key"] for o in self.two.list_objects_v2(Bucket=b)["Contents"]], ["doc"])

    def test_explicit_deny_in_bucket_policy_beats_acl(self):
        b = self.acl_bucket("acl-deny-wins")
        self.one.put_object(Bucket=b, Key="doc", Body=b"d", GrantRead='id="%s"' % self.id2)
        self.assertEqual(self.two.get_object(Bucket=b, Key="doc")["Body"].read(), b"d")
        self.one.put_bucket_policy(Bucket=b, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Deny", "Principal": {"AWS": ACCOUNT2}, "Action": "s3:GetObject",
             "Resource": "arn:aws:s3:::%s/*" % b}]}))
        self.fails(self.two.get_object, "AccessDenied", 403, Bucket=b, Key="doc")

    def test_policy_allow_suffices_without_acl(self):
        b = self.acl_bucket("acl-policy-allows")
        self.one.put_object(Bucket=b, Key="doc", Body=b"d")
        self.one.put_bucket_policy(Bucket=b, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": ACCOUNT2}, "Action": "s3:GetObject",
             "Resource": "arn:aws:s3:::%s/*" % b}]}))
        self.assertEqual(self.two.get_object(Bucket=b, Key="doc")["Body"].read(), b"d")

    def test_bucket_write_grant_lets_another_account_put(self):
        b = self.acl_bucket("acl-bucket-write")
        self.fails(self.two.put_object, "AccessDenied", 403, Bucket=b, Key="w", Body=b"w")
        self.one.put_bucket_acl(Bucket=b, GrantWrite='id="%s"' % self.id2, GrantFullControl='id="%s"' % self.id1)
        self.two.put_object(Bucket=b, Key="w", Body=b"w")
        self.fails(self.two.put_bucket_acl, "AccessDenied", 403, Bucket=b, ACL="private")
        self.one.put_bucket_acl(Bucket=b, GrantWriteACP='id="%s"' % self.id2, GrantFullControl='id="%s"' % self.id1)
        self.two.get_object_acl(Bucket=b, Key="w")  # its own object
        self.fails(self.two.get_bucket_acl, "AccessDenied", 403, Bucket=b)
        self.two.put_bucket_acl(Bucket=b, GrantFullControl='id="%s"' % self.id1)

    def test_anonymous_read_through_public_read_acl(self):
        b = self.acl_bucket("acl-anon")
        self.one.put_object(Bucket=b, Key="open", Body=b"o", ACL="public-read")
        self.one.put_object(Bucket=b, Key="closed", Body=b"c")
        self.assertEqual(self.anon.get_object(Bucket=b, Key="open")["Body"].read(), b"o")
        status, _, body = self.server.get("/%s/open" % b)
        self.assertEqual((status, body), (200, b"o"))
        self.fails(self.anon.get_object, "AccessDenied", 403, Bucket=b, Key="closed")
        self.fails(self.anon.list_objects_v2, "AccessDenied", 403, Bucket=b)
        self.fails(self.anon.put_object, "AccessDenied", 403, Bucket=b, Key="new", Body=b"n")
        self.one.put_bucket_acl(Bucket=b, ACL="public-read-write")
        self.assertEqual(len(self.anon.list_objects_v2(Bucket=b)["Contents"]), 2)
        self.anon.put_object(Bucket=b, Key="new", Body=b"n")
        # IgnorePublicAcls: public grants stop counting at once.
        self.one.put_public_access_block(Bucket=b, PublicAccessBlockConfiguration=dict(
            OPEN_PAB, IgnorePublicAcls=True))
        self.fails(self.anon.get_object, "AccessDenied", 403, Bucket=b, Key="open")
        self.fails(self.anon.list_objects_v2, "AccessDenied", 403, Bucket=b)
        # The stored ACL is unchanged and counts again once allowed.
        self.one.put_public_access_block(Bucket=b, PublicAccessBlockConfiguration=OPEN_PAB)
        self.assertEqual(self.anon.get_object(Bucket=b, Key="open")["Body"].read(), b"o")

    def test_authenticated_users_grant(self):
        b = self.acl_bucket("acl-authenticated")
        self.one.put_object(Bucket=b, Key="auth", Body=b"a", ACL="authenticated-read")
        self.assertEqual(self.two.get_object(Bucket=b, Key="auth")["Body"].read(), b"a")
        self.fails(self.anon.get_object, "AccessDenied", 403, Bucket=b, Key="auth")

    # --- Block Public Access ---

    def test_block_public_acls_refuses_public_acls(self):
        b = self.acl_bucket("acl-blocked", open_pab=False)  # new buckets block public access
        self.one.put_object(Bucket=b, Key="k", Body=b"x")
        self.fails(self.one.put_bucket_acl, "AccessDenied", 403, Bucket=b, ACL="public-read")
        self.fails(self.one.put_object_acl, "AccessDenied", 403, Bucket=b, Key="k", ACL="authenticated-read")
        self.fails(self.one.put_object, "AccessDenied", 403, Bucket=b, Key="p", Body=b"x",
                   GrantRead='uri="%s"' % ALL_USERS)
        self.fails(self.one.head_object, "404", 404, Bucket=b, Key="p")
        # Non-public ACLs pass.
        self.one.put_bucket_acl(Bucket=b, ACL="log-delivery-write")
        self.one.put_object_acl(Bucket=b, Key="k", GrantRead='id="%s"' % self.id2)
        self.assertEqual(grants_of(self.one.get_object_acl(Bucket=b, Key="k")), [(self.id2, "READ")])

    def test_create_bucket_with_acls(self):
        self.one.create_bucket(Bucket="acl-create-granted", ObjectOwnership="ObjectWriter",
                               GrantRead='id="%s"' % self.id2, GrantFullControl='id="%s"' % self.id1)
        self.assertEqual(grants_of(self.one.get_bucket_acl(Bucket="acl-create-granted")),
                         sorted([(self.id1, "FULL_CONTROL"), (self.id2, "READ")]))
        self.assertEqual(self.two.list_objects_v2(Bucket="acl-create-granted")["KeyCount"], 0)
        err = self.fails(self.one.create_bucket, "InvalidBucketAclWithBlockPublicAccessError", 400,
                         Bucket="acl-create-public", ObjectOwnership="ObjectWriter", ACL="public-read")
        self.assertEqual(err["Message"], "Bucket cannot have public ACLs set with BlockPublicAccess enabled")
        self.fails(self.one.head_bucket, "404", 404, Bucket="acl-create-public")
        self.fails(self.one.create_bucket, "InvalidBucketAclWithObjectOwnership", 400,
                   Bucket="acl-create-enforced", ACL="authenticated-read")

    # --- BucketOwnerEnforced ---

    def test_bucket_owner_enforced_refuses_acls(self):
        b = "acl-enforced"
        self.one.create_bucket(Bucket=b)
        self.one.put_public_access_block(Bucket=b, PublicAccessBlockConfiguration=OPEN_PAB)
        self.one.put_object(Bucket=b, Key="k", Body=b"x", ACL="bucket-owner-full-control")
        self.one.put_object(Bucket=b, Key="k", Body=b"x", ACL="private")
        self.one.put_object_acl(Bucket=b, Key="k", ACL="private")
        self.one.put_bucket_acl(Bucket=b, ACL="private")
        for fn, kw in [(self.one.put_object, {"Key": "k", "Body": b"x", "ACL": "public-read"}),
                       (self.one.put_object, {"Key": "k", "Body": b"x", "GrantRead": 'id="%s"' % self.id2}),
                       (self.one.put_object_acl, {"Key": "k", "ACL": "authenticated-read"}),
                       (self.one.put_bucket_acl, {"GrantRead": 'id="%s"' % self.id2}),
                       (self.one.copy_object, {"Key": "c", "CopySource": {"Bucket": b, "Key": "k"},
                                               "ACL": "public-read"}),
                       (self.one.create_multipart_upload, {"Key": "m", "ACL": "public-read-write"})]:
            err = self.fails(fn, "AccessControlListNotSupported", 400, Bucket=b, **kw)
            self.assertEqual(err["Message"], "The bucket does not allow ACLs")
        self.assertEqual(grants_of(self.one.get_bucket_acl(Bucket=b)), [(self.id1, "FULL_CONTROL")])
        self.assertEqual(grants_of(self.one.get_object_acl(Bucket=b, Key="k")), [(self.id1, "FULL_CONTROL")])

    def test_enforcing_ownership_needs_an_owner_only_bucket_acl(self):
        b = self.acl_bucket("acl-enforce-refused")
        self.one.put_bucket_acl(Bucket=b, ACL="public-read")
        enforced = {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
        self.fails(self.one.put_bucket_ownership_controls, "InvalidBucketAclWithObjectOwnership", 400, Bucket=b,
                   OwnershipControls=enforced)
        self.assertEqual(self.one.get_bucket_ownership_controls(Bucket=b)["OwnershipControls"]["Rules"][0][
            "ObjectOwnership"], "ObjectWriter")
        self.one.put_bucket_acl(Bucket=b, ACL="private")
        self.one.put_bucket_ownership_controls(Bucket=b, OwnershipControls=enforced)

    def test_enforcing_ownership_disables_stored_acls(self):
        b = self.acl_bucket("acl-then-enforced")
        self.one.put_object(Bucket=b, Key="open", Body=b"o", ACL="public-read")
        self.assertEqual(self.anon.get_object(Bucket=b, Key="open")["Body"].read(), b"o")
        self.one.put_bucket_ownership_controls(Bucket=b, OwnershipControls={
            "Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})
        self.fails(self.anon.get_object, "AccessDenied", 403, Bucket=b, Key="open")
        self.assertEqual(grants_of(self.one.get_object_acl(Bucket=b, Key="open")), [(self.id1, "FULL_CONTROL")])


if __name__ == "__main__":
    unittest.main()
