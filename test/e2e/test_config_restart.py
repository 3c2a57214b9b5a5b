"""The config file: validated as the APIs validate, and applied at every
start as a baseline (README "Restarts and API changes").

A restart resets what the config declares (its access keys, users' and
roles' existence and paths, trust policies, session durations, the inline
policies it names), keeps what the config does not mention (inline policies
added through the API, attachments, tags, API-made access keys), and
withdraws the inline policies and access keys an earlier config applied and
the current one no longer declares. Every such change is logged."""

import json
import subprocess
import unittest

from crosskey import ACCOUNT1, Server

ALLOW_ALL = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'
ALLOW_S3 = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}'
TRUST_1 = ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},'
           '"Action":"sts:AssumeRole"}]}')
TRUST_2 = TRUST_1.replace("111111111111", "222222222222")


def config(user_policies=(("base", ALLOW_ALL),), user_key=True):
    policies = ", ".join("{ name = \"%s\", document = '%s' }" % p for p in user_policies)
    key = 'access_key_id = "AKIACONFIGALICE00001"\nsecret_access_key = "alice-secret"\n' if user_key else ""
    return """
[[users]]
account = "111111111111"
name = "alice"
%spolicies = [%s]

[[roles]]
account = "111111111111"
name = "deployer"
trust_policy = '%s'
max_session_duration = 7200
""" % (key, policies, TRUST_1)


def refused(text):
    """(exit status, last stderr line with the config's path as CONFIG) of a start with this config."""
    server = Server(config=text)
    try:
        r = subprocess.run(server.args(), capture_output=True, text=True, timeout=20)
        last = r.stderr.strip().splitlines()[-1] if r.stderr.strip() else ""
        return r.returncode, last.replace(server.config_path, "CONFIG")
    finally:
        server.cleanup()


def refused_line(field, line, message):
    return "crosskey: CONFIG:%d: %s: %s" % (line, field, message)


class ValidationTest(unittest.TestCase):
    def test_bad_policy_documents(self):
        self.assertEqual(refused('[[users]]\naccount = "111111111111"\nname = "u"\n'
                                 "policies = [{ name = \"p\", document = 'not json' }]\n"),
                         (2, refused_line("users[0].policies[0].document", 4,
                                          "MalformedPolicyDocument: Syntax errors in policy.")))
        self.assertEqual(refused('[[roles]]\naccount = "111111111111"\nname = "r"\ntrust_policy = \'garbage\'\n'),
                         (2, refused_line("roles[0].trust_policy", 4, "MalformedPolicyDocument: Syntax errors in policy.")))

    def test_duplicate_access_key_ids(self):
        text = ('[[users]]\naccount = "111111111111"\nname = "a"\naccess_key_id = "AKIASAME000000000001"\n'
                'secret_access_key = "one"\n[[users]]\naccount = "222222222222"\nname = "b"\n'
                'access_key_id = "AKIASAME000000000001"\nsecret_access_key = "two"\n')
        self.assertEqual(refused(text), (2, refused_line(
            "users[1].access_key_id", 6, "access key id AKIASAME000000000001 is already declared by users[0] (line 1)")))

    def test_bad_bucket_names_the_field_not_s3_xml(self):
        code, line = refused('[[buckets]]\naccount = "111111111111"\nname = "Bad_Bucket"\n')
        self.assertEqual((code, line), (2, refused_line("buckets[0].name", 1,
                                                        "InvalidBucketName: The specified bucket is not valid.")))
        self.assertNotIn("<Error>", line)

    def test_key_policy_refused_by_kms_names_the_entry(self):
        policy = ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":'
                  '"arn:aws:iam::222222222222:root"},"Action":"kms:*","Resource":"*"}]}')
        code, line = refused('[[keys]]\naccount = "111111111111"\nalias = "alias/locked"\npolicy = \'%s\'\n' % policy)
        self.assertEqual((code, line), (2, refused_line(
            "keys[0]", 1, "MalformedPolicyDocumentException: The new key policy will not allow you to update the key "
            "policy in the future.")))


