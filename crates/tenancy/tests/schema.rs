//! The published JSON Schema describes the input format, documentation included.

use serde_json::Value;

#[test]
fn schema_has_platform_and_tenants() {
    let schema = tenancy::json_schema();
    // Round-trips as JSON text, as editors will consume it.
    let text = serde_json::to_string_pretty(&schema).expect("serializable");
    let schema: Value = serde_json::from_str(&text).expect("valid JSON");

    assert_eq!(schema["title"], "tenants.toml");
    assert_eq!(schema["additionalProperties"], false);
    let props = &schema["properties"];
    assert!(props["platform"].is_object());
    assert!(props["tenants"].is_object());
    assert!(props["waivers"].is_object());
    assert_eq!(schema["required"], serde_json::json!(["platform"]));
    // TOML has no null: optional keys are simply not required.
    assert_eq!(props["tenants"]["type"], "array");
}

#[test]
fn schema_documents_fields_and_enums() {
    let schema = tenancy::json_schema();
    let defs = &schema["$defs"];
    let platform = &defs["Platform"];
    assert_eq!(platform["additionalProperties"], false);
    assert_eq!(
        platform["properties"]["system"]["enum"],
        serde_json::json!(["ecs-fargate", "serverless", "enterprise"])
    );
    let tenant = &defs["Tenant"]["properties"];
    assert_eq!(
        tenant["tier"]["enum"],
        serde_json::json!(["standard", "premium"])
    );
    let sizing = &defs["Sizing"]["properties"];
    assert_eq!(
        sizing["cpu"]["enum"],
        serde_json::json!([256, 512, 1024, 2048, 4096])
    );
    // Every property of every definition carries a description from its doc comment.
    for (name, def) in defs.as_object().expect("definitions") {
        assert!(def["description"].is_string(), "{name} has no description");
        for (field, prop) in def["properties"].as_object().expect("properties") {
            assert!(
                prop["description"].is_string(),
                "{name}.{field} has no description"
            );
        }
    }
}
