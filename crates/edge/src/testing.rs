//! Test helpers: an enterprise config with every DNS mode, the edge built over it, and the
//! program rendered back to data and run through the project's checker.

use program::{Expr, Program};
use serde_json::Value;
use tenancy::Config;

pub use program::testing::emitted as render;

use crate::TenantEdge;

/// Tenants: `acme` (hosted apex + wildcard), `globex` (hosted, two hosts), `initech`
/// (customer DNS), `umbrella` (no domains: platform zone).
pub fn config() -> Config {
    tenancy::testing::enterprise(
        r#"
        [[tenants]]
        id = "acme"
        tier = "premium"
        domains = ["acme.io", "*.acme.io"]
        dns = "hosted"
        auth_domain = "auth.acme.io"

        [[tenants]]
        id = "globex"
        tier = "standard"
        domains = ["shop.globex.com", "api.globex.com"]
        dns = "hosted"

        [[tenants]]
        id = "initech"
        tier = "standard"
        domains = ["app.initech.com", "www.initech.com"]
        dns = "customer"

        [[tenants]]
        id = "umbrella"
        tier = "standard"
        "#,
    )
}

/// The edge of `config`, with an ALB stand-in for the origin alias.
pub fn build(config: &Config) -> (Program, Vec<TenantEdge>) {
    let mut program = Program::new();
    let platform = &config.platform;
    let origin = crate::origin(&mut program, platform);
    crate::origin_alias(
        &mut program,
        &origin,
        Expr::from("alb.example.elb.amazonaws.com"),
        Expr::from("Z35SXDOTRQ7X7K"),
    );
    let (edge, _) = crate::distribution(&mut program, platform, &origin);
    let tenants = config
        .tenants
        .iter()
        .map(|t| crate::tenant(&mut program, platform, &edge, t))
        .collect::<Vec<_>>();
    for (t, tenant_edge) in config.tenants.iter().zip(&tenants) {
        for (name, value) in &tenant_edge.outputs {
            program.output(&format!("{}-{name}", t.id), value.clone());
        }
    }
    (program, tenants)
}

/// The resources of one type, by logical name.
pub fn of_type<'a>(main: &'a Value, ty: &str) -> Vec<(&'a str, &'a Value)> {
    main["resources"]
        .as_object()
        .expect("resources")
        .iter()
        .filter(|(_, r)| r["type"] == ty)
        .map(|(name, r)| (name.as_str(), r))
        .collect()
}

/// Every finding of the project's checker (schema, structure, policy) on `main`.
pub fn findings(main: &Value) -> Vec<String> {
    let project = check::Project {
        dir: std::env::temp_dir(),
        project_file: serde_json::json!({"name": "edge-test", "runtime": "yaml"}),
        program: main.clone(),
    };
    check::check_project(&project, &[])
        .findings
        .into_iter()
        .map(|f| f.to_string())
        .collect()
}
