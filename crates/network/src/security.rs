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

enum Peer<'a> {
    Anywhere,
    Group(&'a Handle),
}

struct Rule<'a> {
    port: u16,
    peer: Peer<'a>,
    description: &'a str,
}

fn group(program: &mut Program, name: &str, description: &str, vpc: &Vpc, tags: Expr) -> Handle {
    program.resource(
        name,
        Resource::new("aws:ec2:SecurityGroup")
            .with("vpcId", vpc.vpc.id())
            .with("description", description)
            .with("tags", tags),
    )
}

#[derive(Clone, Copy)]
enum Direction {
    Ingress,
    Egress,
}

fn rule(program: &mut Program, name: &str, direction: Direction, group: &Handle, rule: Rule) {
    let token = match direction {
        Direction::Ingress => "aws:vpc:SecurityGroupIngressRule",
        Direction::Egress => "aws:vpc:SecurityGroupEgressRule",
    };
    let resource = Resource::new(token)
        .with("securityGroupId", group.id())
        .with("description", rule.description)
        .with("ipProtocol", "tcp")
        .with("fromPort", u32::from(rule.port))
        .with("toPort", u32::from(rule.port));
    let resource = match rule.peer {
        Peer::Anywhere => resource.with("cidrIpv4", "0.0.0.0/0"),
        Peer::Group(peer) => resource.with("referencedSecurityGroupId", peer.id()),
    };
    program.resource(name, resource);
}

/// The load balancer, shared workload and database groups with their rules.
pub fn security_groups(program: &mut Program, platform: &Platform, vpc: &Vpc) -> SecurityGroups {
    let env = &platform.environment;
    let shared = |name: &str| Expr::from(&tags::shared(platform, &format!("{name}-{env}")));
    let load_balancer = group(
        program,
        "alb-sg",
        "Shared load balancer: HTTP from the internet",
        vpc,
        shared("alb-sg"),
    );
    let workloads = group(
        program,
        "workloads-sg",
        "Every tenant task: egress to AWS APIs and the database; admits nothing",
        vpc,
        shared("workloads-sg"),
    );
    let database = group(
        program,
        "database-sg",
        "Aurora: PostgreSQL from tenant tasks only",
        vpc,
        shared("database-sg"),
    );
    let rules = [
        (
            "alb-http-in",
            Direction::Ingress,
            &load_balancer,
            80,
            Peer::Anywhere,
            "HTTP listener",
        ),
        (
            "alb-to-tasks",
            Direction::Egress,
            &load_balancer,
            80,
            Peer::Group(&workloads),
            "To tenant tasks",
        ),
        (
            "tasks-https-out",
            Direction::Egress,
            &workloads,
            443,
            Peer::Anywhere,
            "AWS APIs and image pulls",
        ),
        (
            "tasks-to-database",
            Direction::Egress,
            &workloads,
            5432,
            Peer::Group(&database),
            "PostgreSQL",
        ),
        (
            "database-from-tasks",
            Direction::Ingress,
            &database,
            5432,
            Peer::Group(&workloads),
            "Tenant tasks",
        ),
    ];
    for (name, direction, owner, port, peer, description) in rules {
        rule(
            program,
            name,
            direction,
            owner,
            Rule {
                port,
                peer,
                description,
            },
        );
    }
    SecurityGroups {
        load_balancer,
        workloads,
        database,
    }
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
    let tenant_group = group(
        program,
        &format!("{id}-task-sg"),
        &format!("Tasks of tenant {id}: HTTP from the load balancer only"),
        vpc,
        Expr::from(&tags::tenant(
            platform,
            id,
            &format!("{id}-task-sg-{}", platform.environment),
        )),
    );
    let from_alb = Rule {
        port: 80,
        peer: Peer::Group(&groups.load_balancer),
        description: "From the load balancer",
    };
    rule(
        program,
        &format!("{id}-task-http-in"),
        Direction::Ingress,
        &tenant_group,
        from_alb,
    );
    tenant_group
}
