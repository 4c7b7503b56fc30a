//! CloudFront SaaS Manager (`TAP-CF-1..4` on multi-tenant distributions, distribution
//! tenants and the buckets they serve), on the edge fixture rendered by crates/edge.

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
fn cf_1_multitenant_distribution_tls() {
    let mut p = edge();
    props(&mut p, "edge-distribution")["viewerCertificate"]["minimumProtocolVersion"] =
        json!("TLSv1");
    expect_exactly(&p, &[("TAP-CF-1", "edge-distribution")]);

    let mut p = edge();
    props(&mut p, "edge-distribution")["origins"][0]["customOriginConfigs"][0]
        ["originProtocolPolicy"] = json!("match-viewer");
    expect_exactly(&p, &[("TAP-CF-1", "edge-distribution")]);
}

#[test]
fn cf_2_multitenant_static_origin_needs_origin_access_control() {
    let mut p = edge();
    props(&mut p, "edge-distribution")["origins"][1]
        .as_object_mut()
        .unwrap()
        .shift_remove("originAccessControlId");
    expect_exactly(&p, &[("TAP-CF-2", "edge-distribution")]);
}

#[test]
fn cf_3_tenant_on_plain_http() {
    // A static behaviour that lets HTTP in: the distribution and every tenant under it.
    let mut p = edge();
    props(&mut p, "edge-distribution")["cacheBehaviors"][0]["viewerProtocolPolicy"] =
        json!("allow-all");
    expect_exactly(
        &p,
        &[
            ("TAP-CF-1", "edge-distribution"),
            ("TAP-CF-3", "acme-distribution-tenant"),
            ("TAP-CF-3", "globex-distribution-tenant"),
            ("TAP-CF-3", "initech-distribution-tenant"),
            ("TAP-CF-3", "umbrella-distribution-tenant"),
        ],
    );
}

#[test]
fn cf_3_tenant_without_a_certificate() {
    let mut p = edge();
    props(&mut p, "acme-distribution-tenant")
        .as_object_mut()
        .unwrap()
        .shift_remove("customizations");
    expect_exactly(&p, &[("TAP-CF-3", "acme-distribution-tenant")]);

    let mut p = edge();
    props(&mut p, "initech-distribution-tenant")
        .as_object_mut()
        .unwrap()
        .shift_remove("managedCertificateRequest");
    expect_exactly(&p, &[("TAP-CF-3", "initech-distribution-tenant")]);
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
