//! Tenant identity: the tenant attribute of user pools (TAP-COG-2, TAP-COG-3) and roles whose
//! sessions carry a `tenant_id` tag (TAP-IAM-5, TAP-ISO-9).
//!
//! A *session-tagged role* is one whose trust policy names `sts:TagSession` (a wildcard action is
//! TAP-IAM-1's finding already): who it acts for
//! is decided by the tag each session carries, so the tag must be exactly one `tenant_id`,
//! set once (TAP-IAM-5), and every grant must be scoped by it (TAP-ISO-9).

use serde_json::Value;

use super::doc::{Doc, Kind, Stmt};
use super::graph::Graph;
use super::value::{as_bool, items, literal, text};
use super::Out;

/// The tag (and custom attribute) naming a tenant.
const TENANT: &str = "tenant_id";

pub fn check(g: &Graph, docs: &[Doc], out: &mut Out) {
    user_pools(g, out);
    let tagged_roles: Vec<&str> = docs
        .iter()
        .filter(|d| d.kind == Kind::Trust)
        .filter(|d| d.stmts.iter().any(tags_sessions))
        .map(|d| d.resource)
        .collect();
    for doc in docs {
        match doc.kind {
            Kind::Trust if tagged_roles.contains(&doc.resource) => trust(doc, out),
            Kind::Identity if applies_to(g, doc, &tagged_roles) => scoped(doc, out),
            _ => {}
        }
    }
}

/// Is `doc` a policy of one of `roles` (a role policy naming it, or the role's inline policy)?
fn applies_to(g: &Graph, doc: &Doc, roles: &[&str]) -> bool {
    let Some(r) = g.get(doc.resource) else {
        return false;
    };
    match r.ty.as_str() {
        "aws:iam:RolePolicy" => r
            .props
            .get("role")
            .and_then(|v| g.target(v))
            .is_some_and(|role| roles.contains(&role.name)),
        "aws:iam:Role" => roles.contains(&doc.resource),
        _ => false,
    }
}

/// An Allow naming `sts:TagSession`.
fn tags_sessions(st: &Stmt) -> bool {
    st.allow
        && !st.not_action
        && st
            .actions
            .iter()
            .any(|a| a.eq_ignore_ascii_case("sts:TagSession"))
}

fn condition<'s>(st: &'s Stmt, op: &str, key: &str) -> Option<&'s [String]> {
    st.conditions
        .iter()
        .find(|c| c.op.eq_ignore_ascii_case(op) && c.key.eq_ignore_ascii_case(key))
        .map(|c| c.values.as_slice())
}

/// TAP-IAM-5: each Allow of `sts:TagSession` requires one `tenant_id` tag (present, the only
/// key) and refuses transitive tags, so a session cannot carry another tag or pass one on.
fn trust(doc: &Doc, out: &mut Out) {
    let request_tag = format!("aws:RequestTag/{TENANT}");
    for st in doc.stmts.iter().filter(|s| tags_sessions(s)) {
        let mut missing = Vec::new();
        let present = condition(st, "Null", &request_tag).is_some_and(|v| v == ["false"])
            || ["StringEquals", "StringLike"]
                .iter()
                .any(|op| condition(st, op, &request_tag).is_some());
        if !present {
            missing.push(format!("{request_tag} required (Null: false)"));
        }
        let only_key = ["ForAllValues:StringEquals", "ForAllValues:StringLike"]
            .iter()
            .any(|op| condition(st, op, "aws:TagKeys").is_some_and(|v| v == [TENANT]));
        if !only_key {
            missing.push(format!(
                "aws:TagKeys limited to [{TENANT}] (ForAllValues:StringEquals)"
            ));
        }
        if condition(st, "Null", "sts:TransitiveTagKeys").is_none_or(|v| v != ["true"]) {
            missing.push("transitive tags refused (Null sts:TransitiveTagKeys: true)".into());
        }
        if !missing.is_empty() {
            out.push(
                "TAP-IAM-5",
                doc.resource,
                st.path.clone(),
                format!(
                    "{}: sessions may be tagged without {}",
                    st.label(),
                    missing.join(", ")
                ),
            );
        }
    }
}

/// Does a policy string name the session's tenant (`${aws:PrincipalTag/tenant_id}`)?
fn names_session_tenant(s: &str) -> bool {
    literal(s, "*")
        .to_ascii_lowercase()
        .contains(&format!("${{aws:principaltag/{TENANT}}}"))
}

/// TAP-ISO-9: every Allow of a session-tagged role's policy is scoped by the session's tag, in
/// a resource ARN or a condition value; otherwise every session reaches every tenant alike.
fn scoped(doc: &Doc, out: &mut Out) {
    for st in doc.stmts.iter().filter(|s| s.allow) {
        let in_arn = st.resources.iter().any(|r| names_session_tenant(r));
        let in_condition = st
            .conditions
            .iter()
            .any(|c| c.values.iter().any(|v| names_session_tenant(v)));
        if !in_arn && !in_condition {
            out.push(
                "TAP-ISO-9",
                doc.resource,
                st.path.clone(),
                format!(
                    "{}: grant of a session-tagged role not scoped by ${{aws:PrincipalTag/{TENANT}}}",
                    st.label()
                ),
            );
        }
    }
}

/// TAP-COG-3: a pool's `tenant_id` attribute is immutable; TAP-COG-2: no client of such a pool
/// may write it (a client without `writeAttributes` may write every writable attribute).
fn user_pools(g: &Graph, out: &mut Out) {
    let custom = format!("custom:{TENANT}");
    let mut pools = Vec::new();
    for pool in g.of("aws:cognito:UserPool") {
        let schemas = items(pool.props.get("schemas"));
        let Some((i, attribute)) = schemas
            .iter()
            .enumerate()
            .find(|(_, s)| s.get("name").and_then(text).as_deref() == Some(TENANT))
        else {
            continue;
        };
        pools.push(pool.name);
        if as_bool(attribute.get("mutable")) != Some(false) {
            out.push(
                "TAP-COG-3",
                pool.name,
                format!("properties.schemas[{i}].mutable"),
                format!("the {TENANT} attribute can be changed after a user is created (mutable: false)"),
            );
        }
    }
    for client in g.of("aws:cognito:UserPoolClient") {
        let pool = client.props.get("userPoolId").and_then(|v| g.target(v));
        if !pool.is_some_and(|p| pools.contains(&p.name)) {
            continue;
        }
        let writes = client.props.get("writeAttributes");
        let message = match writes {
            None | Some(Value::Null) => Some(format!(
                "no writeAttributes: the client may write every writable attribute, {custom} included"
            )),
            Some(_) if items(writes).iter().filter_map(|v| text(v)).any(|a| a == custom) => {
                Some(format!("writeAttributes include {custom}"))
            }
            Some(_) => None,
        };
        if let Some(message) = message {
            out.push(
                "TAP-COG-2",
                client.name,
                "properties.writeAttributes",
                message,
            );
        }
    }
}
