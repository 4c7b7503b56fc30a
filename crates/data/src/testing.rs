//! Test helpers: a small enterprise config and a program rendered back to data.

pub use program::testing::emitted as render;
use tenancy::Config;

/// An enterprise platform with one premium and two standard tenants.
pub fn enterprise() -> Config {
    tenancy::testing::enterprise(
        r#"
        tags = { environment = "prod" }

        [[tenants]]
        id = "acme"
        tier = "premium"

        [[tenants]]
        id = "globex"
        tier = "standard"

        [[tenants]]
        id = "initech"
        tier = "standard"
        "#,
    )
}
