//! Logical names: config, variables and resources share one namespace in Pulumi YAML (a
//! clash is an error), `pulumi` is reserved, and tapgen promises plain `[A-Za-z0-9_-]+`
//! names (renaming one later makes Pulumi replace the resource, so they must be stable and
//! unsurprising). Config key spelling is checked with the config entries.

use std::collections::BTreeMap;

use super::{config, finding, is_plain_name, section};
use crate::{Finding, Project};

pub fn check(project: &Project, out: &mut Vec<Finding>) {
    let mut kinds: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for key in config::declared(project) {
        kinds.entry(key).or_default().push("config key");
    }
    for (section_name, kind) in [
        ("variables", "variable"),
        ("resources", "resource"),
        ("outputs", "output"),
    ] {
        let Some(entries) = section(&project.program, section_name) else {
            continue;
        };
        for name in entries.keys() {
            let resource = if kind == "resource" {
                name.as_str()
            } else {
                section_name
            };
            let path = if kind == "resource" {
                String::new()
            } else {
                format!("{section_name}.{name}")
            };
            if !is_plain_name(name) {
                let message = format!("{kind} name {name:?} must match [A-Za-z0-9_-]+");
                out.push(finding("structure", resource, &path, message));
            }
            if kind != "output" {
                kinds.entry(name.clone()).or_default().push(kind);
            }
        }
    }
    for (name, declared_as) in kinds {
        let resource = if declared_as.contains(&"resource") {
            name.as_str()
        } else {
            "project"
        };
        if name == "pulumi" {
            let message = format!(
                "{} pulumi uses the reserved name pulumi",
                declared_as.join(" and ")
            );
            out.push(finding("structure", resource, "", message));
        }
        if declared_as.len() > 1 {
            let message = format!(
                "{name} is declared as both {}: config, variables and resources share one namespace",
                declared_as.join(" and ")
            );
            out.push(finding("structure", resource, "", message));
        }
    }
}
