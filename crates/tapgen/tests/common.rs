//! Helpers shared by the CLI tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

const ECS_FARGATE_PLATFORM: &str = r#"
[platform]
system = "ecs-fargate"
project = "saas-platform"
environment = "dev"
region = "us-east-1"
vpc_cidr = "10.0.0.0/16"
base_domain = "example.com"
tags = { cost_center = "platform" }
"#;

/// A single-layout ecs-fargate config with standard tenants `ids`, in this order.
pub fn ecs_fargate_config(ids: &[&str]) -> String {
    let tenants: String = ids
        .iter()
        .map(|id| format!("\n[[tenants]]\nid = \"{id}\"\ntier = \"standard\"\n"))
        .collect();
    format!("{ECS_FARGATE_PLATFORM}{tenants}")
}

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

pub fn tapgen() -> Command {
    Command::cargo_bin("tapgen").unwrap()
}

/// `tapgen render CONFIG -o OUT [extra args]`, run to completion.
pub fn render(config: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    tapgen()
        .arg("render")
        .arg(config)
        .arg("-o")
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

/// Renders CONFIG into OUT and fails the test unless it succeeds.
pub fn render_ok(config: &Path, out: &Path) {
    let output = render(config, out, &[]);
    assert!(
        output.status.success(),
        "render failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Every example config, paired with the folder its golden render lives in.
pub fn examples() -> Vec<(PathBuf, PathBuf)> {
    let dir = repo().join("examples");
    let mut found: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|config| {
            let out = config.with_extension("");
            (config, out)
        })
        .collect();
    found.sort();
    assert!(!found.is_empty(), "no example configs in {}", dir.display());
    found
}

/// Every file under `dir` with its bytes, by relative path.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// The `resources:` map of a rendered `Main.yaml`.
pub fn resources(dir: &Path) -> serde_json::Map<String, serde_json::Value> {
    let text = std::fs::read_to_string(dir.join("Main.yaml")).unwrap();
    let program: serde_json::Value = serde_norway::from_str(&text).unwrap();
    program["resources"].as_object().unwrap().clone()
}

/// Every entry under `dir` by relative path, not following links: a file as its bytes and
/// permission bits, a link as `-> target`, a folder as `/`, anything else (a FIFO) as `special`.
pub fn tree(dir: &Path) -> BTreeMap<String, String> {
    use std::os::unix::fs::PermissionsExt;
    let mut entries = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let relative = path
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let value = if meta.file_type().is_symlink() {
                format!("-> {}", std::fs::read_link(&path).unwrap().display())
            } else if meta.is_dir() {
                stack.push(path);
                "/".to_string()
            } else if !meta.is_file() {
                "special".to_string()
            } else {
                let bytes = std::fs::read(&path).unwrap();
                let mode = meta.permissions().mode() & 0o7777;
                format!("{mode:o} {}", String::from_utf8_lossy(&bytes))
            };
            entries.insert(relative, value);
        }
    }
    entries
}

/// Entries beside `dir` that a render may leave (staging or previous folders).
pub fn leftovers(dir: &Path) -> Vec<String> {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    std::fs::read_dir(dir.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&format!(".{name}.tapgen")))
        .collect()
}
