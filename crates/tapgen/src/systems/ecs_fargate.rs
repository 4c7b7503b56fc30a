//! System A: ECS Fargate tenants behind a load balancer, sharing one Aurora cluster with a
//! schema and user each, and each with its own bucket, key, secret, log group and roles.
//!
//! Cell layout: the platform stack holds the network, the security groups, the cluster with
//! its db-init function and the ECS cluster; each cell has its own load balancer (100 target
//! groups per load balancer is an AWS hard limit) and its tenants' resources.

use compute::ecs::{self, TenantWiring};
use compute::lambda::Deployed;
use data::Database;
use network::{LoadBalancer, SecurityGroups, Subnets, Vpc};
use program::{Expr, Handle, Program};
use tenancy::slots::Slots;
use tenancy::{Config, Names, Platform, Tenant};

use super::cells::{self, cell_program, cell_tenants};
use super::Stacks;
use crate::placement::Placement;
use crate::project::{providers, tenant_map};

pub fn build(config: &Config, slots: &Slots) -> Program {
    let platform = &config.platform;
    let names = Names::new(platform);
    let mut program = Program::new();
    providers(&mut program, platform);

    let vpc = network::vpc(&mut program, platform);
    let subnets = network::public_private_subnets(&mut program, platform, &vpc);
    let groups = network::security_groups(&mut program, platform, &vpc);
    let balancer = network::load_balancer(&mut program, platform, &names.alb(), &subnets, &groups);
    let database = data::aurora(
        &mut program,
        platform,
        subnets.private_ids(),
        &groups.database,
    );
    let initializer = data::schema_initializer(&mut program, platform, &database);
    let cluster = ecs::cluster(&mut program, platform);
    let deployer = data::deployer(&mut program);

    program.output("vpcId", vpc.vpc.id());
    program.output("publicSubnetIds", subnets.public_ids());
    program.output("privateSubnetIds", subnets.private_ids());
    program.output("albDnsName", balancer.load_balancer.attr("dnsName"));
    shared_outputs(&mut program, &database, &cluster);
    let shared = Shared {
        vpc,
        subnets,
        groups,
        database,
        initializer,
        cluster,
        deployer,
    };
    let tenants: Vec<&Tenant> = config.tenants.iter().collect();
    tenant_services(&mut program, platform, &shared, &balancer, &tenants, slots);
    program
}

/// The platform stack and one stack per cell.
pub fn build_cells(config: &Config, placement: &Placement) -> Stacks {
    let platform = &config.platform;
    let mut main = cells::platform_program(config);
    let vpc = network::vpc(&mut main, platform);
    let subnets = network::public_private_subnets(&mut main, platform, &vpc);
    let (workloads, database_group) = network::workload_groups(&mut main, platform, &vpc);
    let database = data::aurora(&mut main, platform, subnets.private_ids(), &database_group);
    let initializer = data::schema_initializer(&mut main, platform, &database);
    let cluster = ecs::cluster(&mut main, platform);
    main.output("vpcId", vpc.vpc.id());
    shared_outputs(&mut main, &database, &cluster);
    let groups = [&workloads, &database_group];
    let exports = Exports::declare(
        &mut main,
        &vpc,
        &subnets,
        groups,
        &database,
        &initializer,
        &cluster,
    );

    let names = Names::new(platform);
    let mut stacks = Vec::new();
    for (cell, members) in placement.cells.iter() {
        let (mut program, reference) = cell_program(config, cell, &main);
        let shared = exports.import(&mut program, &reference, platform);
        let balancer = network::load_balancer(
            &mut program,
            platform,
            &names.cell_alb(&cell.short()),
            &shared.subnets,
            &shared.groups,
        );
        program.output("albDnsName", balancer.load_balancer.attr("dnsName"));
        let tenants = cell_tenants(config, members);
        tenant_services(
            &mut program,
            platform,
            &shared,
            &balancer,
            &tenants,
            &placement.slots,
        );
        stacks.push((cell, program));
    }
    cells::stacks(config, main, stacks)
}

/// What every tenant builds on, whichever stack declared it.
struct Shared {
    vpc: Vpc,
    subnets: Subnets,
    groups: SecurityGroups,
    database: Database,
    initializer: Deployed,
    cluster: Handle,
    deployer: Handle,
}

fn shared_outputs(program: &mut Program, database: &Database, cluster: &Handle) {
    program.output("clusterEndpoint", database.cluster.attr("endpoint"));
    program.output(
        "clusterReaderEndpoint",
        database.cluster.attr("readerEndpoint"),
    );
    program.output("ecsClusterName", cluster.attr("name"));
}

