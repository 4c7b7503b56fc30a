//! One tenant at the edge: its distribution tenant, certificate and DNS, by `tenant.dns`.
//!
//! - `Platform` (no domains): `{id}.{base_domain}` and `*.{id}.{base_domain}` in the
//!   platform zone, a DNS-validated certificate, alias records.
//! - `Hosted`: a zone per top name of its domains, a DNS-validated certificate (one
//!   validation record per apex/wildcard pair), alias records; outputs the name servers.
//! - `Customer`: a CloudFront-managed certificate, HTTP-validated by CloudFront once the
//!   customer's CNAMEs reach the routing endpoint; nothing waits for it, so the deploy never
//!   blocks; outputs the records the customer creates.

use program::{list, map, Expr, Handle, Program, Resource};
use tenancy::{tags, Dns, Names, Platform, Tenant};

use crate::certificates::{base, dns_validated, Request};
use crate::distribution::{Edge, ORIGIN_PARAMETER};
use crate::dns::{self, AliasTarget, Zones};
use crate::{slug, CLOUDFRONT_REGION, CLOUDFRONT_ZONE_ID};

/// What the composition needs of a tenant's edge.
pub struct TenantEdge {
    pub distribution_tenant: Handle,
    /// The zone holding the tenant's `auth_domain` (Hosted; else its first zone); `None`
    /// for customer DNS. A platform tenant's is the shared platform zone.
    pub zone: Option<Handle>,
    /// `urls` (HTTPS, non-wildcard domains), plus `nameServers` (Hosted, by zone) or
    /// `dnsRecords` (Customer: `{name, type, value}` each).
    pub outputs: Vec<(String, Expr)>,
}

pub fn tenant(
    program: &mut Program,
    platform: &Platform,
    edge: &Edge,
    tenant: &Tenant,
) -> TenantEdge {
    let id = &tenant.id;
    let names = Names::new(platform);
    let domains = &tenant.domains;
    let mut outputs = vec![("urls".to_string(), urls(domains))];
    let zones = match tenant.dns {
        Dns::Platform => Some(Zones::single(&edge.base_domain, edge.zone.clone())),
        Dns::Hosted => Some(hosted_zones(program, platform, tenant)),
        Dns::Customer => None,
    };
    let certificate = match &zones {
        Some(zones) => {
            let certificate = dns_validated(
                program,
                Request {
                    logical: &format!("{id}-certificate"),
                    names: domains,
                    region: Some(CLOUDFRONT_REGION),
                    tags: Expr::from(&tags::tenant(platform, id, &domains[0])),
                },
                zones,
            );
            Some(certificate)
        }
        None => None,
    };
    let customer = tenant.dns == Dns::Customer;
    let distribution_tenant = program.resource(
        &format!("{id}-distribution-tenant"),
        Resource::new("aws:cloudfront:DistributionTenant")
            .with("name", names.distribution_tenant(id))
            .with("distributionId", edge.distribution.id())
            .with("connectionGroupId", edge.connection_group.id())
            .with("enabled", true)
            .with(
                "domains",
                domains
                    .iter()
                    .map(|d| map! { "domain" => d.as_str() })
                    .collect::<Vec<_>>(),
            )
            .with(
                "parameters",
                list![map! {
                    "name" => ORIGIN_PARAMETER,
                    "value" => format!("{id}.{}", edge.origin_domain),
                }],
            )
            .with(
                "customizations",
                certificate.map(|arn| map! { "certificate" => map! { "arn" => arn } }),
            )
            .with(
                "managedCertificateRequest",
                customer.then(|| {
                    map! {
                        "primaryDomainName" => domains[0].as_str(),
                        "validationTokenHost" => "cloudfront",
                        "certificateTransparencyLoggingPreference" => "enabled",
                    }
                }),
            )
            // The managed certificate waits for the customer's DNS; the deploy does not.
            .with("waitForDeployment", customer.then_some(false))
            .with(
                "tags",
                &tags::tenant(platform, id, &names.distribution_tenant(id)),
            ),
    );
    match &zones {
        Some(zones) => {
            let target = AliasTarget {
                name: edge.routing_endpoint.clone(),
                zone_id: Expr::from(CLOUDFRONT_ZONE_ID),
                evaluate_health: false,
            };
            for domain in domains {
                dns::alias(
                    program,
                    &format!("{id}-alias-{}", slug(domain)),
                    zones.containing(base(domain)),
                    domain,
                    &target,
                    &["A", "AAAA"],
                );
            }
            if tenant.dns == Dns::Hosted {
                let servers: program::IndexMap<String, Expr> = zones
                    .iter()
                    .map(|(name, zone)| (name.clone(), zone.attr("nameServers")))
                    .collect();
                outputs.push(("nameServers".to_string(), Expr::Map(servers)));
            }
        }
        None => outputs.push(("dnsRecords".to_string(), customer_records(edge, domains))),
    }
    let zone = zones.map(|zones| match &tenant.auth_domain {
        Some(auth) => zones.containing(auth).clone(),
        None => zones.containing(base(&domains[0])).clone(),
    });
    TenantEdge {
        distribution_tenant,
        zone,
        outputs,
    }
}

/// The tenant's zones, one per top name of its domains.
fn hosted_zones(program: &mut Program, platform: &Platform, tenant: &Tenant) -> Zones {
    let id = &tenant.id;
    let zones = dns::zone_names(&tenant.domains)
        .into_iter()
        .map(|name| {
            let zone = dns::zone(
                program,
                &format!("{id}-zone-{}", slug(&name)),
                &name,
                &format!("Hosted by tapgen for tenant {id}"),
                Expr::from(&tags::tenant(platform, id, &name)),
            );
            (name, zone)
        })
        .collect();
    Zones::new(zones)
}

/// `https://{domain}` for each domain a browser can open (wildcards are patterns, not URLs).
fn urls(domains: &[String]) -> Expr {
    Expr::List(
        domains
            .iter()
            .filter(|d| !d.starts_with("*."))
            .map(|d| Expr::from(format!("https://{d}")))
            .collect(),
    )
}

/// Exactly what the customer creates: a CNAME per domain to the routing endpoint (at a
/// zone apex, the DNS provider's ALIAS/ANAME form of it). The certificate needs nothing
/// more: CloudFront answers its HTTP validation once the CNAME resolves.
fn customer_records(edge: &Edge, domains: &[String]) -> Expr {
    Expr::List(
        domains
            .iter()
            .map(|d| {
                map! {
                    "name" => d.as_str(),
                    "type" => "CNAME",
                    "value" => edge.routing_endpoint.clone(),
                }
            })
            .collect(),
    )
}
