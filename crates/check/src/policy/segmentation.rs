//! TAP-ISO-3: network segmentation between tenants.
//!
//! A security group "serves" the tenants whose resources attach it (plus its own
//! `tenant_id` tag). A rule is cross-tenant when it lets a group serving tenant T exchange
//! traffic with a group serving another tenant U, when a group shared by several tenants
//! admits itself (its tenants then reach each other), or when it admits a CIDR that
//! overlaps another tenant's subnet.

use std::collections::BTreeSet;

use serde_json::Value;

use super::graph::Graph;
use super::network::{sg_rules, Peer};
use super::Out;

const SG_TYPES: &[&str] = &[
    "aws:ec2:SecurityGroup",
    "aws:ec2:SecurityGroupRule",
    "aws:vpc:SecurityGroupIngressRule",
    "aws:vpc:SecurityGroupEgressRule",
];

pub fn check(g: &Graph, out: &mut Out) {
    let subnets: Vec<(String, &str, (u32, u8))> = g
        .of("aws:ec2:Subnet")
        .filter_map(|s| {
            let tenant = g.owner(s.name)?;
            let net = parse_v4(s.props.get("cidrBlock").and_then(Value::as_str)?)?;
            Some((tenant.to_string(), s.name, net))
        })
        .collect();
    for rule in sg_rules(g) {
        let Some(group) = rule.group.as_deref() else {
            continue;
        };
        let serves = served_tenants(g, group);
        if serves.is_empty() {
            continue;
        }
        let verb = if rule.ingress { "admits" } else { "sends to" };
        for peer in &rule.peers {
            match peer {
                Peer::Group(other) if other == group => {
                    if serves.len() > 1 {
                        out.push(
                            "TAP-ISO-3",
                            rule.resource,
                            rule.path.clone(),
                            format!(
                                "{group} is attached to tenants {} and {verb} itself ({}): those tenants reach each other",
                                list(&serves),
                                rule.ports()
                            ),
                        );
                    }
                }
                Peer::Group(other) => {
                    let theirs = served_tenants(g, other);
                    let crossing = serves.iter().any(|t| theirs.iter().any(|u| u != t));
                    if crossing {
                        out.push(
                            "TAP-ISO-3",
                            rule.resource,
                            rule.path.clone(),
                            format!(
                                "{group} (tenants {}) {verb} {other} (tenants {}) on {}",
                                list(&serves),
                                list(&theirs),
                                rule.ports()
                            ),
                        );
                    }
                }
                Peer::Cidr(cidr) => {
                    let Some(net) = parse_v4(cidr).filter(|n| n.1 > 0) else {
                        continue;
                    };
                    for (u, subnet, sn) in &subnets {
                        if overlaps(net, *sn) && serves.iter().any(|t| t != u) {
                            out.push(
                                "TAP-ISO-3",
                                rule.resource,
                                rule.path.clone(),
                                format!("{group} (tenants {}) {verb} {cidr}, which covers subnet {subnet} of tenant {u}", list(&serves)),
                            );
                        }
                    }
                }
                Peer::Other => {}
            }
        }
    }
}

/// Tenants a security group serves: its own tag plus the owners of everything attaching it.
pub fn served_tenants(g: &Graph, sg: &str) -> BTreeSet<String> {
    let mut set: BTreeSet<String> = g.owner(sg).map(str::to_string).into_iter().collect();
    for r in g.referrers(sg) {
        if g.get(r).is_some_and(|x| !SG_TYPES.contains(&x.ty.as_str())) {
            set.extend(g.owner(r).map(str::to_string));
        }
    }
    set
}

fn list(set: &BTreeSet<String>) -> String {
    set.iter().cloned().collect::<Vec<_>>().join(", ")
}

/// `10.0.1.0/24` → (address, prefix length).
pub fn parse_v4(cidr: &str) -> Option<(u32, u8)> {
    let (addr, len) = cidr.trim().split_once('/')?;
    let len: u8 = len.parse().ok().filter(|l| *l <= 32)?;
    let octets: Vec<u32> = addr
        .split('.')
        .map(|o| o.parse::<u8>().ok().map(u32::from))
        .collect::<Option<_>>()?;
    if octets.len() != 4 {
        return None;
    }
    Some((octets.iter().fold(0, |acc, o| (acc << 8) | o), len))
}

fn overlaps(a: (u32, u8), b: (u32, u8)) -> bool {
    let len = a.1.min(b.1);
    let mask = if len == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(len))
    };
    a.0 & mask == b.0 & mask
}
