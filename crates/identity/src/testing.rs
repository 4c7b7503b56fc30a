//! Test helpers: a small enterprise config and a program rendered back to data.

use program::Program;
use tenancy::Config;

/// An enterprise platform with one premium and two standard tenants; `initech` has a
/// Cognito custom domain on its hosted domain.
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

        [[tenants]]
        id = "initech"
        tier = "standard"
        domains = ["initech.io", "*.initech.io"]
        dns = "hosted"
        auth_domain = "auth.initech.io"
    "#;
    tenancy::parse(toml, "tenants.toml", std::path::Path::new(".")).expect("a valid config")
}

/// The emitted `Main.yaml` as data (panics if emission fails, e.g. a dangling reference).
pub fn render(program: &Program) -> serde_json::Value {
    serde_norway::from_str(&program.emit().expect("the program emits")).expect("YAML")
}
