//! Security groups and the rules between them: internet → load balancer → tenant tasks →
//! database, and nothing else. Tenant groups admit only the load balancer, never each other.

use program::{Expr, Handle, Program, Resource};
use tenancy::{tags, Platform, Tenant};

use crate::Vpc;

/// The shared groups. `workloads` is attached to every tenant task next to the tenant's own
/// group: it carries the egress rules and is the one source the database admits, so the
/// database group stays at one rule however many tenants there are (60 rules per group).
pub struct SecurityGroups {
    pub load_balancer: Handle,
    pub workloads: Handle,
    pub database: Handle,
}

pub(crate) enum Direction {
    Ingress,
    Egress,
}

pub(crate) enum Peer<'a> {
    Anywhere,
    Group(&'a Handle),
    PrefixList(Expr),
}

/// One TCP port opened to or from one peer.
pub(crate) struct Rule<'a> {
    pub name: String,
    pub direction: Direction,
    pub port: u32,
    pub peer: Peer<'a>,
    pub description: &'a str,
}

pub(crate) fn group(
    program: &mut Program,
    name: &str,
    description: &str,
    vpc: &Vpc,
    tags: Expr,
) -> Handle {
    program.resource(
        name,
        Resource::new("aws:ec2:SecurityGroup")
            .with("vpcId", vpc.vpc.id())
            .with("description", description)
            .with("tags", tags),
    )
}

pub(crate) fn rule(program: &mut Program, group: &Handle, rule: Rule, tags: Expr) {
    let token = match rule.direction {
        Direction::Ingress => "aws:vpc:SecurityGroupIngressRule",
        Direction::Egress => "aws:vpc:SecurityGroupEgressRule",
    };
    let resource = Resource::new(token)
        .with("securityGroupId", group.id())
        .with("description", rule.description)
        .with("ipProtocol", "tcp")
        .with("fromPort", rule.port)
        .with("toPort", rule.port);
    let resource = match rule.peer {
        Peer::Anywhere => resource.with("cidrIpv4", "0.0.0.0/0"),
        Peer::Group(peer) => resource.with("referencedSecurityGroupId", peer.id()),
        Peer::PrefixList(list) => resource.with("prefixListId", list),
    };
    program.resource(&rule.name, resource.with("tags", tags));
}

/// The load balancer, shared workload and database groups with their rules.
pub fn security_groups(program: &mut Program, platform: &Platform, vpc: &Vpc) -> SecurityGroups {
    let load_balancer = shared_group(program, platform, vpc, LOAD_BALANCER);
    let workloads = shared_group(program, platform, vpc, WORKLOADS);
    let database = shared_group(program, platform, vpc, DATABASE);
    open_rules(
        program,
        platform,
        load_balancer_rules(&load_balancer, &workloads),
    );
    open_rules(program, platform, workload_rules(&workloads, &database));
    SecurityGroups {
        load_balancer,
        workloads,
        database,
    }
}

/// Cell layout, platform stack: the workload and database groups every cell's tasks share.
pub fn workload_groups(program: &mut Program, platform: &Platform, vpc: &Vpc) -> (Handle, Handle) {
    let workloads = shared_group(program, platform, vpc, WORKLOADS);
    let database = shared_group(program, platform, vpc, DATABASE);
    open_rules(program, platform, workload_rules(&workloads, &database));
    (workloads, database)
}

/// Cell layout, cell stack: the group of the cell's own load balancer, reaching the tasks
/// through the platform's workload group.
pub fn load_balancer_group(
    program: &mut Program,
    platform: &Platform,
    vpc: &Vpc,
    workloads: &Handle,
) -> Handle {
    let load_balancer = shared_group(program, platform, vpc, LOAD_BALANCER);
    open_rules(
        program,
        platform,
        load_balancer_rules(&load_balancer, workloads),
    );
    load_balancer
}

