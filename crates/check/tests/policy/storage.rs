//! Storage (`TAP-S3-*`, `TAP-RDS-*`, `TAP-EC-*`): buckets, databases and caches.

use serde_json::json;

use crate::support::*;

#[test]
fn s3_1_public_access_block() {
    let mut p = ecs();
    props(&mut p, "acme-corp-bucket-public-access")["restrictPublicBuckets"] = json!(false);
    expect_exactly(&p, &[("TAP-S3-1", "acme-corp-bucket")]);
    let mut p = ecs();
    remove(&mut p, "globex-inc-bucket-public-access");
    expect_exactly(&p, &[("TAP-S3-1", "globex-inc-bucket")]);
}

#[test]
fn s3_2_secure_transport() {
    expect_exactly(
        &with_bucket_policy(vec![deny_outside_tenant()]),
        &[("TAP-S3-2", "acme-corp-bucket")],
    );
    let mut st = secure_transport();
    st["Action"] = json!(["s3:GetObject"]);
    expect_exactly(
        &with_bucket_policy(vec![st, deny_outside_tenant()]),
        &[("TAP-S3-2", "acme-corp-bucket")],
    );
    let mut st = secure_transport();
    st["Resource"] = json!("${acme-corp-bucket.arn}/*");
    expect_exactly(
        &with_bucket_policy(vec![st, deny_outside_tenant()]),
        &[("TAP-S3-2", "acme-corp-bucket")],
    );
}

#[test]
fn s3_3_encryption() {
    let mut p = ecs();
    remove(&mut p, "acme-corp-bucket-encryption");
    expect_exactly(&p, &[("TAP-S3-3", "acme-corp-bucket")]);
}

#[test]
fn s3_4_versioning() {
    let mut p = ecs();
    props(&mut p, "acme-corp-bucket-versioning")["versioningConfiguration"]["status"] =
        json!("Suspended");
    expect_exactly(&p, &[("TAP-S3-4", "acme-corp-bucket")]);
}

#[test]
fn s3_5_ownership() {
    let mut p = ecs();
    props(&mut p, "acme-corp-bucket-ownership")["rule"]["objectOwnership"] = json!("ObjectWriter");
    expect_exactly(&p, &[("TAP-S3-5", "acme-corp-bucket")]);
}

// ---------------------------------------------------------------- databases and caches

#[test]
fn rds_rules() {
    let mut p = ecs();
    props(&mut p, "database-cluster")["storageEncrypted"] = json!(false);
    expect_exactly(&p, &[("TAP-RDS-1", "database-cluster")]);

    let mut p = ecs();
    props(&mut p, "database-writer")["publiclyAccessible"] = json!(true);
    expect_exactly(&p, &[("TAP-RDS-2", "database-writer")]);

    let mut p = ecs();
    props(&mut p, "database-cluster")["manageMasterUserPassword"] = json!(false);
    props(&mut p, "database-cluster")["masterPassword"] = json!("hunter2hunter2");
    expect_exactly(&p, &[("TAP-RDS-3", "database-cluster")]);

    let mut p = ecs();
    props(&mut p, "database-cluster")["backupRetentionPeriod"] = json!(1);
    expect_exactly(&p, &[("TAP-RDS-4", "database-cluster")]);

    let mut p = ecs();
    props(&mut p, "database-parameters")["parameters"][1]["value"] = json!("0");
    expect_exactly(&p, &[("TAP-RDS-5", "database-parameters")]);
}

#[test]
fn elasticache_rules() {
    let mut p = fixture("enterprise");
    props(&mut p, "shared-cache")["transitEncryptionEnabled"] = json!(false);
    expect_exactly(&p, &[("TAP-EC-1", "shared-cache")]);

    let mut p = fixture("enterprise");
    props(&mut p, "shared-cache")
        .as_object_mut()
        .unwrap()
        .shift_remove("atRestEncryptionEnabled");
    expect_exactly(&p, &[("TAP-EC-1", "shared-cache")]);

    let mut p = fixture("enterprise");
    props(&mut p, "shared-cache")
        .as_object_mut()
        .unwrap()
        .shift_remove("userGroupIds");
    expect_exactly(&p, &[("TAP-EC-2", "shared-cache")]);

    let mut p = fixture("enterprise");
    props(&mut p, "cache-default-user")["accessString"] = json!("on ~* +@all");
    props(&mut p, "cache-default-user")["authenticationMode"] =
        json!({"type": "no-password-required"});
    expect_exactly(&p, &[("TAP-EC-2", "cache-default-user")]);
}
