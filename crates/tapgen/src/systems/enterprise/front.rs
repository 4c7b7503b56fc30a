//! The seam between System B's composition and the edge (crate `edge`): what the load
//! balancer needs from it (the origin certificate, the origin-verify header, each tenant's
//! origin host) and what each tenant gets from it (its distribution tenant, zone, outputs).

use network::{LoadBalancer, OriginTls};
use program::{Expr, Handle, Program};
use tenancy::{Platform, Tenant};

pub struct Front {
    origin: edge::Origin,
    edge: edge::Edge,
}

/// The platform's front and the static site's bucket, which only the platform publishes.
pub struct PlatformFront {
    pub front: Front,
    pub static_bucket: Handle,
}

/// What the edge publishes and records for one tenant.
pub struct TenantEdge {
    /// The tenant's hosted zone, where a custom auth domain is validated.
    pub zone: Option<Handle>,
    pub outputs: Vec<(String, Expr)>,
    pub recorded: Vec<(&'static str, Expr)>,
}

impl Front {
    /// The origin (platform zone, origin certificate, verify secret) and the distribution.
    pub fn platform(program: &mut Program, platform: &Platform) -> PlatformFront {
        let origin = edge::origin(program, platform);
        let (edge, static_bucket) = edge::distribution(program, platform, &origin);
        PlatformFront {
            front: Front { origin, edge },
            static_bucket,
        }
    }

    /// The front as a cell reads it from the platform's exports.
    pub fn imported(origin: edge::Origin, edge: edge::Edge) -> Front {
        Front { origin, edge }
    }

    /// The platform's parts a cell imports: the origin and the distribution.
    pub fn parts(&self) -> (&edge::Origin, &edge::Edge) {
        (&self.origin, &self.edge)
    }

    /// Points `tenant`'s origin host at its cell's load balancer.
    pub fn tenant_alias(&self, program: &mut Program, balancer: &LoadBalancer, tenant: &Tenant) {
        let load_balancer = &balancer.load_balancer;
        edge::tenant_origin_alias(
            program,
            &self.origin,
            &tenant.id,
            load_balancer.attr("dnsName"),
            load_balancer.attr("zoneId"),
        );
    }

    pub fn certificate_arn(&self) -> Expr {
        self.origin.certificate_arn.clone()
    }

    /// Points the origin hosts at the load balancer.
    pub fn alias(&self, program: &mut Program, balancer: &LoadBalancer) {
        let load_balancer = &balancer.load_balancer;
        edge::origin_alias(
            program,
            &self.origin,
            load_balancer.attr("dnsName"),
            load_balancer.attr("zoneId"),
        );
    }

    pub fn origin_tls(&self) -> OriginTls<'static> {
        let (name, value) = &self.origin.verify_header;
        OriginTls {
            certificate_arn: self.certificate_arn(),
            verify_header: name,
            verify_value: value.clone(),
        }
    }

    /// The Host CloudFront sends to the origin for `tenant`.
    pub fn host(&self, tenant: &Tenant) -> String {
        self.origin.host(&tenant.id)
    }

    pub fn tenant(
        &self,
        program: &mut Program,
        platform: &Platform,
        tenant: &Tenant,
    ) -> TenantEdge {
        let built = edge::tenant(program, platform, &self.edge, tenant);
        TenantEdge {
            zone: built.zone,
            outputs: built.outputs,
            recorded: vec![("distributionTenantId", built.distribution_tenant.id())],
        }
    }

    /// The edge's shared outputs: the endpoint, the platform zone's name servers (delegate
    /// `base_domain` to them) and the static site's bucket.
    pub fn outputs(&self, program: &mut Program, static_bucket: &Handle) {
        program.output("edgeEndpoint", self.edge.routing_endpoint.clone());
        program.output("platformNameServers", self.origin.zone.attr("nameServers"));
        program.output("staticBucket", static_bucket.id());
    }
}
