//! Keys and secrets (`TAP-KMS-*`, `TAP-SM-*`, `TAP-SSM-*`).

use serde_json::json;

use crate::support::*;

#[test]
fn kms_1_rotation() {
    let mut p = ecs();
    props(&mut p, "acme-corp-key")["enableKeyRotation"] = json!(false);
    expect_exactly(&p, &[("TAP-KMS-1", "acme-corp-key")]);
    props(&mut p, "acme-corp-key")["customerMasterKeySpec"] = json!("RSA_2048");
    props(&mut p, "acme-corp-key")["keyUsage"] = json!("SIGN_VERIFY");
    expect_exactly(&p, &[]);
}

#[test]
fn sm_1_customer_managed_key() {
    let mut p = ecs();
    props(&mut p, "acme-corp-db-secret")
        .as_object_mut()
        .unwrap()
        .shift_remove("kmsKeyId");
    expect_exactly(&p, &[("TAP-SM-1", "acme-corp-db-secret")]);
    props(&mut p, "acme-corp-db-secret")["kmsKeyId"] = json!("alias/aws/secretsmanager");
    expect_exactly(&p, &[("TAP-SM-1", "acme-corp-db-secret")]);
}

#[test]
fn ssm_1_secure_strings_use_a_customer_key() {
    let mut p = fixture("enterprise");
    props(&mut p, "org-a-config")
        .as_object_mut()
        .unwrap()
        .shift_remove("keyId");
    expect_exactly(&p, &[("TAP-SSM-1", "org-a-config")]);
    props(&mut p, "org-a-config")["type"] = json!("String");
    expect_exactly(&p, &[]);
}
