//! tapgen: `tenants.toml` in, a self-contained Pulumi YAML project out.
//!
//! Flow: [`tenancy`] validates the config into a model; the system builders in
//! [`systems`] turn it into a [`program::Program`] using the `network`, `data` and `compute`
//! crates; [`project`] emits the files; [`output`] writes or checks them.

pub mod lock;
pub mod output;
pub mod project;
pub mod systems;

use std::path::Path;

use anyhow::{Context, Result};
use tenancy::slots::Slots;
use tenancy::Config;

/// A rendered project: its files, and how many resources the program declares.
pub struct Rendered {
    pub files: project::Files,
    pub resources: usize,
}

/// Renders `config` (read from `config_path`) against the previous render's lock: tenants
/// keep their slots, new ones get free slots, and every project file is produced.
pub fn render(config: &Config, config_path: &Path, previous: &lock::Lock) -> Result<Rendered> {
    let capacity = systems::capacity(config);
    let slots = Slots::allocate(&config.tenants, &previous.slots, capacity.slots)
        .with_context(|| format!("{}: tenants: {}", config_path.display(), capacity.reason))?;
    let program = systems::build(config, &slots)?;
    let config_name = config_path
        .file_name()
        .map_or("tenants.toml".into(), |n| n.to_string_lossy());
    let files = project::files(config, &config_name, &program, &slots)?;
    Ok(Rendered {
        files,
        resources: program.resources().len(),
    })
}
