//! The edge built over a config with every DNS mode, asserted on the rendered program and
//! run through the project's checker.

use serde_json::{json, Value};

use crate::testing::{build, config, findings, of_type, render};

fn main() -> Value {
    render(&build(&config()).0)
}

fn props<'a>(main: &'a Value, name: &str) -> &'a Value {
    let r = &main["resources"][name];
    assert!(!r.is_null(), "no resource {name}");
    &r["properties"]
}

#[test]
fn the_checker_finds_nothing() {
    assert_eq!(findings(&main()), Vec::<String>::new());
    // It does look: a property the schema does not know is reported.
    let mut broken = main();
    broken["resources"]["edge-distribution"]["properties"]["aliases"] = json!(["acme.io"]);
    assert!(
        findings(&broken)
            .iter()
            .any(|f| f.contains("edge-distribution")),
        "{:?}",
        findings(&broken)
    );
}

#[test]
fn certificates_cover_exactly_the_tenant_domains_in_us_east_1() {
    let main = main();
    let acme = props(&main, "acme-certificate");
    assert_eq!(acme["domainName"], "acme.io");
    assert_eq!(acme["subjectAlternativeNames"], json!(["*.acme.io"]));
    assert_eq!(acme["validationMethod"], "DNS");
    assert_eq!(acme["region"], "us-east-1");
    let globex = props(&main, "globex-certificate");
    assert_eq!(globex["domainName"], "shop.globex.com");
    assert_eq!(globex["subjectAlternativeNames"], json!(["api.globex.com"]));
    let umbrella = props(&main, "umbrella-certificate");
    assert_eq!(umbrella["domainName"], "umbrella.tap.example.com");
    assert_eq!(
        umbrella["subjectAlternativeNames"],
        json!(["*.umbrella.tap.example.com"])
    );
    // The origin certificate serves the load balancer, in the stack's region.
    let origin = props(&main, "origin-certificate");
    assert_eq!(origin["domainName"], "*.origin.tap.example.com");
    assert!(origin.get("region").is_none());
}

#[test]
fn one_validation_record_per_distinct_record_name() {
    let main = main();
    let records = |prefix: &str| -> Vec<String> {
        of_type(&main, "aws:route53:Record")
            .into_iter()
            .filter(|(n, _)| n.starts_with(&format!("{prefix}-validation-")))
            .map(|(_, r)| r["properties"]["name"].as_str().unwrap().to_string())
            .collect()
    };
    // Apex + wildcard: one record.
    assert_eq!(
        records("acme-certificate"),
        ["${acme-certificate.domainValidationOptions[0].resourceRecordName}"]
    );
    // Two hosts: two records, each read from a distinct option.
    let mut globex = records("globex-certificate");
    globex.sort();
    assert_eq!(globex.len(), 2);
    assert_ne!(globex[0], globex[1]);
    // Every validation waits on exactly its own records.
    let validation = props(&main, "globex-certificate-validation");
    assert_eq!(
        validation["validationRecordFqdns"],
        json!([
            "${globex-certificate-validation-shop-globex-com.fqdn}",
            "${globex-certificate-validation-api-globex-com.fqdn}"
        ])
    );
    assert_eq!(
        props(&main, "globex-certificate-validation-api-globex-com")["zoneId"],
        "${globex-zone-api-globex-com.zoneId}"
    );
}

