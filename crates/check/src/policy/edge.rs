//! The edge: load balancers (TAP-ELB-*), CloudFront (TAP-CF-*) and Cognito (TAP-COG-1).

use serde_json::Value;

use super::graph::{Graph, Res};
use super::value::{as_bool, as_num, get_path, items, text};
use super::Out;

/// Listener TLS policies accepted on HTTPS / TLS listeners (TLS 1.2+ with forward secrecy).
const TLS_POLICY_PREFIXES: &[&str] = &[
    "ELBSecurityPolicy-TLS13-1-2-",
    "ELBSecurityPolicy-TLS13-1-3-",
    "ELBSecurityPolicy-FS-1-2-",
];
/// CloudFront viewer minimum protocol versions accepted.
const CF_MIN_PROTOCOLS: &[&str] = &["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"];

pub fn check(g: &Graph, out: &mut Out) {
    for lb in g.of("aws:lb:LoadBalancer") {
        let application = lb
            .props
            .get("loadBalancerType")
            .and_then(Value::as_str)
            .is_none_or(|t| t == "application");
        if application && as_bool(lb.props.get("dropInvalidHeaderFields")) != Some(true) {
            out.push(
                "TAP-ELB-1",
                lb.name,
                "properties.dropInvalidHeaderFields",
                "application load balancer forwards invalid HTTP headers (dropInvalidHeaderFields: true)",
            );
        }
    }
    listeners(g, out);
    for d in g.of("aws:cloudfront:Distribution") {
        distribution(g, d, out);
    }
    for d in g.of("aws:cloudfront:MultitenantDistribution") {
        multitenant(d, out);
    }
    for t in g.of("aws:cloudfront:DistributionTenant") {
        let certificate = get_path(t.props, "customizations.certificate.arn").is_some()
            || t.props.get("managedCertificateRequest").is_some();
        if !items(t.props.get("domains")).is_empty() && !certificate {
            out.push(
                "TAP-CF-1",
                t.name,
                "properties.customizations.certificate",
                "distribution tenant serves its domains without a certificate (customizations.certificate.arn or managedCertificateRequest)",
            );
        }
    }
    for oac in g.of("aws:cloudfront:OriginAccessControl") {
        if oac.props.get("signingBehavior").and_then(Value::as_str) != Some("always") {
            out.push(
                "TAP-CF-2",
                oac.name,
                "properties.signingBehavior",
                "origin access control does not always sign requests",
            );
        }
    }
    for pool in g.of("aws:cognito:UserPool") {
        password_policy(pool, out);
    }
}

fn redirects_to_https(actions: Option<&Value>) -> bool {
    let actions = items(actions);
    !actions.is_empty()
        && actions.iter().all(|a| {
            a.get("type").and_then(Value::as_str) == Some("redirect")
                && get_path(a, "redirect.protocol").and_then(Value::as_str) == Some("HTTPS")
        })
}

/// TAP-ELB-2.
fn listeners(g: &Graph, out: &mut Out) {
    let tls = |l: &Res| {
        matches!(
            l.props.get("protocol").and_then(Value::as_str),
            Some("HTTPS" | "TLS")
        )
    };
    let certificates = g.of("aws:acm:Certificate").next().is_some()
        || g.of("aws:lb:ListenerCertificate").next().is_some()
        || g.of("aws:lb:Listener")
            .any(|l| l.props.get("certificateArn").is_some() || tls(l));
    for l in g.of("aws:lb:Listener") {
        let protocol = l
            .props
            .get("protocol")
            .and_then(Value::as_str)
            .unwrap_or("HTTP");
        if tls(l) {
            let policy = l
                .props
                .get("sslPolicy")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if !TLS_POLICY_PREFIXES.iter().any(|p| policy.starts_with(p)) {
                out.push(
                    "TAP-ELB-2",
                    l.name,
                    "properties.sslPolicy",
                    format!("{protocol} listener policy `{policy}` is not an ELBSecurityPolicy-TLS13-1-2-* / FS-1-2-* policy"),
                );
            }
            if l.props.get("certificateArn").is_none() {
                out.push(
                    "TAP-ELB-2",
                    l.name,
                    "properties.certificateArn",
                    format!("{protocol} listener has no certificate"),
                );
            }
        } else if protocol == "HTTP" && certificates {
            if !redirects_to_https(l.props.get("defaultActions")) {
                out.push(
                    "TAP-ELB-2",
                    l.name,
                    "properties.defaultActions",
                    "plain HTTP listener in a program that has certificates: its default action must redirect to HTTPS",
                );
            }
            for rule in g.companions("aws:lb:ListenerRule", "listenerArn", l.name) {
                if !redirects_to_https(rule.props.get("actions")) {
                    out.push(
                        "TAP-ELB-2",
                        rule.name,
                        "properties.actions",
                        format!("rule on plain HTTP listener {} serves traffic instead of redirecting to HTTPS", l.name),
                    );
                }
            }
        }
    }
}

