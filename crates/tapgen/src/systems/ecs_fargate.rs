//! System A: ECS Fargate tenants behind one ALB, sharing one Aurora cluster with a schema
//! and user each, and each with its own bucket, key, secret, log group and roles.

use compute::ecs::{self, TenantWiring};
use program::{Expr, Program};
use tenancy::slots::Slots;
use tenancy::{Config, Names};

use crate::project::{providers, tenant_map};

pub fn build(config: &Config, slots: &Slots) -> Program {
    let platform = &config.platform;
    let names = Names::new(platform);
    let mut program = Program::new();
    providers(&mut program, platform);

    let vpc = network::vpc(&mut program, platform);
    let subnets = network::public_private_subnets(&mut program, platform, &vpc);
    let groups = network::security_groups(&mut program, platform, &vpc);
    let balancer = network::load_balancer(&mut program, platform, &subnets, &groups);
    let database = data::aurora(
        &mut program,
        platform,
        subnets.private_ids(),
        &groups.database,
    );
    let initializer = data::schema_initializer(&mut program, platform, &database);
    let cluster = ecs::cluster(&mut program, platform);
    let deployer = data::deployer(&mut program);

    let mut endpoints = Vec::new();
    let mut connections = Vec::new();
    for tenant in &config.tenants {
        let id = &tenant.id;
        let key = data::tenant_key(&mut program, platform, tenant, &names.kms_alias(id));
        let bucket = data::tenant_bucket(&mut program, platform, tenant, &key, &deployer);
        let credentials = data::tenant_credentials(&mut program, platform, tenant, &key);
        data::tenant_schema(
            &mut program,
            platform,
            tenant,
            &initializer,
            &database,
            &credentials,
            &key,
        );
        let task_group =
            network::tenant_security_group(&mut program, platform, &vpc, &groups, tenant);
        let (target_group, rules) = network::tenant_route(
            &mut program,
            platform,
            &vpc,
            &balancer,
            tenant,
            slots.of(id),
        );
        ecs::tenant_service(
            &mut program,
            platform,
            tenant,
            TenantWiring {
                cluster: &cluster,
                private_subnet_ids: subnets.private_ids(),
                security_groups: vec![task_group.id(), groups.workloads.id()],
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

    program.output("vpcId", vpc.vpc.id());
    program.output("publicSubnetIds", subnets.public_ids());
    program.output("privateSubnetIds", subnets.private_ids());
    program.output("albDnsName", balancer.load_balancer.attr("dnsName"));
    program.output("clusterEndpoint", database.cluster.attr("endpoint"));
    program.output(
        "clusterReaderEndpoint",
        database.cluster.attr("readerEndpoint"),
    );
    program.output("ecsClusterName", cluster.attr("name"));
    program.output("tenantEndpoints", tenant_map(endpoints));
    program.output("tenantDatabaseUrls", tenant_map(connections));
    program
}
