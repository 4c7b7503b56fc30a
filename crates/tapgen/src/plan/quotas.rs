//! The AWS quotas rendered programs consume, with their default limits and whether AWS raises
//! them. Figures and codes are those of ../shared/AWS-QUOTAS.md (checked against the AWS
//! Service Quotas pages); a quota without a code is raised through AWS Support or not at all.

use super::measure::{self, Usage};
use super::Stack;

/// Where one quota applies: its usage is counted per instance of this scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Per account and region, summed over every stack.
    Region,
    /// Per account across regions (IAM, Route 53, CloudFront), summed over every stack.
    Account,
    /// Per instance of a resource (a load balancer, a security group, a REST API, ...).
    Resource,
}

/// One AWS quota and how to measure what the programs consume of it.
pub struct Quota {
    pub service: &'static str,
    pub name: &'static str,
    pub scope: Scope,
    pub limit: u64,
    /// Whether AWS raises the default on request.
    pub adjustable: bool,
    /// The Service Quotas code to request an increase with, where there is one.
    pub code: Option<&'static str>,
    pub measure: fn(&[Stack]) -> Vec<Usage>,
}

macro_rules! quota {
    ($service:literal, $name:literal, $scope:ident, $limit:literal, $adjustable:literal, $code:expr, $measure:expr) => {
        Quota {
            service: $service,
            name: $name,
            scope: Scope::$scope,
            limit: $limit,
            adjustable: $adjustable,
            code: $code,
            measure: $measure,
        }
    };
}

