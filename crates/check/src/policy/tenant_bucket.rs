//! TAP-ISO-2: a tenant bucket's own policy locks out every principal but the tenant's.
//!
//! Two kinds of principal must be denied the bucket's data, by one Deny statement or by
//! several: principals tagged with another tenant's id, and principals with no `tenant_id`
//! tag at all (apart from principals exempted by name, such as the deployer). A Deny counts
//! for a kind of principal when its principal is `*`, it covers the data actions on the
//! bucket and on its objects, and every one of its conditions holds for that kind.

use super::doc::{covers_action, Doc, Stmt};
use super::graph::{Graph, Res};
use super::storage::covers_bucket;
use super::value::refs;
use super::Out;

/// What must be denied at least (`s3:*` covers all of them).
const DATA_ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:GetObjectVersion",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
    "s3:ListBucket",
    "s3:ListBucketVersions",
];

const NOT_EQUALS: &[&str] = &[
    "stringnotequals",
    "stringnotequalsifexists",
    "stringnotequalsignorecase",
    "stringnotlike",
    "stringnotlikeifexists",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    OtherTenant,
    Untagged,
}

pub fn check(g: &Graph, b: &Res, tenant: &str, policies: &[&Doc], out: &mut Out) {
    if policies.is_empty() {
        out.push(
            "TAP-ISO-2",
            b.name,
            "",
            format!("tenant {tenant}'s bucket has no BucketPolicy denying other principals"),
        );
        return;
    }
    let mut gaps = Vec::new();
    for kind in [Kind::OtherTenant, Kind::Untagged] {
        let verdicts: Vec<(String, Vec<String>)> = policies
            .iter()
            .flat_map(|d| d.stmts.iter().filter(|s| candidate(s)).map(move |s| (d, s)))
            .map(|(doc, st)| {
                (
                    format!("{} {}", doc.resource, st.label()),
                    problems(g, st, b, tenant, kind),
                )
            })
            .collect();
        if verdicts.iter().any(|(_, p)| p.is_empty()) {
            continue;
        }
        let who = match kind {
            Kind::OtherTenant => "principals tagged with another tenant's id",
            Kind::Untagged => "principals without a tenant_id tag",
        };
        // The closest statements (fewest problems) explain what to change.
        let fewest = verdicts.iter().map(|(_, p)| p.len()).min();
        let closest: Vec<String> = verdicts
            .iter()
            .filter(|(_, p)| Some(p.len()) == fewest)
            .map(|(at, p)| format!("{at}: {}", p.join("; ")))
            .collect();
        gaps.push(if closest.is_empty() {
            format!("no Deny statement covers {who}")
        } else {
            format!("{who} are not denied ({})", closest.join(" / "))
        });
    }
    if !gaps.is_empty() {
        out.push(
            "TAP-ISO-2",
            b.name,
            "",
            format!("tenant {tenant}'s bucket: {}", gaps.join(" | ")),
        );
    }
}

/// Deny statements about who the principal is (or about nothing at all).
fn candidate(st: &Stmt) -> bool {
    !st.allow
        && (st.conditions.is_empty()
            || st
                .conditions
                .iter()
                .any(|c| is_tenant_key(&c.key) || c.key.eq_ignore_ascii_case("aws:PrincipalArn")))
}

fn is_tenant_key(key: &str) -> bool {
    key.eq_ignore_ascii_case("aws:PrincipalTag/tenant_id")
}

/// Why `st` does not deny this kind of principal (empty when it does).
fn problems(g: &Graph, st: &Stmt, b: &Res, tenant: &str, kind: Kind) -> Vec<String> {
    let mut p = Vec::new();
    if !st.any_principal() {
        p.push("Principal is not `*`".to_string());
    }
    let missing: Vec<&str> = DATA_ACTIONS
        .iter()
        .copied()
        .filter(|a| !covers_action(st, a))
        .collect();
    if !missing.is_empty() {
        p.push(format!("does not deny {}", missing.join(", ")));
    }
    match covers_bucket(st, b) {
        (true, true) => {}
        (false, true) => p.push("Resource does not cover the bucket ARN".into()),
        (true, false) => p.push("Resource does not cover the objects (`<bucket arn>/*`)".into()),
        (false, false) => p.push("Resource covers neither the bucket nor its objects".into()),
    }
    for c in &st.conditions {
        let op = c.op.to_ascii_lowercase();
        if is_tenant_key(&c.key) {
            if NOT_EQUALS.contains(&op.as_str()) {
                // A missing key makes negated operators true: untagged principals match.
                if kind == Kind::OtherTenant && !(c.values.len() == 1 && c.values[0] == tenant) {
                    p.push(format!(
                        "{} {} is {:?}, not exactly [{tenant:?}]",
                        c.op, c.key, c.values
                    ));
                }
            } else if op == "null" {
                let absent = c.values.iter().any(|v| v.eq_ignore_ascii_case("true"));
                if kind == Kind::OtherTenant && absent {
                    p.push(
                        "applies only to principals without a tenant_id tag (Null = true)".into(),
                    );
                }
                if kind == Kind::Untagged && !absent {
                    p.push(
                        "Null aws:PrincipalTag/tenant_id = false exempts every principal without a tenant_id tag; \
                         exempt named principals with ArnNotEquals aws:PrincipalArn instead"
                            .into(),
                    );
                }
            } else {
                p.push(format!("unexpected condition {} on {}", c.op, c.key));
            }
        } else if exemption(&op, &c.key, &c.values) {
            for v in &c.values {
                for (root, _) in refs(v) {
                    if let Some(u) = g
                        .get(root)
                        .and_then(|_| g.owner(root))
                        .filter(|u| *u != tenant)
                    {
                        p.push(format!("exempts {root} of tenant {u}"));
                    }
                }
            }
        } else {
            p.push(format!("condition {} {} narrows the deny", c.op, c.key));
        }
    }
    p
}

/// Conditions that exempt named principals / sources only (no wildcards).
fn exemption(op: &str, key: &str, values: &[String]) -> bool {
    let key = key.to_ascii_lowercase();
    op.contains("not")
        && (op.starts_with("arn") || op.starts_with("string"))
        && (key == "aws:principalarn" || key == "aws:sourcearn")
        && !values.is_empty()
        && values
            .iter()
            .all(|v| !v.contains('*') && !v.trim().is_empty())
}
