//! The edge of System B: DNS (Route 53 zones and records), certificates (ACM, DNS-validated
//! or CloudFront-managed) and the CDN front door (CloudFront SaaS Manager: one multi-tenant
//! distribution, one distribution tenant per tenant, static content from S3).
//!
//! A crate of its own because none of the existing builders holds this concern: network
//! builds the VPC and the load balancer behind the edge, compute the fleet, data the tenant
//! stores. The edge is what sits in front of all of them and what a tenant's domains point
//! at. The flow: [`origin`] (how CloudFront reaches the load balancer over TLS: the platform
//! zone, the origin certificate, the origin-verify header), [`origin_alias`] (the origin
//! hosts' record once the load balancer exists), [`distribution`] (the shared distribution,
//! its connection group and the static bucket), then [`tenant`] per tenant.

mod certificates;
mod distribution;
mod dns;
mod origin;
mod static_site;
mod tenant;
#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;

pub use distribution::{distribution, Edge};
pub use origin::{origin, origin_alias, tenant_origin_alias, Origin, ORIGIN_VERIFY_HEADER};
pub use tenant::{tenant, TenantEdge};

/// CloudFront requires viewer certificates in US East (N. Virginia), whatever the stack's region.
const CLOUDFRONT_REGION: &str = "us-east-1";

/// Route 53's hosted zone id for alias records to any CloudFront endpoint (fixed by AWS).
const CLOUDFRONT_ZONE_ID: &str = "Z2FDTNDATAQYW2";

/// A DNS name as a piece of a logical name, one-to-one: `acme.io` → `acme_io`,
/// `*.acme.io` → `_wildcard_acme_io`. DNS labels never hold `_` nor start with it, so no
/// two names (say `a-b.io` and `a.b-io`) share a slug.
fn slug(name: &str) -> String {
    match name.strip_prefix("*.") {
        Some(rest) => format!("_wildcard_{}", rest.replace('.', "_")),
        None => name.replace('.', "_"),
    }
}

#[cfg(test)]
mod slug_tests {
    #[test]
    fn slugs_are_one_to_one() {
        assert_eq!(super::slug("acme.io"), "acme_io");
        assert_eq!(super::slug("*.acme.io"), "_wildcard_acme_io");
        assert_ne!(super::slug("a-b.io"), super::slug("a.b-io"));
        assert_ne!(super::slug("*.acme.io"), super::slug("wildcard.acme.io"));
    }
}