/// A shared group: logical name and description.
pub(crate) type Shared = (&'static str, &'static str);
const LOAD_BALANCER: Shared = ("alb-sg", "Shared load balancer: HTTP from the internet");
const WORKLOADS: Shared = (
    "workloads-sg",
    "Every tenant task: egress to AWS APIs and the database; admits nothing",
);
const DATABASE: Shared = ("database-sg", "Aurora: PostgreSQL from tenant tasks only");

pub(crate) fn shared_group(
    program: &mut Program,
    platform: &Platform,
    vpc: &Vpc,
    (name, description): Shared,
) -> Handle {
    group(program, name, description, vpc, shared_tags(platform, name))
}

pub(crate) fn shared_tags(platform: &Platform, name: &str) -> Expr {
    Expr::from(&tags::shared(
        platform,
        &format!("{name}-{}", platform.environment),
    ))
}

pub(crate) fn open_rules<'a>(
    program: &mut Program,
    platform: &Platform,
    rules: impl IntoIterator<Item = (&'a Handle, Rule<'a>)>,
) {
    for (owner, opened) in rules {
        let tags = shared_tags(platform, &opened.name);
        rule(program, owner, opened, tags);
    }
}

pub(crate) fn open<'a>(
    name: &str,
    direction: Direction,
    port: u32,
    peer: Peer<'a>,
    description: &'a str,
) -> Rule<'a> {
    Rule {
        name: name.to_string(),
        direction,
        port,
        peer,
        description,
    }
}

fn load_balancer_rules<'a>(
    load_balancer: &'a Handle,
    workloads: &'a Handle,
) -> [(&'a Handle, Rule<'a>); 2] {
    [
        (
            load_balancer,
            open(
                "alb-http-in",
                Direction::Ingress,
                80,
                Peer::Anywhere,
                "HTTP listener",
            ),
        ),
        (
            load_balancer,
            open(
                "alb-to-tasks",
                Direction::Egress,
                80,
                Peer::Group(workloads),
                "To tenant tasks",
            ),
        ),
    ]
}

fn workload_rules<'a>(workloads: &'a Handle, database: &'a Handle) -> [(&'a Handle, Rule<'a>); 3] {
    [
        (
            workloads,
            open(
                "tasks-https-out",
                Direction::Egress,
                443,
                Peer::Anywhere,
                "AWS APIs and image pulls",
            ),
        ),
        (
            workloads,
            open(
                "tasks-to-database",
                Direction::Egress,
                5432,
                Peer::Group(database),
                "PostgreSQL",
            ),
        ),
        (
            database,
            open(
                "database-from-tasks",
                Direction::Ingress,
                5432,
                Peer::Group(workloads),
                "Tenant tasks",
            ),
        ),
    ]
}

/// A tenant's own task group: port 80 from the load balancer, from nothing else.
pub fn tenant_security_group(
    program: &mut Program,
    platform: &Platform,
    vpc: &Vpc,
    groups: &SecurityGroups,
    tenant: &Tenant,
) -> Handle {
    let id = &tenant.id;
    let from_alb = Rule {
        name: format!("{id}-task-http-in"),
        direction: Direction::Ingress,
        port: 80,
        peer: Peer::Group(&groups.load_balancer),
        description: "From the load balancer",
    };
    let description = format!("Tasks of tenant {id}: HTTP from the load balancer only");
    tenant_group(
        program,
        platform,
        vpc,
        tenant,
        "task-sg",
        &description,
        from_alb,
    )
}

/// A group owned by one tenant (`{id}-{role}`), opening exactly one rule.
pub(crate) fn tenant_group(
    program: &mut Program,
    platform: &Platform,
    vpc: &Vpc,
    tenant: &Tenant,
    role: &str,
    description: &str,
    opened: Rule,
) -> Handle {
    let id = &tenant.id;
    let tenant_tags = |name: &str| {
        Expr::from(&tags::tenant(
            platform,
            id,
            &format!("{name}-{}", platform.environment),
        ))
    };
    let name = format!("{id}-{role}");
    let owned = group(program, &name, description, vpc, tenant_tags(&name));
    let tags = tenant_tags(&opened.name);
    rule(program, &owned, opened, tags);
    owned
}
