//! ECS Fargate: the shared cluster and each tenant's task definition, service and scaling.

use program::{list, map, Expr, Handle, Program, Resource};
use tenancy::{tags, Names, Platform, Tenant};

use crate::iam::{self, Allow};
use crate::logs::log_group;

/// The container image every tenant task runs until the platform ships its own.
pub const DEFAULT_IMAGE: &str = "public.ecr.aws/nginx/nginx:stable";
const CONTAINER: &str = "app";

/// The shared cluster, with Container Insights on.
pub fn cluster(program: &mut Program, platform: &Platform) -> Handle {
    let name = Names::new(platform).cluster();
    program.resource(
        "ecs-cluster",
        Resource::new("aws:ecs:Cluster")
            .with("name", name.as_str())
            .with(
                "settings",
                list![map! { "name" => "containerInsights", "value" => "enabled" }],
            )
            .with("tags", &tags::shared(platform, &name)),
    )
}

/// What a tenant's service is wired to; built by the network and data builders.
pub struct TenantWiring<'a> {
    pub cluster: &'a Handle,
    pub private_subnet_ids: Expr,
    pub security_groups: Vec<Expr>,
    pub target_group: &'a Handle,
    /// Listener rules that attach the target group to the load balancer: a service
    /// cannot register targets before that.
    pub listener_rules: &'a [Handle],
    pub bucket: &'a Handle,
    pub key: &'a Handle,
    pub db_secret: &'a Handle,
    pub db_host: Expr,
}

