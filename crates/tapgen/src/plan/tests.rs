use program::{list, map, Program, Resource};
use tenancy::Config;

use super::*;

fn config() -> Config {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/ecs-fargate.toml"
    );
    tenancy::load(std::path::Path::new(path)).unwrap()
}

/// A load balancer with one rule per entry of `hosts`, each rule matching those hosts.
fn balancer_with_rules(hosts: &[&[&str]]) -> Program {
    let mut program = Program::new();
    let balancer = program.resource("lb", Resource::new("aws:lb:LoadBalancer"));
    let listener = program.resource(
        "listener",
        Resource::new("aws:lb:Listener").with("loadBalancerArn", balancer.arn()),
    );
    for (n, values) in hosts.iter().enumerate() {
        let group = program.resource(&format!("tg{n}"), Resource::new("aws:lb:TargetGroup"));
        let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
        program.resource(
            &format!("rule{n}"),
            Resource::new("aws:lb:ListenerRule")
                .with("listenerArn", listener.arn())
                .with(
                    "conditions",
                    list![map! {"hostHeader" => map! {"values" => values}}],
                )
                .with(
                    "actions",
                    list![map! {"type" => "forward", "targetGroupArn" => group.arn()}],
                ),
        );
    }
    program
}

fn line<'p>(plan: &'p Plan, quota: &str) -> &'p Line {
    plan.ledger
        .iter()
        .find(|l| l.quota.starts_with(quota))
        .unwrap()
}

#[test]
fn rules_and_target_groups_count_against_their_load_balancer() {
    let program = balancer_with_rules(&[&["a.example.com"], &["b.example.com"]]);
    let stacks = [Stack {
        name: "main".into(),
        program: &program,
    }];
    let plan = Plan::new(&config(), &stacks);
    let rules = line(&plan, "Rules per load balancer");
    assert_eq!((rules.used, rules.instance.as_str()), (2, "main/lb"));
    assert_eq!(line(&plan, "Target groups per load balancer").used, 2);
    assert_eq!(plan.hard_limits_exceeded().count(), 0);
}

#[test]
fn six_hosts_in_one_rule_exceed_a_hard_limit() {
    let hosts = ["a", "b", "c", "d", "e", "f"];
    let program = balancer_with_rules(&[&hosts]);
    let stacks = [Stack {
        name: "main".into(),
        program: &program,
    }];
    let plan = Plan::new(&config(), &stacks);
    let over: Vec<_> = plan.hard_limits_exceeded().collect();
    assert_eq!(over.len(), 1);
    assert_eq!(over[0].quota, "Condition values per listener rule");
    assert_eq!((over[0].used, over[0].headroom), (6, -1));
    assert_eq!(over[0].instance, "main/rule0");
}

#[test]
fn account_quotas_sum_every_stack() {
    let mut one = Program::new();
    one.resource("role", Resource::new("aws:iam:Role"));
    let mut two = Program::new();
    two.resource("role", Resource::new("aws:iam:Role"));
    two.resource("other-role", Resource::new("aws:iam:Role"));
    let stacks = [
        Stack {
            name: "platform".into(),
            program: &one,
        },
        Stack {
            name: "cell-1".into(),
            program: &two,
        },
    ];
    let plan = Plan::new(&config(), &stacks);
    let roles = line(&plan, "Roles per account");
    assert_eq!((roles.used, roles.instance.as_str()), (3, "total"));
}

#[test]
fn a_certificate_counts_its_subject_and_alternative_names() {
    let mut program = Program::new();
    let names: Vec<String> = (0..11).map(|n| format!("h{n}.example.com")).collect();
    program.resource(
        "cert",
        Resource::new("aws:acm:Certificate")
            .with("domainName", "example.com")
            .with("subjectAlternativeNames", names),
    );
    let stacks = [Stack {
        name: "main".into(),
        program: &program,
    }];
    let plan = Plan::new(&config(), &stacks);
    let certificate = line(&plan, "Domain names per certificate");
    assert_eq!(
        (certificate.used, certificate.instance.as_str()),
        (12, "main/cert")
    );
    assert_eq!(certificate.headroom, -2, "over the default of 10");
    assert_eq!(plan.hard_limits_exceeded().count(), 0, "adjustable, to 100");
}

/// A user group in the platform and users associated with it from two cells, through the
/// platform's export: all count against the one group.
#[test]
fn users_imported_by_cells_count_against_the_platform_group() {
    let mut platform = Program::for_stack("platform");
    let group = platform.resource("pool-users", Resource::new("aws:elasticache:UserGroup"));
    let export = platform.export_handle("poolUsers", &group, &["userGroupId"]);
    platform.resource(
        "own-user",
        Resource::new("aws:elasticache:UserGroupAssociation")
            .with("userGroupId", group.attr("userGroupId")),
    );
    let cell = |label: &str, users: usize| {
        let mut cell = Program::for_stack(label);
        let reference = cell.stack_reference("platform", &platform, "org/p/dev".into());
        let group = cell.import(&reference, &export);
        for n in 0..users {
            cell.resource(
                &format!("user{n}"),
                Resource::new("aws:elasticache:UserGroupAssociation")
                    .with("userGroupId", group.attr("userGroupId")),
            );
        }
        cell
    };
    let (first, second) = (cell("cell-001", 3), cell("cell-002", 4));
    let stacks = [
        Stack {
            name: "p-platform".into(),
            program: &platform,
        },
        Stack {
            name: "p-cell-001".into(),
            program: &first,
        },
        Stack {
            name: "p-cell-002".into(),
            program: &second,
        },
    ];
    let plan = Plan::new(&config(), &stacks);
    let users = line(&plan, "Users per user group");
    assert_eq!(
        (users.used, users.instance.as_str()),
        (8, "p-platform/pool-users")
    );
}
