//! System B in the cell layout. The platform stack holds the front (platform zone, origin
//! certificate, verify secret, distribution), the network, keys, Aurora, the shared Redis
//! groups, registry and provisioner, and the pool's fleet with one target group per cell.
//! Each cell holds a load balancer (100 listener rules by default, 100 target groups hard:
//! one rule per tenant, a target group per premium tenant and the pool's), an alias record
//! per tenant origin host pointing at it, and its tenants' part ([`super::tenant`]).
//!
//! The origin hosts stay `{id}.origin.{base_domain}`: the platform's wildcard certificate
//! still matches each one, so the origin TLS rule holds in every cell.

use anyhow::Result;
use data::{CacheBase, CacheGroup, TenantProvisioning};
use program::{Export, Handle, Program, StackRef};
use tenancy::cells::CellId;
use tenancy::{Config, Names};

use super::front::{Front, PlatformFront};
use super::platform::{self, Routing, Shared};
use super::tenants_output;
use crate::placement::Placement;
use crate::systems::cells::{self, cell_program, cell_tenants};
use crate::systems::Stacks;
use network::{Subnets, Vpc};

/// The platform stack and one stack per cell.
pub fn build_cells(config: &Config, placement: &Placement) -> Result<Stacks> {
    let platform = &config.platform;
    let mut main = cells::platform_program(config);
    let PlatformFront {
        front,
        static_bucket,
    } = Front::platform(&mut main, platform);
    let platform::Declared {
        shared,
        database,
        registry,
        ..
    } = platform::shared(&mut main, config, placement, |program, vpc| {
        (network::platform_tier_groups(program, platform, vpc), ())
    });
    // A target group serves one load balancer: the pool registers with one per cell.
    let pool_groups: Vec<(CellId, Handle)> = placement
        .cells
        .iter()
        .map(|(cell, _)| {
            let group =
                network::pool_target_group(&mut main, platform, &shared.vpc, Some(&cell.short()));
            (cell, group)
        })
        .collect();
    let handles: Vec<Handle> = pool_groups.iter().map(|(_, g)| g.clone()).collect();
    let services = platform::services(&mut main, config, &shared, registry, &handles);
    platform::outputs(&mut main, (&shared, &database), &services, None);
    front.outputs(&mut main, &static_bucket);
    let exports = Exports::declare(&mut main, &shared, &front);

    let names = Names::new(platform);
    let mut stacks = Vec::new();
    for (cell, group) in &pool_groups {
        let members = placement
            .cells
            .iter()
            .find(|(c, _)| c == cell)
            .map(|(_, members)| members)
            .expect("every pool group is a cell's");
        let pool_export = main.export_handle(
            &format!("poolTargetGroup{}", cell.short().to_uppercase()),
            group,
            &["arn", "arnSuffix"],
        );
        let (mut program, reference) = cell_program(config, *cell, &main);
        let (shared, front) = exports.import(&mut program, &reference, config);
        let balancer_group = network::cell_load_balancer_group(
            &mut program,
            platform,
            &shared.vpc,
            &shared.workloads_group,
            &shared.pool_group,
        );
        let balancer = network::origin_load_balancer(
            &mut program,
            platform,
            &names.cell_alb(&cell.short()),
            &shared.subnets,
            &balancer_group,
            front.certificate_arn(),
        );
        let routing = Routing {
            balancer,
            balancer_group,
            pool_target_group: program.import(&reference, &pool_export),
        };
        platform::pool_alarms(&mut program, config, "pool", &routing);
        program.output("albDnsName", routing.balancer.load_balancer.attr("dnsName"));
        let tenants = cell_tenants(config, members);
        for &tenant in &tenants {
            front.tenant_alias(&mut program, &routing.balancer, tenant);
        }
        tenants_output(
            &mut program,
            config,
            placement,
            (&shared, &routing),
            &front,
            &tenants,
        )?;
        stacks.push((*cell, program));
    }
    Ok(cells::stacks(config, main, stacks))
}

/// The platform's outputs every cell reads, each with exactly the attributes tenants use.
struct Exports {
    vpc: [Export; 3],
    public: Vec<Export>,
    private: Vec<Export>,
    /// Workloads and pool (each cell declares its load balancer's group).
    groups: [Export; 2],
    volume_key: Export,
    cache: [Export; 2],
    shared_caches: Vec<(u32, [Export; 2])>,
    provisioner: Export,
    /// Platform zone, certificate ARN, verify value.
    origin: [Export; 3],
    /// Distribution, connection group, routing endpoint.
    edge: [Export; 3],
}

