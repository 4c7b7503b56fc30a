//! Tenant isolation of workloads and routing.
//!
//! TAP-ISO-5: a tenant's Lambda functions (and task definitions, when they set it) carry
//! TENANT_ID equal to their tenant tag. TAP-ISO-6: a tenant's resources reference no other
//! tenant's resources. TAP-ISO-7: a tenant's Redis ACL user is confined to the tenant's key
//! prefix and cannot run keyspace-wide commands. TAP-ISO-8: no host name is claimed by two
//! tenants on the same listener / CloudFront.

use serde_json::Value;

use super::graph::Graph;
use super::value::glob;
use super::value::{get_path, items, json_data, refs, text, walk_strings};
use super::Out;

pub fn check(g: &Graph, out: &mut Out) {
    tenant_id_env(g, out);
    cross_references(g, out);
    cache_users(g, out);
    host_claims(g, out);
}

/// TAP-ISO-5.
fn tenant_id_env(g: &Graph, out: &mut Out) {
    for f in g.of("aws:lambda:Function") {
        let Some(tenant) = g.owner(f.name) else {
            continue;
        };
        match get_path(f.props, "environment.variables.TENANT_ID").and_then(text) {
            Some(v) if v == tenant => {}
            Some(v) => out.push(
                "TAP-ISO-5",
                f.name,
                "properties.environment.variables.TENANT_ID",
                format!("function of tenant {tenant} runs with TENANT_ID={v}"),
            ),
            None => out.push(
                "TAP-ISO-5",
                f.name,
                "properties.environment.variables",
                format!("function of tenant {tenant} has no TENANT_ID environment variable"),
            ),
        }
    }
    for td in g.of("aws:ecs:TaskDefinition") {
        let Some(tenant) = g.owner(td.name) else {
            continue;
        };
        let Some(Value::Array(containers)) =
            td.props.get("containerDefinitions").and_then(json_data)
        else {
            continue;
        };
        for (i, c) in containers.iter().enumerate() {
            for (j, e) in items(c.get("environment")).into_iter().enumerate() {
                if e.get("name").and_then(Value::as_str) != Some("TENANT_ID") {
                    continue;
                }
                let value = e.get("value").and_then(text).unwrap_or_default();
                if value != tenant {
                    out.push(
                        "TAP-ISO-5",
                        td.name,
                        format!("properties.containerDefinitions[{i}].environment[{j}].value"),
                        format!("task definition of tenant {tenant} runs with TENANT_ID={value}"),
                    );
                }
            }
        }
    }
}

/// Properties judged by other isolation rules (IAM documents: ISO-1/ISO-4).
const POLICY_KEYS: &[&str] = &["policy", "assumeRolePolicy", "inlinePolicies"];
/// Types judged by TAP-ISO-3.
const SG_TYPES: &[&str] = &[
    "aws:ec2:SecurityGroup",
    "aws:ec2:SecurityGroupRule",
    "aws:vpc:SecurityGroupIngressRule",
    "aws:vpc:SecurityGroupEgressRule",
];

/// TAP-ISO-6.
fn cross_references(g: &Graph, out: &mut Out) {
    for r in g.all() {
        let Some(tenant) = g.owner(r.name) else {
            continue;
        };
        if SG_TYPES.contains(&r.ty.as_str()) {
            continue;
        }
        let Some(props) = r.props.as_object() else {
            continue;
        };
        for (key, value) in props
            .iter()
            .filter(|(k, _)| !POLICY_KEYS.contains(&k.as_str()))
        {
            walk_strings(value, &format!("properties.{key}"), &mut |path, s| {
                for (root, rest) in refs(s) {
                    let Some(u) = g.get(root).and_then(|_| g.owner(root)) else {
                        continue;
                    };
                    if u != tenant {
                        out.push(
                            "TAP-ISO-6",
                            r.name,
                            path,
                            format!(
                                "resource of tenant {tenant} references {root}{rest} of tenant {u}"
                            ),
                        );
                    }
                }
            });
        }
    }
}