/// TAP-CF-1 (viewer and origin TLS) and TAP-CF-2 (S3 origins through origin access control).
fn distribution(g: &Graph, d: &Res, out: &mut Out) {
    let cert = d.props.get("viewerCertificate");
    let acm = cert.and_then(|c| c.get("acmCertificateArn")).is_some();
    let min = cert
        .and_then(|c| c.get("minimumProtocolVersion"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !acm || !CF_MIN_PROTOCOLS.contains(&min) {
        out.push(
            "TAP-CF-1",
            d.name,
            "properties.viewerCertificate",
            format!("viewers must get an ACM certificate with minimumProtocolVersion TLSv1.2_2021 or newer (have `{min}`)"),
        );
    }
    let mut behaviors = vec![(
        "properties.defaultCacheBehavior".to_string(),
        d.props.get("defaultCacheBehavior"),
    )];
    for (i, b) in items(d.props.get("orderedCacheBehaviors"))
        .into_iter()
        .enumerate()
    {
        behaviors.push((format!("properties.orderedCacheBehaviors[{i}]"), Some(b)));
    }
    for (path, b) in behaviors {
        let policy = b
            .and_then(|b| b.get("viewerProtocolPolicy"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !matches!(policy, "redirect-to-https" | "https-only") {
            out.push(
                "TAP-CF-1",
                d.name,
                format!("{path}.viewerProtocolPolicy"),
                format!("viewer protocol policy `{policy}` allows plain HTTP"),
            );
        }
    }
    for (i, o) in items(d.props.get("origins")).into_iter().enumerate() {
        let path = format!("properties.origins[{i}]");
        if let Some(custom) = o.get("customOriginConfig") {
            let policy = custom
                .get("originProtocolPolicy")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let weak: Vec<String> = items(custom.get("originSslProtocols"))
                .into_iter()
                .filter_map(text)
                .filter(|p| p != "TLSv1.2")
                .collect();
            if policy != "https-only" || !weak.is_empty() {
                out.push(
                    "TAP-CF-1",
                    d.name,
                    format!("{path}.customOriginConfig"),
                    format!("origin must be reached over TLS 1.2 only (originProtocolPolicy `{policy}`, weak protocols {weak:?})"),
                );
            }
            continue;
        }
        let to_bucket = o
            .get("domainName")
            .and_then(|v| g.target(v))
            .is_some_and(|r| r.ty == "aws:s3:Bucket");
        let s3 = to_bucket || o.get("s3OriginConfig").is_some();
        if !s3 {
            continue;
        }
        if get_path(o, "s3OriginConfig.originAccessIdentity")
            .and_then(text)
            .is_some_and(|s| !s.is_empty())
        {
            out.push(
                "TAP-CF-2",
                d.name,
                format!("{path}.s3OriginConfig"),
                "S3 origin uses a legacy origin access identity; use an origin access control",
            );
        }
        if o.get("originAccessControlId")
            .and_then(text)
            .is_none_or(|s| s.is_empty())
        {
            out.push(
                "TAP-CF-2",
                d.name,
                format!("{path}.originAccessControlId"),
                "S3 origin without an origin access control",
            );
        }
    }
}

/// TAP-CF-1 on a CloudFront SaaS Manager distribution: modern viewer TLS, HTTPS-only
/// behaviours, origins over TLS 1.2 only (its origins list `customOriginConfigs`).
fn multitenant(d: &Res, out: &mut Out) {
    let min = get_path(d.props, "viewerCertificate.minimumProtocolVersion")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !CF_MIN_PROTOCOLS.contains(&min) {
        out.push(
            "TAP-CF-1",
            d.name,
            "properties.viewerCertificate.minimumProtocolVersion",
            format!("viewers must get minimumProtocolVersion TLSv1.2_2021 or newer (have `{min}`)"),
        );
    }
    let mut behaviors = vec![(
        "properties.defaultCacheBehavior".to_string(),
        d.props.get("defaultCacheBehavior"),
    )];
    for (i, b) in items(d.props.get("cacheBehaviors")).into_iter().enumerate() {
        behaviors.push((format!("properties.cacheBehaviors[{i}]"), Some(b)));
    }
    for (path, b) in behaviors {
        let policy = b
            .and_then(|b| b.get("viewerProtocolPolicy"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !matches!(policy, "redirect-to-https" | "https-only") {
            out.push(
                "TAP-CF-1",
                d.name,
                format!("{path}.viewerProtocolPolicy"),
                format!("viewer protocol policy `{policy}` allows plain HTTP"),
            );
        }
    }
    for (i, o) in items(d.props.get("origins")).into_iter().enumerate() {
        for (j, custom) in items(o.get("customOriginConfigs")).into_iter().enumerate() {
            let policy = custom
                .get("originProtocolPolicy")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let weak = items(custom.get("originSslProtocols"))
                .into_iter()
                .filter_map(text)
                .any(|p| p != "TLSv1.2");
            if policy != "https-only" || weak {
                out.push(
                    "TAP-CF-1",
                    d.name,
                    format!("properties.origins[{i}].customOriginConfigs[{j}]"),
                    format!("origin must be reached over TLS 1.2 only (originProtocolPolicy `{policy}`)"),
                );
            }
        }
    }
}

/// TAP-COG-1: an explicit password policy is at least as strong as Cognito's default.
fn password_policy(pool: &Res, out: &mut Out) {
    let Some(p) = pool.props.get("passwordPolicy") else {
        return;
    };
    let mut weak = Vec::new();
    if as_num(p.get("minimumLength")).is_none_or(|n| n < 8.0) {
        weak.push("minimumLength < 8".to_string());
    }
    for flag in [
        "requireLowercase",
        "requireUppercase",
        "requireNumbers",
        "requireSymbols",
    ] {
        if as_bool(p.get(flag)) != Some(true) {
            weak.push(format!("{flag} not true"));
        }
    }
    if !weak.is_empty() {
        out.push(
            "TAP-COG-1",
            pool.name,
            "properties.passwordPolicy",
            format!("weak password policy: {}", weak.join(", ")),
        );
    }
}
