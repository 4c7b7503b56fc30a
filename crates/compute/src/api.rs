//! The serverless system's REST API: `/tenants/<id>/users` and `/tenants/<id>/users/{userId}`
//! per tenant, every method behind the JWT authorizer, each tenant's routes integrated with
//! that tenant's function only, and a stage with access logging.
//!
//! Each tenant has its own static path under `/tenants`, because an integration cannot pick
//! a function from a path parameter. That costs three API resources per tenant (300 per API
//! by default, adjustable).

use program::{map, Expr, Handle, Program, Resource};
use tenancy::{tags, Names, Platform, Tenant};

use crate::iam::Allow;
use crate::lambda::Deployed;
use crate::logs::log_group;

pub const STAGE: &str = "v1";

pub struct Api {
    /// The API's name, which its stage and access log group are named after.
    pub name: String,
    pub rest_api: Handle,
    pub tenants: Handle,
    pub authorizer: Handle,
}

/// The API, its `/tenants` resource and the REQUEST authorizer. Results are never cached
/// (TTL 0): the policy an authorizer returns is specific to one tenant's path.
pub fn rest_api(
    program: &mut Program,
    platform: &Platform,
    name: &str,
    authorizer: &Deployed,
) -> Api {
    let rest_api = program.resource(
        "api",
        Resource::new("aws:apigateway:RestApi")
            .with("name", name)
            .with("description", "Tenant API (tapgen)")
            .with("endpointConfiguration", map! { "types" => "REGIONAL" })
            .with("tags", &tags::shared(platform, name)),
    );
    let tenants = program.resource(
        "api-tenants",
        Resource::new("aws:apigateway:Resource")
            .with("restApi", rest_api.id())
            .with("parentId", rest_api.attr("rootResourceId"))
            .with("pathPart", "tenants"),
    );
    let gate = program.resource(
        "api-authorizer",
        Resource::new("aws:apigateway:Authorizer")
            .with("name", "tenant-jwt")
            .with("restApi", rest_api.id())
            .with("type", "REQUEST")
            .with("authorizerUri", authorizer.function.attr("invokeArn"))
            .with("identitySource", "method.request.header.Authorization")
            .with("authorizerResultTtlInSeconds", 0u32),
    );
    program.resource(
        "api-authorizer-permission",
        Resource::new("aws:lambda:Permission")
            .with("action", "lambda:InvokeFunction")
            .with("function", authorizer.function.attr("name"))
            .with("principal", "apigateway.amazonaws.com")
            .with(
                "sourceArn",
                Expr::concat([
                    rest_api.attr("executionArn"),
                    "/authorizers/".into(),
                    gate.id(),
                ]),
            ),
    );
    Api {
        name: name.to_string(),
        rest_api,
        tenants,
        authorizer: gate,
    }
}

/// The tenant's routes, integrated with its function; returns what the deployment must
/// wait for.
pub fn tenant_routes(
    program: &mut Program,
    api: &Api,
    tenant: &Tenant,
    function: &Deployed,
) -> Vec<Handle> {
    let id = &tenant.id;
    let mut resource = |logical: &str, parent: &Handle, path: &str| {
        program.resource(
            logical,
            Resource::new("aws:apigateway:Resource")
                .with("restApi", api.rest_api.id())
                .with("parentId", parent.id())
                .with("pathPart", path),
        )
    };
    let tenant_root = resource(&format!("{id}-api-tenant"), &api.tenants, id.as_ref());
    let users = resource(&format!("{id}-api-users"), &tenant_root, "users");
    let user = resource(&format!("{id}-api-user"), &users, "{userId}");
    let routes = [
        ("list-users", &users, "GET"),
        ("create-user", &users, "POST"),
        ("get-user", &user, "GET"),
    ];
    let mut handles = Vec::new();
    for (route, path, verb) in routes {
        let path_parameters = match route {
            "get-user" => map! { "method.request.path.userId" => true },
            _ => Expr::Null,
        };
        let method = program.resource(
            &format!("{id}-{route}-method"),
            Resource::new("aws:apigateway:Method")
                .with("restApi", api.rest_api.id())
                .with("resourceId", path.id())
                .with("httpMethod", verb)
                .with("authorization", "CUSTOM")
                .with("authorizerId", api.authorizer.id())
                .with("requestParameters", path_parameters),
        );
        let integration = program.resource(
            &format!("{id}-{route}-integration"),
            Resource::new("aws:apigateway:Integration")
                .with("restApi", api.rest_api.id())
                .with("resourceId", path.id())
                .with("httpMethod", method.attr("httpMethod"))
                .with("type", "AWS_PROXY")
                .with("integrationHttpMethod", "POST")
                .with("uri", function.function.attr("invokeArn")),
        );
        handles.extend([method, integration]);
    }
    program.resource(
        &format!("{id}-api-permission"),
        Resource::new("aws:lambda:Permission")
            .with("action", "lambda:InvokeFunction")
            .with("function", function.function.attr("name"))
            .with("principal", "apigateway.amazonaws.com")
            .with(
                "sourceArn",
                Expr::concat([
                    api.rest_api.attr("executionArn"),
                    format!("/*/*/tenants/{id}/users*").into(),
                ]),
            ),
    );
    handles
}

