//! The front door: one CloudFront multi-tenant distribution (SaaS Manager) that every
//! distribution tenant inherits, and the connection group whose routing endpoint tenant
//! domains point at. Standard distributions would be one per tenant against an account
//! quota of 500; distribution tenants have a quota of 10,000.

use program::{list, map, Expr, Handle, Program, Resource};
use tenancy::{tags, Names, Platform};

use crate::certificates::{dns_validated, Request};
use crate::dns::Zones;
use crate::origin::Origin;
use crate::static_site::{static_policy, static_site};
use crate::CLOUDFRONT_REGION;

/// The tenant parameter holding the tenant's origin host.
pub(crate) const ORIGIN_PARAMETER: &str = "origin_domain";
/// Path prefix served from the static bucket instead of the application.
const STATIC_PATH: &str = "/static/*";
const APP_ORIGIN: &str = "app";
const STATIC_ORIGIN: &str = "static";

/// The shared edge.
pub struct Edge {
    pub distribution: Handle,
    pub connection_group: Handle,
    /// `dxxxx.cloudfront.net`: the name every tenant domain aliases or CNAMEs to.
    pub routing_endpoint: Expr,
    /// The platform zone (from [`Origin`]), where tenants without domains live.
    pub(crate) zone: Handle,
    pub(crate) base_domain: String,
    pub(crate) origin_domain: String,
}

impl Edge {
    /// The edge as a cell stack reads it from the platform.
    pub fn imported(
        distribution: Handle,
        connection_group: Handle,
        routing_endpoint: Expr,
        origin: &Origin,
    ) -> Edge {
        Edge {
            distribution,
            connection_group,
            routing_endpoint,
            zone: origin.zone.clone(),
            base_domain: origin.base_domain().to_string(),
            origin_domain: origin.origin_domain(),
        }
    }
}

/// The distribution (HTTPS only, TLSv1.2_2021, application origin over HTTPS with the
/// origin-verify header, static origin through OAC), its connection group and the static
/// bucket with its policy. Returns the edge tenants attach to, and the static bucket apart
/// (only the platform publishes it).
pub fn distribution(program: &mut Program, platform: &Platform, origin: &Origin) -> (Edge, Handle) {
    let names = Names::new(platform);
    let site = static_site(program, platform);
    let base = origin.base_domain().to_string();
    // Never served (every tenant brings its own certificate), but a distribution must
    // have one; the platform's own names are the natural choice.
    let default_names = vec![base.clone(), format!("*.{base}")];
    let default_certificate = dns_validated(
        program,
        Request {
            logical: "edge-certificate",
            names: &default_names,
            region: Some(CLOUDFRONT_REGION),
            tags: Expr::from(&tags::shared(platform, &base)),
        },
        &Zones::single(&base, origin.zone.clone()),
    );
    let policies = ManagedPolicies::declare(program);
    let (header, secret) = &origin.verify_header;
    let app_origin = map! {
        "id" => APP_ORIGIN,
        // Filled per tenant from its parameter: `{id}.origin.{base_domain}`.
        "domainName" => format!("{{{{{ORIGIN_PARAMETER}}}}}"),
        "customOriginConfigs" => list![map! {
            "httpPort" => 80u32,
            "httpsPort" => 443u32,
            "originProtocolPolicy" => "https-only",
            "originSslProtocols" => list!["TLSv1.2"],
        }],
        "customHeaders" => list![map! { "headerName" => *header, "headerValue" => secret.clone() }],
    };
    let static_origin = map! {
        "id" => STATIC_ORIGIN,
        "domainName" => site.bucket.attr("bucketRegionalDomainName"),
        "originAccessControlId" => site.access_control.id(),
    };
    let distribution = program.resource(
        "edge-distribution",
        Resource::new("aws:cloudfront:MultitenantDistribution")
            .with("comment", format!("{} tenants", names.edge()))
            .with("enabled", true)
            .with("httpVersion", "http2and3")
            .with("origins", list![app_origin, static_origin])
            .with("defaultCacheBehavior", policies.application())
            .with("cacheBehaviors", list![policies.static_content()])
            .with(
                "viewerCertificate",
                map! {
                    "acmCertificateArn" => default_certificate,
                    "sslSupportMethod" => "sni-only",
                    "minimumProtocolVersion" => "TLSv1.2_2021",
                },
            )
            .with(
                "restrictions",
                map! { "geoRestriction" => map! { "restrictionType" => "none" } },
            )
            .with(
                "tenantConfig",
                map! {
                    "parameterDefinitions" => list![map! {
                        "name" => ORIGIN_PARAMETER,
                        "definitions" => list![map! {
                            "stringSchemas" => list![map! {
                                "required" => true,
                                "comment" => "The tenant's origin host, {id}.origin.{base_domain}",
                            }],
                        }],
                    }],
                },
            )
            .with("tags", &tags::shared(platform, &names.edge())),
    );
    static_policy(program, &site, &distribution);
    let connection_group = program.resource(
        "edge-connection-group",
        Resource::new("aws:cloudfront:ConnectionGroup")
            .with("name", names.edge())
            .with("enabled", true)
            .with("ipv6Enabled", true)
            .with("tags", &tags::shared(platform, &names.edge())),
    );
    let edge = Edge {
        routing_endpoint: connection_group.attr("routingEndpoint"),
        distribution,
        connection_group,
        zone: origin.zone.clone(),
        base_domain: base,
        origin_domain: origin.origin_domain(),
    };
    (edge, site.bucket)
}

