//! Counting what programs consume of a quota, read from the typed program model: resources
//! by type token, and the references that tie a resource to the one whose quota it uses
//! (a listener rule → its listener → its load balancer).

use std::collections::{BTreeMap, BTreeSet};

use program::{Expr, Program, Resource};

use super::Stack;

/// What one instance of a quota's scope uses: `scope` names it (`region`, or `stack/resource`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Usage {
    pub scope: String,
    pub used: u64,
}

/// The whole account or region: one usage summing every stack.
pub fn count(stacks: &[Stack], type_token: &str) -> Vec<Usage> {
    total(stacks, |_, resource| {
        u64::from(resource.type_token() == type_token)
    })
}

/// Per parent resource: each resource of `type_token` is followed through the reference
/// properties in `path` (e.g. `["listenerArn", "loadBalancerArn"]`) to the parent it counts against.
pub fn per_parent(stacks: &[Stack], type_token: &str, path: &[&str]) -> Vec<Usage> {
    per_resource(stacks, |program, name, resource| {
        if resource.type_token() != type_token {
            return Vec::new();
        }
        parent(program, name, path)
            .map(|parent| vec![(parent, 1)])
            .unwrap_or_default()
    })
}

pub fn rules_per_load_balancer(stacks: &[Stack]) -> Vec<Usage> {
    per_parent(
        stacks,
        "aws:lb:ListenerRule",
        &["listenerArn", "loadBalancerArn"],
    )
}

pub fn certificates_per_load_balancer(stacks: &[Stack]) -> Vec<Usage> {
    per_parent(
        stacks,
        "aws:lb:ListenerCertificate",
        &["listenerArn", "loadBalancerArn"],
    )
}

/// Distinct target groups that a load balancer's listeners and rules forward to.
pub fn target_groups_per_load_balancer(stacks: &[Stack]) -> Vec<Usage> {
    let mut usages = Vec::new();
    for stack in stacks {
        let mut groups: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        for (name, resource) in stack.program.resources() {
            let (actions, path): (&str, &[&str]) = match resource.type_token() {
                "aws:lb:Listener" => ("defaultActions", &["loadBalancerArn"]),
                "aws:lb:ListenerRule" => ("actions", &["listenerArn", "loadBalancerArn"]),
                _ => continue,
            };
            let Some(balancer) = follow(stack.program, name, path) else {
                continue;
            };
            let entry = groups.entry(balancer).or_default();
            if let Some(actions) = resource.property(actions) {
                collect_roots(actions, "targetGroupArn", entry);
            }
        }
        usages.extend(groups.into_iter().map(|(balancer, set)| Usage {
            scope: format!("{}/{balancer}", stack.name),
            used: set.len() as u64,
        }));
    }
    usages
}

/// Host names, paths and other values in each rule's conditions.
pub fn condition_values_per_rule(stacks: &[Stack]) -> Vec<Usage> {
    per_resource(stacks, |_, name, resource| {
        if resource.type_token() != "aws:lb:ListenerRule" {
            return Vec::new();
        }
        let mut values = 0;
        if let Some(Expr::List(conditions)) = resource.property("conditions") {
            for condition in conditions {
                if let Expr::Map(kinds) = condition {
                    for kind in kinds.values() {
                        if let Expr::Map(fields) = kind {
                            if let Some(Expr::List(list)) = fields.get("values") {
                                values += list.len() as u64;
                            }
                        }
                    }
                }
            }
        }
        vec![(name.to_string(), values)]
    })
}

pub fn target_groups_per_auto_scaling_group(stacks: &[Stack]) -> Vec<Usage> {
    per_resource(stacks, |_, name, resource| {
        if resource.type_token() != "aws:autoscaling:Group" {
            return Vec::new();
        }
        vec![(
            name.to_string(),
            list_len(resource.property("targetGroupArns")),
        )]
    })
}

pub fn interface_endpoints_per_vpc(stacks: &[Stack]) -> Vec<Usage> {
    per_resource(stacks, |program, name, resource| {
        let interface =
            matches!(resource.property("vpcEndpointType"), Some(Expr::Str(t)) if t == "Interface");
        if resource.type_token() != "aws:ec2:VpcEndpoint" || !interface {
            return Vec::new();
        }
        follow(program, name, &["vpcId"])
            .map(|vpc| vec![(vpc.to_string(), 1)])
            .unwrap_or_default()
    })
}

