//! How CloudFront reaches the load balancer over TLS (docs/design.md, "Origin TLS").
//!
//! CloudFront accepts the origin's certificate only if it covers the origin domain name (or
//! the viewer's Host, when Host is forwarded). Tenant hosts are the customers' own domains,
//! so forwarding Host would need a certificate per tenant on the load balancer. Instead each
//! tenant's origin domain is `{id}.origin.{base_domain}`, Host is not forwarded (CloudFront
//! then sends the origin domain as Host), and one wildcard certificate
//! `*.origin.{base_domain}` on the load balancer matches every tenant; the load balancer
//! routes on that host. The names live in the platform zone `{base_domain}`, hosted here.

use program::{Expr, Handle, Program, Resource};
use tenancy::{tags, Platform, TenantId};

use crate::certificates::{dns_validated, Request};
use crate::dns::{self, AliasTarget, Zones};

/// The custom header CloudFront adds to every origin request; listener rules require it,
/// so requests that did not come through the distribution get the default 404.
pub const ORIGIN_VERIFY_HEADER: &str = "X-Origin-Verify";

/// The origin side of the edge.
pub struct Origin {
    /// The platform zone `{base_domain}`: origin hosts and tenants without domains.
    pub zone: Handle,
    /// The issued `*.origin.{base_domain}` certificate (stack region) for the HTTPS listener.
    pub certificate_arn: Expr,
    /// Header name and value (a deploy-time random secret, never in the rendered file).
    pub verify_header: (&'static str, Expr),
    base_domain: String,
}

impl Origin {
    /// The host CloudFront sends a tenant's requests to, and the load balancer routes on.
    pub fn host(&self, tenant: &TenantId) -> String {
        format!("{tenant}.{}", self.origin_domain())
    }

    /// `origin.{base_domain}`: the parent of every origin host.
    pub fn origin_domain(&self) -> String {
        format!("origin.{}", self.base_domain)
    }

    /// `{base_domain}`.
    pub fn base_domain(&self) -> &str {
        &self.base_domain
    }

    /// The origin as a cell stack reads it from the platform: the zone (`id`, `zoneId`), the
    /// certificate ARN and the verify value.
    pub fn imported(
        platform: &Platform,
        zone: Handle,
        certificate_arn: Expr,
        verify_value: Expr,
    ) -> Origin {
        Origin {
            zone,
            certificate_arn,
            verify_header: (ORIGIN_VERIFY_HEADER, verify_value),
            base_domain: platform.base_domain.clone(),
        }
    }
}

/// The platform zone, the origin certificate and the origin-verify secret.
pub fn origin(program: &mut Program, platform: &Platform) -> Origin {
    let base_domain = platform.base_domain.clone();
    let zone = dns::zone(
        program,
        "platform-zone",
        &base_domain,
        "Platform zone: origin hosts and tenants without their own domains",
        Expr::from(&tags::shared(platform, &base_domain)),
    );
    let wildcard = format!("*.origin.{base_domain}");
    let certificate = dns_validated(
        program,
        Request {
            logical: "origin-certificate",
            names: std::slice::from_ref(&wildcard),
            region: None,
            tags: Expr::from(&tags::shared(platform, &wildcard)),
        },
        &Zones::single(&base_domain, zone.clone()),
    );
    let secret = program.resource(
        "origin-verify-secret",
        Resource::new("random:RandomPassword")
            .with("length", 48u32)
            .with("special", false),
    );
    Origin {
        zone,
        certificate_arn: certificate,
        verify_header: (ORIGIN_VERIFY_HEADER, secret.attr("result")),
        base_domain,
    }
}

/// `*.origin.{base_domain}` → the load balancer (alias A: CloudFront reaches custom
/// origins over IPv4).
pub fn origin_alias(program: &mut Program, origin: &Origin, alb_dns_name: Expr, alb_zone_id: Expr) {
    dns::alias(
        program,
        "origin-alias",
        &origin.zone,
        &format!("*.{}", origin.origin_domain()),
        &AliasTarget {
            name: alb_dns_name,
            zone_id: alb_zone_id,
            evaluate_health: true,
        },
        &["A"],
    );
}

/// `{tenant}.origin.{base_domain}` → one cell's load balancer (cell layout: each cell's
/// load balancer serves only its tenants, so each origin host gets its own record; the
/// wildcard certificate still matches every host).
pub fn tenant_origin_alias(
    program: &mut Program,
    origin: &Origin,
    tenant: &TenantId,
    alb_dns_name: Expr,
    alb_zone_id: Expr,
) {
    dns::alias(
        program,
        &format!("{tenant}-origin-alias"),
        &origin.zone,
        &origin.host(tenant),
        &AliasTarget {
            name: alb_dns_name,
            zone_id: alb_zone_id,
            evaluate_health: true,
        },
        &["A"],
    );
}
