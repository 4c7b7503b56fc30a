//! EC2 instances and launch templates: IMDSv2 (TAP-EC2-3) and encrypted volumes (TAP-EC2-4).

use serde_json::Value;

use super::graph::{Graph, Res};
use super::value::{as_bool, get_path, items};
use super::Out;

pub fn check(g: &Graph, out: &mut Out) {
    for r in g
        .of("aws:ec2:LaunchTemplate")
        .chain(g.of("aws:ec2:Instance"))
    {
        imds_v2(r, out);
    }
    for lt in g.of("aws:ec2:LaunchTemplate") {
        let mappings: Vec<(usize, &Value)> = items(lt.props.get("blockDeviceMappings"))
            .into_iter()
            .enumerate()
            .filter(|(_, m)| m.get("ebs").is_some())
            .collect();
        if mappings.is_empty() {
            out.push(
                "TAP-EC2-4",
                lt.name,
                "properties.blockDeviceMappings",
                "no EBS block device mapping: the root volume's encryption is left to the AMI and account default",
            );
        }
        for (i, m) in mappings {
            if as_bool(get_path(m, "ebs.encrypted")) != Some(true) {
                out.push(
                    "TAP-EC2-4",
                    lt.name,
                    format!("properties.blockDeviceMappings[{i}].ebs.encrypted"),
                    "EBS volume not encrypted",
                );
            }
        }
    }
    for inst in g.of("aws:ec2:Instance") {
        if as_bool(get_path(inst.props, "rootBlockDevice.encrypted")) != Some(true) {
            out.push(
                "TAP-EC2-4",
                inst.name,
                "properties.rootBlockDevice.encrypted",
                "root volume not encrypted",
            );
        }
        for (i, d) in items(inst.props.get("ebsBlockDevices"))
            .into_iter()
            .enumerate()
        {
            if as_bool(d.get("encrypted")) != Some(true) {
                out.push(
                    "TAP-EC2-4",
                    inst.name,
                    format!("properties.ebsBlockDevices[{i}].encrypted"),
                    "EBS volume not encrypted",
                );
            }
        }
    }
    for v in g.of("aws:ebs:Volume") {
        if as_bool(v.props.get("encrypted")) != Some(true) {
            out.push(
                "TAP-EC2-4",
                v.name,
                "properties.encrypted",
                "EBS volume not encrypted",
            );
        }
    }
}

/// TAP-EC2-3: the instance metadata service needs session tokens (or is off).
fn imds_v2(r: &Res, out: &mut Out) {
    let tokens = get_path(r.props, "metadataOptions.httpTokens").and_then(Value::as_str);
    let endpoint = get_path(r.props, "metadataOptions.httpEndpoint").and_then(Value::as_str);
    if tokens != Some("required") && endpoint != Some("disabled") {
        out.push(
            "TAP-EC2-3",
            r.name,
            "properties.metadataOptions.httpTokens",
            "IMDSv1 allowed: set metadataOptions.httpTokens: required",
        );
    }
}
