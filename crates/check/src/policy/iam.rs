//! IAM hygiene: no wildcard actions, no `*` resources, no open trust, no AWS managed policies.

use super::doc::{Doc, Kind, Stmt};
use super::graph::Graph;
use super::value::{items, join, literal, text};
use super::Out;

/// Actions AWS only authorises on `Resource: "*"` (no resource-level permissions). An Allow
/// on `*` is accepted when every action of the statement is in this list.
pub const STAR_ONLY_ACTIONS: &[&str] = &[
    "ecr:GetAuthorizationToken",
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
    "xray:GetSamplingStatisticSummaries",
    "cloudwatch:PutMetricData",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeVpcs",
    "ssm:DescribeParameters",
    "sts:GetCallerIdentity",
];

/// Condition keys that pin an `Allow` to `Principal: "*"` down to known callers.
const PINNING_KEYS: &[&str] = &[
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceowner",
    "aws:sourceorgid",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:principalorgid",
    "aws:principalaccount",
    "aws:principalarn",
];

pub fn check(g: &Graph, docs: &[Doc], out: &mut Out) {
    for doc in docs {
        for st in doc.stmts.iter().filter(|s| s.allow) {
            wildcard_actions(doc, st, out);
            if doc.kind == Kind::Identity {
                star_resources(doc, st, out);
            }
            open_principals(doc, st, out);
        }
    }
    managed_policies(g, out);
}

/// TAP-IAM-1: no `*` / `?` in an Allow's actions, no NotAction in an Allow.
fn wildcard_actions(doc: &Doc, st: &Stmt, out: &mut Out) {
    if st.not_action {
        out.push(
            "TAP-IAM-1",
            doc.resource,
            join(&st.path, "NotAction"),
            format!(
                "{}: Allow with NotAction grants every action not listed; list the actions instead",
                st.label()
            ),
        );
        return;
    }
    for (i, a) in st.actions.iter().enumerate() {
        if a.contains(['*', '?']) {
            out.push(
                "TAP-IAM-1",
                doc.resource,
                format!("{}.Action[{i}]", st.path),
                format!(
                    "{}: Allow with wildcard action `{a}`; name the exact actions",
                    st.label()
                ),
            );
        }
    }
}

/// Is this resource entry "every resource" (`*`, or an ARN whose resource part is `*`)?
pub fn all_resources(resource: &str) -> bool {
    let r = literal(resource, "${}");
    if r.trim() == "*" {
        return true;
    }
    let parts: Vec<&str> = r.splitn(6, ':').collect();
    parts.len() == 6
        && parts[0] == "arn"
        && !parts[5].is_empty()
        && parts[5].chars().all(|c| c == '*' || c == '/')
}

/// TAP-IAM-2: identity policies grant nothing on `*` beyond the star-only actions.
fn star_resources(doc: &Doc, st: &Stmt, out: &mut Out) {
    if st.not_resource {
        out.push(
            "TAP-IAM-2",
            doc.resource,
            join(&st.path, "NotResource"),
            format!(
                "{}: Allow with NotResource grants on every other resource; list the resources",
                st.label()
            ),
        );
        return;
    }
    let star_only = |a: &String| STAR_ONLY_ACTIONS.iter().any(|s| s.eq_ignore_ascii_case(a));
    let scoped: Vec<&str> = st
        .actions
        .iter()
        .filter(|a| !star_only(a))
        .map(String::as_str)
        .collect();
    if !st.not_action && !st.actions.is_empty() && scoped.is_empty() {
        return;
    }
    let actions = if st.not_action {
        "every action but the listed ones".to_string()
    } else {
        scoped.join(", ")
    };
    for (i, r) in st.resources.iter().enumerate() {
        if all_resources(r) {
            out.push(
                "TAP-IAM-2",
                doc.resource,
                format!("{}.Resource[{i}]", st.path),
                format!(
                    "{}: Allow on every resource (`{r}`) for {actions}; name the resources' ARNs \
                     (only actions without resource-level permissions may use `*`)",
                    st.label()
                ),
            );
        }
    }
}

/// TAP-IAM-3: trust policies never trust `*`; resource policies never allow `*` unpinned.
fn open_principals(doc: &Doc, st: &Stmt, out: &mut Out) {
    if doc.kind == Kind::Identity {
        return;
    }
    if st.not_principal {
        out.push(
            "TAP-IAM-3",
            doc.resource,
            join(&st.path, "NotPrincipal"),
            format!(
                "{}: Allow with NotPrincipal trusts everyone not listed",
                st.label()
            ),
        );
        return;
    }
    if !st.any_principal() {
        return;
    }
    let pinned = st.conditions.iter().any(|c| {
        let op = c.op.to_ascii_lowercase();
        !op.contains("not")
            && !op.starts_with("null")
            && PINNING_KEYS.contains(&c.key.to_ascii_lowercase().as_str())
    });
    if doc.kind == Kind::Trust {
        out.push(
            "TAP-IAM-3",
            doc.resource,
            join(&st.path, "Principal"),
            format!(
                "{}: the role trusts any principal (`*`); name the service or role that assumes it",
                st.label()
            ),
        );
    } else if !pinned {
        out.push(
            "TAP-IAM-3",
            doc.resource,
            join(&st.path, "Principal"),
            format!(
                "{}: resource policy allows any principal (`*`) without an aws:SourceArn / aws:SourceAccount / \
                 aws:PrincipalOrgID-style condition",
                st.label()
            ),
        );
    }
}

/// TAP-IAM-4: no AWS managed policy attached to a role, user or group.
fn managed_policies(g: &Graph, out: &mut Out) {
    let aws_managed = |arn: &str| arn.contains(":iam::aws:policy/");
    for r in g.all() {
        let (key, list) = match r.ty.as_str() {
            "aws:iam:RolePolicyAttachment"
            | "aws:iam:UserPolicyAttachment"
            | "aws:iam:GroupPolicyAttachment"
            | "aws:iam:PolicyAttachment" => ("policyArn", false),
            "aws:iam:Role" | "aws:iam:User" | "aws:iam:Group" => ("managedPolicyArns", true),
            _ => continue,
        };
        let values = if list {
            items(r.props.get(key))
        } else {
            r.props.get(key).into_iter().collect()
        };
        for (i, v) in values.into_iter().enumerate() {
            let Some(arn) = text(v) else { continue };
            if aws_managed(&arn) {
                let path = if list {
                    format!("properties.{key}[{i}]")
                } else {
                    format!("properties.{key}")
                };
                out.push(
                    "TAP-IAM-4",
                    r.name,
                    path,
                    format!("AWS managed policy `{arn}` attached; write a least-privilege policy naming this tenant's resources"),
                );
            }
        }
    }
}
