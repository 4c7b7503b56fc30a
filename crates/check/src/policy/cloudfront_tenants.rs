//! CloudFront SaaS Manager: distribution tenants (TAP-CF-3) and buckets served to
//! CloudFront (TAP-CF-4).

use super::doc::{Doc, Kind};
use super::edge::plain_http_behaviors;
use super::graph::Graph;
use super::value::get_path;
use super::Out;

const CLOUDFRONT_SERVICE: &str = "cloudfront.amazonaws.com";
const DISTRIBUTIONS: [&str; 2] = [
    "aws:cloudfront:MultitenantDistribution",
    "aws:cloudfront:Distribution",
];

pub fn check(g: &Graph, docs: &[Doc], out: &mut Out) {
    tenants(g, out);
    served_buckets(g, docs, out);
}

/// TAP-CF-3: a distribution tenant is served over HTTPS only, with a certificate of its
/// own (an ACM certificate, or a CloudFront-managed one requested for it).
fn tenants(g: &Graph, out: &mut Out) {
    for t in g.of("aws:cloudfront:DistributionTenant") {
        // A cell's tenant names a distribution of the platform stack through its stack
        // reference; that distribution is judged (TAP-CF-1) where it is declared.
        let parent = t
            .props
            .get("distributionId")
            .and_then(|v| g.target(v))
            .filter(|d| DISTRIBUTIONS.contains(&d.ty.as_str()));
        if let Some(d) = parent {
            let plain: Vec<String> = plain_http_behaviors(d)
                .into_iter()
                .map(|(path, policy)| format!("{path} `{policy}`"))
                .collect();
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
        let own = get_path(t.props, "customizations.certificate.arn").is_some();
        let managed = get_path(t.props, "managedCertificateRequest.primaryDomainName").is_some();
        if !own && !managed {
            out.push(
                "TAP-CF-3",
                t.name,
                "properties.customizations.certificate",
                "tenant has no certificate of its own (customizations.certificate.arn or managedCertificateRequest)",
            );
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