#[test]
fn customer_dns_gets_a_managed_certificate_and_nothing_that_waits() {
    let main = main();
    let names: Vec<&str> = main["resources"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert!(
        names
            .iter()
            .all(|n| !n.starts_with("initech-") || *n == "initech-distribution-tenant"),
        "customer DNS: only the distribution tenant, got {names:?}"
    );
    let tenant = props(&main, "initech-distribution-tenant");
    assert_eq!(
        tenant["managedCertificateRequest"],
        json!({"primaryDomainName": "app.initech.com", "validationTokenHost": "cloudfront",
               "certificateTransparencyLoggingPreference": "enabled"})
    );
    assert!(tenant.get("customizations").is_none());
    assert_eq!(tenant["waitForDeployment"], false);
    assert_eq!(
        main["outputs"]["initech-dnsRecords"],
        json!([
            {"name": "app.initech.com", "type": "CNAME", "value": "${edge-connection-group.routingEndpoint}"},
            {"name": "www.initech.com", "type": "CNAME", "value": "${edge-connection-group.routingEndpoint}"}
        ])
    );
}

#[test]
fn hosted_tenants_get_zones_aliases_and_name_servers() {
    let main = main();
    assert_eq!(props(&main, "acme-zone-acme-io")["name"], "acme.io");
    for record in ["acme-alias-acme-io-a", "acme-alias-wildcard-acme-io-aaaa"] {
        let p = props(&main, record);
        assert_eq!(p["zoneId"], "${acme-zone-acme-io.zoneId}");
        assert_eq!(
            p["aliases"],
            json!([{"name": "${edge-connection-group.routingEndpoint}", "zoneId": "Z2FDTNDATAQYW2", "evaluateTargetHealth": false}])
        );
    }
    assert_eq!(
        main["outputs"]["acme-nameServers"],
        json!({"acme.io": "${acme-zone-acme-io.nameServers}"})
    );
    assert_eq!(main["outputs"]["acme-urls"], json!(["https://acme.io"]));
    let tenant = props(&main, "acme-distribution-tenant");
    assert_eq!(
        tenant["customizations"],
        json!({"certificate": {"arn": "${acme-certificate-validation.certificateArn}"}})
    );
    assert_eq!(
        tenant["parameters"],
        json!([{"name": "origin_domain", "value": "acme.origin.tap.example.com"}])
    );
    // Platform tenants live in the platform zone.
    assert_eq!(
        props(&main, "umbrella-alias-umbrella-tap-example-com-a")["zoneId"],
        "${platform-zone.zoneId}"
    );
}

#[test]
fn the_distribution_is_https_only_and_reaches_the_origin_over_tls() {
    let main = main();
    let d = props(&main, "edge-distribution");
    assert_eq!(
        d["viewerCertificate"]["minimumProtocolVersion"],
        "TLSv1.2_2021"
    );
    assert_eq!(
        d["defaultCacheBehavior"]["viewerProtocolPolicy"],
        "redirect-to-https"
    );
    for b in d["cacheBehaviors"].as_array().unwrap() {
        assert_eq!(b["viewerProtocolPolicy"], "redirect-to-https");
    }
    let app = &d["origins"][0];
    assert_eq!(app["domainName"], "{{origin_domain}}");
    assert_eq!(
        app["customOriginConfigs"][0]["originProtocolPolicy"],
        "https-only"
    );
    assert_eq!(
        app["customOriginConfigs"][0]["originSslProtocols"],
        json!(["TLSv1.2"])
    );
    // The verify header is a reference to a deploy-time secret, never a literal.
    assert_eq!(
        app["customHeaders"],
        json!([{"headerName": "X-Origin-Verify", "headerValue": "${origin-verify-secret.result}"}])
    );
    assert_eq!(
        main["resources"]["origin-verify-secret"]["type"],
        "random:RandomPassword"
    );
    // Host is not forwarded, so the origin certificate always matches.
    assert_eq!(
        main["variables"]["edgeOriginRequestPolicy"]["fn::invoke"]["arguments"]["name"],
        "Managed-AllViewerExceptHostHeader"
    );
}

#[test]
fn the_static_bucket_is_read_only_by_this_distribution() {
    let main = main();
    let statements = props(&main, "static-bucket-policy")["policy"]["fn::toJSON"]["Statement"]
        .as_array()
        .unwrap()
        .clone();
    let allows: Vec<&Value> = statements
        .iter()
        .filter(|s| s["Effect"] == "Allow")
        .collect();
    assert_eq!(
        allows,
        [&json!({
            "Sid": "CloudFrontReadsForTheDistribution",
            "Effect": "Allow",
            "Principal": {"Service": "cloudfront.amazonaws.com"},
            "Action": "s3:GetObject",
            "Resource": "${static-bucket.arn}/*",
            "Condition": {"StringEquals": {"AWS:SourceArn": "${edge-distribution.arn}"}}
        })]
    );
    let static_origin = &props(&main, "edge-distribution")["origins"][1];
    assert_eq!(
        static_origin["originAccessControlId"],
        "${static-origin-access.id}"
    );
    assert_eq!(
        props(&main, "static-bucket-public-access")["restrictPublicBuckets"],
        true
    );
}

#[test]
fn the_auth_zone_is_the_zone_of_the_auth_domain() {
    let (_, tenants) = build(&config());
    let zone = |i: usize| {
        tenants[i]
            .zone
            .as_ref()
            .map(|z| z.reference().root().to_string())
    };
    assert_eq!(zone(0).as_deref(), Some("acme-zone-acme-io"));
    assert_eq!(zone(2), None, "customer DNS has no zone");
    assert_eq!(zone(3).as_deref(), Some("platform-zone"));
}
