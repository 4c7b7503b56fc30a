//! System B as rendered (examples/enterprise): its fleets and origin (`TAP-EC2-6`,
//! `TAP-ELB-3`), and the rules System B leans on (`TAP-EC2-3`, `TAP-ISO-7`) firing on it.

use check::Project;
use serde_json::json;

use crate::support::*;

fn enterprise() -> Project {
    Project::load(&examples_dir().join("enterprise")).unwrap()
}

#[test]
fn the_rendered_enterprise_example_passes() {
    expect_exactly(&enterprise(), &[]);
}

#[test]
fn ec2_6_hop_limit_and_no_public_address() {
    let mut p = enterprise();
    props(&mut p, "pool-launch-template")["metadataOptions"]["httpPutResponseHopLimit"] = json!(2);
    expect_exactly(&p, &[("TAP-EC2-6", "pool-launch-template")]);

    let mut p = enterprise();
    props(&mut p, "acme-launch-template")["metadataOptions"]
        .as_object_mut()
        .unwrap()
        .shift_remove("httpPutResponseHopLimit");
    expect_exactly(&p, &[("TAP-EC2-6", "acme-launch-template")]);

    for public in [json!("true"), json!(null)] {
        let mut p = enterprise();
        let nic = &mut props(&mut p, "globex-launch-template")["networkInterfaces"][0];
        match public {
            serde_json::Value::Null => {
                nic.as_object_mut()
                    .unwrap()
                    .shift_remove("associatePublicIpAddress");
            }
            value => nic["associatePublicIpAddress"] = value,
        }
        expect_exactly(&p, &[("TAP-EC2-6", "globex-launch-template")]);
    }
}

#[test]
fn ec2_3_fires_on_a_fleet_template_without_imds_v2() {
    let mut p = enterprise();
    props(&mut p, "pool-launch-template")["metadataOptions"]["httpTokens"] = json!("optional");
    expect_exactly(&p, &[("TAP-EC2-3", "pool-launch-template")]);
}

#[test]
fn elb_3_every_forwarding_rule_behind_cloudfront_requires_the_verify_header() {
    let mut p = enterprise();
    let conditions = props(&mut p, "hooli-listener-rule")["conditions"]
        .as_array_mut()
        .unwrap();
    conditions.retain(|c| c.get("httpHeader").is_none());
    expect_exactly(&p, &[("TAP-ELB-3", "hooli-listener-rule")]);

    // A header condition without values does not count.
    let mut p = enterprise();
    props(&mut p, "acme-listener-rule")["conditions"][1]["httpHeader"]["values"] = json!([]);
    expect_exactly(&p, &[("TAP-ELB-3", "acme-listener-rule")]);

    // A listener forwarding by default lets every request through.
    let mut p = enterprise();
    props(&mut p, "https-listener")["defaultActions"] =
        json!([{"type": "forward", "targetGroupArn": "${pool-target-group.arn}"}]);
    expect_exactly(&p, &[("TAP-ELB-3", "https-listener")]);
}

#[test]
fn elb_3_judges_only_load_balancers_behind_cloudfront() {
    // The same rule without the header, on a load balancer open to a CIDR instead of the
    // CloudFront list: not this rule's concern (TAP-EC2-1 judges the opening).
    let mut p = enterprise();
    let conditions = props(&mut p, "hooli-listener-rule")["conditions"]
        .as_array_mut()
        .unwrap();
    conditions.retain(|c| c.get("httpHeader").is_none());
    let ingress = props(&mut p, "alb-https-from-cloudfront");
    ingress
        .as_object_mut()
        .unwrap()
        .shift_remove("prefixListId");
    ingress["cidrIpv4"] = json!("10.0.0.0/8");
    expect_exactly(&p, &[]);
}

#[test]
fn iso_7_fires_on_a_standard_tenants_redis_user_with_every_key() {
    let mut p = enterprise();
    let user = props(&mut p, "hooli-cache-user");
    let access = user["accessString"]
        .as_str()
        .unwrap()
        .replace("~t:hooli:*", "~*");
    user["accessString"] = json!(access);
    expect_exactly(&p, &[("TAP-ISO-7", "hooli-cache-user")]);
}

#[test]
fn cf_1_a_cloudfront_tenant_is_never_plain_http() {
    for tenant in ["acme-distribution-tenant", "globex-distribution-tenant"] {
        let mut p = enterprise();
        let t = props(&mut p, tenant).as_object_mut().unwrap();
        t.shift_remove("customizations");
        t.shift_remove("managedCertificateRequest");
        expect_exactly(&p, &[("TAP-CF-1", tenant)]);
    }
    for (path, value) in [
        ("defaultCacheBehavior", json!("allow-all")),
        ("cacheBehaviors", json!("allow-all")),
        ("viewerCertificate", json!("TLSv1")),
        ("origins", json!("match-viewer")),
    ] {
        let mut p = enterprise();
        let d = props(&mut p, "edge-distribution");
        match path {
            "defaultCacheBehavior" => d[path]["viewerProtocolPolicy"] = value,
            "cacheBehaviors" => d[path][0]["viewerProtocolPolicy"] = value,
            "viewerCertificate" => d[path]["minimumProtocolVersion"] = value,
            _ => d[path][0]["customOriginConfigs"][0]["originProtocolPolicy"] = value,
        }
        expect_exactly(&p, &[("TAP-CF-1", "edge-distribution")]);
    }
    let mut p = enterprise();
    props(&mut p, "edge-distribution")["origins"][0]["customOriginConfigs"][0]
        ["originSslProtocols"] = json!(["TLSv1", "TLSv1.2"]);
    expect_exactly(&p, &[("TAP-CF-1", "edge-distribution")]);
}
