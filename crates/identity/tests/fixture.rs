//! The policy tests' identity fixture is this crate's current render, not a stale copy.

#[path = "../examples/iam_fixture.rs"]
#[allow(dead_code)]
mod iam_fixture;

use std::path::Path;

#[test]
fn the_policy_fixture_is_the_current_render() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../check/tests/fixtures/policy/identity");
    let rendered = iam_fixture::render().expect("the fixture renders");
    let committed = std::fs::read_to_string(dir.join("Main.yaml")).unwrap_or_default();
    assert!(
        rendered == committed,
        "{} is stale: run `cargo run -p identity --example iam_fixture -- {}`",
        dir.display(),
        dir.display()
    );
    let project = std::fs::read_to_string(dir.join("Pulumi.yaml")).unwrap_or_default();
    assert_eq!(project, iam_fixture::PROJECT);
}