/// Resources of `type_token` in every stack, counted against each VPC: every system has one
/// VPC, and cells place their resources in the platform's through a stack reference.
pub fn per_vpc(stacks: &[Stack], type_token: &str) -> Vec<Usage> {
    let [total] = count(stacks, type_token).try_into().expect("one total");
    vpcs(stacks, total.used)
}

/// The primary range of each VPC plus every secondary range attached to it (by any stack).
pub fn cidr_blocks_per_vpc(stacks: &[Stack]) -> Vec<Usage> {
    let [secondary] = count(stacks, "aws:ec2:VpcIpv4CidrBlockAssociation")
        .try_into()
        .expect("one total");
    vpcs(stacks, 1 + secondary.used)
}

fn vpcs(stacks: &[Stack], used: u64) -> Vec<Usage> {
    stacks
        .iter()
        .flat_map(|stack| {
            let program = stack.program;
            program
                .resources()
                .iter()
                .filter(|(_, r)| r.type_token() == "aws:ec2:Vpc")
                .map(move |(name, _)| Usage {
                    scope: format!("{}/{name}", stack.name),
                    used,
                })
        })
        .collect()
}

/// Child resources of each REST API, plus the root resource API Gateway creates with it.
pub fn resources_per_rest_api(stacks: &[Stack]) -> Vec<Usage> {
    let mut usages = per_parent(stacks, "aws:apigateway:Resource", &["restApi"]);
    for usage in &mut usages {
        usage.used += 1;
    }
    usages
}

/// Cache nodes: one per cache cluster of each replication group (`numCacheClusters`).
pub fn cache_nodes(stacks: &[Stack]) -> Vec<Usage> {
    total(stacks, |_, resource| {
        if resource.type_token() != "aws:elasticache:ReplicationGroup" {
            return 0;
        }
        match resource.property("numCacheClusters") {
            Some(Expr::Int(n)) => u64::try_from(*n).unwrap_or(0),
            _ => 1,
        }
    })
}

