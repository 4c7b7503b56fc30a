//! Two branches each add a tenant and both take the same free slot; the merge conflict in
//! tapgen.lock is resolved as docs/lock.md says, and the render that follows moves nobody.

mod common;

use std::path::Path;
use std::process::Command;

use common::{ecs_fargate_config as config, render, render_ok, resources, tree};

/// Runs git in `repo`; returns whether it succeeded.
fn git(repo: &Path, args: &[&str]) -> bool {
    Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(repo)
        .output()
        .expect("git runs")
        .status
        .success()
}

fn commit_render(repo: &Path, ids: &[&str], message: &str) {
    std::fs::write(repo.join("tenants.toml"), config(ids)).unwrap();
    render_ok(&repo.join("tenants.toml"), &repo.join("infra"));
    assert!(git(repo, &["add", "-A"]));
    assert!(git(repo, &["commit", "-q", "-m", message]));
}

fn slots(dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("tapgen.lock")).unwrap();
    serde_json::from_str::<serde_json::Value>(&text).unwrap()["slots"].clone()
}

#[test]
fn a_merge_conflict_in_the_lock_resolves_as_documented() {
    let work = tempfile::tempdir().unwrap();
    let repo = work.path();
    assert!(git(repo, &["init", "-q"]));
    commit_render(repo, &["aa", "bb", "cc"], "three tenants");
    let base = resources(&repo.join("infra"));

    assert!(git(repo, &["checkout", "-q", "-b", "add-dd"]));
    commit_render(repo, &["aa", "bb", "cc", "dd"], "add dd");
    assert!(git(repo, &["checkout", "-q", "main"]));
    assert!(git(repo, &["checkout", "-q", "-b", "add-ee"]));
    commit_render(repo, &["aa", "bb", "cc", "ee"], "add ee");
    assert_eq!(slots(&repo.join("infra"))["ee"], 4);

    // add-dd is merged first; merging add-ee then conflicts, dd and ee both on slot 4.
    assert!(git(repo, &["checkout", "-q", "main"]));
    assert!(git(repo, &["merge", "-q", "add-dd"]));
    let main_render = resources(&repo.join("infra"));
    assert!(
        !git(repo, &["merge", "-q", "add-ee"]),
        "the merge should conflict"
    );

    // Resolved by taking both entries: tapgen refuses, naming the collision.
    std::fs::write(
        repo.join("tenants.toml"),
        config(&["aa", "bb", "cc", "dd", "ee"]),
    )
    .unwrap();
    let main_lock = Command::new("git")
        .args(["show", "main:infra/tapgen.lock"])
        .current_dir(repo)
        .output()
        .unwrap()
        .stdout;
    let main_lock = String::from_utf8(main_lock).unwrap();
    let both = main_lock.replacen("\"dd\": 4", "\"dd\": 4,\n    \"ee\": 4", 1);
    std::fs::write(repo.join("infra/tapgen.lock"), &both).unwrap();
    let refused = render(&repo.join("tenants.toml"), &repo.join("infra"), &[]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("dd and ee both hold slot 4"), "{stderr}");

    // As docs/lock.md says: keep main's lock (its entries win), render, commit.
    assert!(git(repo, &["checkout", "main", "--", "infra/tapgen.lock"]));
    render_ok(&repo.join("tenants.toml"), &repo.join("infra"));
    assert!(git(repo, &["add", "-A"]));
    assert!(git(repo, &["commit", "-q", "-m", "merge add-ee"]));

    let merged = slots(&repo.join("infra"));
    assert_eq!(
        merged,
        serde_json::json!({"aa": 1, "bb": 2, "cc": 3, "dd": 4, "ee": 5})
    );
    let after = resources(&repo.join("infra"));
    for (name, resource) in &main_render {
        assert_eq!(
            after.get(name),
            Some(resource),
            "{name} changed in the merge"
        );
    }
    for name in base.keys() {
        assert!(after.contains_key(name));
    }
    // The result is exactly what rendering both tenants on top of main gives.
    let replay = tempfile::tempdir().unwrap();
    std::fs::write(
        replay.path().join("tenants.toml"),
        config(&["aa", "bb", "cc", "dd"]),
    )
    .unwrap();
    render_ok(
        &replay.path().join("tenants.toml"),
        &replay.path().join("infra"),
    );
    std::fs::write(
        replay.path().join("tenants.toml"),
        config(&["aa", "bb", "cc", "dd", "ee"]),
    )
    .unwrap();
    render_ok(
        &replay.path().join("tenants.toml"),
        &replay.path().join("infra"),
    );
    assert_eq!(
        tree(&repo.join("infra")),
        tree(&replay.path().join("infra"))
    );
}
