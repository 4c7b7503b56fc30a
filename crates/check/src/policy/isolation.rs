//! Tenant isolation in IAM documents.
//!
//! TAP-ISO-1: the policies of a tenant's principals (role/managed/inline policies and trust
//! policies) name only that tenant's resources or shared platform resources.
//! TAP-ISO-4: the dual, reported on the victim: no tenant's resource is named by another
//! tenant's principal policy, and no tenant's resource policy grants another tenant.

use std::collections::BTreeSet;

use serde_json::Value;

use super::doc::{Doc, Kind, Stmt};
use super::graph::{Graph, Res};
use super::value::glob;
use super::value::{pieces, refs, Piece};
use super::Out;

pub fn check(g: &Graph, docs: &[Doc], out: &mut Out) {
    let mut reported: BTreeSet<(String, String)> = BTreeSet::new();
    for doc in docs {
        match doc.kind {
            Kind::Identity | Kind::Trust => {
                for tenant in principal_tenants(g, doc) {
                    for st in doc.stmts.iter().filter(|s| s.allow) {
                        for hit in foreign(g, st, &tenant) {
                            out.push(
                                "TAP-ISO-1",
                                doc.resource,
                                &hit.path,
                                if doc.kind == Kind::Trust {
                                    format!(
                                        "{}: role of tenant {tenant} trusts {}",
                                        st.label(),
                                        hit.what
                                    )
                                } else {
                                    format!(
                                        "{}: tenant {tenant}'s principal is granted {}",
                                        st.label(),
                                        hit.what
                                    )
                                },
                            );
                            let Some(victim) = hit.victim.filter(|_| doc.kind == Kind::Identity)
                            else {
                                continue;
                            };
                            if reported.insert((victim.clone(), doc.resource.to_string())) {
                                out.push(
                                    "TAP-ISO-4",
                                    &victim,
                                    "",
                                    format!(
                                        "resource of tenant {} is granted to tenant {tenant} by {} ({})",
                                        hit.tenant, doc.resource, hit.path
                                    ),
                                );
                            }
                        }
                    }
                }
            }
            Kind::Resource => {
                let Some(owner) = g.owner(doc.resource) else {
                    continue;
                };
                for st in doc.stmts.iter().filter(|s| s.allow) {
                    for hit in foreign(g, st, owner) {
                        out.push(
                            "TAP-ISO-4",
                            doc.resource,
                            &hit.path,
                            format!(
                                "{}: resource policy of tenant {owner} grants {}",
                                st.label(),
                                hit.what
                            ),
                        );
                    }
                }
            }
        }
    }
}

/// Tenants whose principals a document applies to.
fn principal_tenants(g: &Graph, doc: &Doc) -> BTreeSet<String> {
    let mut set: BTreeSet<String> = g
        .owner(doc.resource)
        .map(str::to_string)
        .into_iter()
        .collect();
    if doc.ty == "aws:iam:Policy" {
        for referrer in g.referrers(doc.resource) {
            let Some(r) = g.get(referrer) else { continue };
            if !r.ty.ends_with("PolicyAttachment") {
                continue;
            }
            set.extend(g.owner(referrer).map(str::to_string));
            for key in ["roles", "users", "groups"] {
                if let Some(v) = r.props.get(key) {
                    set.extend(
                        g.roots_in(v)
                            .iter()
                            .filter_map(|x| g.owner(x.name))
                            .map(str::to_string),
                    );
                }
            }
        }
    }
    set
}

struct Hit {
    path: String,
    /// The other tenant's resource named, when there is one.
    victim: Option<String>,
    tenant: String,
    what: String,
}

/// Everything in an Allow statement that belongs to a tenant other than `tenant`.
fn foreign(g: &Graph, st: &Stmt, tenant: &str) -> Vec<Hit> {
    let mut fields: Vec<(String, &str, Option<&str>)> = Vec::new();
    if !st.not_resource {
        fields.extend(
            st.resources
                .iter()
                .enumerate()
                .map(|(i, r)| (format!("{}.Resource[{i}]", st.path), r.as_str(), None)),
        );
    }
    fields.extend(
        st.principals
            .iter()
            .enumerate()
            .map(|(i, (k, v))| (format!("{}.Principal.{k}[{i}]", st.path), v.as_str(), None)),
    );
    for c in &st.conditions {
        let path = format!("{}.Condition.{}.{}", st.path, c.op, c.key);
        fields.extend(
            c.values
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("{path}[{i}]"), v.as_str(), Some(c.key.as_str()))),
        );
    }
    let mut hits = Vec::new();
    for (path, s, cond_key) in fields {
        for (root, _) in refs(s) {
            if let Some(u) = g
                .get(root)
                .and_then(|_| g.owner(root))
                .filter(|u| *u != tenant)
            {
                let what = format!("{root} of tenant {u}");
                hits.push(Hit {
                    path: path.clone(),
                    victim: Some(root.to_string()),
                    tenant: u.to_string(),
                    what,
                });
            }
        }
        if let Some(pat) = arn_pattern(g, s).filter(|_| !own_tag_only(st, tenant)) {
            for victim in g.all() {
                let Some(u) = g.owner(victim.name).filter(|u| *u != tenant) else {
                    continue;
                };
                if physical_arns(victim)
                    .iter()
                    .any(|(svc, res)| arn_matches(&pat, svc, res))
                {
                    let what = format!("`{s}`, which matches {} of tenant {u}", victim.name);
                    hits.push(Hit {
                        path: path.clone(),
                        victim: Some(victim.name.to_string()),
                        tenant: u.to_string(),
                        what,
                    });
                }
            }
        }
        if cond_key.is_some_and(|k| k.to_ascii_lowercase().ends_with("/tenant_id"))
            && !s.contains('$')
        {
            for u in g.tenants().iter().filter(|u| *u != tenant) {
                if glob(s, u, false) {
                    let what = format!(
                        "a {} condition matching tenant {u}",
                        cond_key.unwrap_or_default()
                    );
                    hits.push(Hit {
                        path: path.clone(),
                        victim: None,
                        tenant: u.clone(),
                        what,
                    });
                }
            }
        }
    }
    hits
}