/// Users listed on each user group plus those associated with it separately.
pub fn users_per_user_group(stacks: &[Stack]) -> Vec<Usage> {
    per_resource(stacks, |program, name, resource| {
        match resource.type_token() {
            "aws:elasticache:UserGroup" => {
                vec![(name.to_string(), list_len(resource.property("userIds")))]
            }
            "aws:elasticache:UserGroupAssociation" => parent(program, name, &["userGroupId"])
                .map(|group| vec![(group, 1)])
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    })
}

/// User pool domains with a certificate are custom domains; prefix domains need none.
pub fn cognito_custom_domains(stacks: &[Stack]) -> Vec<Usage> {
    total(stacks, |_, resource| {
        u64::from(
            resource.type_token() == "aws:cognito:UserPoolDomain"
                && resource.property("certificateArn").is_some(),
        )
    })
}

pub fn domains_per_distribution_tenant(stacks: &[Stack]) -> Vec<Usage> {
    per_resource(stacks, |_, name, resource| {
        if resource.type_token() != "aws:cloudfront:DistributionTenant" {
            return Vec::new();
        }
        vec![(name.to_string(), list_len(resource.property("domains")))]
    })
}

/// The subject plus the alternative names of each ACM certificate.
pub fn names_per_certificate(stacks: &[Stack]) -> Vec<Usage> {
    per_resource(stacks, |_, name, resource| {
        if resource.type_token() != "aws:acm:Certificate" {
            return Vec::new();
        }
        let alternatives = list_len(resource.property("subjectAlternativeNames"));
        vec![(name.to_string(), 1 + alternatives)]
    })
}

/// One usage over every stack, adding `weigh` for each resource.
fn total(stacks: &[Stack], weigh: impl Fn(&Program, &Resource) -> u64) -> Vec<Usage> {
    let used = stacks
        .iter()
        .flat_map(|stack| {
            let weigh = &weigh;
            stack
                .program
                .resources()
                .values()
                .map(move |resource| weigh(stack.program, resource))
        })
        .sum();
    vec![Usage {
        scope: "total".into(),
        used,
    }]
}

/// Marks a key that names another stack's export rather than a resource of this stack.
const IMPORTED: &str = "import:";

/// Usages keyed by resource within each stack; `attribute` says which keys a resource adds to.
/// A key naming an imported resource (see [`parent`]) counts against the resource the
/// producing stack exported: the cells' users of one shared Redis group all count against it.
fn per_resource<'p>(
    stacks: &'p [Stack],
    attribute: impl Fn(&'p Program, &'p str, &'p Resource) -> Vec<(String, u64)>,
) -> Vec<Usage> {
    let mut counts: Vec<BTreeMap<String, u64>> = vec![BTreeMap::new(); stacks.len()];
    for (index, stack) in stacks.iter().enumerate() {
        for (name, resource) in stack.program.resources() {
            for (key, used) in attribute(stack.program, name, resource) {
                let (owner, key) = match key.strip_prefix(IMPORTED) {
                    Some(export) => exported(stacks, export).unwrap_or((index, key)),
                    None => (index, key),
                };
                *counts[owner].entry(key).or_default() += used;
            }
        }
    }
    stacks
        .iter()
        .zip(counts)
        .flat_map(|(stack, counts)| {
            counts.into_iter().map(move |(key, used)| Usage {
                scope: format!("{}/{key}", stack.name),
                used,
            })
        })
        .collect()
}

/// The stack (by index) and resource behind `export` (`<stack label>/<output>`): the stack a
/// reference named after it reads, and the resource its output refers to.
fn exported(stacks: &[Stack], export: &str) -> Option<(usize, String)> {
    let (label, output) = export.split_once('/')?;
    stacks.iter().enumerate().find_map(|(index, stack)| {
        if stack.program.stack() != label {
            return None;
        }
        let mut roots = BTreeSet::new();
        stack
            .program
            .output_value(output)?
            .for_each_reference(&mut |r| {
                roots.insert(r.root().to_string());
            });
        let root = roots.into_iter().next()?;
        Some((index, root))
    })
}

/// The key of the resource `name` counts against through `path`: the resource's name in
/// this program, or for a resource read through a stack reference `import:<ref>/<output>`.
fn parent(program: &Program, name: &str, path: &[&str]) -> Option<String> {
    let (last, rest) = path.split_last()?;
    let holder = follow(program, name, rest)?;
    let Some(Expr::Ref(reference)) = program.resources().get(holder)?.property(last) else {
        return None;
    };
    let root = reference.root();
    let is_import = program
        .resources()
        .get(root)
        .is_some_and(|r| r.type_token() == "pulumi:pulumi:StackReference");
    let output = reference
        .path()
        .strip_prefix(".outputs[\"")
        .and_then(|rest| rest.split_once("\"]"))
        .map(|(output, _)| output);
    match (is_import, output) {
        (true, Some(output)) => Some(format!("{IMPORTED}{root}/{output}")),
        _ => Some(root.to_string()),
    }
}

/// Follows reference properties from resource `name`; the name of the last one reached.
fn follow<'p>(program: &'p Program, name: &'p str, path: &[&str]) -> Option<&'p str> {
    let mut current = name;
    for property in path {
        let resource = program.resources().get(current)?;
        let Some(Expr::Ref(reference)) = resource.property(property) else {
            return None;
        };
        current = reference.root();
    }
    Some(current)
}

/// Roots of the references found under any `key` inside `expr`.
fn collect_roots(expr: &Expr, key: &str, into: &mut BTreeSet<String>) {
    match expr {
        Expr::Map(entries) => {
            for (k, value) in entries {
                if k == key {
                    value.for_each_reference(&mut |r| {
                        into.insert(r.root().to_string());
                    });
                } else {
                    collect_roots(value, key, into);
                }
            }
        }
        Expr::List(items) => items.iter().for_each(|item| collect_roots(item, key, into)),
        _ => {}
    }
}

fn list_len(expr: Option<&Expr>) -> u64 {
    match expr {
        Some(Expr::List(items)) => items.len() as u64,
        _ => 0,
    }
}