/// A tenant's log group, roles, task definition (1 vCPU / 2 GB by default), Fargate
/// service in the private subnets, and CPU target-tracking scaling.
pub fn tenant_service(
    program: &mut Program,
    platform: &Platform,
    tenant: &Tenant,
    wiring: TenantWiring,
) -> Handle {
    let names = Names::new(platform);
    let id = &tenant.id;
    let sizing = &tenant.sizing;
    let tenant_tags = |name: &str| Expr::from(&tags::tenant(platform, id, name));
    let logs = log_group(
        program,
        &format!("{id}-logs"),
        &names.log_group(id),
        sizing.log_retention_days,
        tenant_tags(&names.log_group(id)),
    );
    let execution_role = iam::role(
        program,
        &format!("{id}-execution-role"),
        &names.execution_role(id),
        "ecs-tasks.amazonaws.com",
        tenant_tags(&names.execution_role(id)),
        vec![
            Allow {
                actions: &["logs:CreateLogStream", "logs:PutLogEvents"],
                resources: vec![iam::log_streams(&logs)],
            },
            Allow {
                actions: &["secretsmanager:GetSecretValue"],
                resources: vec![wiring.db_secret.arn()],
            },
            Allow {
                actions: &["kms:Decrypt"],
                resources: vec![wiring.key.arn()],
            },
        ],
    );
    let task_role = iam::role(
        program,
        &format!("{id}-task-role"),
        &names.task_role(id),
        "ecs-tasks.amazonaws.com",
        tenant_tags(&names.task_role(id)),
        vec![
            Allow {
                actions: &["s3:ListBucket", "s3:GetBucketLocation"],
                resources: vec![wiring.bucket.arn()],
            },
            Allow {
                actions: &[
                    "s3:GetObject",
                    "s3:PutObject",
                    "s3:DeleteObject",
                    "s3:GetObjectVersion",
                ],
                resources: vec![Expr::concat([wiring.bucket.arn(), "/*".into()])],
            },
            Allow {
                actions: &["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
                resources: vec![wiring.key.arn()],
            },
        ],
    );
    let container = map! {
        "name" => CONTAINER,
        "image" => DEFAULT_IMAGE,
        "essential" => true,
        "portMappings" => list![map! { "containerPort" => 80u32, "protocol" => "tcp" }],
        "environment" => list![
            map! { "name" => "TENANT_ID", "value" => id.as_ref() },
            map! { "name" => "DB_HOST", "value" => wiring.db_host },
            map! { "name" => "DB_NAME", "value" => platform.database.name.as_str() },
            map! { "name" => "DB_USER", "value" => names.db_user(id) },
            map! { "name" => "DB_SCHEMA", "value" => names.db_schema(id) },
            map! { "name" => "DATA_BUCKET", "value" => wiring.bucket.id() },
        ],
        "secrets" => list![map! {
            "name" => "DB_PASSWORD",
            "valueFrom" => Expr::concat([wiring.db_secret.arn(), ":password::".into()]),
        }],
        "logConfiguration" => map! {
            "logDriver" => "awslogs",
            "options" => map! {
                "awslogs-group" => logs.id(),
                "awslogs-region" => platform.region.as_str(),
                "awslogs-stream-prefix" => "app",
            },
        },
    };
    let task = program.resource(
        &format!("{id}-task"),
        Resource::new("aws:ecs:TaskDefinition")
            .with("family", names.task_family(id))
            .with("cpu", sizing.cpu.to_string())
            .with("memory", sizing.memory.to_string())
            .with("networkMode", "awsvpc")
            .with("requiresCompatibilities", list!["FARGATE"])
            .with(
                "runtimePlatform",
                map! { "operatingSystemFamily" => "LINUX", "cpuArchitecture" => "X86_64" },
            )
            .with("executionRoleArn", execution_role.role.arn())
            .with("taskRoleArn", task_role.role.arn())
            .with("containerDefinitions", Expr::to_json(list![container]))
            .with("tags", tenant_tags(&names.task_family(id))),
    );
    let mut depends: Vec<&Handle> = wiring.listener_rules.iter().collect();
    depends.push(&execution_role.policy);
    let service = program.resource(
        &format!("{id}-service"),
        Resource::new("aws:ecs:Service")
            .with("name", names.ecs_service(id))
            .with("cluster", wiring.cluster.arn())
            .with("taskDefinition", task.arn())
            .with("desiredCount", sizing.desired_count)
            .with("launchType", "FARGATE")
            .with(
                "networkConfiguration",
                map! {
                    "subnets" => wiring.private_subnet_ids,
                    "securityGroups" => wiring.security_groups,
                    "assignPublicIp" => false,
                },
            )
            .with(
                "loadBalancers",
                list![map! {
                    "targetGroupArn" => wiring.target_group.arn(),
                    "containerName" => CONTAINER,
                    "containerPort" => 80u32,
                }],
            )
            .with("healthCheckGracePeriodSeconds", 60u32)
            .with(
                "deploymentCircuitBreaker",
                map! { "enable" => true, "rollback" => true },
            )
            .with("propagateTags", "SERVICE")
            .with("enableEcsManagedTags", true)
            .with("tags", tenant_tags(&names.ecs_service(id)))
            .depends_on(&depends)
            // Auto scaling owns the running count after creation.
            .option("ignoreChanges", list!["desiredCount"]),
    );
    let target = program.resource(
        &format!("{id}-scaling-target"),
        Resource::new("aws:appautoscaling:Target")
            .with("serviceNamespace", "ecs")
            .with("scalableDimension", "ecs:service:DesiredCount")
            .with(
                "resourceId",
                Expr::concat([
                    "service/".into(),
                    wiring.cluster.attr("name"),
                    "/".into(),
                    service.attr("name"),
                ]),
            )
            .with("minCapacity", sizing.min_tasks)
            .with("maxCapacity", sizing.max_tasks)
            .with("tags", tenant_tags(&format!("{id}-scaling"))),
    );
    program.resource(
        &format!("{id}-cpu-scaling"),
        Resource::new("aws:appautoscaling:Policy")
            .with("name", format!("{}-cpu", names.ecs_service(id)))
            .with("policyType", "TargetTrackingScaling")
            .with("serviceNamespace", target.attr("serviceNamespace"))
            .with("scalableDimension", target.attr("scalableDimension"))
            .with("resourceId", target.attr("resourceId"))
            .with(
                "targetTrackingScalingPolicyConfiguration",
                map! {
                    "targetValue" => sizing.cpu_target_percent,
                    "predefinedMetricSpecification" => map! {
                        "predefinedMetricType" => "ECSServiceAverageCPUUtilization",
                    },
                    "scaleInCooldown" => 120u32,
                    "scaleOutCooldown" => 60u32,
                },
            ),
    );
    service
}
