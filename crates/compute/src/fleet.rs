//! EC2 fleets of System B: a launch template, an Auto Scaling group behind a target group,
//! CPU target tracking, and the instance role and profile.
//!
//! The pool is one fleet for every standard tenant; each premium tenant has its own. No
//! LaunchConfiguration: launch templates are the supported form and carry IMDS settings.

use std::collections::BTreeMap;

use program::{list, map, Expr, Handle, Program, Resource};
use tenancy::Platform;

use crate::iam::{self, Allow};
use crate::logs::log_group;

/// Amazon Linux 2023, resolved from the public SSM parameter at every launch, so instances
/// always start from the current image without a new render.
pub const AMI: &str =
    "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
const ROOT_DEVICE: &str = "/dev/xvda";
/// Instances may serve traffic (and be judged by the load balancer) after this long.
const WARMUP_SECONDS: u32 = 300;

/// Until the application is deployed, each instance answers the load balancer's health
/// check (`network::HEALTH_PATH`) from nginx, so the group is healthy and scales.
const USER_DATA: &str = "#!/bin/bash
# tapgen placeholder: the tenant application replaces this; it only answers /health.
set -euo pipefail
dnf install -y nginx
cat > /etc/nginx/default.d/health.conf <<'CONF'
location = /health { return 200 \"ok\\n\"; }
CONF
systemctl enable --now nginx
";

/// What one fleet runs as and where.
pub struct FleetSpec<'a> {
    /// Logical-name prefix: `pool`, or the premium tenant's id.
    pub logical: &'a str,
    /// Physical name of the template, group, role and profile.
    pub name: &'a str,
    pub min_size: u32,
    pub max_size: u32,
    pub subnet_ids: Expr,
    pub security_group_ids: Vec<Expr>,
    /// ARNs of the target groups the instances register with (one per load balancer).
    pub target_groups: Vec<Expr>,
    /// Encrypts the root volumes; its policy must admit the Auto Scaling service-linked role.
    pub volume_key: &'a Handle,
    /// Group of the instances' own (host) logs; tenant application logs go to the tenant's
    /// group through its access role.
    pub host_log_group: &'a str,
    /// Tags of every resource, propagated to instances and volumes.
    pub tags: BTreeMap<String, String>,
}

pub struct Fleet {
    /// The instance role: it may write its host logs; a caller adds what it may assume.
    pub role: iam::Role,
    pub host_logs: Handle,
    pub profile: Handle,
    pub launch_template: Handle,
    pub group: Handle,
    pub scaling: Handle,
}

pub fn fleet(program: &mut Program, platform: &Platform, spec: FleetSpec) -> Fleet {
    let logical = spec.logical;
    let tags = Expr::from(&spec.tags);
    let host_logs = log_group(
        program,
        &format!("{logical}-host-logs"),
        spec.host_log_group,
        platform.defaults.log_retention_days,
        tags.clone(),
    );
    let role = iam::role(
        program,
        &format!("{logical}-instance-role"),
        spec.name,
        "ec2.amazonaws.com",
        tags.clone(),
        vec![Allow {
            actions: &["logs:CreateLogStream", "logs:PutLogEvents"],
            resources: vec![iam::log_streams(&host_logs)],
        }],
    );
    let profile = program.resource(
        &format!("{logical}-instance-profile"),
        Resource::new("aws:iam:InstanceProfile")
            .with("name", spec.name)
            .with("role", role.role.id())
            .with("tags", tags.clone()),
    );
    let fleet = &platform.fleet;
    let launch_template = program.resource(
        &format!("{logical}-launch-template"),
        Resource::new("aws:ec2:LaunchTemplate")
            .with("name", spec.name)
            .with(
                "description",
                "tapgen fleet: AL2023, IMDSv2 only, encrypted gp3",
            )
            .with("imageId", AMI)
            .with("instanceType", fleet.instance_type.as_str())
            .with("iamInstanceProfile", map! { "arn" => profile.arn() })
            .with(
                "networkInterfaces",
                list![map! {
                    "deviceIndex" => 0u32,
                    "associatePublicIpAddress" => "false",
                    "deleteOnTermination" => "true",
                    "securityGroups" => Expr::List(spec.security_group_ids),
                }],
            )
            .with(
                "metadataOptions",
                map! {
                    "httpEndpoint" => "enabled",
                    "httpTokens" => "required",
                    // One hop: a container on the host cannot reach the instance's credentials.
                    "httpPutResponseHopLimit" => 1u32,
                    "instanceMetadataTags" => "disabled",
                },
            )
            .with(
                "blockDeviceMappings",
                list![map! {
                    "deviceName" => ROOT_DEVICE,
                    "ebs" => map! {
                        "volumeSize" => fleet.volume_size_gib,
                        "volumeType" => "gp3",
                        "encrypted" => "true",
                        "kmsKeyId" => spec.volume_key.arn(),
                        "deleteOnTermination" => "true",
                    },
                }],
            )
            .with("monitoring", map! { "enabled" => true })
            .with("userData", Expr::to_base64(USER_DATA.into()))
            .with(
                "tagSpecifications",
                list![
                    map! { "resourceType" => "instance", "tags" => tags.clone() },
                    map! { "resourceType" => "volume", "tags" => tags.clone() },
                ],
            )
            .with("updateDefaultVersion", true)
            .with("tags", tags.clone()),
    );
    let group_tags: Vec<Expr> = spec
        .tags
        .iter()
        .map(|(key, value)| {
            map! { "key" => key.as_str(), "value" => value.as_str(), "propagateAtLaunch" => true }
        })
        .collect();
    let group = program.resource(
        &format!("{logical}-fleet"),
        Resource::new("aws:autoscaling:Group")
            .with("name", spec.name)
            .with("minSize", spec.min_size)
            .with("maxSize", spec.max_size)
            .with("vpcZoneIdentifiers", spec.subnet_ids)
            .with(
                "launchTemplate",
                map! {
                    "id" => launch_template.id(),
                    "version" => launch_template.attr("latestVersion"),
                },
            )
            .with("targetGroupArns", Expr::List(spec.target_groups))
            // The load balancer's health check decides: an instance that stops answering
            // is replaced, not just taken out of rotation.
            .with("healthCheckType", "ELB")
            .with("healthCheckGracePeriod", WARMUP_SECONDS)
            .with("defaultInstanceWarmup", WARMUP_SECONDS)
            .with(
                "instanceRefresh",
                map! {
                    "strategy" => "Rolling",
                    "preferences" => map! { "minHealthyPercentage" => 90u32 },
                },
            )
            .with("metricsGranularity", "1Minute")
            .with(
                "enabledMetrics",
                list![
                    "GroupDesiredCapacity",
                    "GroupInServiceInstances",
                    "GroupMaxSize",
                    "GroupMinSize",
                    "GroupPendingInstances",
                    "GroupTerminatingInstances",
                ],
            )
            .with("tags", Expr::List(group_tags)),
    );
    let scaling = program.resource(
        &format!("{logical}-cpu-scaling"),
        Resource::new("aws:autoscaling:Policy")
            .with("name", format!("{}-cpu", spec.name))
            .with("autoscalingGroupName", group.attr("name"))
            .with("policyType", "TargetTrackingScaling")
            .with(
                "targetTrackingConfiguration",
                map! {
                    "predefinedMetricSpecification" => map! {
                        "predefinedMetricType" => "ASGAverageCPUUtilization",
                    },
                    "targetValue" => fleet.cpu_target_percent,
                },
            ),
    );
    Fleet {
        role,
        host_logs,
        profile,
        launch_template,
        group,
        scaling,
    }
}
