//! IAM policy documents found in the program, normalised into statements.
//!
//! A document may be written as `{fn::toJSON: {...}}`, as a JSON string, as plain data, or
//! as an `aws:iam:getPolicyDocument` invoke (inline or through a variable).

use serde_json::{json, Map, Value};

use super::graph::{Graph, Res};
use super::value::{glob, items, join, lit, normalize_type, refs, text};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Attached to a principal (role/user/group policies, managed policies, inline policies).
    Identity,
    /// A role's `assumeRolePolicy`.
    Trust,
    /// Attached to a resource (bucket, key, secret, API, ... policies).
    Resource,
}

pub struct Doc<'a> {
    /// Logical name of the resource carrying the document.
    pub resource: &'a str,
    pub ty: String,
    pub kind: Kind,
    pub stmts: Vec<Stmt>,
}

#[derive(Debug, Clone, Default)]
pub struct Stmt {
    /// Path of the statement inside the resource, e.g. `properties.policy.Statement[1]`.
    pub path: String,
    pub sid: String,
    pub allow: bool,
    pub actions: Vec<String>,
    pub not_action: bool,
    pub resources: Vec<String>,
    pub not_resource: bool,
    /// `(kind, value)`, e.g. `("Service", "lambda.amazonaws.com")`; `"*"` → `("*", "*")`.
    pub principals: Vec<(String, String)>,
    pub not_principal: bool,
    pub conditions: Vec<Cond>,
}

#[derive(Debug, Clone)]
pub struct Cond {
    pub op: String,
    pub key: String,
    pub values: Vec<String>,
}

impl Stmt {
    /// `Principal: "*"` or `{AWS: "*"}`: anyone.
    pub fn any_principal(&self) -> bool {
        self.principals
            .iter()
            .any(|(k, v)| v == "*" && (k == "*" || k == "AWS"))
    }

    /// The label used in messages: `Statement[1] (DenyOtherTenants)`.
    pub fn label(&self) -> String {
        let index = self.path.rsplit('.').next().unwrap_or(&self.path);
        if self.sid.is_empty() {
            index.to_string()
        } else {
            format!("{index} ({})", self.sid)
        }
    }
}

const IDENTITY_TYPES: &[&str] = &[
    "aws:iam:RolePolicy",
    "aws:iam:Policy",
    "aws:iam:UserPolicy",
    "aws:iam:GroupPolicy",
];

/// Every policy document in the program.
pub fn collect<'a>(g: &Graph<'a>) -> Vec<Doc<'a>> {
    let mut out = Vec::new();
    for r in g.all() {
        let policy_kind = if IDENTITY_TYPES.contains(&r.ty.as_str()) {
            Kind::Identity
        } else {
            Kind::Resource
        };
        if let Some(v) = r.props.get("policy") {
            push(g, r, v, "properties.policy", policy_kind, &mut out);
        }
        if r.ty == "aws:iam:Role" {
            if let Some(v) = r.props.get("assumeRolePolicy") {
                push(
                    g,
                    r,
                    v,
                    "properties.assumeRolePolicy",
                    Kind::Trust,
                    &mut out,
                );
            }
            for (i, inline) in items(r.props.get("inlinePolicies")).into_iter().enumerate() {
                if let Some(v) = inline.get("policy") {
                    push(
                        g,
                        r,
                        v,
                        &format!("properties.inlinePolicies[{i}].policy"),
                        Kind::Identity,
                        &mut out,
                    );
                }
            }
        }
    }
    out
}

fn push<'a>(g: &Graph<'a>, r: &Res<'a>, v: &Value, path: &str, kind: Kind, out: &mut Vec<Doc<'a>>) {
    if let Some(doc) = document(g, v, 0) {
        if doc.get("Statement").is_some() {
            let stmts = statements(&doc, path);
            out.push(Doc {
                resource: r.name,
                ty: r.ty.clone(),
                kind,
                stmts,
            });
        }
    }
}

/// The policy document a property value denotes, as plain JSON data.
pub fn document(g: &Graph, v: &Value, depth: usize) -> Option<Value> {
    let v = lit(v);
    if depth > 4 {
        return None;
    }
    if let Some(inner) = v.get("fn::toJSON") {
        return Some(lit(inner).clone());
    }
    if let Some(call) = v.get("fn::invoke") {
        return invoked_document(call);
    }
    match v {
        Value::String(s) => {
            let r = refs(s);
            let whole = r.len() == 1 && s.trim().starts_with("${") && s.trim().ends_with('}');
            if whole {
                if let Some(var) = g.variable(r[0].0) {
                    return document(g, var, depth + 1);
                }
            }
            serde_json::from_str(s).ok()
        }
        Value::Object(_) => Some(v.clone()),
        _ => None,
    }
}

