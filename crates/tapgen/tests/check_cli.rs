//! `tapgen check DIR`: one line per problem and a count, exit 1 on any problem; a waiver
//! in tenants.toml (carried in tapgen.lock) turns exactly that finding into a printed waiver.

mod common;

use std::path::Path;

use common::{render_ok, repo, tapgen};

/// Renders the ecs-fargate example (plus `extra` config text) and opens acme-corp's
/// security group to the internet, a TAP-EC2-1 finding.
fn render_with_open_group(dir: &Path, extra: &str) -> std::path::PathBuf {
    let example = std::fs::read_to_string(repo().join("examples/ecs-fargate.toml")).unwrap();
    let config = dir.join("tenants.toml");
    std::fs::write(&config, format!("{example}\n{extra}")).unwrap();
    let out = dir.join("infra");
    render_ok(&config, &out);
    let main = out.join("Main.yaml");
    let text = std::fs::read_to_string(&main).unwrap();
    let opened = text.replacen(
        "      referencedSecurityGroupId: ${alb-sg.id}",
        "      cidrIpv4: 0.0.0.0/0",
        1,
    );
    assert_ne!(
        opened, text,
        "the example no longer has the rule this test opens"
    );
    std::fs::write(&main, opened).unwrap();
    out
}

#[test]
fn a_problem_is_listed_counted_and_fails() {
    let work = tempfile::tempdir().unwrap();
    let out = render_with_open_group(work.path(), "");
    let result = tapgen().arg("check").arg(&out).output().unwrap();
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert_eq!(result.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("acme-corp-task-http-in [TAP-EC2-1]"),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .last()
            .unwrap()
            .starts_with("1 problems, 0 waived"),
        "{stdout}"
    );
}

#[test]
fn a_waiver_in_the_config_accepts_exactly_that_finding() {
    let work = tempfile::tempdir().unwrap();
    let waiver = "[[waivers]]\nrule = \"TAP-EC2-1\"\nresource = \"acme-corp-task-http-in\"\nreason = \"test: public health probe\"\n";
    let out = render_with_open_group(work.path(), waiver);
    let result = tapgen().arg("check").arg(&out).output().unwrap();
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert_eq!(result.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("waived: acme-corp-task-http-in [TAP-EC2-1]"),
        "{stdout}"
    );
    assert!(
        stdout.contains("(reason: test: public health probe)"),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .last()
            .unwrap()
            .starts_with("0 problems, 1 waived"),
        "{stdout}"
    );
}

#[test]
fn a_folder_that_is_not_a_project_is_bad_input() {
    let work = tempfile::tempdir().unwrap();
    let result = tapgen().arg("check").arg(work.path()).output().unwrap();
    assert_eq!(result.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&result.stderr).contains("Pulumi.yaml"));
}
