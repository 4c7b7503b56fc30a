//! Security groups and subnets: internet ingress (TAP-EC2-1), descriptions (TAP-EC2-2) and
//! public IPs on launch (TAP-EC2-5). Also the security-group rule model shared with
//! `segmentation` (TAP-ISO-3).

use std::collections::BTreeSet;

use serde_json::Value;

use super::graph::Graph;
use super::value::{as_bool, as_num, items, text};
use super::Out;

/// Where traffic of one rule comes from (ingress) or goes to (egress).
#[derive(Debug, Clone, PartialEq)]
pub enum Peer {
    Cidr(String),
    /// A declared security group (the rule's own group for `self`).
    Group(String),
    /// Prefix lists, undeclared groups: not judged.
    Other,
}

/// One security-group rule, standalone or inline.
pub struct SgRule<'a> {
    /// Resource to report on: the rule resource, or the group for inline rules.
    pub resource: &'a str,
    /// `""` for rule resources, `properties.ingress[2]` for inline rules.
    pub path: String,
    pub ingress: bool,
    /// The group the rule belongs to.
    pub group: Option<String>,
    pub peers: Vec<Peer>,
    pub protocol: String,
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub description: Option<String>,
}

impl SgRule<'_> {
    pub fn all_ports(&self) -> bool {
        matches!(self.protocol.as_str(), "-1" | "all")
    }

    pub fn ports(&self) -> String {
        match (self.all_ports(), self.from, self.to) {
            (true, _, _) => "all traffic".into(),
            (_, Some(a), Some(b)) if a == b => format!("{} {a}", self.protocol),
            (_, Some(a), Some(b)) => format!("{} {a}-{b}", self.protocol),
            _ => self.protocol.clone(),
        }
    }
}

