#include "services/iam/service_linked_roles.h"

#include <algorithm>
#include <array>

#include <nlohmann/json.hpp>

namespace ck::services::iam {

namespace {

// From the AWS recordings (tests/aws/services/iam/test_iam.py::TestIAMServiceRoles,
// test_service_role_lifecycle and test_service_role_lifecycle_custom_suffix).
// Sorted by service.
constexpr ServiceLinkedRoleSpec kRoles[] = {
    {"accountdiscovery.ssm.amazonaws.com", "AWSServiceRoleForAmazonSSM_AccountDiscovery", "AWSSystemsManagerAccountDiscoveryServicePolicy", false},
    {"acm.amazonaws.com", "AWSServiceRoleForCertificateManager", "CertificateManagerServiceRolePolicy", false},
    {"appmesh.amazonaws.com", "AWSServiceRoleForAppMesh", "AWSAppMeshServiceRolePolicy", false},
    {"autoscaling-plans.amazonaws.com", "AWSServiceRoleForAutoScalingPlans_EC2AutoScaling", "AWSAutoScalingPlansEC2AutoScalingPolicy", false},
    {"autoscaling.amazonaws.com", "AWSServiceRoleForAutoScaling", "AutoScalingServiceRolePolicy", true},
    {"backup.amazonaws.com", "AWSServiceRoleForBackup", "AWSBackupServiceLinkedRolePolicyForBackup", false},
    {"batch.amazonaws.com", "AWSServiceRoleForBatch", "BatchServiceRolePolicy", false},
    {"cassandra.application-autoscaling.amazonaws.com", "AWSServiceRoleForApplicationAutoScaling_CassandraTable", "AWSApplicationAutoscalingCassandraTablePolicy", false},
    {"cks.kms.amazonaws.com", "AWSServiceRoleForKeyManagementServiceCustomKeyStores", "AWSKeyManagementServiceCustomKeyStoresServiceRolePolicy", false},
    {"cloudtrail.amazonaws.com", "AWSServiceRoleForCloudTrail", "CloudTrailServiceRolePolicy", false},
    {"codestar-notifications.amazonaws.com", "AWSServiceRoleForCodeStarNotifications", "AWSCodeStarNotificationsServiceRolePolicy", false},
    {"config.amazonaws.com", "AWSServiceRoleForConfig", "AWSConfigServiceRolePolicy", false},
    {"connect.amazonaws.com", "AWSServiceRoleForAmazonConnect", "AmazonConnectServiceLinkedRolePolicy", true},
    {"dms-fleet-advisor.amazonaws.com", "AWSServiceRoleForDMSFleetAdvisor", "AWSDMSFleetAdvisorServiceRolePolicy", false},
    {"dms.amazonaws.com", "AWSServiceRoleForDMSServerless", "AWSDMSServerlessServiceRolePolicy", false},
    {"docdb-elastic.amazonaws.com", "AWSServiceRoleForDocDB-Elastic", "AmazonDocDB-ElasticServiceRolePolicy", false},
    {"ec2-instance-connect.amazonaws.com", "AWSServiceRoleForEc2InstanceConnect", "Ec2InstanceConnectEndpoint", false},
    {"ec2.application-autoscaling.amazonaws.com", "AWSServiceRoleForApplicationAutoScaling_EC2SpotFleetRequest", "AWSApplicationAutoscalingEC2SpotFleetRequestPolicy", false},
    {"ecr.amazonaws.com", "AWSServiceRoleForECRTemplate", "ECRTemplateServiceRolePolicy", false},
    {"ecs.amazonaws.com", "AWSServiceRoleForECS", "AmazonECSServiceRolePolicy", false},
    {"eks-connector.amazonaws.com", "AWSServiceRoleForAmazonEKSConnector", "AmazonEKSConnectorServiceRolePolicy", false},
    {"eks-fargate.amazonaws.com", "AWSServiceRoleForAmazonEKSForFargate", "AmazonEKSForFargateServiceRolePolicy", false},
    {"eks-nodegroup.amazonaws.com", "AWSServiceRoleForAmazonEKSNodegroup", "AWSServiceRoleForAmazonEKSNodegroup", false},
    {"eks.amazonaws.com", "AWSServiceRoleForAmazonEKS", "AmazonEKSServiceRolePolicy", false},
    {"elasticache.amazonaws.com", "AWSServiceRoleForElastiCache", "ElastiCacheServiceRolePolicy", false},
    {"elasticbeanstalk.amazonaws.com", "AWSServiceRoleForElasticBeanstalk", "AWSElasticBeanstalkServiceRolePolicy", false},
    {"elasticfilesystem.amazonaws.com", "AWSServiceRoleForAmazonElasticFileSystem", "AmazonElasticFileSystemServiceRolePolicy", false},
    {"elasticloadbalancing.amazonaws.com", "AWSServiceRoleForElasticLoadBalancing", "AWSElasticLoadBalancingServiceRolePolicy", false},
    {"email.cognito-idp.amazonaws.com", "AWSServiceRoleForAmazonCognitoIdpEmailService", "AmazonCognitoIdpEmailServiceRolePolicy", false},
    {"emr-containers.amazonaws.com", "AWSServiceRoleForAmazonEMRContainers", "AmazonEMRContainersServiceRolePolicy", false},
    {"emrwal.amazonaws.com", "AWSServiceRoleForEMRWAL", "EMRDescribeClusterPolicyForEMRWAL", false},
    {"fis.amazonaws.com", "AWSServiceRoleForFIS", "AmazonFISServiceRolePolicy", false},
    {"grafana.amazonaws.com", "AWSServiceRoleForAmazonGrafana", "AmazonGrafanaServiceLinkedRolePolicy", false},
    {"imagebuilder.amazonaws.com", "AWSServiceRoleForImageBuilder", "AWSServiceRoleForImageBuilder", false},
    {"iotmanagedintegrations.amazonaws.com", "AWSServiceRoleForIoTManagedIntegrations", "AWSIoTManagedIntegrationsRolePolicy", false},
    {"kafka.amazonaws.com", "AWSServiceRoleForKafka", "KafkaServiceRolePolicy", false},
    {"kafkaconnect.amazonaws.com", "AWSServiceRoleForKafkaConnect", "KafkaConnectServiceRolePolicy", false},
    {"lakeformation.amazonaws.com", "AWSServiceRoleForLakeFormationDataAccess", "LakeFormationDataAccessServiceRolePolicy", false},
    {"lex.amazonaws.com", "AWSServiceRoleForLexBots", "AmazonLexBotPolicy", false},
    {"lexv2.amazonaws.com", "AWSServiceRoleForLexV2Bots", "AmazonLexV2BotPolicy", true},
    {"lightsail.amazonaws.com", "AWSServiceRoleForLightsail", "LightsailExportAccess", false},
    {"m2.amazonaws.com", "AWSServiceRoleForAWSM2", "AWSM2ServicePolicy", false},
    {"memorydb.amazonaws.com", "AWSServiceRoleForMemoryDB", "MemoryDBServiceRolePolicy", false},
    {"mq.amazonaws.com", "AWSServiceRoleForAmazonMQ", "AmazonMQServiceRolePolicy", false},
    {"mrk.kms.amazonaws.com", "AWSServiceRoleForKeyManagementServiceMultiRegionKeys", "AWSKeyManagementServiceMultiRegionKeysServiceRolePolicy", false},
    {"notifications.amazonaws.com", "AWSServiceRoleForAwsUserNotifications", "AWSUserNotificationsServiceLinkedRolePolicy", false},
    {"observability.aoss.amazonaws.com", "AWSServiceRoleForAmazonOpenSearchServerless", "AmazonOpenSearchServerlessServiceRolePolicy", false},
    {"opensearchservice.amazonaws.com", "AWSServiceRoleForAmazonOpenSearchService", "AmazonOpenSearchServiceRolePolicy", false},
    {"ops.apigateway.amazonaws.com", "AWSServiceRoleForAPIGateway", "APIGatewayServiceRolePolicy", false},
    {"ops.emr-serverless.amazonaws.com", "AWSServiceRoleForAmazonEMRServerless", "AmazonEMRServerlessServiceRolePolicy", false},
    {"opsdatasync.ssm.amazonaws.com", "AWSServiceRoleForSystemsManagerOpsDataSync", "AWSSystemsManagerOpsDataSyncServiceRolePolicy", false},
    {"opsinsights.ssm.amazonaws.com", "AWSServiceRoleForAmazonSSM_OpsInsights", "AWSSSMOpsInsightsServiceRolePolicy", false},
    {"pullthroughcache.ecr.amazonaws.com", "AWSServiceRoleForECRPullThroughCache", "AWSECRPullThroughCache_ServiceRolePolicy", false},
    {"ram.amazonaws.com", "AWSServiceRoleForResourceAccessManager", "AWSResourceAccessManagerServiceRolePolicy", false},
    {"rds.amazonaws.com", "AWSServiceRoleForRDS", "AmazonRDSServiceRolePolicy", false,
     "Allows Amazon RDS to manage AWS resources on your behalf"},
    {"redshift.amazonaws.com", "AWSServiceRoleForRedshift", "AmazonRedshiftServiceLinkedRolePolicy", false},
    {"replication.cassandra.amazonaws.com", "AWSServiceRoleForKeyspacesReplication", "KeyspacesReplicationServiceRolePolicy", false},
    {"replication.ecr.amazonaws.com", "AWSServiceRoleForECRReplication", "ECRReplicationServiceRolePolicy", false},
    {"repository.sync.codeconnections.amazonaws.com", "AWSServiceRoleForGitSync", "AWSGitSyncServiceRolePolicy", false},
    {"resource-explorer-2.amazonaws.com", "AWSServiceRoleForResourceExplorer", "AWSResourceExplorerServiceRolePolicy", false},
    {"rolesanywhere.amazonaws.com", "AWSServiceRoleForRolesAnywhere", "AWSRolesAnywhereServicePolicy", false},
    {"s3-outposts.amazonaws.com", "AWSServiceRoleForS3OnOutposts", "AWSS3OnOutpostsServiceRolePolicy", false},
    {"ses.amazonaws.com", "AWSServiceRoleForAmazonSES", "AmazonSESServiceRolePolicy", false},
    {"shield.amazonaws.com", "AWSServiceRoleForAWSShield", "AWSShieldServiceRolePolicy", false},
    {"ssm-incidents.amazonaws.com", "AWSServiceRoleForIncidentManager", "AWSIncidentManagerServiceRolePolicy", false},
    {"ssm-quicksetup.amazonaws.com", "AWSServiceRoleForSSMQuickSetup", "SSMQuickSetupRolePolicy", false},
    {"ssm.amazonaws.com", "AWSServiceRoleForAmazonSSM", "AmazonSSMServiceRolePolicy", false,
     "Provides access to AWS Resources managed or used by Amazon SSM."},
    {"sso.amazonaws.com", "AWSServiceRoleForSSO", "AWSSSOServiceRolePolicy", false,
     "Service-linked role used by AWS SSO to manage AWS resources, including IAM roles, policies and SAML IdP on your behalf."},
    {"vpcorigin.cloudfront.amazonaws.com", "AWSServiceRoleForCloudFrontVPCOrigin", "AWSCloudFrontVPCOriginServiceRolePolicy", false},
    {"waf.amazonaws.com", "AWSServiceRoleForWAFLogging", "WAFLoggingServiceRolePolicy", false},
    {"wafv2.amazonaws.com", "AWSServiceRoleForWAFV2Logging", "WAFV2LoggingServiceRolePolicy", false},
};

template <class V, class S>
void TaskFields(V& v, S& s) {
  v("account", s.account, true);
  v("role_arn", s.role_arn, true);
  v("status", s.status, true);
}

}  // namespace

CK_DEFINE_FIELDS(SlrDeletionTask, TaskFields)

const ServiceLinkedRoleSpec* FindServiceLinkedRole(std::string_view service) {
  auto it = std::lower_bound(std::begin(kRoles), std::end(kRoles), service,
                             [](const ServiceLinkedRoleSpec& s, std::string_view v) { return s.service < v; });
  return it != std::end(kRoles) && it->service == service ? &*it : nullptr;
}

std::span<const ServiceLinkedRoleSpec> ServiceLinkedRoles() { return kRoles; }

std::string ServiceRolePolicyArn(const ServiceLinkedRoleSpec& spec) {
  return "arn:aws:iam::aws:policy/aws-service-role/" + std::string(spec.policy_name);
}

std::string ServiceTrustPolicy(std::string_view service) {
  nlohmann::ordered_json doc = {
      {"Version", "2012-10-17"},
      {"Statement",
       {{{"Effect", "Allow"}, {"Principal", {{"Service", std::string(service)}}}, {"Action", "sts:AssumeRole"}}}}};
  return doc.dump();
}

}  // namespace ck::services::iam