/// TAP-ISO-7: key and channel patterns of a tenant's ElastiCache user start with the
/// tenant's prefix.
fn cache_users(g: &Graph, out: &mut Out) {
    const DANGEROUS: &[&str] = &[
        "+@dangerous",
        "+@admin",
        "+flushall",
        "+flushdb",
        "+keys",
        "+config",
        "+debug",
        "+acl",
    ];
    for u in g.of("aws:elasticache:User") {
        let Some(tenant) = g.owner(u.name) else {
            continue;
        };
        let access = u
            .props
            .get("accessString")
            .and_then(text)
            .unwrap_or_default();
        let tokens: Vec<String> = access
            .split_whitespace()
            .map(str::to_ascii_lowercase)
            .collect();
        let mut problems = Vec::new();
        for t in access.split_whitespace() {
            let pattern = ["%rw~", "%r~", "%w~", "~", "&"]
                .iter()
                .find_map(|p| t.to_ascii_lowercase().starts_with(p).then(|| &t[p.len()..]));
            if t.eq_ignore_ascii_case("allkeys") || t.eq_ignore_ascii_case("allchannels") {
                problems.push(t.to_ascii_lowercase());
            } else if let Some(p) = pattern {
                // `<tenant>:`, `{<tenant>}`, or System B's `t:<tenant>:`.
                let p = p.trim_start_matches('{');
                let rest = p.strip_prefix("t:").unwrap_or(p).strip_prefix(tenant);
                let bounded = rest
                    .and_then(|r| r.chars().next())
                    .is_some_and(|c| matches!(c, ':' | '}' | '/' | '.' | '|'));
                if !bounded {
                    let kind = if t.starts_with('&') { "channel" } else { "key" };
                    problems.push(format!(
                        "{kind} pattern `{t}` is not confined to `{tenant}:`"
                    ));
                }
            }
        }
        let grants_all = tokens
            .iter()
            .rposition(|t| t == "+@all" || t == "allcommands");
        let denies_dangerous = tokens.iter().rposition(|t| t == "-@dangerous");
        if grants_all.is_some() && denies_dangerous.is_none_or(|d| Some(d) < grants_all) {
            problems.push(
                "+@all without a later -@dangerous (FLUSHALL/KEYS reach other tenants' keys)"
                    .into(),
            );
        }
        problems.extend(
            tokens
                .iter()
                .filter(|t| DANGEROUS.contains(&t.as_str()))
                .map(|t| format!("grants {t}")),
        );
        if !problems.is_empty() {
            out.push(
                "TAP-ISO-7",
                u.name,
                "properties.accessString",
                format!("cache user of tenant {tenant}: {}", problems.join("; ")),
            );
        }
    }
}

struct Claim<'a> {
    scope: String,
    tenant: &'a str,
    resource: &'a str,
    path: String,
    host: String,
}

/// TAP-ISO-8: host names routed to a tenant are not routed to another tenant as well.
fn host_claims(g: &Graph, out: &mut Out) {
    let mut claims: Vec<Claim> = Vec::new();
    for r in g.of("aws:lb:ListenerRule") {
        let Some(tenant) = g.owner(r.name) else {
            continue;
        };
        let scope = r
            .props
            .get("listenerArn")
            .and_then(text)
            .unwrap_or_default();
        for (i, c) in items(r.props.get("conditions")).into_iter().enumerate() {
            for (j, h) in items(get_path(c, "hostHeader.values"))
                .into_iter()
                .enumerate()
            {
                let path = format!("properties.conditions[{i}].hostHeader.values[{j}]");
                claims.extend(text(h).map(|host| Claim {
                    scope: scope.clone(),
                    tenant,
                    resource: r.name,
                    path,
                    host,
                }));
            }
        }
    }
    for d in g.of("aws:cloudfront:Distribution") {
        let Some(tenant) = g.owner(d.name) else {
            continue;
        };
        for (j, h) in items(d.props.get("aliases")).into_iter().enumerate() {
            let path = format!("properties.aliases[{j}]");
            claims.extend(text(h).map(|host| Claim {
                scope: "cloudfront".into(),
                tenant,
                resource: d.name,
                path,
                host,
            }));
        }
    }
    for (i, a) in claims.iter().enumerate() {
        for b in &claims[i + 1..] {
            if a.scope != b.scope || a.tenant == b.tenant {
                continue;
            }
            if glob(&a.host, &b.host, true) || glob(&b.host, &a.host, true) {
                for (x, y) in [(a, b), (b, a)] {
                    out.push(
                        "TAP-ISO-8",
                        x.resource,
                        x.path.clone(),
                        format!(
                            "host `{}` of tenant {} overlaps `{}` of tenant {} ({})",
                            x.host, x.tenant, y.host, y.tenant, y.resource
                        ),
                    );
                }
            }
        }
    }
}
