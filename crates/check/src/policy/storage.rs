//! S3 buckets: bucket hardening (TAP-S3-*); the tenant deny (TAP-ISO-2) is in `tenant_bucket`.
//!
//! Every finding is reported on the bucket itself (stable for waivers); the message names
//! the companion resource (`BucketPolicy`, `BucketVersioning`, ...) to change.

use serde_json::Value;

use super::doc::{covers_action, Doc, Stmt};
use super::graph::{Graph, Res};
use super::value::glob;
use super::value::{as_bool, get_path, items, pieces, Piece};
use super::{tenant_bucket, Out};

pub fn check(g: &Graph, docs: &[Doc], out: &mut Out) {
    for b in g.of("aws:s3:Bucket") {
        let policy_names: Vec<&str> = g
            .companions("aws:s3:BucketPolicy", "bucket", b.name)
            .iter()
            .map(|r| r.name)
            .collect();
        let policies: Vec<&Doc> = docs
            .iter()
            .filter(|d| policy_names.contains(&d.resource))
            .collect();
        public_access(g, b, out);
        secure_transport(b, &policies, out);
        companion_setting(
            g,
            b,
            out,
            "TAP-S3-3",
            "aws:s3:BucketServerSideEncryptionConfiguration",
            encrypted,
        );
        companion_setting(g, b, out, "TAP-S3-4", "aws:s3:BucketVersioning", |r| {
            (get_path(r.props, "versioningConfiguration.status").and_then(Value::as_str)
                == Some("Enabled"))
            .then_some(())
            .ok_or_else(|| "versioningConfiguration.status is not `Enabled`".to_string())
        });
        companion_setting(
            g,
            b,
            out,
            "TAP-S3-5",
            "aws:s3:BucketOwnershipControls",
            |r| {
                (get_path(r.props, "rule.objectOwnership").and_then(Value::as_str)
                    == Some("BucketOwnerEnforced"))
                .then_some(())
                .ok_or_else(|| {
                    "rule.objectOwnership is not `BucketOwnerEnforced` (ACLs stay enabled)"
                        .to_string()
                })
            },
        );
        if let Some(tenant) = g.owner(b.name) {
            tenant_bucket::check(g, b, tenant, &policies, out);
        }
    }
}

/// Reports `rule` on the bucket unless some companion of type `ty` passes `ok`.
fn companion_setting(
    g: &Graph,
    b: &Res,
    out: &mut Out,
    rule: &str,
    ty: &str,
    ok: impl Fn(&Res) -> Result<(), String>,
) {
    let companions = g.companions(ty, "bucket", b.name);
    let short = ty.rsplit(':').next().unwrap_or(ty);
    if companions.is_empty() {
        out.push(
            rule,
            b.name,
            "",
            format!("no {short} resource for this bucket"),
        );
        return;
    }
    if companions.iter().any(|c| ok(c).is_ok()) {
        return;
    }
    for c in companions {
        if let Err(why) = ok(c) {
            out.push(rule, b.name, "", format!("{} ({short}): {why}", c.name));
        }
    }
}

fn encrypted(r: &Res) -> Result<(), String> {
    let algorithms: Vec<String> = items(r.props.get("rules"))
        .into_iter()
        .filter_map(|rule| {
            get_path(rule, "applyServerSideEncryptionByDefault.sseAlgorithm")
                .and_then(Value::as_str)
        })
        .map(str::to_string)
        .collect();
    if algorithms
        .iter()
        .any(|a| ["aws:kms", "aws:kms:dsse", "AES256"].contains(&a.as_str()))
    {
        Ok(())
    } else {
        Err(
            "no rule sets applyServerSideEncryptionByDefault.sseAlgorithm to aws:kms or AES256"
                .into(),
        )
    }
}

/// TAP-S3-1: a public access block with all four flags true.
fn public_access(g: &Graph, b: &Res, out: &mut Out) {
    const FLAGS: [&str; 4] = [
        "blockPublicAcls",
        "blockPublicPolicy",
        "ignorePublicAcls",
        "restrictPublicBuckets",
    ];
    companion_setting(
        g,
        b,
        out,
        "TAP-S3-1",
        "aws:s3:BucketPublicAccessBlock",
        |r| {
            let off: Vec<&str> = FLAGS
                .iter()
                .copied()
                .filter(|f| as_bool(r.props.get(*f)) != Some(true))
                .collect();
            if off.is_empty() {
                Ok(())
            } else {
                Err(format!("not true: {}", off.join(", ")))
            }
        },
    );
}

/// Does the statement's Resource cover the bucket ARN and every object ARN?
pub fn covers_bucket(st: &Stmt, b: &Res) -> (bool, bool) {
    if st.not_resource {
        return (false, false);
    }
    let name = b
        .props
        .get("bucket")
        .and_then(Value::as_str)
        .filter(|n| !n.contains('$'))
        .unwrap_or("\u{1}bucket");
    let bucket_arn = format!("arn:aws:s3:::{name}");
    let object_arn = format!("{bucket_arn}/any/key");
    let (mut whole, mut objects) = (false, false);
    for r in &st.resources {
        let rendered: String = pieces(r)
            .into_iter()
            .map(|p| match p {
                Piece::Lit(l) => l,
                Piece::Ref { root, rest } if root == b.name && rest == ".arn" => bucket_arn.clone(),
                Piece::Ref { root, rest }
                    if root == b.name && (rest == ".id" || rest == ".bucket") =>
                {
                    name.to_string()
                }
                Piece::Ref { .. } => "\u{0}".to_string(),
            })
            .collect();
        whole |= glob(&rendered, &bucket_arn, false);
        objects |= glob(&rendered, &object_arn, false);
    }
    (whole, objects)
}

/// TAP-S3-2: a Deny of every S3 action over plain HTTP (aws:SecureTransport = false).
fn secure_transport(b: &Res, policies: &[&Doc], out: &mut Out) {
    let ok = policies.iter().flat_map(|d| &d.stmts).any(|st| {
        !st.allow
            && st.any_principal()
            && covers_action(st, "s3:*")
            && covers_bucket(st, b) == (true, true)
            && st.conditions.iter().any(|c| {
                c.op.to_ascii_lowercase().starts_with("bool")
                    && c.key.eq_ignore_ascii_case("aws:SecureTransport")
                    && c.values.iter().any(|v| v.eq_ignore_ascii_case("false"))
            })
    });
    if !ok {
        let why = if policies.is_empty() {
            "no BucketPolicy for this bucket"
        } else {
            "bucket policy"
        };
        out.push(
            "TAP-S3-2",
            b.name,
            "",
            format!("{why} does not deny s3:* on the bucket and its objects when aws:SecureTransport is false"),
        );
    }
}
