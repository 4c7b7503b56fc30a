//! `tapgen schema` prints the JSON Schema of tenants.toml, and docs/ keeps a current copy.

mod common;

use common::{repo, tapgen};

#[test]
fn committed_schema_is_current() {
    let output = tapgen().arg("schema").output().unwrap();
    assert!(output.status.success());
    let printed = String::from_utf8(output.stdout).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&printed).unwrap();
    assert!(
        schema["properties"]["tenants"].is_object(),
        "tenants missing from the schema"
    );
    let path = repo().join("docs/tenants.schema.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        committed, printed,
        "docs/tenants.schema.json is stale: run `tapgen schema > docs/tenants.schema.json`"
    );
}
