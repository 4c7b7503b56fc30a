//! The cell layout at 500 tenants: inserting, removing or reordering tenants changes only the
//! cell concerned; the platform folder and every other cell stay byte-identical. System B's
//! documented exceptions (docs/design.md, cells): a new cell adds its pool target group to the
//! platform, and a premium tenant's id is in the platform's tenant-access trust.

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

/// System B's tenants: every tenth one premium, every third on its own hosted domain.
fn tenant_entry(system: &str, id: &str) -> String {
    let n: u32 = id.trim_start_matches('t').parse().unwrap_or(1);
    let (tier, domains) = match system {
        "enterprise" => (
            if n.is_multiple_of(10) {
                "premium"
            } else {
                "standard"
            },
            if n % 3 == 1 {
                format!("domains = [\"{id}.io\"]\ndns = \"hosted\"\n")
            } else {
                String::new()
            },
        ),
        _ => ("standard", String::new()),
    };
    format!("\n[[tenants]]\nid = \"{id}\"\ntier = \"{tier}\"\n{domains}")
}

fn render(dir: &Path, system: &str, ids: &[String]) -> BTreeMap<String, Vec<u8>> {
    let tenants: String = ids.iter().map(|id| tenant_entry(system, id)).collect();
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

/// A new cell's stack, plus what System B's platform holds for it (its pool target group).
fn new_cell(system: &str, cell: &str) -> Vec<String> {
    let mut changed = vec!["README.md".to_string(), format!("cells/{cell}")];
    if system == "enterprise" {
        changed.push("platform".into());
    }
    changed.push("tapgen.lock".into());
    changed
}

fn five_hundred_tenants_move_nobody(system: &str) {
    // Reordering and removal run at 500 tenants. System B inserts at 450: two saved Logs
    // Insights queries per tenant reach the 1,000 per region (hard) at 500.
    let full = match system {
        "enterprise" => 450,
        _ => 500,
    };
    if full < 500 {
        let work = tempfile::tempdir().unwrap();
        let tenants = ids(1..=500);
        let first = render(work.path(), system, &tenants);
        let mut reversed = tenants.clone();
        reversed.reverse();
        let same = render(work.path(), system, &reversed);
        assert_eq!(changed_stacks(&first, &same), Vec::<String>::new());
        let mut fewer = tenants.clone();
        fewer.retain(|id| id != "t121");
        assert_eq!(
            changed_stacks(&same, &render(work.path(), system, &fewer)),
            ["README.md", "cells/cell-003", "tapgen.lock"]
        );
    }
    let work = tempfile::tempdir().unwrap();
    let tenants = ids(1..=full);
    let next = format!("cell-{:03}", full / 50 + 1);
    let first = render(work.path(), system, &tenants);
    let last_cell = format!("cells/cell-{:03}/Main.yaml", full / 50);
    assert!(first.contains_key(&last_cell));
    assert!(!first.contains_key(&format!("cells/{next}/Main.yaml")));

    // Reordering changes nothing at all.
    let mut reversed = tenants.clone();
    reversed.reverse();
    let same = render(work.path(), system, &reversed);
    assert_eq!(changed_stacks(&first, &same), Vec::<String>::new());

    // Every cell is full: a tenant inserted mid-file opens a cell and touches nothing else.
    let mut inserted = tenants.clone();
    inserted.insert(250, "newcomer".into());
    let grown = render(work.path(), system, &inserted);
    assert_eq!(changed_stacks(&same, &grown), new_cell(system, &next));

    // Removing a tenant of cell 3 changes only cell 3.
    inserted.retain(|id| id != "t121");
    let shrunk = render(work.path(), system, &inserted);
    assert_eq!(
        changed_stacks(&grown, &shrunk),
        ["README.md", "cells/cell-003", "tapgen.lock"]
    );
    let cell = String::from_utf8(shrunk["cells/cell-003/Main.yaml"].clone()).unwrap();
    assert!(!cell.contains("t121-"), "t121's resources are gone");
    assert!(cell.contains("t101-"), "its neighbours stay");

    // The next newcomer joins the newest cell, not the hole in cell 3.
    inserted.push("latecomer".into());
    let last = render(work.path(), system, &inserted);
    assert_eq!(
        changed_stacks(&shrunk, &last),
        [
            "README.md".to_string(),
            format!("cells/{next}"),
            "tapgen.lock".into()
        ]
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
fn enterprise_cells_keep_every_tenant_in_place() {
    five_hundred_tenants_move_nobody("enterprise");
}

/// What System B's platform gains for a new cell, and what a premium tenant changes in it.
#[test]
fn enterprise_platform_changes_only_where_documented() {
    let work = tempfile::tempdir().unwrap();
    let text = |files: &BTreeMap<String, Vec<u8>>| {
        String::from_utf8(files["platform/Main.yaml"].clone()).unwrap()
    };
    let first = render(work.path(), "enterprise", &ids(1..=50));
    let grown = render(work.path(), "enterprise", &ids(1..=51));
    let (before, after) = (text(&first), text(&grown));
    let added: Vec<&str> = after.lines().filter(|l| !before.contains(l)).collect();
    assert!(after.contains("pool-target-group-c002:"), "{after}");
    assert!(
        added.iter().all(|line| !line.contains("t051")),
        "the newcomer (standard) is not named in the platform: {added:?}"
    );
    // Removing the premium t050 changes the pooled role's trust (it refuses premium ids).
    let mut fewer = ids(1..=51);
    fewer.retain(|id| id != "t050");
    let shrunk = render(work.path(), "enterprise", &fewer);
    assert_eq!(
        changed_stacks(&grown, &shrunk),
        ["README.md", "cells/cell-001", "platform", "tapgen.lock"]
    );
    let (before, after) = (text(&grown), text(&shrunk));
    let removed: Vec<&str> = before.lines().filter(|l| !after.contains(l)).collect();
    assert!(
        removed.iter().all(|line| line.contains("t050")),
        "only t050's id leaves the platform: {removed:?}"
    );
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