/// Every security-group rule in the program.
pub fn sg_rules<'a>(g: &Graph<'a>) -> Vec<SgRule<'a>> {
    let group_of = |v: Option<&Value>| v.and_then(|v| g.target(v)).map(|r| r.name.to_string());
    let peer_group = |v: &Value| group_of(Some(v)).map(Peer::Group).unwrap_or(Peer::Other);
    let port = |v: Option<&Value>| as_num(v).map(|n| n as i64);
    let desc = |v: Option<&Value>| v.and_then(text);
    let mut out = Vec::new();
    for r in g.all() {
        match r.ty.as_str() {
            "aws:vpc:SecurityGroupIngressRule" | "aws:vpc:SecurityGroupEgressRule" => {
                let p = r.props;
                let mut peers: Vec<Peer> = ["cidrIpv4", "cidrIpv6"]
                    .iter()
                    .filter_map(|k| p.get(*k).and_then(text))
                    .map(Peer::Cidr)
                    .collect();
                peers.extend(p.get("referencedSecurityGroupId").map(peer_group));
                peers.extend(p.get("prefixListId").map(|_| Peer::Other));
                out.push(SgRule {
                    resource: r.name,
                    path: String::new(),
                    ingress: r.ty.ends_with("IngressRule"),
                    group: group_of(p.get("securityGroupId")),
                    peers,
                    protocol: p
                        .get("ipProtocol")
                        .and_then(text)
                        .unwrap_or_default()
                        .to_ascii_lowercase(),
                    from: port(p.get("fromPort")),
                    to: port(p.get("toPort")),
                    description: desc(p.get("description")),
                });
            }
            "aws:ec2:SecurityGroupRule" => {
                let p = r.props;
                let group = group_of(p.get("securityGroupId"));
                out.push(SgRule {
                    resource: r.name,
                    path: String::new(),
                    ingress: p.get("type").and_then(Value::as_str) == Some("ingress"),
                    peers: inline_peers(p, group.as_deref(), &peer_group, "sourceSecurityGroupId"),
                    group,
                    protocol: p
                        .get("protocol")
                        .and_then(text)
                        .unwrap_or_default()
                        .to_ascii_lowercase(),
                    from: port(p.get("fromPort")),
                    to: port(p.get("toPort")),
                    description: desc(p.get("description")),
                });
            }
            "aws:ec2:SecurityGroup" => {
                for dir in ["ingress", "egress"] {
                    for (i, rule) in items(r.props.get(dir)).into_iter().enumerate() {
                        out.push(SgRule {
                            resource: r.name,
                            path: format!("properties.{dir}[{i}]"),
                            ingress: dir == "ingress",
                            group: Some(r.name.to_string()),
                            peers: inline_peers(rule, Some(r.name), &peer_group, "securityGroups"),
                            protocol: rule
                                .get("protocol")
                                .and_then(text)
                                .unwrap_or_default()
                                .to_ascii_lowercase(),
                            from: port(rule.get("fromPort")),
                            to: port(rule.get("toPort")),
                            description: desc(rule.get("description")),
                        });
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn inline_peers(
    p: &Value,
    group: Option<&str>,
    peer_group: &dyn Fn(&Value) -> Peer,
    groups_key: &str,
) -> Vec<Peer> {
    let mut peers: Vec<Peer> = ["cidrBlocks", "ipv6CidrBlocks"]
        .iter()
        .flat_map(|k| items(p.get(*k)))
        .filter_map(text)
        .map(Peer::Cidr)
        .collect();
    peers.extend(items(p.get(groups_key)).into_iter().map(peer_group));
    peers.extend(
        items(p.get("prefixListIds"))
            .into_iter()
            .map(|_| Peer::Other),
    );
    if as_bool(p.get("self")) == Some(true) {
        peers.push(
            group
                .map(|g| Peer::Group(g.to_string()))
                .unwrap_or(Peer::Other),
        );
    }
    peers
}

pub fn check(g: &Graph, out: &mut Out) {
    let rules = sg_rules(g);
    internet_ingress(g, &rules, out);
    descriptions(g, &rules, out);
    for s in g.of("aws:ec2:Subnet") {
        if as_bool(s.props.get("mapPublicIpOnLaunch")) == Some(true) {
            out.push(
                "TAP-EC2-5",
                s.name,
                "properties.mapPublicIpOnLaunch",
                "subnet gives every instance a public IP; set mapPublicIpOnLaunch: false (load balancers and NAT gateways get their own)",
            );
        }
    }
}

/// Listener ports of the internet-facing load balancers that use security group `sg`.
fn public_listener_ports(g: &Graph, sg: &str) -> BTreeSet<i64> {
    let mut ports = BTreeSet::new();
    for lb in g.of("aws:lb:LoadBalancer") {
        let uses = items(lb.props.get("securityGroups"))
            .into_iter()
            .any(|v| g.target(v).is_some_and(|t| t.name == sg));
        if !uses || as_bool(lb.props.get("internal")) == Some(true) {
            continue;
        }
        for l in g.companions("aws:lb:Listener", "loadBalancerArn", lb.name) {
            ports.extend(as_num(l.props.get("port")).map(|p| p as i64));
        }
    }
    ports
}

/// TAP-EC2-1: ingress from 0.0.0.0/0 or ::/0 only to an internet-facing load balancer's
/// group, and only on its listener ports.
fn internet_ingress(g: &Graph, rules: &[SgRule], out: &mut Out) {
    for rule in rules.iter().filter(|r| r.ingress) {
        for peer in &rule.peers {
            let Peer::Cidr(cidr) = peer else { continue };
            if !matches!(cidr.trim(), "0.0.0.0/0" | "::/0") {
                continue;
            }
            let group = rule.group.as_deref().unwrap_or_default();
            let ports = public_listener_ports(g, group);
            let tcp = matches!(rule.protocol.as_str(), "tcp" | "6");
            let single = rule.from.is_some() && rule.from == rule.to;
            let fine = tcp && single && rule.from.is_some_and(|p| ports.contains(&p));
            if fine {
                continue;
            }
            let why = if ports.is_empty() {
                format!("{group} is not the security group of an internet-facing load balancer")
            } else {
                format!("the load balancer listens on {ports:?} only")
            };
            out.push(
                "TAP-EC2-1",
                rule.resource,
                rule.path.clone(),
                format!("ingress from {cidr} on {}: {why}", rule.ports()),
            );
        }
    }
}

/// TAP-EC2-2: every security group and every rule says why it exists.
fn descriptions(g: &Graph, rules: &[SgRule], out: &mut Out) {
    for sg in g.of("aws:ec2:SecurityGroup") {
        if sg
            .props
            .get("description")
            .and_then(text)
            .is_none_or(|d| d.trim().is_empty())
        {
            out.push(
                "TAP-EC2-2",
                sg.name,
                "properties.description",
                "security group has no description",
            );
        }
    }
    for rule in rules {
        if rule
            .description
            .as_deref()
            .is_none_or(|d| d.trim().is_empty())
        {
            let path = if rule.path.is_empty() {
                "properties.description".to_string()
            } else {
                format!("{}.description", rule.path)
            };
            out.push(
                "TAP-EC2-2",
                rule.resource,
                path,
                format!("security group rule ({}) has no description", rule.ports()),
            );
        }
    }
}
