//! Workload isolation (`TAP-ISO-5` to `TAP-ISO-8`): tenant ids, cross-tenant wiring, cache
//! key prefixes and host names.

use serde_json::json;

use crate::support::*;

#[test]
fn iso5_tenant_id_of_functions_and_tasks() {
    let mut p = fixture("serverless");
    props(&mut p, "tenant-001-function")["environment"]["variables"]["TENANT_ID"] =
        json!("tenant-002");
    expect_exactly(&p, &[("TAP-ISO-5", "tenant-001-function")]);
    props(&mut p, "tenant-001-function")["environment"]["variables"]
        .as_object_mut()
        .unwrap()
        .shift_remove("TENANT_ID");
    expect_exactly(&p, &[("TAP-ISO-5", "tenant-001-function")]);

    let mut p = ecs();
    let containers = &mut props(&mut p, "acme-corp-task")["containerDefinitions"]["fn::toJSON"];
    containers[0]["environment"][0]["value"] = json!("globex-inc");
    expect_exactly(&p, &[("TAP-ISO-5", "acme-corp-task")]);
}

#[test]
fn iso6_cross_tenant_wiring() {
    let mut p = ecs();
    props(&mut p, "acme-corp-listener-rule")["actions"][0]["targetGroupArn"] =
        json!("${globex-inc-target-group.arn}");
    expect_exactly(&p, &[("TAP-ISO-6", "acme-corp-listener-rule")]);

    let mut p = ecs();
    props(&mut p, "acme-corp-task")["taskRoleArn"] = json!("${globex-inc-task-role.arn}");
    expect_exactly(&p, &[("TAP-ISO-6", "acme-corp-task")]);

    let mut p = ecs();
    props(&mut p, "acme-corp-bucket-encryption")["rules"][0]
        ["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"] = json!("${globex-inc-key.arn}");
    expect_exactly(&p, &[("TAP-ISO-6", "acme-corp-bucket-encryption")]);
    assert_eq!(
        policy(&p)[0].path,
        "properties.rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId"
    );
}

#[test]
fn iso7_cache_users_confined_to_their_prefix() {
    let mut p = fixture("enterprise");
    props(&mut p, "org-a-cache-user")["accessString"] = json!("on ~* +@all -@dangerous");
    expect_exactly(&p, &[("TAP-ISO-7", "org-a-cache-user")]);
    props(&mut p, "org-a-cache-user")["accessString"] = json!("on ~org-b:* +@all -@dangerous");
    expect_exactly(&p, &[("TAP-ISO-7", "org-a-cache-user")]);
    props(&mut p, "org-a-cache-user")["accessString"] = json!("on ~org-a* +@all -@dangerous");
    expect_exactly(&p, &[("TAP-ISO-7", "org-a-cache-user")]);
    props(&mut p, "org-a-cache-user")["accessString"] = json!("on ~org-a:* +@all");
    expect_exactly(&p, &[("TAP-ISO-7", "org-a-cache-user")]);
    props(&mut p, "org-a-cache-user")["accessString"] = json!("on %R~{org-a}:* +get +flushall");
    expect_exactly(&p, &[("TAP-ISO-7", "org-a-cache-user")]);
    props(&mut p, "org-a-cache-user")["accessString"] =
        json!("on %RW~{org-a}:* -@all +@read +@write -@dangerous");
    expect_exactly(&p, &[]);
    // System B's prefix `t:<tenant>:`, for keys and channels alike.
    props(&mut p, "org-a-cache-user")["accessString"] =
        json!("on ~t:org-a:* &t:org-a:* -@all +@read +@write -@dangerous");
    expect_exactly(&p, &[]);
    for leak in [
        "on ~t:* -@all +@read",
        "on ~t:org-b:* -@all +@read",
        "on ~t:org-a:* &t:org-b:* -@all +@pubsub",
        "on ~t:org-a:* &* -@all +@pubsub",
        "on ~t:org-a:* allchannels -@all +@pubsub",
    ] {
        props(&mut p, "org-a-cache-user")["accessString"] = json!(leak);
        expect_exactly(&p, &[("TAP-ISO-7", "org-a-cache-user")]);
    }
}

#[test]
fn iso8_host_claimed_by_two_tenants() {
    let mut p = ecs();
    props(&mut p, "acme-corp-listener-rule")["conditions"][0]["hostHeader"]["values"][1] =
        json!("*.example.com");
    expect_exactly(
        &p,
        &[
            ("TAP-ISO-8", "acme-corp-listener-rule"),
            ("TAP-ISO-8", "globex-inc-listener-rule"),
            ("TAP-ISO-8", "initech-llc-listener-rule"),
        ],
    );

    let mut p = fixture("enterprise");
    props(&mut p, "org-b-cdn")["aliases"] = json!(["cdn.org-a.com"]);
    expect_exactly(
        &p,
        &[("TAP-ISO-8", "org-a-cdn"), ("TAP-ISO-8", "org-b-cdn")],
    );
}
