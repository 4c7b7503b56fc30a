//! System B's load balancer: the origin CloudFront reaches over TLS, routing each tenant's
//! origin host to its premium target group or to the standard tenants' pool.
//!
//! CloudFront sends the tenant's origin host (`<id>.origin.<base_domain>`) as the Host
//! header, so each tenant needs one host value, and every rule also requires the secret
//! origin-verify header CloudFront adds: a request that did not come through the
//! distribution matches no rule and gets the fixed 404. A rule holds the host and the
//! header value (2 of the 5 condition values AWS allows per rule), one rule per tenant,
//! priority `slot × 10`: rules count against the 100 rules per load balancer (adjustable)
//! and premium target groups against the 100 target groups per load balancer (hard).

use program::{list, map, Expr, Handle, Program, Resource};
use tenancy::{tags, Names, Platform, Tenant};

use crate::ingress::{internet_facing, not_found, target_group, TargetGroup, PRIORITIES_PER_SLOT};
use crate::{LoadBalancer, Subnets, Vpc};

/// The health check path every fleet answers.
pub const HEALTH_PATH: &str = "/health";
/// TLS 1.3 and 1.2 with forward secrecy only.
const TLS_POLICY: &str = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/// What CloudFront proves at the origin: the certificate the listener serves (its ARN, taken
/// from the validation so the listener waits for issuance) and the secret header it adds.
pub struct OriginTls<'a> {
    pub certificate_arn: Expr,
    pub verify_header: &'a str,
    pub verify_value: Expr,
}

/// The internet-facing load balancer in `group` (reachable from CloudFront only) with one
/// HTTPS listener whose default answer is a fixed 404. No HTTP listener: nothing redirects.
pub fn origin_load_balancer(
    program: &mut Program,
    platform: &Platform,
    name: &str,
    subnets: &Subnets,
    group: &Handle,
    certificate_arn: Expr,
) -> LoadBalancer {
    let load_balancer = internet_facing(program, platform, name, subnets, group);
    let listener = program.resource(
        "https-listener",
        Resource::new("aws:lb:Listener")
            .with("loadBalancerArn", load_balancer.arn())
            .with("port", 443u32)
            .with("protocol", "HTTPS")
            .with("sslPolicy", TLS_POLICY)
            .with("certificateArn", certificate_arn)
            .with("defaultActions", not_found())
            .with(
                "tags",
                &tags::shared(
                    platform,
                    &format!("https-listener-{}", platform.environment),
                ),
            ),
    );
    LoadBalancer {
        load_balancer,
        listener,
    }
}

/// The standard tenants' shared target group (instance targets).
/// `cell` (its short form, `c001`) names the target group of one cell's load balancer in the
/// cell layout: a target group serves one load balancer.
pub fn pool_target_group(
    program: &mut Program,
    platform: &Platform,
    vpc: &Vpc,
    cell: Option<&str>,
) -> Handle {
    let names = Names::new(platform);
    let (logical, name) = match cell {
        None => ("pool-target-group".to_string(), names.pool_target_group()),
        Some(cell) => (
            format!("pool-target-group-{cell}"),
            names.cell_pool_target_group(cell),
        ),
    };
    target_group(
        program,
        vpc,
        TargetGroup {
            logical: &logical,
            name: &name,
            target_type: "instance",
            health_path: HEALTH_PATH,
            tags: Expr::from(&tags::shared(platform, &name)),
        },
    )
}

/// A premium tenant's own target group (instance targets).
pub fn premium_target_group(
    program: &mut Program,
    platform: &Platform,
    vpc: &Vpc,
    tenant: &Tenant,
) -> Handle {
    let id = &tenant.id;
    let name = Names::new(platform).target_group(id);
    target_group(
        program,
        vpc,
        TargetGroup {
            logical: &format!("{id}-target-group"),
            name: &name,
            target_type: "instance",
            health_path: HEALTH_PATH,
            tags: Expr::from(&tags::tenant(platform, id, &name)),
        },
    )
}

/// One tenant's route through the load balancer.
pub struct Route<'a> {
    pub tenant: &'a Tenant,
    /// The tenant's slot (`tapgen.lock`), never its position in the file.
    pub slot: u32,
    /// The origin host CloudFront sends for the tenant.
    pub host: &'a str,
    pub target_group: &'a Handle,
}

/// The tenant's rule: its origin `host` with the verify header, forwarded to
/// `target_group` (its own or the pool), at the priority of its slot. The rule belongs to
/// the tenant (tagged), whichever target group it forwards to.
pub fn origin_rule(
    program: &mut Program,
    platform: &Platform,
    balancer: &LoadBalancer,
    origin: &OriginTls,
    route: Route,
) -> Handle {
    let Route {
        tenant,
        slot,
        host,
        target_group,
    } = route;
    let id = &tenant.id;
    program.resource(
        &format!("{id}-listener-rule"),
        Resource::new("aws:lb:ListenerRule")
            .with("listenerArn", balancer.listener.arn())
            .with("priority", slot * PRIORITIES_PER_SLOT)
            .with(
                "conditions",
                list![
                    map! { "hostHeader" => map! { "values" => list![host] } },
                    map! {
                        "httpHeader" => map! {
                            "httpHeaderName" => origin.verify_header,
                            "values" => list![origin.verify_value.clone()],
                        },
                    },
                ],
            )
            .with(
                "actions",
                list![map! { "type" => "forward", "targetGroupArn" => target_group.arn() }],
            )
            .with("tags", &tags::tenant(platform, id, &format!("{id}-rule"))),
    )
}
