//! The seam between System B's composition and the edge (CloudFront, DNS, certificates).
//!
//! INTERIM until branch edge-b's `edge` crate is merged: the origin certificate is a stack
//! config value (`originCertificateArn`, a certificate for `*.origin.<base_domain>`) and the
//! origin-verify header value a deploy-time random password; no distribution, zones or
//! tenant certificates are declared yet, so tenants are not reachable through CloudFront.

use network::OriginTls;
use program::{ConfigEntry, ConfigType, Expr, Handle, Program, Resource};
use tenancy::{Dns, Platform, Tenant};

/// The header CloudFront adds and every listener rule requires.
const VERIFY_HEADER: &str = "X-Origin-Verify";

pub struct Front {
    certificate_arn: Expr,
    verify_value: Expr,
    origin_domain: String,
}

/// What the edge publishes and records for one tenant.
pub struct TenantEdge {
    /// The tenant's hosted zone (`dns = "hosted"`), where a custom auth domain is validated.
    pub zone: Option<Handle>,
    pub outputs: Vec<(String, Expr)>,
    pub recorded: Vec<(&'static str, Expr)>,
}

impl Front {
    pub fn platform(program: &mut Program, platform: &Platform) -> Front {
        let certificate = program.config(
            "originCertificateArn",
            ConfigEntry {
                kind: ConfigType::String,
                description: format!(
                    "ACM certificate for *.origin.{} (interim: until the edge declares it)",
                    platform.base_domain
                ),
                default: None,
            },
        );
        let verify: Handle = program.resource(
            "origin-verify",
            Resource::new("random:RandomPassword")
                .with("length", 32u32)
                .with("special", false),
        );
        Front {
            certificate_arn: certificate.expr(),
            verify_value: verify.attr("result"),
            origin_domain: format!("origin.{}", platform.base_domain),
        }
    }

    pub fn certificate_arn(&self) -> Expr {
        self.certificate_arn.clone()
    }

    pub fn origin_tls(&self) -> OriginTls<'static> {
        OriginTls {
            certificate_arn: self.certificate_arn.clone(),
            verify_header: VERIFY_HEADER,
            verify_value: self.verify_value.clone(),
        }
    }

    /// The Host CloudFront sends to the origin for `tenant`.
    pub fn host(&self, tenant: &Tenant) -> String {
        format!("{}.{}", tenant.id, self.origin_domain)
    }

    pub fn tenant(
        &self,
        _program: &mut Program,
        platform: &Platform,
        tenant: &Tenant,
    ) -> TenantEdge {
        let hosts: Vec<String> = match tenant.dns {
            Dns::Platform => vec![format!("{}.{}", tenant.id, platform.base_domain)],
            Dns::Hosted | Dns::Customer => tenant.domains.clone(),
        };
        let urls: Vec<Expr> = hosts
            .iter()
            .map(|h| Expr::from(format!("https://{}", h.trim_start_matches("*."))))
            .collect();
        TenantEdge {
            zone: None,
            outputs: vec![("urls".to_string(), Expr::List(urls))],
            recorded: Vec::new(),
        }
    }
}
