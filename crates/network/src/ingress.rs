//! The shared application load balancer and each tenant's route through it.

use program::{list, map, Handle, Program, Resource};
use tenancy::{tags, Names, Platform, Tenant};

use crate::{SecurityGroups, Subnets, Vpc};

/// Host-header conditions take at most five values per rule (an AWS hard limit).
const HOSTS_PER_RULE: usize = 5;
/// Each tenant's slot owns this many consecutive listener rule priorities.
const PRIORITIES_PER_SLOT: u32 = 10;

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
    let load_balancer = program.resource(
        "load-balancer",
        Resource::new("aws:lb:LoadBalancer")
            .with("name", name)
            .with("loadBalancerType", "application")
            .with("internal", false)
            .with("subnets", subnets.public_ids())
            .with("securityGroups", list![groups.load_balancer.id()])
            .with("dropInvalidHeaderFields", true)
            .with("enableDeletionProtection", false)
            .with("tags", &tags::shared(platform, name)),
    );
    let listener = program.resource(
        "http-listener",
        Resource::new("aws:lb:Listener")
            .with("loadBalancerArn", load_balancer.arn())
            .with("port", 80u32)
            .with("protocol", "HTTP")
            .with(
                "defaultActions",
                list![map! {
                    "type" => "fixed-response",
                    "fixedResponse" => map! {
                        "contentType" => "text/plain",
                        "messageBody" => "Not found",
                        "statusCode" => "404",
                    },
                }],
            )
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
    let target_group = program.resource(
        &format!("{id}-target-group"),
        Resource::new("aws:lb:TargetGroup")
            .with("name", name.as_str())
            .with("port", 80u32)
            .with("protocol", "HTTP")
            .with("targetType", "ip")
            .with("vpcId", vpc.vpc.id())
            .with("deregistrationDelay", 30u32)
            .with(
                "healthCheck",
                map! {
                    "enabled" => true,
                    "path" => "/",
                    "protocol" => "HTTP",
                    "matcher" => "200-399",
                    "interval" => 30u32,
                    "healthyThreshold" => 3u32,
                    "unhealthyThreshold" => 3u32,
                },
            )
            .with("tags", &tags::tenant(platform, id, &name)),
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
