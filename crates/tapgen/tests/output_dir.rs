//! The output folder: a linked DIR is written through and the link kept; files tapgen does
//! not own stay exactly as they were; nothing is written through a link inside DIR; two
//! renders at once leave one complete render and nothing beside it; a failed render changes
//! nothing.

mod common;

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use common::{examples, leftovers, render, render_ok, tree};

fn example(name: &str) -> PathBuf {
    examples()
        .into_iter()
        .map(|(config, _)| config)
        .find(|c| c.ends_with(format!("{name}.toml")))
        .unwrap()
}

/// A fresh render of `config` into an empty folder.
fn fresh(config: &Path) -> std::collections::BTreeMap<String, String> {
    let work = tempfile::tempdir().unwrap();
    render_ok(config, &work.path().join("infra"));
    tree(&work.path().join("infra"))
}

#[test]
fn a_linked_dir_is_written_through_and_the_link_kept() {
    let config = example("ecs-fargate");
    let work = tempfile::tempdir().unwrap();
    let target = work.path().join("real");
    std::fs::create_dir(&target).unwrap();
    let link = work.path().join("infra");
    symlink(&target, &link).unwrap();
    render_ok(&config, &link);
    render_ok(&config, &link);
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read_link(&link).unwrap(), target);
    assert_eq!(tree(&target), fresh(&config));
    assert!(leftovers(&target).is_empty());

    let dangling = work.path().join("dangling");
    symlink(work.path().join("nowhere"), &dangling).unwrap();
    let result = render(&config, &dangling, &[]);
    assert_eq!(result.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&result.stderr).contains("symbolic link to nothing"));
    assert!(!work.path().join("nowhere").exists());
}

#[test]
fn foreign_files_and_links_are_kept_exactly() {
    use std::os::unix::fs::PermissionsExt;
    let config = example("ecs-fargate");
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("infra");
    render_ok(&config, &out);
    std::fs::write(out.join("Pulumi.dev.yaml"), "config:\n  owner: team-a\n").unwrap();
    std::fs::write(out.join("lambda/notes.txt"), "mine\n").unwrap();
    std::fs::set_permissions(
        out.join("lambda/notes.txt"),
        PermissionsExt::from_mode(0o600),
    )
    .unwrap();
    std::fs::create_dir_all(out.join("ops/empty")).unwrap();
    symlink("../shared/Pulumi.prod.yaml", out.join("Pulumi.prod.yaml")).unwrap();
    symlink("/elsewhere", out.join("ops/outside")).unwrap();
    let mtime = std::fs::metadata(out.join("Pulumi.dev.yaml"))
        .unwrap()
        .modified()
        .unwrap();
    let before = tree(&out);

    render_ok(&config, &out);
    assert_eq!(tree(&out), before);
    let after = std::fs::metadata(out.join("Pulumi.dev.yaml"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(after, mtime);
    for foreign in [
        "Pulumi.dev.yaml",
        "Pulumi.prod.yaml",
        "lambda/notes.txt",
        "ops/empty",
        "ops/outside",
    ] {
        assert!(tree(&out).contains_key(foreign), "{foreign} lost");
    }
}

#[test]
fn a_link_inside_dir_on_a_rendered_path_is_refused() {
    let config = example("ecs-fargate");
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("infra");
    let outside = work.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    // No lock yet: a folder rendered elsewhere, with its lambda folder linked out of DIR.
    std::fs::create_dir(&out).unwrap();
    symlink(&outside, out.join("lambda")).unwrap();
    let before = tree(&out);
    let result = render(&config, &out, &[]);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("lambda is a symbolic link"), "{stderr}");
    assert_eq!(tree(&out), before);
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
    assert!(leftovers(&out).is_empty());
}

#[test]
fn a_user_file_where_the_render_writes_is_refused() {
    let config = example("ecs-fargate");
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("infra");
    render_ok(&config, &out);
    // Drop lambda/ from the lock's file list: the folder is now the user's.
    let lock_path = out.join("tapgen.lock");
    let mut lock: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&lock_path).unwrap()).unwrap();
    lock["files"]
        .as_array_mut()
        .unwrap()
        .retain(|f| !f.as_str().unwrap().starts_with("lambda/"));
    std::fs::write(&lock_path, serde_json::to_string_pretty(&lock).unwrap()).unwrap();
    let before = tree(&out);
    let result = render(&config, &out, &[]);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("is not tapgen's"), "{stderr}");
    assert_eq!(tree(&out), before);
}

#[test]
fn a_failed_render_leaves_dir_byte_identical_and_no_staging() {
    let config = example("ecs-fargate");
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("infra");
    render_ok(&config, &out);
    // A FIFO cannot be kept: the render fails after staging, while carrying files over.
    let status = std::process::Command::new("mkfifo")
        .arg(out.join("pipe"))
        .status()
        .unwrap();
    assert!(status.success());
    let before = tree(&out);
    let result = render(&config, &out, &[]);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("neither a file, a folder nor a link"),
        "{stderr}"
    );
    assert_eq!(tree(&out), before);
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
}

/// Runs `tapgen render CONFIG -o OUT` for every config at the same time; all must succeed.
fn render_at_once(configs: &[&PathBuf], out: &Path) {
    let children: Vec<_> = configs
        .iter()
        .map(|config| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("tapgen"))
                .arg("render")
                .arg(config)
                .arg("-o")
                .arg(out)
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
}

#[test]
fn concurrent_renders_leave_one_complete_render() {
    let first = example("ecs-fargate");
    let second = example("serverless");
    let work = tempfile::tempdir().unwrap();
    // The two renders one after the other, in each order: the only outcomes allowed.
    let sequential = |a: &Path, b: &Path| {
        let dir = tempfile::tempdir().unwrap();
        render_ok(a, &dir.path().join("infra"));
        render_ok(b, &dir.path().join("infra"));
        tree(&dir.path().join("infra"))
    };
    let allowed = [sequential(&first, &second), sequential(&second, &first)];
    for round in 0..4 {
        let out = work.path().join(format!("infra{round}"));
        render_at_once(&[&first, &second], &out);
        assert!(
            allowed.contains(&tree(&out)),
            "round {round}: a mix of renders"
        );
        assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
    }
    // One config rendered four times at once equals one fresh render.
    let out = work.path().join("same");
    render_at_once(&[&first, &first, &first, &first], &out);
    assert_eq!(tree(&out), fresh(&first));
    assert!(leftovers(&out).is_empty());
}
