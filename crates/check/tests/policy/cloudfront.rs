//! CloudFront SaaS Manager (`TAP-CF-3`, `TAP-CF-4`: distribution tenants, the multi-tenant
//! distribution's S3 origins, the buckets CloudFront reads), on the edge fixture rendered
//! by crates/edge.

use serde_json::json;

use crate::support::*;

fn edge() -> check::Project {
    fixture("edge")
}

#[test]
fn the_edge_fixture_passes() {
    expect_exactly(&edge(), &[]);
}

#[test]
fn cf_3_multitenant_static_origin_needs_origin_access_control() {
    let mut p = edge();
    props(&mut p, "edge-distribution")["origins"][1]
        .as_object_mut()
        .unwrap()
        .shift_remove("originAccessControlId");
    expect_exactly(&p, &[("TAP-CF-3", "edge-distribution")]);
}

#[test]
fn cf_3_tenant_on_plain_http() {
    // A static behaviour that lets HTTP in puts every tenant under the distribution on it
    // (the distribution itself is TAP-CF-1's).
    let mut p = edge();
    props(&mut p, "edge-distribution")["cacheBehaviors"][0]["viewerProtocolPolicy"] =
        json!("allow-all");
    let tenants: Vec<String> = policy(&p)
        .into_iter()
        .filter(|f| f.rule == "TAP-CF-3")
        .map(|f| f.resource)
        .collect();
    assert_eq!(
        tenants,
        [
            "acme-distribution-tenant",
            "globex-distribution-tenant",
            "initech-distribution-tenant",
            "umbrella-distribution-tenant"
        ]
    );
}

/// The bucket policy's statement that lets CloudFront read.
fn read(p: &mut check::Project) -> &mut serde_json::Value {
    &mut statements(p, "static-bucket-policy")[1]
}

#[test]
fn cf_4_cloudfront_reads_need_the_source_arn() {
    // No condition at all.
    let mut p = edge();
    read(&mut p)
        .as_object_mut()
        .unwrap()
        .shift_remove("Condition");
    expect_exactly(&p, &[("TAP-CF-4", "static-bucket")]);

    // A condition on something else.
    let mut p = edge();
    read(&mut p)["Condition"] = json!({"StringEquals": {"aws:SourceAccount": "123456789012"}});
    expect_exactly(&p, &[("TAP-CF-4", "static-bucket")]);

    // Any distribution at all.
    let mut p = edge();
    read(&mut p)["Condition"] =
        json!({"ArnLike": {"AWS:SourceArn": "arn:aws:cloudfront::123456789012:distribution/*"}});
    expect_exactly(&p, &[("TAP-CF-4", "static-bucket")]);

    // The exact distribution, with ArnEquals: fine.
    let mut p = edge();
    read(&mut p)["Condition"] = json!({"ArnEquals": {"aws:SourceArn": "${edge-distribution.arn}"}});
    expect_exactly(&p, &[]);
}
