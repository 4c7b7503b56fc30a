//! The shared application load balancer and each tenant's route through it.

use program::{list, map, Expr, Handle, Program, Resource};
use tenancy::{tags, Names, Platform, Tenant};

use crate::{SecurityGroups, Subnets, Vpc};

/// Host-header conditions take at most five values per rule (an AWS hard limit).
const HOSTS_PER_RULE: usize = 5;
/// Each tenant's slot owns this many consecutive listener rule priorities.
pub(crate) const PRIORITIES_PER_SLOT: u32 = 10;

pub struct LoadBalancer {
    pub load_balancer: Handle,
    pub listener: Handle,
}

/// The internet-facing load balancer `name` in the public subnets, with an HTTP listener
/// whose default answer is a fixed 404: a host no tenant claims reaches nothing.
pub fn load_balancer(
    program: &mut Program,
    platform: &Platform,
    name: &str,
    subnets: &Subnets,
    groups: &SecurityGroups,
) -> LoadBalancer {
    let load_balancer = internet_facing(program, platform, name, subnets, &groups.load_balancer);
    let listener = program.resource(
        "http-listener",
        Resource::new("aws:lb:Listener")
            .with("loadBalancerArn", load_balancer.arn())
            .with("port", 80u32)
            .with("protocol", "HTTP")
            .with("defaultActions", not_found())
            .with(
                "tags",
                &tags::shared(platform, &format!("http-listener-{}", platform.environment)),
            ),
    );
    LoadBalancer {
        load_balancer,
        listener,
    }
}

/// An internet-facing application load balancer `name` in the public subnets.
pub(crate) fn internet_facing(
    program: &mut Program,
    platform: &Platform,
    name: &str,
    subnets: &Subnets,
    group: &Handle,
) -> Handle {
    program.resource(
        "load-balancer",
        Resource::new("aws:lb:LoadBalancer")
            .with("name", name)
            .with("loadBalancerType", "application")
            .with("internal", false)
            .with("subnets", subnets.public_ids())
            .with("securityGroups", list![group.id()])
            .with("dropInvalidHeaderFields", true)
            .with("enableDeletionProtection", false)
            .with("tags", &tags::shared(platform, name)),
    )
}

/// The default action of every listener: a fixed 404, so a host no rule claims reaches
/// nothing.
pub(crate) fn not_found() -> Expr {
    list![map! {
        "type" => "fixed-response",
        "fixedResponse" => map! {
            "contentType" => "text/plain",
            "messageBody" => "Not found",
            "statusCode" => "404",
        },
    }]
}

/// An HTTP (port 80) target group with a health check on `health_path`.
pub(crate) struct TargetGroup<'a> {
    pub logical: &'a str,
    pub name: &'a str,
    /// `ip` (Fargate tasks) or `instance` (Auto Scaling groups).
    pub target_type: &'a str,
    pub health_path: &'a str,
    pub tags: Expr,
}

pub(crate) fn target_group(program: &mut Program, vpc: &Vpc, spec: TargetGroup) -> Handle {
    program.resource(
        spec.logical,
        Resource::new("aws:lb:TargetGroup")
            .with("name", spec.name)
            .with("port", 80u32)
            .with("protocol", "HTTP")
            .with("targetType", spec.target_type)
            .with("vpcId", vpc.vpc.id())
            .with("deregistrationDelay", 30u32)
            .with(
                "healthCheck",
                map! {
                    "enabled" => true,
                    "path" => spec.health_path,
                    "protocol" => "HTTP",
                    "matcher" => "200-399",
                    "interval" => 30u32,
                    "healthyThreshold" => 3u32,
                    "unhealthyThreshold" => 3u32,
                },
            )
            .with("tags", spec.tags),
    )
}

/// A tenant's target group (HTTP 80, IP targets, health check on `/`) and the listener
/// rules sending its hosts there. Priorities come from the tenant's slot, which never
/// changes once allocated, so adding tenants never renumbers anyone's rules.
pub fn tenant_route(
    program: &mut Program,
    platform: &Platform,
    vpc: &Vpc,
    balancer: &LoadBalancer,
    tenant: &Tenant,
    slot: u32,
) -> (Handle, Vec<Handle>) {
    let id = &tenant.id;
    let name = Names::new(platform).target_group(id);
    let target_group = target_group(
        program,
        vpc,
        TargetGroup {
            logical: &format!("{id}-target-group"),
            name: &name,
            target_type: "ip",
            health_path: "/",
            tags: Expr::from(&tags::tenant(platform, id, &name)),
        },
    );
    let rules = tenant
        .domains
        .chunks(HOSTS_PER_RULE)
        .enumerate()
        .map(|(index, hosts)| {
            let suffix = if index == 0 {
                String::new()
            } else {
                format!("-{}", index + 1)
            };
            program.resource(
                &format!("{id}-listener-rule{suffix}"),
                Resource::new("aws:lb:ListenerRule")
                    .with("listenerArn", balancer.listener.arn())
                    .with("priority", slot * PRIORITIES_PER_SLOT + index as u32)
                    .with(
                        "conditions",
                        list![map! { "hostHeader" => map! { "values" => hosts.to_vec() } }],
                    )
                    .with(
                        "actions",
                        list![map! { "type" => "forward", "targetGroupArn" => target_group.arn() }],
                    )
                    .with(
                        "tags",
                        &tags::tenant(platform, id, &format!("{id}-rule{suffix}")),
                    ),
            )
        })
        .collect();
    (target_group, rules)
}
