//! System C: serverless tenants in one shared VPC, each with its own subnets, KMS key,
//! DynamoDB tables and users function, behind one REST API guarded by a JWT authorizer.

use compute::api;
use compute::functions::{self, TenantBinding};
use program::{Expr, Program};
use tenancy::slots::Slots;
use tenancy::{Config, Names};

use crate::project::{providers, tenant_map};

pub fn build(config: &Config, slots: &Slots) -> Program {
    let platform = &config.platform;
    let auth = platform
        .auth
        .as_ref()
        .expect("validation requires [platform.auth] for the serverless system");
    let names = Names::new(platform);
    let mut program = Program::new();
    providers(&mut program, platform);

    let vpc = network::vpc(&mut program, platform);
    let routing = network::tenant_routing(&mut program, platform, &vpc);
    let authorizer = functions::authorizer(&mut program, platform, auth);
    let rest_api = api::rest_api(&mut program, platform, &authorizer);
    let code = functions::users_code(&mut program);
    let account = compute::iam::account_id(&mut program);

    let mut routes = Vec::new();
    let mut endpoints = Vec::new();
    let mut subnet_outputs = Vec::new();
    for tenant in &config.tenants {
        let id = &tenant.id;
        let subnets =
            network::tenant_subnets(&mut program, platform, &vpc, &routing, tenant, slots.of(id));
        let group =
            network::tenant_function_security_group(&mut program, platform, &vpc, &routing, tenant);
        let key = data::tenant_key(&mut program, platform, tenant, &names.kms_alias(id));
        let tables = data::tenant_tables(&mut program, platform, tenant, &key);
        let function = functions::tenant_function(
            &mut program,
            platform,
            tenant,
            TenantBinding {
                code: code.clone(),
                users_table: &tables.users,
                data_table: &tables.data,
                key: &key,
                subnets: &subnets,
                security_group: &group,
                account: &account,
                tenant_subnet: network::joined_ids(&subnets),
            },
        );
        routes.extend(api::tenant_routes(
            &mut program,
            &rest_api,
            tenant,
            &function,
        ));
        endpoints.push((id.to_string(), id));
        subnet_outputs.push((
            id.to_string(),
            Expr::List(subnets.iter().map(|s| s.id()).collect()),
        ));
    }
    let stage = api::stage(
        &mut program,
        platform,
        &rest_api,
        &routes,
        &config.tenants,
        &account,
    );

    let endpoints = endpoints.into_iter().map(|(key, id)| {
        let url = Expr::concat([
            "https://".into(),
            rest_api.rest_api.id(),
            format!(".execute-api.{}.amazonaws.com/", platform.region).into(),
            stage.attr("stageName"),
            format!("/tenants/{id}/users").into(),
        ]);
        (key, url)
    });
    program.output("vpcId", vpc.vpc.id());
    program.output("apiId", rest_api.rest_api.id());
    program.output(
        "tenantApiEndpoints",
        tenant_map(endpoints.collect::<Vec<_>>()),
    );
    program.output("tenantSubnetIds", tenant_map(subnet_outputs));
    program
}
