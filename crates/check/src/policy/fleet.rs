//! System B's fleets and origin: launch templates keep instance credentials on the host and
//! give no public address (TAP-EC2-6); a load balancer that only CloudFront may reach
//! answers only requests carrying the origin-verify header (TAP-ELB-3).

use serde_json::Value;

use super::graph::{Graph, Res};
use super::value::{as_num, get_path, items, refs, text};
use super::Out;

/// The managed prefix list of CloudFront's origin-facing addresses.
const CLOUDFRONT_ORIGIN_FACING: &str = "com.amazonaws.global.cloudfront.origin-facing";

pub fn check(g: &Graph, out: &mut Out) {
    for lt in g.of("aws:ec2:LaunchTemplate") {
        launch_template(lt, out);
    }
    for lb in g.of("aws:lb:LoadBalancer") {
        if behind_cloudfront(g, lb) {
            origin_rules(g, lb, out);
        }
    }
}

/// TAP-EC2-6: hop limit 1 (a container on the host cannot reach the credentials; AL2023
/// images default to 2) and no interface with a public address.
fn launch_template(lt: &Res, out: &mut Out) {
    let hops = as_num(get_path(
        lt.props,
        "metadataOptions.httpPutResponseHopLimit",
    ));
    if hops != Some(1.0) {
        out.push(
            "TAP-EC2-6",
            lt.name,
            "properties.metadataOptions.httpPutResponseHopLimit",
            "set metadataOptions.httpPutResponseHopLimit: 1 (the image's default may be 2)",
        );
    }
    for (i, nic) in items(lt.props.get("networkInterfaces"))
        .into_iter()
        .enumerate()
    {
        let public = nic.get("associatePublicIpAddress").and_then(text);
        if public.as_deref() != Some("false") {
            out.push(
                "TAP-EC2-6",
                lt.name,
                format!("properties.networkInterfaces[{i}].associatePublicIpAddress"),
                "network interface may get a public IP: set associatePublicIpAddress: \"false\"",
            );
        }
    }
}

/// The load balancer's security groups admit CloudFront's origin-facing prefix list.
fn behind_cloudfront(g: &Graph, lb: &Res) -> bool {
    let groups: Vec<&str> = g
        .roots_in(lb.props.get("securityGroups").unwrap_or(&Value::Null))
        .iter()
        .map(|r| r.name)
        .collect();
    g.of("aws:vpc:SecurityGroupIngressRule").any(|rule| {
        let group = rule.props.get("securityGroupId").and_then(|v| g.target(v));
        group.is_some_and(|t| groups.contains(&t.name))
            && rule
                .props
                .get("prefixListId")
                .and_then(text)
                .is_some_and(|list| names_cloudfront_list(g, &list))
    })
}

/// `list` is `${variable}` of a `getManagedPrefixList` lookup of CloudFront's list.
fn names_cloudfront_list(g: &Graph, list: &str) -> bool {
    refs(list).into_iter().any(|(root, _)| {
        g.variable(root)
            .and_then(|v| get_path(v, "fn::invoke.arguments.name"))
            .and_then(Value::as_str)
            == Some(CLOUDFRONT_ORIGIN_FACING)
    })
}

/// TAP-ELB-3: every rule that forwards on a listener of `lb` requires a header, and no
/// listener forwards by default: without the header anyone on CloudFront could reach the
/// origin through their own distribution.
fn origin_rules(g: &Graph, lb: &Res, out: &mut Out) {
    for listener in g.companions("aws:lb:Listener", "loadBalancerArn", lb.name) {
        if forwards(listener.props.get("defaultActions")) {
            out.push(
                "TAP-ELB-3",
                listener.name,
                "properties.defaultActions",
                "listener behind CloudFront forwards by default: a request without the origin-verify header must get a fixed response",
            );
        }
        for rule in g.companions("aws:lb:ListenerRule", "listenerArn", listener.name) {
            let header = items(rule.props.get("conditions"))
                .into_iter()
                .any(|c| !items(get_path(c, "httpHeader.values")).is_empty());
            if forwards(rule.props.get("actions")) && !header {
                out.push(
                    "TAP-ELB-3",
                    rule.name,
                    "properties.conditions",
                    "rule behind CloudFront forwards without requiring the origin-verify header (an httpHeader condition)",
                );
            }
        }
    }
}

fn forwards(actions: Option<&Value>) -> bool {
    items(actions)
        .into_iter()
        .any(|a| a.get("type").and_then(Value::as_str) == Some("forward"))
}