/// Every quota the ledger tracks, grouped by service.
pub const QUOTAS: &[Quota] = &[
    // Elastic Load Balancing (AWS-QUOTAS.md §2)
    quota!(
        "elb",
        "Application Load Balancers per region",
        Region,
        50,
        true,
        Some("L-53DA6B97"),
        |s| measure::count(s, "aws:lb:LoadBalancer")
    ),
    quota!(
        "elb",
        "Rules per load balancer (all listeners, default rules excluded)",
        Resource,
        100,
        true,
        Some("L-7EED9B64"),
        measure::rules_per_load_balancer
    ),
    quota!(
        "elb",
        "Certificates per load balancer (default certificate excluded)",
        Resource,
        25,
        true,
        Some("L-9365A611"),
        measure::certificates_per_load_balancer
    ),
    quota!(
        "elb",
        "Target groups per load balancer",
        Resource,
        100,
        false,
        None,
        measure::target_groups_per_load_balancer
    ),
    quota!(
        "elb",
        "Condition values per listener rule",
        Resource,
        5,
        false,
        None,
        measure::condition_values_per_rule
    ),
    quota!(
        "elb",
        "Target groups per region",
        Region,
        3000,
        true,
        None,
        |s| measure::count(s, "aws:lb:TargetGroup")
    ),
    // EC2 Auto Scaling (§13)
    quota!(
        "autoscaling",
        "Auto Scaling groups per region",
        Region,
        500,
        true,
        None,
        |s| measure::count(s, "aws:autoscaling:Group")
    ),
    quota!(
        "autoscaling",
        "Target groups per Auto Scaling group",
        Resource,
        50,
        false,
        None,
        measure::target_groups_per_auto_scaling_group
    ),
    // VPC (§8)
    quota!(
        "vpc",
        "VPCs per region",
        Region,
        5,
        true,
        Some("L-F678F1CE"),
        |s| measure::count(s, "aws:ec2:Vpc")
    ),
    quota!(
        "vpc",
        "Elastic IP addresses per region",
        Region,
        5,
        true,
        Some("L-0263D0A3"),
        |s| measure::count(s, "aws:ec2:Eip")
    ),
    quota!("vpc", "Subnets per VPC", Resource, 200, true, None, |s| {
        measure::per_vpc(s, "aws:ec2:Subnet")
    }),
    quota!(
        "vpc",
        "IPv4 CIDR blocks per VPC (primary included)",
        Resource,
        5,
        true,
        Some("L-83CA0A9D"),
        measure::cidr_blocks_per_vpc
    ),
    quota!(
        "vpc",
        "Security groups per region",
        Region,
        2500,
        true,
        None,
        |s| measure::count(s, "aws:ec2:SecurityGroup")
    ),
    quota!(
        "vpc",
        "Inbound rules per security group",
        Resource,
        60,
        true,
        Some("L-0EA8095F"),
        |s| measure::per_parent(s, "aws:vpc:SecurityGroupIngressRule", &["securityGroupId"])
    ),
    quota!(
        "vpc",
        "Outbound rules per security group",
        Resource,
        60,
        true,
        Some("L-0EA8095F"),
        |s| measure::per_parent(s, "aws:vpc:SecurityGroupEgressRule", &["securityGroupId"])
    ),
    quota!(
        "vpc",
        "Interface endpoints per VPC",
        Resource,
        50,
        true,
        None,
        measure::interface_endpoints_per_vpc
    ),
    // API Gateway (PULUMI-YAML-NOTES.md quota table)
    quota!(
        "apigateway",
        "Regional REST APIs per region",
        Region,
        600,
        false,
        None,
        |s| measure::count(s, "aws:apigateway:RestApi")
    ),
    quota!(
        "apigateway",
        "Resources per REST API (root included)",
        Resource,
        300,
        true,
        Some("L-01C8A9E0"),
        measure::resources_per_rest_api
    ),
    // IAM (§7)
    quota!(
        "iam",
        "Roles per account",
        Account,
        1000,
        true,
        Some("L-FE177D64"),
        |s| measure::count(s, "aws:iam:Role")
    ),
    quota!(
        "iam",
        "Instance profiles per account",
        Account,
        1000,
        true,
        None,
        |s| measure::count(s, "aws:iam:InstanceProfile")
    ),
    // Storage and data
    quota!(
        "s3",
        "General purpose buckets per account",
        Account,
        10000,
        true,
        Some("L-DC2B2D3D"),
        |s| measure::count(s, "aws:s3:Bucket")
    ),
    quota!(
        "dynamodb",
        "Tables per region",
        Region,
        2500,
        true,
        Some("L-F98FE922"),
        |s| measure::count(s, "aws:dynamodb:Table")
    ),
    quota!(
        "kms",
        "Customer managed keys per region",
        Region,
        100000,
        true,
        None,
        |s| measure::count(s, "aws:kms:Key")
    ),
    quota!(
        "ssm",
        "Standard parameters per region",
        Region,
        10000,
        false,
        None,
        |s| measure::count(s, "aws:ssm:Parameter")
    ),
    // ElastiCache (§6)
    quota!(
        "elasticache",
        "Nodes per region",
        Region,
        300,
        true,
        Some("L-DFE45DF3"),
        measure::cache_nodes
    ),
    quota!(
        "elasticache",
        "Users per region",
        Region,
        2000,
        true,
        Some("L-80E085C7"),
        |s| measure::count(s, "aws:elasticache:User")
    ),
    quota!(
        "elasticache",
        "User groups per region",
        Region,
        200,
        true,
        Some("L-AD484FC5"),
        |s| measure::count(s, "aws:elasticache:UserGroup")
    ),
    quota!(
        "elasticache",
        "Users per user group",
        Resource,
        100,
        true,
        Some("L-943F0F1C"),
        measure::users_per_user_group
    ),
    // Cognito (§1)
    quota!(
        "cognito",
        "User pools per region",
        Region,
        1000,
        true,
        Some("L-66E6DF30"),
        |s| measure::count(s, "aws:cognito:UserPool")
    ),
    quota!(
        "cognito",
        "Custom domains per region",
        Region,
        4,
        false,
        None,
        measure::cognito_custom_domains
    ),
    // CloudFront, Route 53, ACM (§3–5)
    quota!(
        "cloudfront",
        "Standard distributions per account",
        Account,
        500,
        true,
        Some("L-24B04930"),
        |s| measure::count(s, "aws:cloudfront:Distribution")
    ),
    quota!(
        "cloudfront",
        "Multi-tenant distributions per account",
        Account,
        20,
        true,
        Some("L-0AB8CD5F"),
        |s| measure::count(s, "aws:cloudfront:MultitenantDistribution")
    ),
    quota!(
        "cloudfront",
        "Distribution tenants per account",
        Account,
        10000,
        true,
        Some("L-D2BD2B16"),
        |s| measure::count(s, "aws:cloudfront:DistributionTenant")
    ),
    quota!(
        "cloudfront",
        "Domains per distribution tenant",
        Resource,
        100,
        true,
        Some("L-6CCE0F1E"),
        measure::domains_per_distribution_tenant
    ),
    quota!(
        "route53",
        "Hosted zones per account",
        Account,
        500,
        true,
        None,
        |s| measure::count(s, "aws:route53:Zone")
    ),
    quota!(
        "acm",
        "Certificates per region",
        Region,
        2500,
        true,
        None,
        |s| measure::count(s, "aws:acm:Certificate")
    ),
    // A hosted tenant's certificate covers all its domains (config allows 50).
    quota!(
        "acm",
        "Domain names per certificate",
        Resource,
        10,
        true,
        None,
        measure::names_per_certificate
    ),
    // CloudWatch (§10)
    quota!(
        "logs",
        "Saved Logs Insights queries per region",
        Region,
        1000,
        false,
        None,
        |s| measure::count(s, "aws:cloudwatch:QueryDefinition")
    ),
];
