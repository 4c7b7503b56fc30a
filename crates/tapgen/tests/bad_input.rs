//! Every broken config in tests/bad-configs exits 2 with a message naming file, line and
//! field, and leaves an existing output folder byte-for-byte untouched.

mod common;

use common::{examples, render, render_ok, repo, snapshot, tapgen};

/// The `# message:` lines of a corpus file.
fn messages(text: &str) -> Vec<&str> {
    text.lines()
        .filter_map(|l| l.strip_prefix("# message: "))
        .collect()
}

/// The `# expect: <line>:<field>` header every corpus file starts with.
fn expectation(text: &str) -> (String, String) {
    let header = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# expect: "))
        .expect("expect header");
    let (line, field) = header.split_once(':').expect("<line>:<field>");
    (line.trim().to_string(), field.trim().to_string())
}

#[test]
fn broken_configs_exit_2_and_touch_nothing() {
    let corpus = repo().join("tests/bad-configs");
    let mut files: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.retain(|p| p.extension().is_some_and(|e| e == "toml"));
    files.sort();
    assert!(
        files.len() >= 15,
        "the corpus needs at least 15 broken configs, has {}",
        files.len()
    );

    let (good_config, _) = examples().remove(0);
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("infra");
    render_ok(&good_config, &out);
    std::fs::write(out.join("Pulumi.dev.yaml"), "config:\n  owner: team-a\n").unwrap();
    let before = snapshot(&out);

    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let (line, field) = expectation(&text);
        let result = render(&file, &out, &[]);
        let stderr = String::from_utf8_lossy(&result.stderr);
        let name = file.display().to_string();
        assert_eq!(
            result.status.code(),
            Some(2),
            "{name}: expected exit 2, stderr:\n{stderr}"
        );
        assert!(
            stderr.contains(&format!("{name}:{line}:")),
            "{name}: no `{name}:{line}:` in:\n{stderr}"
        );
        assert!(
            stderr.contains(&format!("{name}:{line}:")) && stderr.contains(&format!(": {field}: ")),
            "{name}: field `{field}` not named in:\n{stderr}"
        );
        for message in messages(&text) {
            assert!(
                stderr.contains(message),
                "{name}: `{message}` not in:\n{stderr}"
            );
        }
        assert_eq!(snapshot(&out), before, "{name}: the output folder changed");
    }
}

#[test]
fn usage_errors_exit_2() {
    tapgen().arg("render").assert().code(2);
    tapgen().arg("frobnicate").assert().code(2);
    tapgen()
        .arg("render")
        .arg("/nonexistent/tenants.toml")
        .arg("-o")
        .arg("x")
        .assert()
        .code(2);
}

#[test]
fn render_keeps_files_it_does_not_own() {
    let (config, _) = examples().remove(0);
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("infra");
    render_ok(&config, &out);
    std::fs::write(out.join("Pulumi.prod.yaml"), "config: {}\n").unwrap();
    render_ok(&config, &out);
    assert_eq!(
        std::fs::read_to_string(out.join("Pulumi.prod.yaml")).unwrap(),
        "config: {}\n"
    );
}
