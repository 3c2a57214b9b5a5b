"""IAM end to end through boto3: service-linked roles, permissions boundaries,
groups and service-specific credentials. The AWS recordings replayed by
test/aws-recorded/iam.json pin the answers AWS gave; these tests pin what the
recordings do not: protected roles, boundaries taking effect, and the
credential bookkeeping."""

import json
import unittest

import botocore.exceptions

from crosskey import ACCOUNT1, Server, error_of


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


class IamRolesAndCredentialsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server().start()
        cls.iam = cls.server.client("iam", account=ACCOUNT1)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.cleanup()

    def error(self, fn, **kw):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            fn(**kw)
        return error_of(cm.exception)

    # --- service-linked roles ----------------------------------------------------
    def test_service_linked_role_lifecycle_and_protection(self):
        role = self.iam.create_service_linked_role(AWSServiceName="ecs.amazonaws.com")["Role"]
        self.assertEqual(role["RoleName"], "AWSServiceRoleForECS")
        self.assertEqual(role["Path"], "/aws-service-role/ecs.amazonaws.com/")
        self.assertEqual(role["Arn"],
                         "arn:aws:iam::%s:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS" % ACCOUNT1)
        self.assertEqual(role["AssumeRolePolicyDocument"]["Statement"],
                         [{"Effect": "Allow", "Principal": {"Service": "ecs.amazonaws.com"}, "Action": "sts:AssumeRole"}])
        attached = self.iam.list_attached_role_policies(RoleName="AWSServiceRoleForECS")["AttachedPolicies"]
        self.assertEqual(attached, [{"PolicyName": "AmazonECSServiceRolePolicy",
                                     "PolicyArn": "arn:aws:iam::aws:policy/aws-service-role/AmazonECSServiceRolePolicy"}])
        # Only AWS may change it.
        protected = ("UnmodifiableEntity", "Cannot perform the operation on the protected role 'AWSServiceRoleForECS' "
                     "- this role is only modifiable by AWS", 400)
        self.assertEqual(self.error(self.iam.delete_role, RoleName="AWSServiceRoleForECS"), protected)
        self.assertEqual(self.error(self.iam.detach_role_policy, RoleName="AWSServiceRoleForECS",
                                    PolicyArn=attached[0]["PolicyArn"]), protected)
        self.assertEqual(self.error(self.iam.put_role_policy, RoleName="AWSServiceRoleForECS", PolicyName="p",
                                    PolicyDocument=doc({"Effect": "Allow", "Action": "s3:*", "Resource": "*"})),
                         protected)
        self.assertEqual(self.error(self.iam.update_assume_role_policy, RoleName="AWSServiceRoleForECS",
                                    PolicyDocument=json.dumps(role["AssumeRolePolicyDocument"])), protected)
        # Taken name (recorded text), then deletion through the service-linked-role call.
        self.assertEqual(self.error(self.iam.create_service_linked_role, AWSServiceName="ecs.amazonaws.com"),
                         ("InvalidInput", "Service role name AWSServiceRoleForECS has been taken in this account, "
                          "please try a different suffix.", 400))
        task = self.iam.delete_service_linked_role(RoleName="AWSServiceRoleForECS")["DeletionTaskId"]
        self.assertRegex(task, r"^task/aws-service-role/ecs\.amazonaws\.com/AWSServiceRoleForECS/[0-9a-f-]{36}$")
        self.assertEqual(self.iam.get_service_linked_role_deletion_status(DeletionTaskId=task)["Status"], "SUCCEEDED")
        self.assertEqual(self.error(self.iam.get_role, RoleName="AWSServiceRoleForECS")[0], "NoSuchEntity")
        self.assertEqual(self.error(self.iam.get_service_linked_role_deletion_status,
                                    DeletionTaskId=task + "x")[0], "NoSuchEntity")

    def test_service_linked_role_suffixes_and_unknown_services(self):
        role = self.iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com",
                                                   CustomSuffix="blue", Description="mine")["Role"]
        self.assertEqual((role["RoleName"], role["Description"]), ("AWSServiceRoleForAutoScaling_blue", "mine"))
        self.assertEqual(self.error(self.iam.create_service_linked_role, AWSServiceName="ecs.amazonaws.com",
                                    CustomSuffix="blue"),
                         ("InvalidInput", "Custom suffix is not allowed for ecs.amazonaws.com", 400))
        code, _, status = self.error(self.iam.create_service_linked_role, AWSServiceName="nothing.amazonaws.com")
        self.assertEqual((code, status), ("InvalidInput", 400))
        # A role that is not service-linked cannot go through DeleteServiceLinkedRole.
        self.iam.create_role(RoleName="plain", AssumeRolePolicyDocument=doc(
            {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}))
        self.assertEqual(self.error(self.iam.delete_service_linked_role, RoleName="plain")[0], "NoSuchEntity")
        # GetRole always has RoleLastUsed; ListRoles shows neither it nor tags.
        self.iam.tag_role(RoleName="plain", Tags=[{"Key": "k", "Value": "v"}])
        self.assertEqual(self.iam.get_role(RoleName="plain")["Role"]["RoleLastUsed"], {})
        listed = [r for r in self.iam.list_roles()["Roles"] if r["RoleName"] == "plain"][0]
        self.assertNotIn("Tags", listed)
        self.assertNotIn("RoleLastUsed", listed)

    # --- permissions boundaries ----------------------------------------------------
    def test_permissions_boundary_limits_what_policies_allow(self):
        s3_only = self.iam.create_policy(PolicyName="s3-only", PolicyDocument=doc(
            {"Effect": "Allow", "Action": ["s3:*", "iam:Get*"], "Resource": "*"}))["Policy"]["Arn"]
        self.iam.create_user(UserName="bounded")
        self.iam.put_user_policy(UserName="bounded", PolicyName="admin",
                                 PolicyDocument=doc({"Effect": "Allow", "Action": "*", "Resource": "*"}))
        key = self.iam.create_access_key(UserName="bounded")["AccessKey"]
        me = self.server.client("iam", account=key["AccessKeyId"], secret=key["SecretAccessKey"])
        me.list_roles()  # admin, no boundary yet
        self.iam.put_user_permissions_boundary(UserName="bounded", PermissionsBoundary=s3_only)
        user = self.iam.get_user(UserName="bounded")["User"]
        self.assertEqual(user["PermissionsBoundary"], {"PermissionsBoundaryType": "PermissionsBoundaryPolicy",
                                                       "PermissionsBoundaryArn": s3_only})
        listed = [u for u in self.iam.list_users()["Users"] if u["UserName"] == "bounded"][0]
        self.assertNotIn("PermissionsBoundary", listed)
        self.assertEqual(self.iam.get_policy(PolicyArn=s3_only)["Policy"]["PermissionsBoundaryUsageCount"], 1)
        code, message, status = self.error(me.list_roles)
        self.assertEqual((code, status), ("AccessDenied", 403))
        self.assertIn("because no permissions boundary allows the iam:ListRoles action", message)
        self.assertEqual(me.get_user(UserName="bounded")["User"]["UserName"], "bounded")  # both allow it
        # A policy in use as a boundary cannot be deleted.
        self.assertEqual(self.error(self.iam.delete_policy, PolicyArn=s3_only)[0], "DeleteConflict")
        self.iam.delete_user_permissions_boundary(UserName="bounded")
        self.assertNotIn("PermissionsBoundary", self.iam.get_user(UserName="bounded")["User"])
        self.assertEqual(self.iam.get_policy(PolicyArn=s3_only)["Policy"]["PermissionsBoundaryUsageCount"], 0)
        me.list_roles()
        # Roles: at creation, and by PutRolePermissionsBoundary.
        trust = doc({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"})
        role = self.iam.create_role(RoleName="bounded-role", AssumeRolePolicyDocument=trust,
                                    PermissionsBoundary=s3_only)["Role"]
        self.assertEqual(role["PermissionsBoundary"]["PermissionsBoundaryArn"], s3_only)
        self.iam.delete_role_permissions_boundary(RoleName="bounded-role")
        self.assertNotIn("PermissionsBoundary", self.iam.get_role(RoleName="bounded-role")["Role"])
        self.assertEqual(self.error(self.iam.put_role_permissions_boundary, RoleName="bounded-role",
                                    PermissionsBoundary="arn:aws:iam::%s:policy/none" % ACCOUNT1)[0], "NoSuchEntity")
        self.iam.delete_policy(PolicyArn=s3_only)

    # --- groups ------------------------------------------------------------------------
    def test_group_policies_apply_to_members(self):
        g = self.iam.create_group(GroupName="readers", Path="/team/")["Group"]
        self.assertEqual(g["Arn"], "arn:aws:iam::%s:group/team/readers" % ACCOUNT1)
        self.assertTrue(g["GroupId"].startswith("AGPA"))
        self.assertEqual(self.error(self.iam.create_group, GroupName="readers")[0], "EntityAlreadyExists")
        self.iam.put_group_policy(GroupName="readers", PolicyName="list",
                                  PolicyDocument=doc({"Effect": "Allow", "Action": "iam:ListRoles", "Resource": "*"}))
        self.iam.attach_group_policy(GroupName="readers", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
        self.assertEqual(self.iam.list_group_policies(GroupName="readers")["PolicyNames"], ["list"])
        self.assertEqual([a["PolicyName"] for a in
                          self.iam.list_attached_group_policies(GroupName="readers")["AttachedPolicies"]],
                         ["ReadOnlyAccess"])
        self.iam.create_user(UserName="member")
        key = self.iam.create_access_key(UserName="member")["AccessKey"]
        me = self.server.client("iam", account=key["AccessKeyId"], secret=key["SecretAccessKey"])
        self.assertEqual(self.error(me.list_roles)[0], "AccessDenied")
        self.iam.add_user_to_group(GroupName="readers", UserName="member")
        me.list_roles()  # the group's inline policy
        me.list_users()  # the group's managed policy (ReadOnlyAccess)
        self.assertEqual([u["UserName"] for u in self.iam.get_group(GroupName="readers")["Users"]], ["member"])
        self.assertEqual([x["GroupName"] for x in self.iam.list_groups_for_user(UserName="member")["Groups"]],
                         ["readers"])
        self.assertIn("readers", [x["GroupName"] for x in self.iam.list_groups(PathPrefix="/team/")["Groups"]])
        self.assertEqual(self.error(self.iam.delete_group, GroupName="readers"),
                         ("DeleteConflict", "Cannot delete entity, must remove users from group first.", 409))
        self.iam.delete_access_key(UserName="member", AccessKeyId=key["AccessKeyId"])
        self.assertEqual(self.error(self.iam.delete_user, UserName="member"),
                         ("DeleteConflict", "Cannot delete entity, must remove user from all groups first.", 409))
        key = self.iam.create_access_key(UserName="member")["AccessKey"]
        me = self.server.client("iam", account=key["AccessKeyId"], secret=key["SecretAccessKey"])
        self.iam.remove_user_from_group(GroupName="readers", UserName="member")
        self.assertEqual(self.error(me.list_roles)[0], "AccessDenied")  # gone with the membership
        self.assertEqual(self.iam.get_group(GroupName="readers")["Users"], [])
        self.iam.delete_group_policy(GroupName="readers", PolicyName="list")
        self.iam.detach_group_policy(GroupName="readers", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
        self.iam.delete_group(GroupName="readers")
        self.assertEqual(self.error(self.iam.get_group, GroupName="readers"),
                         ("NoSuchEntity", "The group with name readers cannot be found.", 404))

    # --- service-specific credentials ---------------------------------------------
    def test_service_specific_credentials(self):
        self.iam.create_user(UserName="git")
        cred = self.iam.create_service_specific_credential(UserName="git", ServiceName="codecommit.amazonaws.com")[
            "ServiceSpecificCredential"]
        self.assertEqual(cred["ServiceUserName"], "git-at-%s" % ACCOUNT1)
        self.assertEqual((cred["Status"], len(cred["ServicePassword"])), ("Active", 44))
        cid = cred["ServiceSpecificCredentialId"]
        listed = self.iam.list_service_specific_credentials(UserName="git")["ServiceSpecificCredentials"]
        self.assertEqual([c["ServiceSpecificCredentialId"] for c in listed], [cid])
        self.assertNotIn("ServicePassword", listed[0])
        reset = self.iam.reset_service_specific_credential(UserName="git", ServiceSpecificCredentialId=cid)
        self.assertNotEqual(reset["ServiceSpecificCredential"]["ServicePassword"], cred["ServicePassword"])
        self.assertEqual(self.error(self.iam.delete_user, UserName="git"),
                         ("DeleteConflict", "Cannot delete entity, must remove referenced objects first.", 409))
        self.iam.delete_service_specific_credential(UserName="git", ServiceSpecificCredentialId=cid)
        self.assertEqual(self.iam.list_service_specific_credentials(UserName="git")["ServiceSpecificCredentials"], [])
        self.iam.delete_user(UserName="git")


if __name__ == "__main__":
    unittest.main()
