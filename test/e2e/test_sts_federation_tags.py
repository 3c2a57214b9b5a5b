"""STS GetFederationToken and AssumeRole session tags, end to end through boto3
(issue 12; texts recorded against AWS unless a comment says otherwise)."""

import datetime
import json
import unittest

import botocore.exceptions

from crosskey import ACCOUNT1, Server, error_of


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action, resource="*"):
    return {"Effect": "Allow", "Action": action, "Resource": resource}


def trust(account, actions=("sts:AssumeRole", "sts:TagSession")):
    return policy({"Effect": "Allow", "Principal": {"AWS": account}, "Action": list(actions)})


class StsFederationAndTagsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server().start()
        cls.iam = cls.server.client("iam", account=ACCOUNT1)
        cls.admin = cls.user("fed-admin", policy(allow("*")))

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()

    @classmethod
    def user(cls, name, document=None):
        cls.iam.create_user(UserName=name)
        if document:
            cls.iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=document)
        key = cls.iam.create_access_key(UserName=name)["AccessKey"]
        return key["AccessKeyId"], key["SecretAccessKey"]

    def client(self, service, key, token=None, **config):
        return self.server.client(service, account=key[0], secret=key[1], token=token, **config)

    def session(self, service, creds):
        return self.server.client(service, account=creds["AccessKeyId"], secret=creds["SecretAccessKey"],
                                  token=creds["SessionToken"])

    def error(self, fn, *args, **kw):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            fn(*args, **kw)
        return error_of(cm.exception)

    # --- GetFederationToken ----------------------------------------------------
    def test_federation_token_identity(self):
        out = self.client("sts", self.admin).get_federation_token(Name="Bob", DurationSeconds=900)
        self.assertEqual(out["FederatedUser"], {"Arn": "arn:aws:sts::111111111111:federated-user/Bob",
                                                "FederatedUserId": "111111111111:Bob"})
        self.assertEqual(out["PackedPolicySize"], 0)  # recorded: 0 without session policies
        c = out["Credentials"]
        self.assertTrue(c["AccessKeyId"].startswith("ASIA"))
        left = c["Expiration"] - datetime.datetime.now(datetime.timezone.utc)
        self.assertTrue(datetime.timedelta(seconds=800) < left <= datetime.timedelta(seconds=900), left)
        ident = self.session("sts", c).get_caller_identity()
        self.assertEqual((ident["Account"], ident["Arn"], ident["UserId"]),
                         (ACCOUNT1, "arn:aws:sts::111111111111:federated-user/Bob", "111111111111:Bob"))
        # Default duration: 12 hours.
        default = self.client("sts", self.admin).get_federation_token(Name="Bob")["Credentials"]["Expiration"]
        left = default - datetime.datetime.now(datetime.timezone.utc)
        self.assertTrue(datetime.timedelta(hours=11, minutes=59) < left <= datetime.timedelta(hours=12), left)

    def test_federated_permissions_are_the_intersection_with_session_policies(self):
        ddb_user = self.user("fed-ddb", policy(allow("sts:GetFederationToken"), allow("dynamodb:ListTables")))
        sts = self.client("sts", ddb_user)
        # No session policy: no permissions at all.
        bare = sts.get_federation_token(Name="bare")["Credentials"]
        self.assertEqual(self.error(self.session("dynamodb", bare).list_tables)[0], "AccessDeniedException")
        # A session policy allowing it (and the user allowing it): allowed.
        ok = sts.get_federation_token(Name="ok", Policy=policy(allow("dynamodb:*")))
        self.assertGreater(ok["PackedPolicySize"], 0)
        self.assertIn("TableNames", self.session("dynamodb", ok["Credentials"]).list_tables())
        # The session policy allows what the user may not: still refused.
        narrow = sts.get_federation_token(Name="narrow", Policy=policy(allow("kms:*")))["Credentials"]
        self.assertEqual(self.error(self.session("kms", narrow).list_keys)[0], "AccessDeniedException")
        # Managed policies as session policies.
        managed = sts.get_federation_token(
            Name="managed", PolicyArns=[{"arn": "arn:aws:iam::aws:policy/AdministratorAccess"}])["Credentials"]
        self.assertIn("TableNames", self.session("dynamodb", managed).list_tables())

    def test_federation_token_refusals(self):
        plain = self.user("fed-none", policy(allow("dynamodb:ListTables")))
        code, message, status = self.error(self.client("sts", plain).get_federation_token, Name="Carol")
        self.assertEqual((code, status), ("AccessDenied", 403))
        self.assertEqual(message, "User: arn:aws:iam::111111111111:user/fed-none is not authorized to perform: "
                                  "sts:GetFederationToken on resource: arn:aws:sts::111111111111:federated-user/Carol")
        sts = self.client("sts", self.admin)
        raw = self.client("sts", self.admin, parameter_validation=False)  # what botocore would refuse itself
        code, message, _ = self.error(raw.get_federation_token, Name="Bob", DurationSeconds=899)
        self.assertEqual((code, message), ("ValidationError", "1 validation error detected: Value '899' at "
                                           "'durationSeconds' failed to satisfy constraint: Member must have value "
                                           "greater than or equal to 900"))
        code, message, _ = self.error(raw.get_federation_token, Name="Bob", DurationSeconds=129601)
        self.assertIn("Member must have value less than or equal to 129600", message)
        code, message, _ = self.error(sts.get_federation_token, Name="Bob Smith")
        self.assertEqual((code, message), ("ValidationError", "1 validation error detected: Value 'Bob Smith' at "
                                           "'name' failed to satisfy constraint: Member must satisfy regular "
                                           "expression pattern: [\\w+=,.@-]*"))
        self.assertEqual(self.error(sts.get_federation_token, Name="Bob", Policy="{not json")[0],
                         "MalformedPolicyDocument")
        code, message, _ = self.error(sts.get_federation_token, Name="Bob",
                                      Tags=[{"Key": "team", "Value": "a"}, {"Key": "Team", "Value": "b"}])
        self.assertEqual((code, message), ("InvalidParameterValue",
                                           "Duplicate tag keys found. Please note that Tag keys are case insensitive."))
        # Session credentials cannot federate (text INFERRED from GetSessionToken's), and a
        # federated user may call no STS operation but GetCallerIdentity.
        temp = sts.get_session_token()["Credentials"]
        code, message, _ = self.error(self.session("sts", temp).get_federation_token, Name="Bob")
        self.assertEqual((code, message), ("AccessDenied", "Cannot call GetFederationToken with session credentials"))
        fed = sts.get_federation_token(Name="Bob", Policy=policy(allow("*")))["Credentials"]
        self.assertEqual(self.error(self.session("sts", fed).get_session_token)[0], "AccessDenied")
        self.assertEqual(self.error(self.session("sts", fed).assume_role, RoleArn="arn:aws:iam::111111111111:role/x",
                                    RoleSessionName="sess")[0], "AccessDenied")

    def test_root_federation_is_capped_at_one_hour(self):
        out = self.server.client("sts", account=ACCOUNT1).get_federation_token(Name="RootFed", DurationSeconds=7200)
        left = out["Credentials"]["Expiration"] - datetime.datetime.now(datetime.timezone.utc)
        self.assertLessEqual(left, datetime.timedelta(seconds=3600))

    # --- AssumeRole session tags --------------------------------------------------
    def role(self, name, trust_document):
        return self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust_document)["Role"]["Arn"]

    def test_session_tag_validation(self):
        arn = self.role("tags-1", trust(ACCOUNT1))
        sts = self.client("sts", self.admin)
        code, message, status = self.error(sts.assume_role, RoleArn=arn, RoleSessionName="sess",
                                           Tags=[{"Key": "SessionTag1", "Value": "v"}], TransitiveTagKeys=["Other"])
        self.assertEqual((code, message, status), ("InvalidParameterValue", "The specified transitive tag key must be "
                                                   "included in the requested tags.", 400))
        # Keys compare without regard to case.
        sts.assume_role(RoleArn=arn, RoleSessionName="sess", Tags=[{"Key": "SessionTag1", "Value": "v"}],
                        TransitiveTagKeys=["sessiontag1"])
        code, message, _ = self.error(sts.assume_role, RoleArn=arn, RoleSessionName="sess",
                                      Tags=[{"Key": "SessionTag1", "Value": "v"}, {"Key": "sessiontag1", "Value": "w"}])
        self.assertEqual((code, message), ("InvalidParameterValue",
                                           "Duplicate tag keys found. Please note that Tag keys are case insensitive."))
        # Counts and sizes are the model's (50 tags, keys of 128, values of 256).
        raw = self.client("sts", self.admin, parameter_validation=False)  # what botocore would refuse itself
        code, message, _ = self.error(raw.assume_role, RoleArn=arn, RoleSessionName="sess",
                                      Tags=[{"Key": "k%d" % i, "Value": "v"} for i in range(51)])
        self.assertEqual(code, "ValidationError")
        self.assertIn("at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50", message)
        code, message, _ = self.error(raw.assume_role, RoleArn=arn, RoleSessionName="sess",
                                      Tags=[{"Key": "k" * 129, "Value": "v"}])
        self.assertEqual(code, "ValidationError")
        self.assertIn("at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or "
                      "equal to 128", message)

    def test_tag_session_permission(self):
        arn = self.role("tags-untrusted", trust(ACCOUNT1, actions=("sts:AssumeRole",)))
        sts = self.client("sts", self.admin)
        sts.assume_role(RoleArn=arn, RoleSessionName="plain")  # no tags: fine
        code, message, status = self.error(sts.assume_role, RoleArn=arn, RoleSessionName="sess",
                                           Tags=[{"Key": "k", "Value": "v"}])
        self.assertEqual((code, status), ("AccessDenied", 403))
        self.assertEqual(message, "User: arn:aws:iam::111111111111:user/fed-admin is not authorized to perform: "
                                  "sts:TagSession on resource: " + arn)

    def test_transitive_tags_pass_on_and_cannot_be_overridden(self):
        role1 = self.role("chain-1", trust(ACCOUNT1))
        role2 = self.role("chain-2", trust(ACCOUNT1))
        role3 = self.role("chain-3", trust(ACCOUNT1))
        for name in ("chain-1", "chain-2"):
            self.iam.put_role_policy(RoleName=name, PolicyName="next", PolicyDocument=policy(
                allow(["sts:AssumeRole", "sts:TagSession"])))
        s1 = self.client("sts", self.admin).assume_role(
            RoleArn=role1, RoleSessionName="s1", Tags=[{"Key": "Project", "Value": "a"}],
            TransitiveTagKeys=["Project"])["Credentials"]
        conflict = "One of the specified transitive tag keys can't be set because it conflicts with a transitive " \
                   "tag key from the calling session."
        for key in ("Project", "PROJECT"):
            code, message, _ = self.error(self.session("sts", s1).assume_role, RoleArn=role2, RoleSessionName="s2",
                                          Tags=[{"Key": key, "Value": "b"}])
            self.assertEqual((code, message), ("InvalidParameterValue", conflict))
        # Other tags are fine, and the transitive one passes on to the next session ...
        s2 = self.session("sts", s1).assume_role(RoleArn=role2, RoleSessionName="s2",
                                                  Tags=[{"Key": "Other", "Value": "b"}])["Credentials"]
        # ... where it still cannot be set.
        code, message, _ = self.error(self.session("sts", s2).assume_role, RoleArn=role3, RoleSessionName="s3",
                                      Tags=[{"Key": "project", "Value": "c"}])
        self.assertEqual((code, message), ("InvalidParameterValue", conflict))
        # A non-transitive tag of the calling session does not pass on.
        self.session("sts", s2).assume_role(RoleArn=role3, RoleSessionName="s3", Tags=[{"Key": "Other", "Value": "c"}])


if __name__ == "__main__":
    unittest.main()
