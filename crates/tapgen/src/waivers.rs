//! Waivers are checked against the render: a waiver whose rule no policy has, or whose
//! resource the rendered programs do not declare, would waive nothing and say nothing, so
//! it is refused before any file is written. Only here are both the rule ids (crate
//! `check`) and the resource names (the built stacks) known; tenancy keeps each waiver's
//! position so the error points at it.

use std::collections::BTreeSet;

use tenancy::{Config, ConfigError, ConfigErrors, Position};

use crate::systems::Stacks;

/// Every waiver problem in `config`, located in `file`.
pub fn check(config: &Config, file: &str, stacks: &Stacks) -> Result<(), ConfigErrors> {
    let resources: BTreeSet<&str> = stacks
        .0
        .iter()
        .flat_map(|stack| stack.program.resources().keys())
        .map(String::as_str)
        .collect();
    let error = |at: Position, field: String, message: String| ConfigError {
        file: file.to_string(),
        line: at.line,
        column: at.column,
        field,
        message,
    };
    let mut errors = Vec::new();
    for (i, waiver) in config.waivers.iter().enumerate() {
        if !check::POLICY_RULES.contains(&waiver.rule.as_str()) {
            errors.push(error(
                waiver.rule_at,
                format!("waivers[{i}].rule"),
                unknown_rule(&waiver.rule),
            ));
        }
        if !resources.contains(waiver.resource.as_str()) {
            errors.push(error(
                waiver.resource_at,
                format!("waivers[{i}].resource"),
                format!(
                    "no resource \"{}\" in the rendered program{}; a waiver names a resource's \
                     logical name as `tapgen check` reports it",
                    waiver.resource,
                    near(&waiver.resource, &resources)
                ),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ConfigErrors::new(errors))
    }
}

/// The message for a rule id no policy has, listing the ids of the same family.
fn unknown_rule(rule: &str) -> String {
    let family = rule.rsplit_once('-').map_or(rule, |(family, _)| family);
    let same: Vec<&str> = check::POLICY_RULES
        .iter()
        .copied()
        .filter(|r| {
            r.rsplit_once('-')
                .is_some_and(|(f, _)| f.eq_ignore_ascii_case(family))
        })
        .collect();
    let hint = if same.is_empty() {
        "the rule ids are listed in docs/policies.md".to_string()
    } else {
        format!("rules of that family: {}", same.join(", "))
    };
    format!("unknown policy rule \"{rule}\"; {hint}")
}

/// A resource name that differs from `name` only in case or by a tenant-style prefix typo,
/// offered as "did you mean".
fn near(name: &str, resources: &BTreeSet<&str>) -> String {
    resources
        .iter()
        .find(|r| r.eq_ignore_ascii_case(name) || r.replace('_', "-") == name.replace('_', "-"))
        .map(|r| format!(" (did you mean \"{r}\"?)"))
        .unwrap_or_default()
}