/// Each tenant's key, bucket, credentials, schema, security group, route and service, and
/// the per-tenant outputs.
fn tenant_services(
    program: &mut Program,
    platform: &Platform,
    shared: &Shared,
    balancer: &LoadBalancer,
    tenants: &[&Tenant],
    slots: &Slots,
) {
    let names = Names::new(platform);
    let database = &shared.database;
    let mut endpoints = Vec::new();
    let mut connections = Vec::new();
    for &tenant in tenants {
        let id = &tenant.id;
        let key = data::tenant_key(program, platform, tenant, &names.kms_alias(id));
        let bucket = data::tenant_bucket(program, platform, tenant, &key, &shared.deployer);
        let credentials = data::tenant_credentials(program, platform, tenant, &key);
        data::tenant_schema(
            program,
            platform,
            tenant,
            &shared.initializer,
            database,
            &credentials,
            &key,
        );
        let task_group =
            network::tenant_security_group(program, platform, &shared.vpc, &shared.groups, tenant);
        let (target_group, rules) = network::tenant_route(
            program,
            platform,
            &shared.vpc,
            balancer,
            tenant,
            slots.of(id),
        );
        ecs::tenant_service(
            program,
            platform,
            tenant,
            TenantWiring {
                cluster: &shared.cluster,
                private_subnet_ids: shared.subnets.private_ids(),
                security_groups: vec![task_group.id(), shared.groups.workloads.id()],
                target_group: &target_group,
                listener_rules: &rules,
                bucket: &bucket,
                key: &key,
                db_secret: &credentials.secret,
                db_host: database.cluster.attr("endpoint"),
            },
        );
        endpoints.push((
            id.to_string(),
            Expr::from(format!("{id}.{}", platform.base_domain)),
        ));
        connections.push((
            id.to_string(),
            Expr::concat([
                format!("postgresql://{}@", names.db_user(id)).into(),
                database.cluster.attr("endpoint"),
                format!(
                    ":5432/{}?sslmode=require&options=-csearch_path%3D{}",
                    platform.database.name,
                    names.db_schema(id)
                )
                .into(),
            ]),
        ));
    }
    program.output("tenantEndpoints", tenant_map(endpoints));
    program.output("tenantDatabaseUrls", tenant_map(connections));
}

/// The platform's outputs every cell reads, each exported with exactly the attributes the
/// tenant builders use.
struct Exports {
    vpc: program::Export,
    internet_gateway: program::Export,
    zones: program::Export,
    public: Vec<program::Export>,
    private: Vec<program::Export>,
    /// The workload and database groups; each cell has its own load balancer group.
    groups: [program::Export; 2],
    cluster: program::Export,
    initializer: [program::Export; 2],
    ecs_cluster: program::Export,
}

impl Exports {
    fn declare(
        program: &mut Program,
        vpc: &Vpc,
        subnets: &Subnets,
        [workloads, database_group]: [&Handle; 2],
        database: &Database,
        initializer: &Deployed,
        ecs_cluster: &Handle,
    ) -> Exports {
        let mut subnet_exports = |kind: &str, handles: &[Handle]| -> Vec<program::Export> {
            handles
                .iter()
                .enumerate()
                .map(|(n, h)| {
                    program.export_handle(&format!("{kind}SubnetAz{}", n + 1), h, &["id"])
                })
                .collect()
        };
        let public = subnet_exports("public", &subnets.public);
        let private = subnet_exports("private", &subnets.private);
        Exports {
            vpc: program.export_handle("vpc", &vpc.vpc, &["id"]),
            internet_gateway: program.export_handle(
                "internetGateway",
                &vpc.internet_gateway,
                &["id"],
            ),
            zones: program.export("availabilityZones", vpc.zones.expr()),
            public,
            private,
            groups: [
                program.export_handle("workloadsGroup", workloads, &["id"]),
                program.export_handle("databaseGroup", database_group, &["id"]),
            ],
            cluster: program.export_handle(
                "database",
                &database.cluster,
                &["arn", "endpoint", "readerEndpoint", "masterUserSecrets"],
            ),
            initializer: [
                program.export_handle("dbInit", &initializer.function, &["name"]),
                program.export_handle("dbInitRole", &initializer.role, &["id"]),
            ],
            ecs_cluster: program.export_handle("ecsCluster", ecs_cluster, &["id", "arn", "name"]),
        }
    }

    /// The shared handles as `cell` sees them through `reference`. The database writer is
    /// in the platform stack: a tenant schema waits for the stack reference instead, which
    /// resolves only once the platform (writer included) is deployed. The deployer is the
    /// principal deploying the cell (its buckets exempt it), so the cell looks it up itself.
    fn import(
        &self,
        cell: &mut Program,
        reference: &program::StackRef,
        platform: &Platform,
    ) -> Shared {
        let mut import = |export: &program::Export| cell.import(reference, export);
        let vpc = Vpc {
            vpc: import(&self.vpc),
            internet_gateway: import(&self.internet_gateway),
            zones: import(&self.zones),
        };
        let workloads = import(&self.groups[0]);
        let database = import(&self.groups[1]);
        let load_balancer = network::load_balancer_group(cell, platform, &vpc, &workloads);
        let mut import = |export: &program::Export| cell.import(reference, export);
        Shared {
            vpc,
            subnets: Subnets {
                public: self.public.iter().map(&mut import).collect(),
                private: self.private.iter().map(&mut import).collect(),
                // Cells add no routes.
                private_route_tables: Vec::new(),
            },
            groups: SecurityGroups {
                load_balancer,
                workloads,
                database,
            },
            database: Database {
                cluster: import(&self.cluster),
                writer: reference.handle().clone(),
                reader: None,
            },
            initializer: Deployed {
                function: import(&self.initializer[0]),
                role: import(&self.initializer[1]),
            },
            cluster: import(&self.ecs_cluster),
            deployer: data::deployer(cell),
        }
    }
}
