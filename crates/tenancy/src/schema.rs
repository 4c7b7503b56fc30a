//! JSON Schema of the input format, for editors and documentation.
//!
//! Derived from [`crate::raw`]; the defaults shown are taken from the model's own
//! defaults so the schema cannot advertise a default the loader does not apply.

use serde_json::{json, Value};

use crate::model::{Database, Sizing, DEFAULT_AZ_COUNT, DEFAULT_DESCRIPTION, DEFAULT_TENANT_CLAIM};
use crate::raw::RawConfig;

pub(crate) fn json_schema() -> Value {
    let mut schema = schemars::schema_for!(RawConfig).to_value();
    // Optional keys are `#[serde(default)]` Options, which schemars documents as
    // `"default": null`; TOML has no null, so drop those before adding the real defaults.
    strip_null_defaults(&mut schema);
    let sizing = Sizing::default();
    let database = Database::default();
    let defaults = [
        ("Platform", "description", json!(DEFAULT_DESCRIPTION)),
        ("Platform", "az_count", json!(DEFAULT_AZ_COUNT)),
        ("Sizing", "cpu", json!(sizing.cpu)),
        ("Sizing", "memory", json!(sizing.memory)),
        ("Sizing", "desired_count", json!(sizing.desired_count)),
        ("Sizing", "min_tasks", json!(sizing.min_tasks)),
        ("Sizing", "max_tasks", json!(sizing.max_tasks)),
        (
            "Sizing",
            "cpu_target_percent",
            json!(sizing.cpu_target_percent),
        ),
        (
            "Sizing",
            "log_retention_days",
            json!(sizing.log_retention_days),
        ),
        ("Database", "name", json!(database.name)),
        ("Database", "engine_version", json!(database.engine_version)),
        ("Database", "instance_class", json!(database.instance_class)),
        ("Auth", "tenant_claim", json!(DEFAULT_TENANT_CLAIM)),
    ];
    for (def, property, value) in defaults {
        if let Some(prop) = schema
            .pointer_mut(&format!("/$defs/{def}/properties/{property}"))
            .and_then(Value::as_object_mut)
        {
            prop.insert("default".into(), value);
        }
    }
    schema
}

fn strip_null_defaults(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.get("default") == Some(&Value::Null) {
                map.remove("default");
            }
            map.values_mut().for_each(strip_null_defaults);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_null_defaults),
        _ => {}
    }
}