/// `aws:iam:getPolicyDocument` arguments → the JSON policy it returns.
fn invoked_document(call: &Value) -> Option<Value> {
    let function = normalize_type(call.get("function")?.as_str()?);
    if function != "aws:iam:getPolicyDocument" {
        return None;
    }
    let mut statements = Vec::new();
    for s in items(call.get("arguments").and_then(|a| a.get("statements"))) {
        let mut st = Map::new();
        st.insert(
            "Effect".into(),
            s.get("effect").cloned().unwrap_or_else(|| json!("Allow")),
        );
        for (from, to) in [
            ("sid", "Sid"),
            ("actions", "Action"),
            ("notActions", "NotAction"),
            ("resources", "Resource"),
            ("notResources", "NotResource"),
        ] {
            if let Some(x) = s.get(from) {
                st.insert(to.into(), x.clone());
            }
        }
        for (from, to) in [
            ("principals", "Principal"),
            ("notPrincipals", "NotPrincipal"),
        ] {
            let mut p = Map::new();
            for pr in items(s.get(from)) {
                let kind = pr.get("type").and_then(Value::as_str).unwrap_or("AWS");
                if kind == "*" {
                    p.insert("AWS".into(), json!("*"));
                } else {
                    p.insert(
                        kind.into(),
                        pr.get("identifiers").cloned().unwrap_or(Value::Null),
                    );
                }
            }
            if !p.is_empty() {
                st.insert(to.into(), Value::Object(p));
            }
        }
        let mut cond: Map<String, Value> = Map::new();
        for c in items(s.get("conditions")) {
            let (Some(test), Some(var)) = (
                c.get("test").and_then(Value::as_str),
                c.get("variable").and_then(Value::as_str),
            ) else {
                continue;
            };
            let entry = cond.entry(test.to_string()).or_insert_with(|| json!({}));
            if let Some(m) = entry.as_object_mut() {
                m.insert(var.into(), c.get("values").cloned().unwrap_or(Value::Null));
            }
        }
        if !cond.is_empty() {
            st.insert("Condition".into(), Value::Object(cond));
        }
        statements.push(Value::Object(st));
    }
    Some(json!({ "Version": "2012-10-17", "Statement": statements }))
}

/// Statements of a document, with their paths under `base`.
pub fn statements(doc: &Value, base: &str) -> Vec<Stmt> {
    let list: Vec<&Value> = match doc.get("Statement").map(lit) {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => Vec::new(),
    };
    list.into_iter()
        .enumerate()
        .map(|(i, s)| {
            let s = lit(s);
            let mut st = Stmt {
                path: join(base, &format!("Statement[{i}]")),
                sid: s
                    .get("Sid")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                allow: s
                    .get("Effect")
                    .and_then(Value::as_str)
                    .is_none_or(|e| e.eq_ignore_ascii_case("allow")),
                ..Stmt::default()
            };
            st.not_action = s.get("NotAction").is_some();
            st.actions = strings(s.get("Action").or_else(|| s.get("NotAction")));
            st.not_resource = s.get("NotResource").is_some();
            st.resources = strings(s.get("Resource").or_else(|| s.get("NotResource")));
            st.not_principal = s.get("NotPrincipal").is_some();
            match s
                .get("Principal")
                .or_else(|| s.get("NotPrincipal"))
                .map(lit)
            {
                Some(Value::String(p)) => st.principals.push(("*".into(), p.clone())),
                Some(Value::Object(m)) => {
                    for (k, v) in m {
                        st.principals
                            .extend(strings(Some(v)).into_iter().map(|x| (k.clone(), x)));
                    }
                }
                _ => {}
            }
            if let Some(Value::Object(ops)) = s.get("Condition").map(lit) {
                for (op, keys) in ops {
                    if let Some(keys) = lit(keys).as_object() {
                        for (key, values) in keys {
                            st.conditions.push(Cond {
                                op: op.clone(),
                                key: key.clone(),
                                values: strings(Some(values)),
                            });
                        }
                    }
                }
            }
            st
        })
        .collect()
}

/// A string-or-list field as strings (numbers and booleans stringified).
pub fn strings(v: Option<&Value>) -> Vec<String> {
    items(v).into_iter().filter_map(text).collect()
}

/// Does an action pattern list (Action, or the complement of NotAction) grant `action`?
pub fn covers_action(st: &Stmt, action: &str) -> bool {
    let hit = st.actions.iter().any(|a| glob(a, action, true));
    if st.not_action {
        !hit
    } else {
        hit
    }
}
