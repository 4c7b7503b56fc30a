//! Test helpers: a small enterprise config and a program rendered back to data.

use program::Program;
use tenancy::Config;

/// An enterprise platform with one premium and one standard tenant.
pub fn enterprise() -> Config {
    let toml = r#"
        [platform]
        system = "enterprise"
        project = "tap-enterprise"
        environment = "prod"
        region = "us-east-1"
        vpc_cidr = "10.18.0.0/16"
        base_domain = "tap.example.com"

        [[tenants]]
        id = "acme"
        tier = "premium"

        [[tenants]]
        id = "globex"
        tier = "standard"
    "#;
    tenancy::parse(toml, "tenants.toml", std::path::Path::new(".")).expect("a valid config")
}

/// The emitted `Main.yaml` as data (panics if emission fails, e.g. a dangling reference).
pub fn render(program: &Program) -> serde_json::Value {
    serde_norway::from_str(&program.emit().expect("the program emits")).expect("YAML")
}
