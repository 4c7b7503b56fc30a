//! The committed renders under examples/ are exactly what tapgen renders today, and
//! rendering is byte-for-byte deterministic.

mod common;

use common::{examples, render, render_ok, snapshot};

#[test]
fn committed_examples_are_current() {
    for (config, out) in examples() {
        let result = render(&config, &out, &["--check"]);
        assert!(
            result.status.success(),
            "{} is stale; re-render it with `tapgen render {} -o {}`:\n{}",
            out.display(),
            config.display(),
            out.display(),
            String::from_utf8_lossy(&result.stdout)
        );
    }
}

#[test]
fn rendering_twice_gives_identical_bytes() {
    for (config, _) in examples() {
        let first = tempfile::tempdir().unwrap();
        let second = tempfile::tempdir().unwrap();
        for dir in [&first, &second] {
            render_ok(&config, &dir.path().join("out"));
        }
        assert_eq!(
            snapshot(&first.path().join("out")),
            snapshot(&second.path().join("out"))
        );
    }
}

#[test]
fn check_reports_a_changed_resource_and_exits_1() {
    let (config, golden) = examples().remove(0);
    let copy = tempfile::tempdir().unwrap();
    let out = copy.path().join("out");
    render_ok(&config, &out);
    let main = out.join("Main.yaml");
    let text = std::fs::read_to_string(&main).unwrap();
    std::fs::write(
        &main,
        text.replacen("desiredCount: 2", "desiredCount: 3", 1),
    )
    .unwrap();
    let result = render(&config, &out, &["--check"]);
    assert_eq!(result.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert!(stdout.contains("differs: Main.yaml"), "{stdout}");
    assert!(stdout.contains("resource changed: "), "{stdout}");
    assert!(golden.exists());
}