impl Exports {
    fn declare(program: &mut Program, shared: &Shared, front: &Front) -> Exports {
        let mut subnets = |kind: &str, handles: &[Handle]| -> Vec<Export> {
            handles
                .iter()
                .enumerate()
                .map(|(n, h)| {
                    program.export_handle(&format!("{kind}SubnetAz{}", n + 1), h, &["id"])
                })
                .collect()
        };
        let public = subnets("public", &shared.subnets.public);
        let private = subnets("private", &shared.subnets.private);
        let id = |program: &mut Program, name: &str, handle: &Handle| {
            program.export_handle(name, handle, &["id"])
        };
        let groups = [
            id(program, "workloadsGroup", &shared.workloads_group),
            id(program, "poolGroup", &shared.pool_group),
        ];
        let vpc = &shared.vpc;
        let shared_caches = shared
            .shared_caches
            .iter()
            .map(|(index, group)| {
                let replication = program.export_handle(
                    &format!("sharedCache{index}"),
                    &group.replication_group,
                    &["replicationGroupId", "primaryEndpointAddress"],
                );
                let users = program.export_handle(
                    &format!("sharedCacheUsers{index}"),
                    &group.user_group,
                    &["userGroupId"],
                );
                (*index, [replication, users])
            })
            .collect();
        let (origin, edge) = front.parts();
        Exports {
            vpc: [
                id(program, "vpc", &vpc.vpc),
                id(program, "internetGateway", &vpc.internet_gateway),
                program.export("availabilityZones", vpc.zones.expr()),
            ],
            public,
            private,
            groups,
            volume_key: program.export_handle("volumeKey", &shared.volume_key, &["arn"]),
            cache: [
                program.export_handle(
                    "cacheSubnetGroup",
                    &shared.cache_base.subnet_group,
                    &["name"],
                ),
                program.export_handle(
                    "cacheDefaultUser",
                    &shared.cache_base.default_user,
                    &["userId"],
                ),
            ],
            shared_caches,
            provisioner: program.export_handle(
                "provisioner",
                &shared.provisioning.function,
                &["name", "codeSha256"],
            ),
            origin: [
                program.export_handle("platformZone", &origin.zone, &["zoneId"]),
                program.export("originCertificateArn", origin.certificate_arn.clone()),
                program.export("originVerifyValue", origin.verify_header.1.clone()),
            ],
            edge: [
                id(program, "distribution", &edge.distribution),
                id(program, "connectionGroup", &edge.connection_group),
                program.export("routingEndpoint", edge.routing_endpoint.clone()),
            ],
        }
    }

    /// The shared handles and the front as a cell sees them through `reference`. What a
    /// tenant must wait for in the platform (the database writer, the provisioner's key
    /// grant) is ordered by the stack reference, which resolves only once the platform is
    /// deployed. The account and the deployer are looked up by the cell itself.
    fn import(&self, cell: &mut Program, reference: &StackRef, config: &Config) -> (Shared, Front) {
        let mut import = |export: &Export| cell.import(reference, export);
        let vpc = Vpc {
            vpc: import(&self.vpc[0]),
            internet_gateway: import(&self.vpc[1]),
            zones: import(&self.vpc[2]),
        };
        let subnets = Subnets {
            public: self.public.iter().map(&mut import).collect(),
            private: self.private.iter().map(&mut import).collect(),
            // Cells add no routes.
            private_route_tables: Vec::new(),
        };
        let [workloads_group, pool_group] = self.groups.each_ref().map(&mut import);
        let cache_base = CacheBase {
            subnet_group: import(&self.cache[0]),
            default_user: import(&self.cache[1]),
        };
        let shared_caches = self
            .shared_caches
            .iter()
            .map(|(index, [replication, users])| {
                let group = CacheGroup {
                    replication_group: import(replication),
                    user_group: import(users),
                };
                (*index, group)
            })
            .collect();
        let volume_key = import(&self.volume_key);
        let function = import(&self.provisioner);
        let [zone, certificate_arn, verify] = self.origin.each_ref().map(&mut import);
        let [distribution, connection_group, endpoint] = self.edge.each_ref().map(&mut import);
        let origin = edge::Origin::imported(
            &config.platform,
            zone,
            certificate_arn.expr(),
            verify.expr(),
        );
        let edge = edge::Edge::imported(distribution, connection_group, endpoint.expr(), &origin);
        let shared = Shared {
            vpc,
            subnets,
            workloads_group,
            pool_group,
            account: compute::iam::account_id(cell),
            deployer: data::deployer(cell),
            volume_key,
            cache_base,
            shared_caches,
            provisioning: TenantProvisioning {
                function,
                after: vec![reference.handle().clone()],
            },
        };
        (shared, Front::imported(origin, edge))
    }
}
