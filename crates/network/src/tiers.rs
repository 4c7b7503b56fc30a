//! System B's security groups, one per tier of the path CloudFront → load balancer →
//! instances → cache and database, each admitting only the tier in front of it.
//!
//! - `alb-sg`: HTTPS from CloudFront's origin-facing managed prefix list only (the list
//!   weighs 55 rules of the 60 a group may hold, so this group holds little else);
//! - `workloads-sg`, on every instance: admits nothing; sends HTTPS (AWS APIs through the
//!   endpoints, packages through NAT) and PostgreSQL to the database;
//! - `pool-sg` (standard tenants' instances) and `<id>-instance-sg` (a premium tenant's):
//!   HTTP from the load balancer only, Redis to their own cache group only;
//! - `database-sg`: PostgreSQL from `workloads-sg`; `pool-cache-sg` and `<id>-cache-sg`:
//!   Redis from their tier's instances only.

use program::{map, Expr, Handle, Program};
use tenancy::{tags, Platform, Tenant};

use crate::security::{group, open, open_rules, rule, shared_group, Direction, Peer, Rule, Shared};
use crate::Vpc;

/// The managed prefix list of CloudFront's origin-facing addresses.
pub const CLOUDFRONT_ORIGIN_FACING: &str = "com.amazonaws.global.cloudfront.origin-facing";
const HTTPS: u32 = 443;
const HTTP: u32 = 80;
const POSTGRES: u32 = 5432;
const REDIS: u32 = 6379;

const LOAD_BALANCER: Shared = ("alb-sg", "Load balancer: HTTPS from CloudFront only");
const WORKLOADS: Shared = (
    "workloads-sg",
    "Every instance: HTTPS out and PostgreSQL to the database; admits nothing",
);
const DATABASE: Shared = ("database-sg", "Aurora: PostgreSQL from the instances only");
const POOL: Shared = (
    "pool-sg",
    "Standard tenants' instances: HTTP from the load balancer only",
);
const POOL_CACHE: Shared = (
    "pool-cache-sg",
    "Shared Redis: from the standard tenants' instances only",
);

/// The shared groups of System B's instance tiers. The load balancer's group is apart: the
/// single layout declares one beside these ([`tier_groups`]), the cell layout one per cell
/// ([`cell_load_balancer_group`]).
pub struct TierGroups {
    pub workloads: Handle,
    pub database: Handle,
    pub pool: Handle,
    pub pool_cache: Handle,
}

/// A premium tenant's own instance and cache groups.
pub struct PremiumGroups {
    pub instances: Handle,
    pub cache: Handle,
}

/// The single layout's groups: the tiers and the one load balancer's group, which the pool
/// admits.
pub fn tier_groups(program: &mut Program, platform: &Platform, vpc: &Vpc) -> (TierGroups, Handle) {
    let cloudfront = cloudfront_origin_facing(program);
    let load_balancer = shared_group(program, platform, vpc, LOAD_BALANCER);
    let tiers = declare_tiers(program, platform, vpc, Some((&load_balancer, &cloudfront)));
    (tiers, load_balancer)
}

/// The cell layout's platform groups: the tiers only (each cell brings its load balancer's).
pub fn platform_tier_groups(program: &mut Program, platform: &Platform, vpc: &Vpc) -> TierGroups {
    declare_tiers(program, platform, vpc, None)
}

/// The tier groups and their rules; with `balancer` (its group and CloudFront's prefix list),
/// also the balancer group's rules and the pool's admission of it, in one declaration order.
fn declare_tiers(
    program: &mut Program,
    platform: &Platform,
    vpc: &Vpc,
    balancer: Option<(&Handle, &Handle)>,
) -> TierGroups {
    let [workloads, database, pool, pool_cache] = [WORKLOADS, DATABASE, POOL, POOL_CACHE]
        .map(|shared| shared_group(program, platform, vpc, shared));
    let mut rules = Vec::new();
    if let Some((load_balancer, cloudfront)) = balancer {
        rules.extend(load_balancer_rules(load_balancer, &workloads, cloudfront));
    }
    rules.extend([
        (
            &workloads,
            open(
                "instances-https-out",
                Direction::Egress,
                HTTPS,
                Peer::Anywhere,
                "AWS APIs (VPC endpoints) and package mirrors (NAT)",
            ),
        ),
        (
            &workloads,
            open(
                "instances-to-database",
                Direction::Egress,
                POSTGRES,
                Peer::Group(&database),
                "PostgreSQL",
            ),
        ),
        (
            &database,
            open(
                "database-from-instances",
                Direction::Ingress,
                POSTGRES,
                Peer::Group(&workloads),
                "The instances",
            ),
        ),
    ]);
    if let Some((load_balancer, _)) = balancer {
        rules.push(pool_admits(&pool, load_balancer, "pool-http-in"));
    }
    rules.extend([
        (
            &pool,
            open(
                "pool-to-cache",
                Direction::Egress,
                REDIS,
                Peer::Group(&pool_cache),
                "The shared Redis",
            ),
        ),
        (
            &pool_cache,
            open(
                "pool-cache-from-pool",
                Direction::Ingress,
                REDIS,
                Peer::Group(&pool),
                "The standard tenants' instances",
            ),
        ),
    ]);
    open_rules(program, platform, rules);
    TierGroups {
        workloads,
        database,
        pool,
        pool_cache,
    }
}