/// Does the statement only hold for resources tagged as `tenant`'s (`aws:ResourceTag/tenant_id`
/// equal to the tenant, or to `${aws:PrincipalTag/tenant_id}` of a principal that is the
/// tenant's)? Then an ARN pattern (`key/*`, `secret:*`) reaches no other tenant's resource.
fn own_tag_only(st: &Stmt, tenant: &str) -> bool {
    st.conditions.iter().any(|c| {
        c.op.eq_ignore_ascii_case("StringEquals")
            && c.key.eq_ignore_ascii_case("aws:ResourceTag/tenant_id")
            && !c.values.is_empty()
            && c.values.iter().all(|v| {
                let v = super::value::literal(v, "*");
                v == tenant || v.eq_ignore_ascii_case("${aws:PrincipalTag/tenant_id}")
            })
    })
}

/// A literal ARN (pattern) in a policy, with references to variables/config read as `*` and
/// references to declared resources read as unmatchable (those are judged by ownership).
fn arn_pattern(g: &Graph, s: &str) -> Option<String> {
    let pat: String = pieces(s)
        .into_iter()
        .map(|p| match p {
            Piece::Lit(l) => l,
            Piece::Ref { root, .. } if g.get(root).is_some() => "\u{0}".to_string(),
            Piece::Ref { .. } => "*".to_string(),
        })
        .collect();
    (pat.starts_with("arn:") && !pat.contains('\u{0}')).then_some(pat)
}

fn arn_matches(pattern: &str, service: &str, resource: &str) -> bool {
    let parts: Vec<&str> = pattern.splitn(6, ':').collect();
    parts.len() == 6 && glob(parts[2], service, true) && glob(parts[5], resource, false)
}

/// `(service, resource part)` of the ARNs a resource will have, from its literal names.
pub fn physical_arns(r: &Res) -> Vec<(&'static str, String)> {
    let name = |k: &str| {
        r.props
            .get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.contains('$'))
            .map(str::to_string)
    };
    let (service, key, forms): (&str, &str, &[&str]) = match r.ty.as_str() {
        "aws:s3:Bucket" => ("s3", "bucket", &["{}", "{}/object"]),
        "aws:secretsmanager:Secret" => ("secretsmanager", "name", &["secret:{}-AbCdEf"]),
        "aws:cloudwatch:LogGroup" => (
            "logs",
            "name",
            &["log-group:{}", "log-group:{}:log-stream:s"],
        ),
        "aws:dynamodb:Table" => (
            "dynamodb",
            "name",
            &["table/{}", "table/{}/index/i", "table/{}/stream/s"],
        ),
        "aws:kms:Alias" => ("kms", "name", &["{}"]),
        "aws:lambda:Function" => ("lambda", "name", &["function:{}", "function:{}:1"]),
        "aws:elasticache:ReplicationGroup" => (
            "elasticache",
            "replicationGroupId",
            &["replicationgroup:{}"],
        ),
        "aws:elasticache:User" => ("elasticache", "userId", &["user:{}"]),
        "aws:iam:Role" => ("iam", "name", &["role/{}"]),
        "aws:iam:Policy" => ("iam", "name", &["policy/{}"]),
        "aws:sqs:Queue" => ("sqs", "name", &["{}"]),
        "aws:sns:Topic" => ("sns", "name", &["{}"]),
        "aws:ecs:TaskDefinition" => ("ecs", "family", &["task-definition/{}:1"]),
        "aws:ssm:Parameter" => {
            return name("name")
                .map(|n| vec![("ssm", format!("parameter/{}", n.trim_start_matches('/')))])
                .unwrap_or_default()
        }
        _ => return Vec::new(),
    };
    let Some(n) = name(key) else {
        return Vec::new();
    };
    forms
        .iter()
        .map(|f| (service, f.replace("{}", &n)))
        .collect()
}