/// Who declares API Gateway's account-level logging role: the stage's own program, or (in
/// the cell layout) the platform stack, deployed before any cell's stage.
pub enum Logging<'a> {
    /// Declare it here; the handle is the account id.
    Declare(&'a Handle),
    Platform,
}

/// The deployment (redeployed when the set of tenants changes), the stage with JSON
/// access logs, throttling and metrics, and the account-level logging role API Gateway
/// needs before any stage can log (unless the platform stack holds it).
pub fn stage(
    program: &mut Program,
    platform: &Platform,
    api: &Api,
    routes: &[Handle],
    tenants: &[&Tenant],
    logging: Logging,
) -> Handle {
    let env = &platform.environment;
    let mut ids: Vec<&str> = tenants.iter().map(|t| t.id.as_str()).collect();
    ids.sort_unstable();
    let deployment = program.resource(
        "api-deployment",
        Resource::new("aws:apigateway:Deployment")
            .with("restApi", api.rest_api.id())
            .with("description", "Tenant API routes (tapgen)")
            .with("triggers", map! { "tenants" => ids.join(",") })
            .depends_on(&routes.iter().collect::<Vec<_>>()),
    );
    let account = match logging {
        Logging::Declare(account) => Some(account_logging(program, platform, account)),
        Logging::Platform => None,
    };
    let access_logs = log_group(
        program,
        "api-access-logs",
        &format!("/aws/apigateway/{}", api.name),
        platform.defaults.log_retention_days,
        Expr::from(&tags::shared(platform, &format!("api-access-logs-{env}"))),
    );
    let stage = Resource::new("aws:apigateway:Stage")
        .with("restApi", api.rest_api.id())
        .with("deployment", deployment.id())
        .with("stageName", STAGE)
        .with("xrayTracingEnabled", true)
        .with(
            "accessLogSettings",
            map! { "destinationArn" => access_logs.arn(), "format" => ACCESS_LOG_FORMAT },
        )
        .with(
            "tags",
            &tags::shared(platform, &format!("{}-{STAGE}", api.name)),
        );
    let stage = match &account {
        Some(account) => stage.depends_on(&[account]),
        None => stage,
    };
    let stage = program.resource("api-stage", stage);
    program.resource(
        "api-method-settings",
        Resource::new("aws:apigateway:MethodSettings")
            .with("restApi", api.rest_api.id())
            .with("stageName", stage.attr("stageName"))
            .with("methodPath", "*/*")
            .with(
                "settings",
                map! {
                    "metricsEnabled" => true,
                    "loggingLevel" => "ERROR",
                    "throttlingBurstLimit" => 100u32,
                    "throttlingRateLimit" => 50u32,
                },
            ),
    );
    stage
}

/// API Gateway writes every API's logs in this account and region through one account-level
/// role; it may reach log groups here and nothing else.
pub fn account_logging(program: &mut Program, platform: &Platform, account: &Handle) -> Handle {
    let role_name = format!("{}-logging", Names::new(platform).api());
    let log_groups = crate::iam::arn("logs", &platform.region, account, "log-group:*");
    let logging = crate::iam::role(
        program,
        "api-logging-role",
        &role_name,
        "apigateway.amazonaws.com",
        Expr::from(&tags::shared(platform, &role_name)),
        vec![Allow {
            actions: &[
                "logs:CreateLogGroup",
                "logs:CreateLogStream",
                "logs:DescribeLogGroups",
                "logs:DescribeLogStreams",
                "logs:PutLogEvents",
            ],
            resources: vec![
                log_groups.clone(),
                Expr::concat([log_groups, ":log-stream:*".into()]),
            ],
        }],
    );
    program.resource(
        "api-account",
        Resource::new("aws:apigateway:Account")
            .with("cloudwatchRoleArn", logging.role.arn())
            .depends_on(&[&logging.policy]),
    )
}

/// One JSON line per request, including the tenant the authorizer admitted.
const ACCESS_LOG_FORMAT: &str = r#"{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","tenant":"$context.authorizer.tenantId","method":"$context.httpMethod","path":"$context.path","status":"$context.status","latencyMs":"$context.responseLatency","error":"$context.error.message"}"#;
