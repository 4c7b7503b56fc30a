//! Fixtures for the builder crates' tests (feature `testing`): one enterprise platform that
//! each test gives its own tenants.

use std::path::Path;

use crate::Config;

/// The `[platform]` table every enterprise fixture shares.
pub const ENTERPRISE_PLATFORM: &str = r#"
[platform]
system = "enterprise"
project = "tap-enterprise"
environment = "prod"
region = "us-east-1"
vpc_cidr = "10.18.0.0/16"
base_domain = "tap.example.com"
"#;

/// The enterprise platform followed by `rest`: more `[platform]` keys, then `[[tenants]]`.
pub fn enterprise(rest: &str) -> Config {
    let toml = format!("{ENTERPRISE_PLATFORM}{rest}");
    crate::parse(&toml, "tenants.toml", Path::new(".")).expect("a valid config")
}
