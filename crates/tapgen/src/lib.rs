//! tapgen: `tenants.toml` in, a self-contained Pulumi YAML project out.
//!
//! Flow: [`tenancy`] validates the config into a model; the system builders in
//! [`systems`] turn it into a [`program::Program`] using the `network`, `data` and `compute`
//! crates; [`project`] emits the files; [`output`] writes or checks them.

pub mod lock;
pub mod output;
pub mod placement;
pub mod plan;
pub mod project;
pub mod systems;
pub mod waivers;

use std::path::Path;

use anyhow::{bail, Result};
use tenancy::Config;

use crate::placement::Placement;
use crate::plan::Plan;
use crate::systems::Stacks;

/// A rendered project: its files, and how many resources its programs declare.
pub struct Rendered {
    pub files: project::Files,
    pub resources: usize,
}

/// Renders `config` (read from `config_path`) against the previous render's lock: tenants
/// keep their slots and cells, new ones get free ones, and every project file is produced. A
/// program that would exceed a quota AWS does not raise is refused before any file exists.
pub fn render(config: &Config, config_path: &Path, previous: &lock::Lock) -> Result<Rendered> {
    let (stacks, placement) = build(config, config_path, previous)?;
    refuse_hard_limits(&Plan::new(config, &stacks.for_plan()), config_path)?;
    let config_name = config_path
        .file_name()
        .map_or("tenants.toml".into(), |n| n.to_string_lossy());
    let files = project::files(config, &config_name, &stacks, &placement)?;
    Ok(Rendered {
        files,
        resources: stacks.resources(),
    })
}

/// What `render` would produce, as stacks, resource counts and a quota ledger; writes nothing.
pub fn plan(config: &Config, config_path: &Path, previous: &lock::Lock) -> Result<Plan> {
    let (stacks, _) = build(config, config_path, previous)?;
    let plan = Plan::new(config, &stacks.for_plan());
    refuse_hard_limits(&plan, config_path)?;
    Ok(plan)
}

fn build(
    config: &Config,
    config_path: &Path,
    previous: &lock::Lock,
) -> Result<(Stacks, Placement)> {
    let file = config_path.display().to_string();
    let placement = Placement::new(config, &file, previous)?;
    let stacks = systems::build(config, &placement)?;
    waivers::check(config, &file, &stacks)?;
    Ok((stacks, placement))
}

fn refuse_hard_limits(plan: &Plan, config_path: &Path) -> Result<()> {
    let over: Vec<String> = plan
        .hard_limits_exceeded()
        .map(|line| {
            format!(
                "{} ({}): {} would use {}, and AWS allows {} without raising it; give that \
                 scope less (fewer tenants or domains in it)",
                line.quota, line.service, line.instance, line.used, line.limit
            )
        })
        .collect();
    if !over.is_empty() {
        bail!("{}: {}", config_path.display(), over.join("; "));
    }
    Ok(())
}