class RestartTest(unittest.TestCase):
    def test_config_is_a_baseline_and_api_changes_are_kept_or_reset_as_documented(self):
        first = Server(config=config(), memory=False).start()
        data_dir = first.data_dir
        try:
            iam = first.client("iam", account=ACCOUNT1)
            # API changes to config-declared entities.
            iam.put_user_policy(UserName="alice", PolicyName="added", PolicyDocument=ALLOW_S3)
            iam.put_user_policy(UserName="alice", PolicyName="base", PolicyDocument=ALLOW_S3)  # changes a declared one
            iam.attach_user_policy(UserName="alice", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
            api_key = iam.create_access_key(UserName="alice")["AccessKey"]["AccessKeyId"]
            iam.update_access_key(UserName="alice", AccessKeyId="AKIACONFIGALICE00001", Status="Inactive")
            iam.update_assume_role_policy(RoleName="deployer", PolicyDocument=TRUST_2)
            iam.put_role_policy(RoleName="deployer", PolicyName="role-added", PolicyDocument=ALLOW_S3)
            user_id = iam.get_user(UserName="alice")["User"]["UserId"]
            self.assertEqual(first.stop(), 0)

            second = Server(config=config(), data_dir=data_dir).start()
            try:
                iam = second.client("iam", account=ACCOUNT1)
                # Reset: the declared policy's document, the declared key, the trust policy.
                self.assertEqual(json.loads(json.dumps(iam.get_user_policy(UserName="alice", PolicyName="base")
                                                       ["PolicyDocument"])), json.loads(ALLOW_ALL))
                keys = {k["AccessKeyId"]: k["Status"] for k in iam.list_access_keys(UserName="alice")["AccessKeyMetadata"]}
                self.assertEqual(keys, {"AKIACONFIGALICE00001": "Active", api_key: "Active"})
                role = iam.get_role(RoleName="deployer")["Role"]
                self.assertEqual(role["AssumeRolePolicyDocument"], json.loads(TRUST_1))
                self.assertEqual(role["MaxSessionDuration"], 7200)
                # Kept: what the config does not mention.
                self.assertEqual(sorted(iam.list_user_policies(UserName="alice")["PolicyNames"]), ["added", "base"])
                self.assertEqual([p["PolicyArn"] for p in iam.list_attached_user_policies(UserName="alice")
                                  ["AttachedPolicies"]], ["arn:aws:iam::aws:policy/ReadOnlyAccess"])
                self.assertEqual(iam.list_role_policies(RoleName="deployer")["PolicyNames"], ["role-added"])
                self.assertEqual(iam.get_user(UserName="alice")["User"]["UserId"], user_id)
                # The config key works again.
                sts = second.client("sts", account="AKIACONFIGALICE00001", secret="alice-secret")
                self.assertEqual(sts.get_caller_identity()["Arn"], "arn:aws:iam::111111111111:user/alice")
                log = second.read_log()
                self.assertIn("config: user arn:aws:iam::111111111111:user/alice: inline policy 'base' reset to the "
                              "config's document", log)
                self.assertIn("config: role arn:aws:iam::111111111111:role/deployer: trust policy reset to the "
                              "config's document", log)
                self.assertIn("config: access key AKIACONFIGALICE00001 reset to the config's secret and Active", log)
                # A deleted declared user comes back at the next start.
                iam.delete_user_policy(UserName="alice", PolicyName="base")
                iam.delete_user_policy(UserName="alice", PolicyName="added")
                iam.delete_access_key(UserName="alice", AccessKeyId=api_key)
                iam.delete_access_key(UserName="alice", AccessKeyId="AKIACONFIGALICE00001")
                iam.detach_user_policy(UserName="alice", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
                iam.delete_user(UserName="alice")
            finally:
                self.assertEqual(second.stop(), 0)

            third = Server(config=config(), data_dir=data_dir).start()
            try:
                iam = third.client("iam", account=ACCOUNT1)
                self.assertEqual(iam.list_user_policies(UserName="alice")["PolicyNames"], ["base"])
                self.assertNotEqual(iam.get_user(UserName="alice")["User"]["UserId"], user_id)  # a new user
                iam.put_user_policy(UserName="alice", PolicyName="added", PolicyDocument=ALLOW_S3)
            finally:
                self.assertEqual(third.stop(), 0)

            # Without --config nothing is applied or withdrawn.
            bare = Server(data_dir=data_dir).start()
            try:
                iam = bare.client("iam", account=ACCOUNT1)
                self.assertEqual(sorted(iam.list_user_policies(UserName="alice")["PolicyNames"]), ["added", "base"])
                self.assertEqual([k["AccessKeyId"] for k in
                                  iam.list_access_keys(UserName="alice")["AccessKeyMetadata"]], ["AKIACONFIGALICE00001"])
            finally:
                self.assertEqual(bare.stop(), 0)

            # The config drops the policy "base" and the user's key: withdrawn;
            # the API's policy stays.
            fourth = Server(config=config(user_policies=(), user_key=False), data_dir=data_dir).start()
            try:
                iam = fourth.client("iam", account=ACCOUNT1)
                self.assertEqual(iam.list_user_policies(UserName="alice")["PolicyNames"], ["added"])
                self.assertEqual(iam.list_access_keys(UserName="alice")["AccessKeyMetadata"], [])
                # No longer alice's: in dev mode an unknown key is the root of 000000000000.
                who = fourth.client("sts", account="AKIACONFIGALICE00001", secret="x").get_caller_identity()
                self.assertEqual(who["Arn"], "arn:aws:iam::000000000000:root")
                log = fourth.read_log()
                self.assertIn("config: access key AKIACONFIGALICE00001 is no longer in the config: deleted", log)
                self.assertIn("config: user arn:aws:iam::111111111111:user/alice: inline policy 'base' is no longer "
                              "in the config: deleted", log)
            finally:
                self.assertEqual(fourth.stop(), 0)
        finally:
            first.cleanup()

    def test_config_key_id_taken_by_an_api_key_is_refused(self):
        first = Server(memory=False).start()
        try:
            iam = first.client("iam", account=ACCOUNT1)
            iam.create_user(UserName="bob")
            api_key = iam.create_access_key(UserName="bob")["AccessKey"]["AccessKeyId"]
            self.assertEqual(first.stop(), 0)
            clash = ('[[users]]\naccount = "111111111111"\nname = "carol"\naccess_key_id = "%s"\n'
                     'secret_access_key = "s"\n' % api_key)
            second = Server(config=clash, data_dir=first.data_dir)
            r = subprocess.run(second.args(), capture_output=True, text=True, timeout=20)
            self.assertEqual(r.returncode, 2)
            self.assertIn("%s:1: users[0].access_key_id: access key id %s already belongs to user bob of account "
                          "111111111111 (made through the API)" % (second.config_path, api_key), r.stderr)
            second.cleanup()
        finally:
            first.cleanup()


if __name__ == "__main__":
    unittest.main()
