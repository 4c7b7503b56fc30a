//! CloudFront SaaS Manager: distribution tenants and the template's S3 origins
//! (TAP-CF-3), and buckets served to CloudFront (TAP-CF-4).

use serde_json::Value;

use super::doc::{Doc, Kind};
use super::graph::{Graph, Res};
use super::value::{items, text};
use super::Out;

const CLOUDFRONT_SERVICE: &str = "cloudfront.amazonaws.com";

pub fn check(g: &Graph, docs: &[Doc], out: &mut Out) {
    tenants(g, out);
    multitenant_s3_origins(g, out);
    served_buckets(g, docs, out);
}

/// TAP-CF-3: a distribution tenant inherits every cache behaviour of its distribution, so
/// one behaviour that admits plain HTTP puts every tenant under it on plain HTTP. (Its
/// certificate is TAP-CF-1's.)
fn tenants(g: &Graph, out: &mut Out) {
    for t in g.of("aws:cloudfront:DistributionTenant") {
        let Some(d) = t.props.get("distributionId").and_then(|v| g.target(v)) else {
            continue;
        };
        let plain = plain_http_behaviors(d);
        if !plain.is_empty() {
            out.push(
                "TAP-CF-3",
                t.name,
                "properties.distributionId",
                format!(
                    "tenant served over plain HTTP: {} allows it ({})",
                    d.name,
                    plain.join(", ")
                ),
            );
        }
    }
}

/// The behaviours of a distribution (either type) that let viewers in over plain HTTP.
fn plain_http_behaviors(d: &Res) -> Vec<String> {
    let listed = ["orderedCacheBehaviors", "cacheBehaviors"]
        .into_iter()
        .flat_map(|key| items(d.props.get(key)));
    d.props
        .get("defaultCacheBehavior")
        .into_iter()
        .chain(listed)
        .filter_map(|b| {
            let policy = b
                .get("viewerProtocolPolicy")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let path = b
                .get("pathPattern")
                .and_then(Value::as_str)
                .unwrap_or("default");
            (!matches!(policy, "redirect-to-https" | "https-only"))
                .then(|| format!("{path} `{policy}`"))
        })
        .collect()
}

/// TAP-CF-3: a multi-tenant distribution's S3 origins go through origin access control
/// (its origins have no `s3OriginConfig`; a bucket origin is known by its `domainName`).
fn multitenant_s3_origins(g: &Graph, out: &mut Out) {
    for d in g.of("aws:cloudfront:MultitenantDistribution") {
        for (i, o) in items(d.props.get("origins")).into_iter().enumerate() {
            let to_bucket = o
                .get("domainName")
                .and_then(|v| g.target(v))
                .is_some_and(|r| r.ty == "aws:s3:Bucket");
            let controlled = o
                .get("originAccessControlId")
                .and_then(text)
                .is_some_and(|s| !s.is_empty());
            if to_bucket && !controlled {
                out.push(
                    "TAP-CF-3",
                    d.name,
                    format!("properties.origins[{i}].originAccessControlId"),
                    "S3 origin without an origin access control",
                );
            }
        }
    }
}

/// TAP-CF-4: a bucket policy that lets CloudFront read names the distribution
/// (`AWS:SourceArn`); otherwise any distribution, in any account, can serve the bucket.
fn served_buckets(g: &Graph, docs: &[Doc], out: &mut Out) {
    for doc in docs.iter().filter(|d| d.kind == Kind::Resource) {
        let Some(policy) = g.get(doc.resource) else {
            continue;
        };
        if policy.ty != "aws:s3:BucketPolicy" {
            continue;
        }
        let bucket = policy
            .props
            .get("bucket")
            .and_then(|v| g.target(v))
            .map_or(doc.resource, |b| b.name);
        for s in &doc.stmts {
            let to_cloudfront = s
                .principals
                .iter()
                .any(|(kind, value)| kind == "Service" && value == CLOUDFRONT_SERVICE);
            if !s.allow || !to_cloudfront {
                continue;
            }
            let scoped = s.conditions.iter().any(|c| {
                c.key.eq_ignore_ascii_case("aws:SourceArn")
                    && matches!(c.op.as_str(), "StringEquals" | "ArnEquals" | "ArnLike")
                    && !c.values.is_empty()
                    && c.values.iter().all(|v| !v.contains('*'))
            });
            if !scoped {
                out.push(
                    "TAP-CF-4",
                    bucket,
                    format!("{}.Condition", s.path),
                    format!(
                        "{} {} lets CloudFront in without an AWS:SourceArn condition naming the distribution",
                        doc.resource,
                        s.label()
                    ),
                );
            }
        }
    }
}
