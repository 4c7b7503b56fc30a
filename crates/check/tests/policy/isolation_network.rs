//! Network isolation (`TAP-ISO-3`): security groups admitting another tenant's workloads.

use serde_json::{json, Value};

use crate::support::*;

fn ingress(group: &str, from: &str, port: i64) -> Value {
    json!({"type": "aws:vpc:SecurityGroupIngressRule", "properties": {
        "securityGroupId": format!("${{{group}.id}}"), "description": "test", "ipProtocol": "tcp",
        "fromPort": port, "toPort": port, "referencedSecurityGroupId": format!("${{{from}.id}}")}})
}

#[test]
fn iso3_tenant_group_admits_another_tenants_group() {
    let mut p = ecs();
    add(
        &mut p,
        "acme-from-globex",
        ingress("acme-corp-task-sg", "globex-inc-task-sg", 80),
    );
    expect_exactly(&p, &[("TAP-ISO-3", "acme-from-globex")]);
}

#[test]
fn iso3_shared_workload_group_admitting_itself_or_admitted_by_a_tenant() {
    let mut p = ecs();
    add(
        &mut p,
        "workloads-self",
        ingress("workloads-sg", "workloads-sg", 8080),
    );
    expect_exactly(&p, &[("TAP-ISO-3", "workloads-self")]);

    // workloads-sg is attached to every tenant's service: admitting it admits them all.
    let mut p = ecs();
    add(
        &mut p,
        "acme-from-workloads",
        ingress("acme-corp-task-sg", "workloads-sg", 80),
    );
    expect_exactly(&p, &[("TAP-ISO-3", "acme-from-workloads")]);
}

#[test]
fn iso3_inline_ingress_and_legacy_rules() {
    let mut p = ecs();
    props(&mut p, "acme-corp-task-sg")["ingress"] = json!([{"description": "x", "protocol": "tcp", "fromPort": 80,
        "toPort": 80, "securityGroups": ["${globex-inc-task-sg.id}"]}]);
    expect_exactly(&p, &[("TAP-ISO-3", "acme-corp-task-sg")]);
    assert_eq!(policy(&p)[0].path, "properties.ingress[0]");

    let mut p = ecs();
    add(
        &mut p,
        "legacy-egress",
        json!({"type": "aws:ec2:SecurityGroupRule", "properties": {
        "type": "egress", "securityGroupId": "${globex-inc-task-sg.id}", "description": "x", "protocol": "tcp",
        "fromPort": 80, "toPort": 80, "sourceSecurityGroupId": "${initech-llc-task-sg.id}"}}),
    );
    expect_exactly(&p, &[("TAP-ISO-3", "legacy-egress")]);
}

#[test]
fn iso3_cidr_covering_another_tenants_subnet() {
    let mut p = fixture("serverless");
    add(
        &mut p,
        "tenant-001-from-002",
        json!({"type": "aws:vpc:SecurityGroupIngressRule", "properties": {
        "securityGroupId": "${tenant-001-sg.id}", "description": "x", "ipProtocol": "tcp",
        "fromPort": 443, "toPort": 443, "cidrIpv4": "10.0.0.0/16"}}),
    );
    expect_exactly(&p, &[("TAP-ISO-3", "tenant-001-from-002")]);
    props(&mut p, "tenant-001-from-002")["cidrIpv4"] = json!("10.0.1.0/24");
    expect_exactly(&p, &[]);
}
