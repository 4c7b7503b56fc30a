//! The cell layout at 500 tenants: inserting, removing or reordering tenants changes only the
//! cell concerned; the platform folder and every other cell stay byte-identical.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{render_ok, repo, snapshot};

fn platform(system: &str) -> String {
    let jwks = repo().join("examples/keys/jwks.json");
    let extra = match system {
        "serverless" => format!(
            "address_pool = \"10.128.0.0/12\"\n\n[platform.auth]\nissuer = \"https://auth.example.com/\"\n\
             audience = \"tenant-api\"\njwks = {:?}\n",
            jwks.display().to_string()
        ),
        _ => String::new(),
    };
    format!(
        "[platform]\nsystem = \"{system}\"\nproject = \"scale\"\nenvironment = \"dev\"\n\
         region = \"us-east-1\"\nvpc_cidr = \"10.0.0.0/16\"\naz_count = 2\n\
         base_domain = \"example.com\"\nlayout = \"cells\"\n\n[platform.cells]\nsize = 50\n{extra}"
    )
}

fn render(dir: &Path, system: &str, ids: &[String]) -> BTreeMap<String, Vec<u8>> {
    let tenants: String = ids
        .iter()
        .map(|id| format!("\n[[tenants]]\nid = \"{id}\"\ntier = \"standard\"\n"))
        .collect();
    let config = dir.join("tenants.toml");
    std::fs::write(&config, format!("{}{tenants}", platform(system))).unwrap();
    let out = dir.join("infra");
    render_ok(&config, &out);
    snapshot(&out)
}

/// The top-level folders (`platform`, `cells/cell-003`) whose files differ between renders.
fn changed_stacks(
    before: &BTreeMap<String, Vec<u8>>,
    after: &BTreeMap<String, Vec<u8>>,
) -> Vec<String> {
    let mut changed: Vec<String> = before
        .keys()
        .chain(after.keys())
        .filter(|path| before.get(*path) != after.get(*path))
        .map(
            |path| match path.split('/').collect::<Vec<_>>().as_slice() {
                ["cells", cell, ..] => format!("cells/{cell}"),
                [top, _, ..] => top.to_string(),
                [file] => file.to_string(),
                [] => unreachable!(),
            },
        )
        .collect();
    changed.sort();
    changed.dedup();
    changed
}

fn ids(range: std::ops::RangeInclusive<u32>) -> Vec<String> {
    range.map(|n| format!("t{n:03}")).collect()
}

fn five_hundred_tenants_move_nobody(system: &str) {
    let work = tempfile::tempdir().unwrap();
    let tenants = ids(1..=500);
    let first = render(work.path(), system, &tenants);
    assert!(first.contains_key("cells/cell-010/Main.yaml"));
    assert!(!first.contains_key("cells/cell-011/Main.yaml"));

    // Reordering changes nothing at all.
    let mut reversed = tenants.clone();
    reversed.reverse();
    let same = render(work.path(), system, &reversed);
    assert_eq!(changed_stacks(&first, &same), Vec::<String>::new());

    // Every cell is full: a tenant inserted mid-file opens cell-011 and touches nothing else.
    let mut inserted = tenants.clone();
    inserted.insert(250, "newcomer".into());
    let grown = render(work.path(), system, &inserted);
    assert_eq!(
        changed_stacks(&same, &grown),
        ["README.md", "cells/cell-011", "tapgen.lock"]
    );

    // Removing a tenant of cell 3 changes only cell 3.
    inserted.retain(|id| id != "t120");
    let shrunk = render(work.path(), system, &inserted);
    assert_eq!(
        changed_stacks(&grown, &shrunk),
        ["README.md", "cells/cell-003", "tapgen.lock"]
    );
    let cell = String::from_utf8(shrunk["cells/cell-003/Main.yaml"].clone()).unwrap();
    assert!(!cell.contains("t120-"), "t120's resources are gone");
    assert!(cell.contains("t101-"), "its neighbours stay");

    // The next newcomer joins the newest cell, not the hole in cell 3.
    inserted.push("latecomer".into());
    let last = render(work.path(), system, &inserted);
    assert_eq!(
        changed_stacks(&shrunk, &last),
        ["README.md", "cells/cell-011", "tapgen.lock"]
    );
}

#[test]
fn ecs_fargate_cells_keep_every_tenant_in_place() {
    five_hundred_tenants_move_nobody("ecs-fargate");
}

#[test]
fn serverless_cells_keep_every_tenant_in_place() {
    five_hundred_tenants_move_nobody("serverless");
}

#[test]
fn an_emptied_cell_stays_rendered_until_removed_from_the_lock() {
    let work = tempfile::tempdir().unwrap();
    render(work.path(), "ecs-fargate", &ids(1..=60));
    let after = render(work.path(), "ecs-fargate", &ids(1..=50));
    let cell = String::from_utf8(after["cells/cell-002/Main.yaml"].clone()).unwrap();
    assert!(!cell.contains("t051-"));
    assert!(cell.contains("type: pulumi:pulumi:StackReference"));
    let readme = String::from_utf8(after["README.md"].clone()).unwrap();
    assert!(readme.contains("(none: empty cell)"), "{readme}");
    // Deleting the entry from the lock (after `pulumi destroy`) retires the cell.
    let lock_path = work.path().join("infra/tapgen.lock");
    let mut lock: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&lock_path).unwrap()).unwrap();
    lock["cells"].as_object_mut().unwrap().remove("cell-002");
    std::fs::write(&lock_path, serde_json::to_string_pretty(&lock).unwrap()).unwrap();
    let retired = render(work.path(), "ecs-fargate", &ids(1..=50));
    assert!(!retired.contains_key("cells/cell-002/Main.yaml"));
    assert!(retired.contains_key("cells/cell-001/Main.yaml"));
}
