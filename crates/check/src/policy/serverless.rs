//! Serverless: Lambda runtimes and logs (TAP-LAMBDA-1, TAP-LOG-*), DynamoDB (TAP-DDB-*) and
//! API Gateway REST APIs (TAP-APIG-*).

use serde_json::Value;

use super::graph::{Graph, Res};
use super::value::{as_bool, as_num, get_path, refs, text};
use super::Out;

pub fn check(g: &Graph, out: &mut Out) {
    for f in g.of("aws:lambda:Function") {
        if let Some(rt) = f.props.get("runtime").and_then(Value::as_str) {
            if let Some(why) = outdated_runtime(rt) {
                out.push(
                    "TAP-LAMBDA-1",
                    f.name,
                    "properties.runtime",
                    format!("runtime `{rt}` {why}"),
                );
            }
        }
        if !has_log_group(g, f) {
            out.push(
                "TAP-LOG-2",
                f.name,
                "properties.loggingConfig",
                "no declared log group (`/aws/lambda/<name>` or loggingConfig.logGroup): Lambda creates one that never expires",
            );
        }
    }
    for lg in g.of("aws:cloudwatch:LogGroup") {
        if as_num(lg.props.get("retentionInDays")).is_none_or(|d| d <= 0.0) {
            out.push(
                "TAP-LOG-1",
                lg.name,
                "properties.retentionInDays",
                "log group keeps logs forever (set retentionInDays)",
            );
        }
    }
    for t in g.of("aws:dynamodb:Table") {
        let sse = t.props.get("serverSideEncryption");
        let enabled = as_bool(sse.and_then(|s| s.get("enabled"))) == Some(true);
        let key = sse
            .and_then(|s| s.get("kmsKeyArn"))
            .and_then(text)
            .is_some_and(|k| !k.is_empty());
        if !enabled || !key {
            out.push(
                "TAP-DDB-1",
                t.name,
                "properties.serverSideEncryption",
                "table is not encrypted with a customer managed key (serverSideEncryption.enabled + kmsKeyArn)",
            );
        }
        if as_bool(get_path(t.props, "pointInTimeRecovery.enabled")) != Some(true) {
            out.push(
                "TAP-DDB-2",
                t.name,
                "properties.pointInTimeRecovery.enabled",
                "point-in-time recovery is off",
            );
        }
    }
    for m in g.of("aws:apigateway:Method") {
        method_authorization(g, m, out);
    }
    for s in g.of("aws:apigateway:Stage") {
        if get_path(s.props, "accessLogSettings.destinationArn")
            .and_then(text)
            .is_none_or(|d| d.is_empty())
        {
            out.push(
                "TAP-APIG-2",
                s.name,
                "properties.accessLogSettings",
                "stage writes no access log (accessLogSettings.destinationArn)",
            );
        }
    }
}

/// Why a Lambda runtime is not acceptable, or `None` when it is current.
///
/// Minimums: nodejs22.x, python3.12, java21, dotnet8, ruby3.3, provided.al2023. Older
/// versions are deprecated or reach end of support in 2026 (nodejs20.x: 2026-04-30;
/// Amazon Linux 2 based runtimes such as provided.al2 and java8.al2: 2026-06-30).
pub fn outdated_runtime(rt: &str) -> Option<&'static str> {
    let num = |s: &str| s.parse::<u32>().ok();
    let too_old = |have: Option<u32>, min: u32| have.is_none_or(|v| v < min);
    let deprecated =
        "is deprecated or near end of support; use a current runtime (e.g. nodejs22.x, python3.13)";
    let verdict = if let Some(v) = rt.strip_prefix("nodejs") {
        too_old(v.strip_suffix(".x").and_then(num), 22)
    } else if let Some(v) = rt.strip_prefix("python3.") {
        too_old(num(v), 12)
    } else if rt.starts_with("python") {
        true
    } else if let Some(v) = rt.strip_prefix("java") {
        too_old(num(v.split('.').next().unwrap_or(v)), 21)
    } else if let Some(v) = rt.strip_prefix("dotnet") {
        v.starts_with("core") || too_old(num(v.split('.').next().unwrap_or(v)), 8)
    } else if let Some(v) = rt.strip_prefix("ruby") {
        let mut parts = v.split('.').map(num);
        let (major, minor) = (parts.next().flatten(), parts.next().flatten());
        (major, minor) < (Some(3), Some(3))
    } else if rt.starts_with("provided") {
        rt != "provided.al2023"
    } else {
        rt.starts_with("go1")
    };
    verdict.then_some(deprecated)
}

/// TAP-LOG-2: the function's log group is declared (so its retention is ours).
fn has_log_group(g: &Graph, f: &Res) -> bool {
    let declared = |r: &Res| r.ty == "aws:cloudwatch:LogGroup";
    if get_path(f.props, "loggingConfig.logGroup")
        .and_then(|v| g.target(v))
        .is_some_and(declared)
    {
        return true;
    }
    let name = f.props.get("name").and_then(Value::as_str);
    g.of("aws:cloudwatch:LogGroup").any(|lg| {
        let Some(lg_name) = lg.props.get("name").and_then(Value::as_str) else {
            return false;
        };
        let by_name =
            name.is_some_and(|n| !n.contains('$') && lg_name == format!("/aws/lambda/{n}"));
        let by_ref = lg_name.starts_with("/aws/lambda/${")
            && refs(lg_name)
                .first()
                .is_some_and(|(root, rest)| *root == f.name && *rest == ".name");
        by_name || by_ref
    })
}

/// TAP-APIG-1: every method is authorised; CORS preflight may be open only when mocked.
fn method_authorization(g: &Graph, m: &Res, out: &mut Out) {
    let auth = m
        .props
        .get("authorization")
        .and_then(Value::as_str)
        .unwrap_or("NONE")
        .to_ascii_uppercase();
    let verb = m
        .props
        .get("httpMethod")
        .and_then(text)
        .unwrap_or_default()
        .to_ascii_uppercase();
    match auth.as_str() {
        "NONE" => {
            if verb == "OPTIONS" && mock_integration(g, m) {
                return;
            }
            out.push(
                "TAP-APIG-1",
                m.name,
                "properties.authorization",
                format!("{verb} method is open (authorization NONE); use the tenant authorizer (CUSTOM) or AWS_IAM"),
            );
        }
        "CUSTOM" | "COGNITO_USER_POOLS" if m.props.get("authorizerId").is_none() => {
            out.push(
                "TAP-APIG-1",
                m.name,
                "properties.authorizerId",
                format!("{auth} authorization without an authorizerId"),
            );
        }
        _ => {}
    }
}

fn mock_integration(g: &Graph, m: &Res) -> bool {
    let key = |r: &Res, k: &str| r.props.get(k).and_then(text);
    g.of("aws:apigateway:Integration").any(|i| {
        let by_ref = i
            .props
            .get("httpMethod")
            .and_then(|v| g.target(v))
            .is_some_and(|t| t.name == m.name);
        let by_keys = ["restApi", "resourceId", "httpMethod"]
            .iter()
            .all(|k| key(i, k).is_some() && key(i, k) == key(m, k));
        (by_ref || by_keys) && i.props.get("type").and_then(Value::as_str) == Some("MOCK")
    })
}
