//! System C: serverless tenants in one shared VPC, each with its own subnets, KMS key,
//! DynamoDB tables and users function, behind a REST API guarded by a JWT authorizer.
//!
//! Cell layout: the platform stack holds the VPC, the tenant route table with its DynamoDB
//! endpoint, the authorizer and API Gateway's account logging role; each cell adds a
//! secondary VPC range for its tenants' subnets and its own REST API and stage.

use compute::api::{self, Api, Logging};
use compute::functions::{self, TenantBinding};
use compute::lambda::Deployed;
use network::{TenantRouting, TenantSpace, Vpc};
use program::{Expr, Program};
use tenancy::cells::cell_range;
use tenancy::slots::Slots;
use tenancy::{Config, Layout, Names, Platform, Tenant};

use super::cells::{self, cell_program, cell_tenants};
use super::Stacks;
use crate::placement::Placement;
use crate::project::{providers, tenant_map};

pub fn build(config: &Config, slots: &Slots) -> Program {
    let platform = &config.platform;
    let mut program = Program::new();
    providers(&mut program, platform);

    let vpc = network::vpc(&mut program, platform);
    let routing = network::tenant_routing(&mut program, platform, &vpc);
    let authorizer = functions::authorizer(&mut program, platform, auth(platform));
    let api_name = Names::new(platform).api();
    let rest_api = api::rest_api(&mut program, platform, &api_name, &authorizer);
    program.output("vpcId", vpc.vpc.id());
    let shared = Shared {
        space: TenantSpace::primary(platform, &vpc),
        vpc,
        routing,
    };
    let tenants: Vec<&Tenant> = config.tenants.iter().collect();
    tenants_behind_api(
        &mut program,
        platform,
        &shared,
        &rest_api,
        &tenants,
        slots,
        LoggingRole::Here,
    );
    program
}

/// The platform stack and one stack per cell.
pub fn build_cells(config: &Config, placement: &Placement) -> Stacks {
    let platform = &config.platform;
    let Layout::Cells(layout) = platform.layout else {
        unreachable!("build_cells is called for the cell layout only")
    };
    let pool = layout
        .address_pool
        .expect("validation requires an address pool for serverless cells");

    let mut shared = cells::platform_program(config);
    let vpc = network::vpc(&mut shared, platform);
    let routing = network::tenant_routing(&mut shared, platform, &vpc);
    let authorizer = functions::authorizer(&mut shared, platform, auth(platform));
    let account = compute::iam::account_id(&mut shared);
    api::account_logging(&mut shared, platform, &account);
    shared.output("vpcId", vpc.vpc.id());
    let exports = [
        shared.export_handle("vpc", &vpc.vpc, &["id"]),
        shared.export_handle("internetGateway", &vpc.internet_gateway, &["id"]),
        shared.export("availabilityZones", vpc.zones.expr()),
        shared.export_handle("tenantRouteTable", &routing.route_table, &["id"]),
        shared.export_handle(
            "dynamodbEndpoint",
            &routing.dynamodb_endpoint,
            &["prefixListId"],
        ),
        shared.export_handle("authorizer", &authorizer.function, &["invokeArn", "name"]),
        shared.export_handle("authorizerRole", &authorizer.role, &["arn"]),
    ];

    let mut stacks = Vec::new();
    for (cell, members) in placement.cells.iter() {
        let (mut program, reference) = cell_program(config, cell, &shared);
        let [vpc_export, gateway, zones, route_table, endpoint, function, role] = &exports;
        let vpc = Vpc {
            vpc: program.import(&reference, vpc_export),
            internet_gateway: program.import(&reference, gateway),
            zones: program.import(&reference, zones),
        };
        let routing = TenantRouting {
            route_table: program.import(&reference, route_table),
            dynamodb_endpoint: program.import(&reference, endpoint),
        };
        let authorizer = Deployed {
            function: program.import(&reference, function),
            role: program.import(&reference, role),
        };
        let range = cell_range(pool, layout.size, platform.az_count, cell)
            .expect("validation sizes the pool for every cell");
        let space = network::cell_space(&mut program, &vpc, range);
        let api_name = Names::new(platform).cell_api(&cell.short());
        let rest_api = api::rest_api(&mut program, platform, &api_name, &authorizer);
        let shared = Shared {
            vpc,
            routing,
            space,
        };
        let tenants = cell_tenants(config, members);
        tenants_behind_api(
            &mut program,
            platform,
            &shared,
            &rest_api,
            &tenants,
            &placement.slots,
            LoggingRole::InPlatform,
        );
        stacks.push((cell, program));
    }
    cells::stacks(config, shared, stacks)
}

/// What every tenant of one program builds on, whichever stack declared it.
struct Shared {
    vpc: Vpc,
    routing: TenantRouting,
    space: TenantSpace,
}

/// Where API Gateway's account-level logging role is declared.
enum LoggingRole {
    Here,
    InPlatform,
}

/// Each tenant's subnets, group, key, tables, function and routes, then the API's stage
/// and the outputs.
fn tenants_behind_api(
    program: &mut Program,
    platform: &Platform,
    shared: &Shared,
    rest_api: &Api,
    tenants: &[&Tenant],
    slots: &Slots,
    logging_role: LoggingRole,
) {
    let names = Names::new(platform);
    let code = functions::users_code(program);
    let account = compute::iam::account_id(program);
    let mut routes = Vec::new();
    let mut subnet_outputs = Vec::new();
    for &tenant in tenants {
        let id = &tenant.id;
        let subnets = network::tenant_subnets(
            program,
            platform,
            &shared.vpc,
            &shared.space,
            &shared.routing,
            tenant,
            slots.of(id),
        );
        let group = network::tenant_function_security_group(
            program,
            platform,
            &shared.vpc,
            &shared.routing,
            tenant,
        );
        let key = data::tenant_key(program, platform, tenant, &names.kms_alias(id));
        let tables = data::tenant_tables(program, platform, tenant, &key);
        let function = functions::tenant_function(
            program,
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
        routes.extend(api::tenant_routes(program, rest_api, tenant, &function));
        subnet_outputs.push((
            id.to_string(),
            Expr::List(subnets.iter().map(|s| s.id()).collect()),
        ));
    }
    let logging = match logging_role {
        LoggingRole::Here => Logging::Declare(&account),
        LoggingRole::InPlatform => Logging::Platform,
    };
    let stage = api::stage(program, platform, rest_api, &routes, tenants, logging);

    let endpoints = tenants.iter().map(|tenant| {
        let url = Expr::concat([
            "https://".into(),
            rest_api.rest_api.id(),
            format!(".execute-api.{}.amazonaws.com/", platform.region).into(),
            stage.attr("stageName"),
            format!("/tenants/{}/users", tenant.id).into(),
        ]);
        (tenant.id.to_string(), url)
    });
    program.output("apiId", rest_api.rest_api.id());
    program.output(
        "tenantApiEndpoints",
        tenant_map(endpoints.collect::<Vec<_>>()),
    );
    program.output("tenantSubnetIds", tenant_map(subnet_outputs));
}

fn auth(platform: &Platform) -> &tenancy::Auth {
    platform
        .auth
        .as_ref()
        .expect("validation requires [platform.auth] for the serverless system")
}
