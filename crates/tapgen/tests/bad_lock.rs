//! A `tapgen.lock` that is not valid, contradicts itself, lists files outside DIR or
//! disagrees with the config is refused: exit 2, a message naming tapgen.lock and the
//! problem, and DIR exactly as it was.

mod common;

use std::path::Path;

use common::{examples, render, render_ok, repo, tree};
use serde_json::{json, Value};

fn ecs_example() -> std::path::PathBuf {
    examples()
        .into_iter()
        .map(|(config, _)| config)
        .find(|c| c.ends_with("ecs-fargate.toml"))
        .unwrap()
}

/// Renders `config` into a fresh DIR, lets `edit` change the lock (and DIR), then asserts
/// the next render is refused naming tapgen.lock and every `expected` fragment.
fn refused(config: &Path, edit: impl FnOnce(&Path, String) -> String, expected: &[&str]) {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("infra");
    render_ok(config, &out);
    std::fs::write(out.join("Pulumi.dev.yaml"), "config:\n  owner: team-a\n").unwrap();
    let lock_path = out.join("tapgen.lock");
    let text = std::fs::read_to_string(&lock_path).unwrap();
    let edited = edit(&out, text);
    std::fs::write(&lock_path, &edited).unwrap();
    let before = tree(&out);

    let result = render(config, &out, &[]);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(
        result.status.code(),
        Some(2),
        "lock:\n{edited}\nstderr:\n{stderr}"
    );
    assert!(
        stderr.contains(&format!("{}:", lock_path.display())),
        "{stderr}"
    );
    assert!(
        stderr.contains("to recover: restore tapgen.lock from git"),
        "{stderr}"
    );
    for fragment in expected {
        assert!(stderr.contains(fragment), "no `{fragment}` in:\n{stderr}");
    }
    assert_eq!(tree(&out), before, "the output folder changed");
    assert!(common::leftovers(&out).is_empty());
}

fn edit_json(text: &str, change: impl FnOnce(&mut Value)) -> String {
    let mut lock: Value = serde_json::from_str(text).unwrap();
    change(&mut lock);
    serde_json::to_string_pretty(&lock).unwrap()
}

#[test]
fn a_lock_that_is_not_json_is_refused() {
    refused(
        &ecs_example(),
        |_, _| "{ \"slots\": ".into(),
        &["tapgen.lock:1: json: not a tapgen lock"],
    );
}

#[test]
fn left_over_conflict_markers_are_refused() {
    let markers = |_: &Path, text: String| {
        text.replacen(
            "  \"slots\": {\n",
            "  \"slots\": {\n<<<<<<< HEAD\n    \"hooli\": 4,\n=======\n    \"umbrella\": 4,\n>>>>>>> b\n",
            1,
        )
    };
    refused(
        &ecs_example(),
        markers,
        &[":5: json:", "merge conflict markers"],
    );
}

#[test]
fn unknown_fields_and_versions_are_refused() {
    let unknown = |_: &Path, text: String| edit_json(&text, |l| l["extra"] = json!(1));
    refused(&ecs_example(), unknown, &["unknown field `extra`"]);
    let newer = |_: &Path, text: String| edit_json(&text, |l| l["version"] = json!(2));
    refused(
        &ecs_example(),
        newer,
        &[":2: version: version 2 is not one this tapgen reads"],
    );
}

#[test]
fn two_tenants_on_one_slot_are_refused() {
    let collide =
        |_: &Path, text: String| edit_json(&text, |l| l["slots"]["globex-inc"] = json!(1));
    refused(
        &ecs_example(),
        collide,
        &[
            "slots.globex-inc: acme-corp and globex-inc both hold slot 1",
            "docs/lock.md",
        ],
    );
}

#[test]
fn a_tenant_listed_twice_is_refused() {
    let twice = |_: &Path, text: String| {
        text.replacen(
            "\"acme-corp\": 1,",
            "\"acme-corp\": 1,\n    \"acme-corp\": 7,",
            1,
        )
    };
    refused(
        &ecs_example(),
        twice,
        &[":6: slots.acme-corp: acme-corp is listed twice"],
    );
}

#[test]
fn slots_outside_the_capacity_are_refused_all_at_once() {
    let out_of_range = |_: &Path, text: String| {
        edit_json(&text, |l| {
            l["slots"]["acme-corp"] = json!(0);
            l["slots"]["globex-inc"] = json!(101);
        })
    };
    refused(
        &ecs_example(),
        out_of_range,
        &[
            "slots.acme-corp: slot 0 is not a slot",
            "slots.globex-inc: slot 101 is outside 1..=100",
            "100 tenant target groups",
        ],
    );
}

#[test]
fn files_outside_dir_are_refused() {
    let escape = |_: &Path, text: String| {
        edit_json(&text, |l| {
            let files = l["files"].as_array_mut().unwrap();
            files.push(json!("/etc/passwd"));
            files.push(json!("../elsewhere/Main.yaml"));
        })
    };
    refused(
        &ecs_example(),
        escape,
        &[
            "/etc/passwd is absolute",
            "../elsewhere/Main.yaml climbs out",
        ],
    );
}

#[test]
fn files_reached_through_a_link_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().to_path_buf();
    let through_link = move |out: &Path, text: String| {
        std::fs::remove_dir_all(out.join("lambda")).unwrap();
        std::os::unix::fs::symlink(&target, out.join("lambda")).unwrap();
        text
    };
    refused(
        &ecs_example(),
        through_link,
        &["lambda/db-init/index.mjs is reached through the symbolic link lambda"],
    );
    assert_eq!(
        std::fs::read_dir(outside.path()).unwrap().count(),
        0,
        "wrote through the link"
    );
}

#[test]
fn cells_and_cache_groups_the_config_does_not_have_are_refused() {
    let foreign = |_: &Path, text: String| {
        edit_json(&text, |l| {
            l["cells"] = json!({"cell-001": ["acme-corp", "globex-inc", "initech-llc"]});
            l["cache_groups"] = json!({"acme-corp": 0});
        })
    };
    refused(
        &ecs_example(),
        foreign,
        &[
            "cells: the lock records a cell layout",
            "cache_groups: only the enterprise system",
        ],
    );
}

#[test]
fn a_cell_over_its_size_is_refused() {
    let work = tempfile::tempdir().unwrap();
    let config = work.path().join("tenants.toml");
    let tenants: String = ["aa", "bb", "cc"]
        .iter()
        .map(|id| format!("\n[[tenants]]\nid = \"{id}\"\ntier = \"standard\"\n"))
        .collect();
    std::fs::write(
        &config,
        format!(
            "[platform]\nsystem = \"ecs-fargate\"\nproject = \"scale\"\nenvironment = \"dev\"\n\
             region = \"us-east-1\"\nvpc_cidr = \"10.0.0.0/16\"\naz_count = 2\n\
             base_domain = \"example.com\"\nlayout = \"cells\"\n\n[platform.cells]\nsize = 2\n{tenants}"
        ),
    )
    .unwrap();
    let crowd = |_: &Path, text: String| {
        edit_json(&text, |l| {
            l["cells"] = json!({"cell-001": ["aa", "bb", "cc"], "cell-002": []});
            l["slots"]["cc"] = json!(3);
        })
    };
    refused(
        &config,
        crowd,
        &[
            "cells.cell-001: cell-001 holds 3 tenants, more than",
            "size = 2",
        ],
    );
    assert!(repo().join("docs/lock.md").exists());
}
