//! The platform part of System B: everything every tenant shares, declared once. In the cell
//! layout this part is the platform stack, except the load balancer: each cell has its own
//! (see `cells.rs`), and the pool's fleet registers with one pool target group per cell.

use compute::fleet::{self, Fleet, FleetSpec};
use compute::iam;
use compute::observability::{self, AlarmTarget};
use data::{CacheBase, CacheGroup, Database, ProvisionTargets, RlsCluster, TenantProvisioning};
use network::{LoadBalancer, Subnets, TierGroups, Vpc};
use program::{list, Expr, Handle, Program};
use tenancy::{tags, Config, Names};

use crate::placement::Placement;

/// The shared handles every tenant builds on, whichever stack declared them.
pub struct Shared {
    pub vpc: Vpc,
    pub subnets: Subnets,
    /// On every instance.
    pub workloads_group: Handle,
    /// On the pool's instances; each cell's load balancer group is admitted to it.
    pub pool_group: Handle,
    pub account: Handle,
    pub deployer: Handle,
    pub volume_key: Handle,
    pub cache_base: CacheBase,
    /// Shared Redis groups by their recorded index (`tapgen.lock`).
    pub shared_caches: Vec<(u32, CacheGroup)>,
    /// The provisioner as tenants invoke it.
    pub provisioning: TenantProvisioning,
}

/// Where tenants' origin rules go: a load balancer, the security group it sits in (premium
/// instances admit it) and the pool's target group on it.
pub struct Routing {
    pub balancer: LoadBalancer,
    pub balancer_group: Handle,
    pub pool_target_group: Handle,
}

/// What [`shared`] declares: the shared handles, the registry (tenants record into it through
/// the provisioner only) and what the layout's tier groups come with: the single layout's
/// load-balancer group, or nothing in the cell layout (a cell declares its own).
pub struct Declared<B> {
    pub shared: Shared,
    /// The cluster: tenants reach it through the provisioner only.
    pub database: Database,
    pub registry: Handle,
    pub balancer_group: B,
}

/// What only the platform stack holds: the registry, the pool's fleet and the standard
/// tenants' access role.
pub struct Services {
    pub registry: Handle,
    pub pool: Fleet,
    pub tenant_access: identity::TenantAccess,
}

impl Shared {
    /// The shared Redis group `index` (every standard tenant's group is declared).
    pub fn shared_cache(&self, index: u32) -> &CacheGroup {
        self.shared_caches
            .iter()
            .find(|(n, _)| *n == index)
            .map(|(_, group)| group)
            .expect("every recorded cache group is declared")
    }
}

/// Network, endpoints and groups; keys, database, caches, registry and provisioner.
pub fn shared<B>(
    program: &mut Program,
    config: &Config,
    placement: &Placement,
    tier_groups: impl FnOnce(&mut Program, &Vpc) -> (TierGroups, B),
) -> Declared<B> {
    let platform = &config.platform;
    let alias = |purpose: &str| {
        format!(
            "alias/{}/{}/{purpose}",
            platform.project, platform.environment
        )
    };
    let vpc = network::vpc(program, platform);
    let subnets = network::public_private_subnets(program, platform, &vpc);
    let (groups, balancer_group) = tier_groups(program, &vpc);
    network::vpc_endpoints(program, platform, &vpc, &subnets, &groups.workloads);
    let account = iam::account_id(program);
    let deployer = data::deployer(program);
    let volume_key = data::volume_key(program, platform, &alias("volumes"), &account);

    let database_key = data::platform_key(program, platform, "database", &alias("database"));
    let database = data::aurora_rls(
        program,
        platform,
        RlsCluster {
            subnet_ids: subnets.private_ids(),
            security_group_ids: list![groups.database.id()],
            key: &database_key,
            writer_zone: vpc.zone(0),
            reader_zone: vpc.zone(1),
            log_retention_days: platform.defaults.log_retention_days,
        },
    );

    let cache_key = data::platform_key(program, platform, "cache", &alias("cache"));
    let cache_base = data::cache_base(program, platform, subnets.private_ids());
    let shared_caches = placement
        .cache_groups
        .groups()
        .into_keys()
        .map(|index| {
            let group = data::shared_cache(
                program,
                platform,
                &cache_base,
                index,
                &cache_key,
                list![groups.pool_cache.id()],
            );
            (index, group)
        })
        .collect();

    let registry_key = data::platform_key(program, platform, "registry", &alias("registry"));
    let registry = data::registry_table(program, platform, &registry_key);
    let provisioner = data::provisioner(
        program,
        platform,
        ProvisionTargets {
            database: &database,
            database_key: &database_key,
            registry: &registry,
            registry_key: &registry_key,
            account: &account,
        },
    );

    let shared = Shared {
        vpc,
        subnets,
        workloads_group: groups.workloads,
        pool_group: groups.pool,
        account,
        deployer,
        volume_key,
        cache_base,
        shared_caches,
        provisioning: provisioner.for_tenants(&database),
    };
    Declared {
        shared,
        database,
        registry,
        balancer_group,
    }
}

