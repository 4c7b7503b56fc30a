//! tapgen: `tenants.toml` in, a self-contained Pulumi YAML project out.
//!
//! Flow: [`tenancy`] validates the config into a model; the system builders in
//! [`systems`] turn it into a [`program::Program`] using the `network`, `data` and `compute`
//! crates; [`project`] emits the files; [`output`] writes or checks them.

pub mod lock;
pub mod output;
pub mod plan;
pub mod project;
pub mod systems;

use std::path::Path;

use anyhow::{bail, Context, Result};
use program::Program;
use tenancy::slots::Slots;
use tenancy::Config;

use crate::plan::{Plan, Stack};

/// A rendered project: its files, and how many resources the program declares.
pub struct Rendered {
    pub files: project::Files,
    pub resources: usize,
}

/// Renders `config` (read from `config_path`) against the previous render's lock: tenants
/// keep their slots, new ones get free slots, and every project file is produced. A program
/// that would exceed a quota AWS does not raise is refused before any file exists.
pub fn render(config: &Config, config_path: &Path, previous: &lock::Lock) -> Result<Rendered> {
    let (program, slots) = build(config, config_path, previous)?;
    refuse_hard_limits(&Plan::new(config, &stacks(config, &program)), config_path)?;
    let config_name = config_path
        .file_name()
        .map_or("tenants.toml".into(), |n| n.to_string_lossy());
    let files = project::files(config, &config_name, &program, &slots)?;
    Ok(Rendered {
        files,
        resources: program.resources().len(),
    })
}

/// What `render` would produce, as stacks, resource counts and a quota ledger; writes nothing.
pub fn plan(config: &Config, config_path: &Path, previous: &lock::Lock) -> Result<Plan> {
    let (program, _) = build(config, config_path, previous)?;
    let plan = Plan::new(config, &stacks(config, &program));
    refuse_hard_limits(&plan, config_path)?;
    Ok(plan)
}

fn build(config: &Config, config_path: &Path, previous: &lock::Lock) -> Result<(Program, Slots)> {
    let capacity = systems::capacity(config);
    let slots = Slots::allocate(&config.tenants, &previous.slots, capacity.slots)
        .with_context(|| format!("{}: tenants: {}", config_path.display(), capacity.reason))?;
    Ok((systems::build(config, &slots)?, slots))
}

fn stacks<'p>(config: &Config, program: &'p Program) -> Vec<Stack<'p>> {
    vec![Stack {
        name: config.platform.project.clone(),
        program,
    }]
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
