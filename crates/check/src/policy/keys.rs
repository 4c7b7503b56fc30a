//! Keys and secrets: KMS rotation (TAP-KMS-1), customer managed keys for Secrets Manager
//! (TAP-SM-1) and SSM SecureString parameters (TAP-SSM-1).

use serde_json::Value;

use super::graph::Graph;
use super::value::{as_bool, text};
use super::Out;

/// A key given, and not the AWS managed one (`alias/aws/...`).
fn customer_key(v: Option<&Value>) -> bool {
    v.and_then(text)
        .is_some_and(|k| !k.trim().is_empty() && !k.contains("alias/aws/"))
}

pub fn check(g: &Graph, out: &mut Out) {
    for k in g.of("aws:kms:Key") {
        let spec = ["customerMasterKeySpec", "keySpec"]
            .iter()
            .find_map(|s| k.props.get(*s).and_then(Value::as_str))
            .unwrap_or("SYMMETRIC_DEFAULT");
        let usage = k
            .props
            .get("keyUsage")
            .and_then(Value::as_str)
            .unwrap_or("ENCRYPT_DECRYPT");
        if spec != "SYMMETRIC_DEFAULT" || usage != "ENCRYPT_DECRYPT" {
            continue; // AWS rotates only symmetric encryption keys.
        }
        if as_bool(k.props.get("enableKeyRotation")) != Some(true) {
            out.push(
                "TAP-KMS-1",
                k.name,
                "properties.enableKeyRotation",
                "automatic key rotation is off (enableKeyRotation: true)",
            );
        }
    }
    for s in g.of("aws:secretsmanager:Secret") {
        if !customer_key(s.props.get("kmsKeyId")) {
            out.push(
                "TAP-SM-1",
                s.name,
                "properties.kmsKeyId",
                "secret is encrypted with the AWS managed key; set kmsKeyId to the tenant's (or platform's) customer managed key",
            );
        }
    }
    for p in g.of("aws:ssm:Parameter") {
        let secure = p.props.get("type").and_then(Value::as_str) == Some("SecureString");
        if secure && !customer_key(p.props.get("keyId")) {
            out.push(
                "TAP-SSM-1",
                p.name,
                "properties.keyId",
                "SecureString parameter is encrypted with the AWS managed key; set keyId to a customer managed key",
            );
        }
    }
}