fn cloudfront_origin_facing(program: &mut Program) -> Handle {
    program.variable(
        "cloudfrontOriginFacing",
        Expr::invoke(
            "aws:ec2:getManagedPrefixList",
            map! { "name" => CLOUDFRONT_ORIGIN_FACING },
            Some("id"),
        ),
    )
}

/// The load balancer group's rules: HTTPS from CloudFront only, HTTP to the instances.
fn load_balancer_rules<'a>(
    load_balancer: &'a Handle,
    workloads: &'a Handle,
    cloudfront: &Handle,
) -> [(&'a Handle, Rule<'a>); 2] {
    [
        (
            load_balancer,
            open(
                "alb-https-from-cloudfront",
                Direction::Ingress,
                HTTPS,
                Peer::PrefixList(cloudfront.expr()),
                "CloudFront origin-facing addresses",
            ),
        ),
        (
            load_balancer,
            open(
                "alb-to-instances",
                Direction::Egress,
                HTTP,
                Peer::Group(workloads),
                "To the instances (each tier group admits it)",
            ),
        ),
    ]
}

fn pool_admits<'a>(
    pool: &'a Handle,
    load_balancer: &'a Handle,
    logical: &'static str,
) -> (&'a Handle, Rule<'a>) {
    (
        pool,
        open(
            logical,
            Direction::Ingress,
            HTTP,
            Peer::Group(load_balancer),
            "From the load balancer",
        ),
    )
}

/// A cell's own load balancer group (cell layout) in place of the platform's: each cell
/// declares the group its load balancer and premium instance rules use, and the pool's
/// group (the platform's) admits it.
pub fn cell_load_balancer_group(
    program: &mut Program,
    platform: &Platform,
    vpc: &Vpc,
    workloads: &Handle,
    pool: &Handle,
) -> Handle {
    let cloudfront = cloudfront_origin_facing(program);
    let load_balancer = shared_group(program, platform, vpc, LOAD_BALANCER);
    let [to_balancer, from_balancer] = load_balancer_rules(&load_balancer, workloads, &cloudfront);
    let rules = [
        to_balancer,
        from_balancer,
        pool_admits(pool, &load_balancer, "pool-http-in"),
    ];
    open_rules(program, platform, rules);
    load_balancer
}

/// A premium tenant's instance group (HTTP from the load balancer, Redis to its own cache)
/// and cache group (Redis from its instances): no other tenant's group is named.
pub fn premium_groups(
    program: &mut Program,
    platform: &Platform,
    vpc: &Vpc,
    load_balancer: &Handle,
    tenant: &Tenant,
) -> PremiumGroups {
    let id = &tenant.id;
    let env = &platform.environment;
    let tenant_tags =
        |name: &str| Expr::from(&tags::tenant(platform, id, &format!("{name}-{env}")));
    let instances = group(
        program,
        &format!("{id}-instance-sg"),
        &format!("Instances of tenant {id}: HTTP from the load balancer only"),
        vpc,
        tenant_tags(&format!("{id}-instance-sg")),
    );
    let cache = group(
        program,
        &format!("{id}-cache-sg"),
        &format!("Redis of tenant {id}: from its instances only"),
        vpc,
        tenant_tags(&format!("{id}-cache-sg")),
    );
    let rules = [
        (
            &instances,
            Rule {
                name: format!("{id}-instance-http-in"),
                direction: Direction::Ingress,
                port: HTTP,
                peer: Peer::Group(load_balancer),
                description: "From the load balancer",
            },
        ),
        (
            &instances,
            Rule {
                name: format!("{id}-instance-to-cache"),
                direction: Direction::Egress,
                port: REDIS,
                peer: Peer::Group(&cache),
                description: "The tenant's Redis",
            },
        ),
        (
            &cache,
            Rule {
                name: format!("{id}-cache-from-instances"),
                direction: Direction::Ingress,
                port: REDIS,
                peer: Peer::Group(&instances),
                description: "The tenant's instances",
            },
        ),
    ];
    for (owner, opened) in rules {
        let tags = tenant_tags(&opened.name);
        rule(program, owner, opened, tags);
    }
    PremiumGroups { instances, cache }
}
