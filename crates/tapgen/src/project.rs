//! The project files: `Pulumi.yaml` from the top-level template, `Main.yaml` from the
//! program, the shipped sources, and `tapgen.lock`.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use check::Waiver;
use program::{map, ConfigEntry, ConfigType, Expr, Program, Resource};
use serde_json::json;
use tenancy::{Config, Platform};

use crate::lock::{Lock, LOCK_FILE};
use crate::placement::Placement;
use crate::systems::{self, Stack, Stacks};

/// The pulumi-aws release every rendered program pins (and the checker's schema is from).
pub const AWS_PROVIDER_VERSION: &str = "7.51.1";
/// The pulumi-random release used for deploy-time passwords.
pub const RANDOM_PROVIDER_VERSION: &str = "4.21.4";

const PROJECT_TEMPLATE: &str = include_str!("../../../Pulumi.yaml.tera");

/// Rendered files by path relative to the project folder, in a stable order.
pub type Files = BTreeMap<String, String>;

/// Declares the pinned default providers and the project config every system uses.
pub fn providers(program: &mut Program, platform: &Platform) {
    let owner = program.config(
        "owner",
        ConfigEntry {
            kind: ConfigType::String,
            description: "Team answering for this stack; set as the owner tag on every resource"
                .into(),
            default: Some(json!("platform-team")),
        },
    );
    program.resource(
        "aws-provider",
        Resource::new("pulumi:providers:aws")
            .default_provider()
            .with("region", platform.region.as_str())
            .with(
                "defaultTags",
                map! {
                    "tags" => map! {
                        "managed_by" => "tapgen",
                        "project" => platform.project.as_str(),
                        "owner" => owner.expr(),
                    },
                },
            )
            .option("version", AWS_PROVIDER_VERSION),
    );
    program.resource(
        "random-provider",
        Resource::new("pulumi:providers:random")
            .default_provider()
            .option("version", RANDOM_PROVIDER_VERSION),
    );
}

/// Every file of the render: per stack `Pulumi.yaml`, `Main.yaml` and shipped sources (at the
/// folder root for one stack, under `platform/` and `cells/<cell>/` for cells, with a
/// `README.md` saying the order), and one `tapgen.lock`.
pub fn files(
    config: &Config,
    config_file: &str,
    stacks: &Stacks,
    placement: &Placement,
) -> Result<Files> {
    let mut files = Files::new();
    for stack in &stacks.0 {
        let prefix = match stack.folder.as_str() {
            "" => String::new(),
            folder => format!("{folder}/"),
        };
        files.insert(
            format!("{prefix}Pulumi.yaml"),
            project_file(config_file, stack)?,
        );
        let main = stack
            .program
            .emit()
            .with_context(|| format!("stack {}", stack.project))?;
        files.insert(format!("{prefix}Main.yaml"), main);
        for (path, content) in stack.program.files() {
            files.insert(format!("{prefix}{path}"), content.clone());
        }
    }
    if !placement.cells.is_empty() {
        files.insert(
            "README.md".into(),
            systems::readme(config, stacks, placement),
        );
    }
    let mut owned: Vec<String> = files.keys().cloned().collect();
    owned.push(LOCK_FILE.into());
    owned.sort();
    let waivers: Vec<Waiver> = config
        .waivers
        .iter()
        .map(|w| Waiver {
            rule: w.rule.clone(),
            resource: w.resource.clone(),
            reason: w.reason.clone(),
        })
        .collect();
    files.insert(
        LOCK_FILE.into(),
        Lock::render(&placement.slots, &placement.cells, &owned, &waivers),
    );
    Ok(files)
}

fn project_file(config_file: &str, stack: &Stack) -> Result<String> {
    let entries: Vec<_> = stack
        .program
        .config_entries()
        .iter()
        .map(|(name, entry)| {
            json!({
                "name": name,
                "type": entry.kind.as_str(),
                "description": entry.description,
                "default": entry.default.as_ref().map(|d| d.to_string()),
            })
        })
        .collect();
    let mut context = tera::Context::new();
    context.insert("config_file", config_file);
    context.insert("name", &stack.project);
    context.insert("description", &stack.description);
    context.insert("config", &entries);
    tera::Tera::one_off(PROJECT_TEMPLATE, &context, false).context("rendering Pulumi.yaml.tera")
}

/// `Expr` helper for systems that output a map of per-tenant values.
pub fn tenant_map(entries: impl IntoIterator<Item = (String, Expr)>) -> Expr {
    Expr::Map(entries.into_iter().collect())
}