/// AWS-managed CloudFront policies, looked up by name at deploy time.
struct ManagedPolicies {
    no_cache: Expr,
    cache_static: Expr,
    all_viewer_except_host: Expr,
    security_headers: Expr,
}

impl ManagedPolicies {
    fn declare(program: &mut Program) -> ManagedPolicies {
        let mut lookup = |logical: &str, function: &str, name: &str| {
            program
                .variable(
                    logical,
                    Expr::invoke(function, map! { "name" => name }, Some("id")),
                )
                .expr()
        };
        ManagedPolicies {
            no_cache: lookup(
                "edgeNoCachePolicy",
                "aws:cloudfront:getCachePolicy",
                "Managed-CachingDisabled",
            ),
            cache_static: lookup(
                "edgeStaticCachePolicy",
                "aws:cloudfront:getCachePolicy",
                "Managed-CachingOptimized",
            ),
            // Everything the viewer sent except Host: CloudFront then sends the origin
            // domain as Host, which the origin certificate covers.
            all_viewer_except_host: lookup(
                "edgeOriginRequestPolicy",
                "aws:cloudfront:getOriginRequestPolicy",
                "Managed-AllViewerExceptHostHeader",
            ),
            security_headers: lookup(
                "edgeSecurityHeadersPolicy",
                "aws:cloudfront:getResponseHeadersPolicy",
                "Managed-SecurityHeadersPolicy",
            ),
        }
    }

    /// The application: nothing cached, every method, viewer requests upgraded to HTTPS.
    fn application(&self) -> Expr {
        map! {
            "targetOriginId" => APP_ORIGIN,
            "viewerProtocolPolicy" => "redirect-to-https",
            "allowedMethods" => map! {
                "items" => list!["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"],
                "cachedMethods" => list!["GET", "HEAD"],
            },
            "cachePolicyId" => self.no_cache.clone(),
            "originRequestPolicyId" => self.all_viewer_except_host.clone(),
            "responseHeadersPolicyId" => self.security_headers.clone(),
            "compress" => true,
        }
    }

    /// Static content: cached, read-only.
    fn static_content(&self) -> Expr {
        map! {
            "pathPattern" => STATIC_PATH,
            "targetOriginId" => STATIC_ORIGIN,
            "viewerProtocolPolicy" => "redirect-to-https",
            "allowedMethods" => map! {
                "items" => list!["GET", "HEAD"],
                "cachedMethods" => list!["GET", "HEAD"],
            },
            "cachePolicyId" => self.cache_static.clone(),
            "responseHeadersPolicyId" => self.security_headers.clone(),
            "compress" => true,
        }
    }
}
