//! What every system's cell layout shares: the platform and cell programs with their pinned
//! providers, the stack reference a cell reads the platform through, and the folder README.

use std::collections::HashMap;
use std::fmt::Write;

use program::{ConfigEntry, ConfigType, Expr, Program, StackRef};
use serde_json::json;
use tenancy::cells::CellId;
use tenancy::{Config, Tenant};

use super::{Stack, Stacks};
use crate::placement::Placement;
use crate::project::providers;

/// Folder and stack label of the platform stack.
pub const PLATFORM: &str = "platform";

/// The platform program, with the pinned providers.
pub fn platform_program(config: &Config) -> Program {
    let mut program = Program::for_stack(PLATFORM);
    providers(&mut program, &config.platform);
    program
}

/// A cell's program: the pinned providers and the stack reference to the platform, whose
/// stack name is project config (`platformStack`, defaulting to the platform project's stack
/// named after the environment, in the deploying organization).
pub fn cell_program(config: &Config, cell: CellId, platform: &Program) -> (Program, StackRef) {
    let project = &config.platform.project;
    let mut program = Program::for_stack(&cell.name());
    providers(&mut program, &config.platform);
    let stack = program.config(
        "platformStack",
        ConfigEntry {
            kind: ConfigType::String,
            description: "The platform stack this cell reads, as <project>/<stack> in this \
                          stack's organization. Deploy it first: until it exists, this cell \
                          fails with Pulumi's `unknown stack` error"
                .into(),
            default: Some(json!(format!(
                "{project}-{PLATFORM}/{}",
                config.platform.environment
            ))),
        },
    );
    let name = Expr::concat([Expr::pulumi("organization"), "/".into(), stack.expr()]);
    let reference = program.stack_reference(PLATFORM, platform, name);
    (program, reference)
}

/// The tenants of `members`, in member (id) order: a cell's files do not depend on where
/// its tenants stand in the config, so reordering the config changes no file.
pub fn cell_tenants<'c>(config: &'c Config, members: &[String]) -> Vec<&'c Tenant> {
    // One pass over the config per cell, not one per member.
    let position: HashMap<&str, usize> = members
        .iter()
        .enumerate()
        .map(|(i, m)| (m.as_str(), i))
        .collect();
    let mut tenants: Vec<(usize, &Tenant)> = config
        .tenants
        .iter()
        .filter_map(|t| position.get(t.id.as_str()).map(|&i| (i, t)))
        .collect();
    tenants.sort_by_key(|&(i, _)| i);
    tenants.into_iter().map(|(_, t)| t).collect()
}

/// The platform stack, then one stack per cell.
pub fn stacks(config: &Config, platform: Program, cells: Vec<(CellId, Program)>) -> Stacks {
    let project = &config.platform.project;
    let description = &config.platform.description;
    let mut stacks = vec![Stack {
        folder: PLATFORM.into(),
        project: format!("{project}-{PLATFORM}"),
        description: format!("{description}: shared platform"),
        program: platform,
    }];
    stacks.extend(cells.into_iter().map(|(cell, program)| Stack {
        folder: format!("cells/{}", cell.name()),
        project: format!("{project}-{}", cell.name()),
        description: format!("{description}: tenant {cell}"),
        program,
    }));
    Stacks(stacks)
}

/// `DIR/README.md` of the cell layout: the deployment order and what each stack holds.
pub fn readme(config: &Config, stacks: &Stacks, placement: &Placement) -> String {
    let project = &config.platform.project;
    let env = &config.platform.environment;
    let mut out = format!(
        "# {project}: platform and tenant cells\n\n\
         Rendered by tapgen; do not edit by hand. Each folder is a Pulumi project that \
         deploys with plain `pulumi up`.\n\n\
         ## Order\n\n\
         1. `platform/` first: what every tenant shares. Its outputs are what cells read.\n\
         2. Then every folder under `cells/`, in any order or in parallel: each reads the \
         platform through a stack reference (config `platformStack`, default \
         `{project}-{PLATFORM}/{env}` in the same organization). A cell previewed before \
         the platform is deployed (or whose `platformStack` names no stack) fails with \
         Pulumi's `unknown stack \"<org>/{project}-{PLATFORM}/{env}\"`: Pulumi YAML cannot \
         replace that message, so deploy `platform/` first.\n\n\
         ```sh\n\
         (cd platform && pulumi stack init {env} && pulumi up)\n\
         for cell in cells/*/; do (cd \"$cell\" && pulumi stack init {env} && pulumi up) & done; wait\n\
         ```\n\n\
         A tenant's cell is recorded in `tapgen.lock` and never changes. A cell whose tenants \
         were all removed stays as an empty stack: run `pulumi destroy` in it, then delete its \
         entry under `cells` in `tapgen.lock` and render again.\n\n\
         ## Stacks\n\n\
         | folder | project | tenants | resources |\n|---|---|---|---|\n"
    );
    for stack in &stacks.0 {
        let tenants = match stack.folder.strip_prefix("cells/").and_then(CellId::parse) {
            Some(cell) => placement
                .cells
                .iter()
                .find(|(c, _)| *c == cell)
                .map(|(_, members)| members.join(", "))
                .filter(|m| !m.is_empty())
                .unwrap_or_else(|| "(none: empty cell)".into()),
            None => "shared by all".into(),
        };
        let _ = writeln!(
            out,
            "| `{}/` | {} | {tenants} | {} |",
            stack.folder,
            stack.project,
            stack.program.resources().len()
        );
    }
    out
}
