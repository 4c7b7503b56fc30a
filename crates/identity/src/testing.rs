//! Test helpers: a small enterprise config and a program rendered back to data.

pub use program::testing::emitted as render;
use tenancy::Config;

/// An enterprise platform with one premium and two standard tenants; `initech` has a
/// Cognito custom domain on its hosted domain.
pub fn enterprise() -> Config {
    tenancy::testing::enterprise(
        r#"
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
        "#,
    )
}
