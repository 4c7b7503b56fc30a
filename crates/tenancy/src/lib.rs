//! `tenancy`: reads `tenants.toml` into a validated [`Config`].
//!
//! The flow goes one way: raw TOML (serde structs with spans) → validation
//! (collecting every error with `file:line:column`) → the clean model ([`Config`] and its parts) that the
//! builder crates consume. Physical AWS names derived from tenant ids live in [`names`],
//! and are checked against their AWS limits here, at load time. Nothing in this crate
//! knows about Pulumi.

mod aws;
pub mod cache_groups;
pub mod cells;
mod domain;
mod error;
mod model;
pub mod names;
mod raw;
mod schema;
mod shape;
pub mod slots;
mod source;
pub mod tags;
mod tenant_id;
#[cfg(feature = "testing")]
pub mod testing;
mod validate;

use std::path::Path;

pub use error::{ConfigError, ConfigErrors};
pub use model::{
    Auth, Cache, Cells, Config, Database, Dns, Fleet, Layout, Platform, Position, Sizing, System,
    Tenant, Tier, Waiver, DEFAULT_AZ_COUNT, DEFAULT_CELL_SIZE, DEFAULT_DESCRIPTION,
    DEFAULT_TENANT_CLAIM,
};
pub use names::Names;
pub use tenant_id::{TenantId, MAX_LEN as MAX_TENANT_ID_LEN, MIN_LEN as MIN_TENANT_ID_LEN};
pub use validate::max_cell_size;

use source::Source;

/// Reads and validates the config at `path`; relative paths inside it (the JWKS file) are
/// resolved against its directory.
pub fn load(path: &Path) -> Result<Config, ConfigErrors> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        file: file.clone(),
        line: 0,
        column: 0,
        field: "file".into(),
        message: format!("cannot read config: {e}"),
    })?;
    let base_dir = path.parent().unwrap_or(Path::new("."));
    parse(&text, &file, base_dir)
}

/// Validates config text. `file` is the name used in messages; `base_dir` resolves
/// relative paths inside the config.
pub fn parse(source: &str, file: &str, base_dir: &Path) -> Result<Config, ConfigErrors> {
    let source = Source::new(file, source);
    let mut read = shape::read(&source);
    let Some(raw) = read.raw.take() else {
        return Err(ConfigErrors::new(read.errors));
    };
    // Validation still runs after shape errors, so one run reports both kinds; it skips
    // errors on fields reading already reported (they hold placeholders).
    match validate::validate(raw, &source, base_dir) {
        Ok(config) if read.errors.is_empty() => Ok(config),
        Ok(_) => Err(ConfigErrors::new(read.errors)),
        Err(errors) => {
            let mut all = read.errors.clone();
            all.extend(errors.0.into_iter().filter(|e| !read.covers(&e.field)));
            Err(ConfigErrors::new(all))
        }
    }
}

/// JSON Schema of the `tenants.toml` input format, for editors and documentation.
pub fn json_schema() -> serde_json::Value {
    schema::json_schema()
}