/// The single layout's load balancer (in `balancer_group`, serving `certificate_arn`) and the
/// pool's target group.
pub fn routing(
    program: &mut Program,
    config: &Config,
    shared: &Shared,
    balancer_group: Handle,
    certificate_arn: Expr,
) -> Routing {
    let platform = &config.platform;
    let balancer = network::origin_load_balancer(
        program,
        platform,
        &Names::new(platform).alb(),
        &shared.subnets,
        &balancer_group,
        certificate_arn,
    );
    let pool_target_group = network::pool_target_group(program, platform, &shared.vpc, None);
    Routing {
        balancer,
        balancer_group,
        pool_target_group,
    }
}

/// The pool's fleet (registered with `pool_target_groups`, one per load balancer) and the
/// standard tenants' access role it assumes.
pub fn services(
    program: &mut Program,
    config: &Config,
    shared: &Shared,
    registry: Handle,
    pool_target_groups: &[Handle],
) -> Services {
    let platform = &config.platform;
    let names = Names::new(platform);
    let Shared {
        subnets,
        workloads_group,
        pool_group,
        volume_key,
        account,
        ..
    } = shared;
    let pool_name = names.pool_fleet();
    let fleet_spec = &platform.fleet;
    let pool = fleet::fleet(
        program,
        platform,
        FleetSpec {
            logical: "pool",
            name: &pool_name,
            min_size: fleet_spec.pool_min,
            max_size: fleet_spec.pool_max,
            subnet_ids: subnets.private_ids(),
            security_group_ids: vec![workloads_group.id(), pool_group.id()],
            target_groups: pool_target_groups.iter().map(Handle::arn).collect(),
            volume_key,
            host_log_group: &names.fleet_log_group(&pool_name),
            tags: tags::shared(platform, &pool_name),
        },
    );
    // Standard tenants' sessions: the pool's instances assume it with a tenant_id tag.
    let tenant_access =
        identity::tenant_access(program, platform, &config.tenants, &pool.role.role, account);
    Services {
        registry,
        pool,
        tenant_access,
    }
}

/// The alarms of the pool's target group on `routing`'s load balancer; `logical` is unique
/// per load balancer (`pool`, or `pool-c001` in a cell).
pub fn pool_alarms(program: &mut Program, config: &Config, logical: &str, routing: &Routing) {
    let platform = &config.platform;
    observability::target_group_alarms(
        program,
        platform,
        AlarmTarget {
            logical,
            target_group: routing.pool_target_group.attr("arnSuffix"),
            load_balancer: routing.balancer.load_balancer.attr("arnSuffix"),
            actions: Vec::new(),
            tags: Expr::from(&tags::shared(platform, &format!("{logical}-alarms"))),
        },
    );
}

/// The shared outputs: network, load balancer (the single layout's), database endpoints,
/// registry, pool, caches.
pub fn outputs(
    program: &mut Program,
    (shared, database): (&Shared, &Database),
    services: &Services,
    balancer: Option<&LoadBalancer>,
) {
    program.output("vpcId", shared.vpc.vpc.id());
    program.output("privateSubnetIds", shared.subnets.private_ids());
    if let Some(balancer) = balancer {
        program.output("albDnsName", balancer.load_balancer.attr("dnsName"));
    }
    program.output("clusterEndpoint", database.cluster.attr("endpoint"));
    program.output(
        "clusterReaderEndpoint",
        database.cluster.attr("readerEndpoint"),
    );
    program.output("registryTable", services.registry.attr("name"));
    program.output("poolFleet", services.pool.group.attr("name"));
    program.output("tenantAccessRole", services.tenant_access.role.arn());
    let caches: Vec<(String, Expr)> = shared
        .shared_caches
        .iter()
        .map(|(index, group)| {
            (
                format!("pool{index}"),
                group.replication_group.attr("primaryEndpointAddress"),
            )
        })
        .collect();
    program.output(
        "sharedCacheEndpoints",
        Expr::Map(caches.into_iter().collect()),
    );
}
