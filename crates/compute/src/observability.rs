//! What watches a tenant: its own encrypted log group with saved Logs Insights queries
//! scoped to it, and alarms on the target group that serves it.
//!
//! Saved queries are budgeted: AWS keeps at most 1,000 per account and region and
//! pulumi-aws 7.51.1 cannot declare parameterised (shared) ones, so each tenant gets
//! [`QUERIES_PER_TENANT`] and no more.

use program::{list, map, Expr, Handle, Program, Resource};
use tenancy::{tags, Names, Platform, Tenant};

use crate::logs::encrypted_log_group;

/// Saved queries each tenant gets: 500 tenants use the whole regional quota of 1,000.
pub const QUERIES_PER_TENANT: usize = 2;

pub struct TenantLogs {
    pub log_group: Handle,
    pub queries: Vec<Handle>,
}

/// The tenant's application log group (`Names::tenant_log_group`), kept for the tenant's
/// retention and encrypted with `key`, whose policy must admit CloudWatch Logs for exactly
/// this group (`data::tenant_key_for_logs`); and its saved queries, each reading only it.
pub fn tenant_logs(
    program: &mut Program,
    platform: &Platform,
    tenant: &Tenant,
    key: &Handle,
) -> TenantLogs {
    let names = Names::new(platform);
    let id = &tenant.id;
    let name = names.tenant_log_group(id);
    let log_group = encrypted_log_group(
        program,
        &format!("{id}-logs"),
        &name,
        tenant.sizing.log_retention_days,
        key,
        Expr::from(&tags::tenant(platform, id, &name)),
    );
    let folder = names.query_folder(id);
    let queries = QUERIES
        .iter()
        .map(|(query, text)| {
            program.resource(
                &format!("{id}-query-{query}"),
                Resource::new("aws:cloudwatch:QueryDefinition")
                    .with("name", format!("{folder}/{query}"))
                    .with("logGroupNames", list![log_group.attr("name")])
                    .with("queryString", *text),
            )
        })
        .collect();
    TenantLogs { log_group, queries }
}

/// The saved queries: recent errors, and event volume per stream (one stream per instance)
/// to spot a noisy or silent host.
const QUERIES: [(&str, &str); QUERIES_PER_TENANT] = [
    (
        "errors",
        "fields @timestamp, @logStream, @message\n\
         | filter @message like /(?i)(error|exception|fatal)/\n\
         | sort @timestamp desc\n\
         | limit 200",
    ),
    (
        "volume",
        "stats count(*) as events by bin(5m), @logStream\n| sort events desc",
    ),
];

/// What an alarm pair watches: one target group behind one load balancer.
pub struct AlarmTarget<'a> {
    /// Logical-name prefix, e.g. `acme` (premium) or `pool` (standard tenants).
    pub logical: &'a str,
    /// `arnSuffix` of the target group and of its load balancer (the metric dimensions).
    pub target_group: Expr,
    pub load_balancer: Expr,
    /// Where state changes go (SNS topic ARNs); empty leaves them visible in CloudWatch only.
    pub actions: Vec<Expr>,
    pub tags: Expr,
}

pub struct TargetAlarms {
    pub errors: Handle,
    pub unhealthy: Handle,
}

/// Two alarms per target group: targets answering 5xx (at least 10 a minute in 3 of 5
/// minutes), and any unhealthy host for 3 minutes running. Missing data (no traffic, no
/// registered targets) is not a breach.
pub fn target_group_alarms(
    program: &mut Program,
    platform: &Platform,
    target: AlarmTarget,
) -> TargetAlarms {
    let prefix = format!(
        "{}-{}-{}",
        platform.project, platform.environment, target.logical
    );
    let dimensions = map! {
        "TargetGroup" => target.target_group,
        "LoadBalancer" => target.load_balancer,
    };
    let actions = (!target.actions.is_empty()).then_some(target.actions);
    let mut alarm = |role: &str, spec: Alarm| {
        program.resource(
            &format!("{}-alarm-{role}", target.logical),
            Resource::new("aws:cloudwatch:MetricAlarm")
                .with("name", format!("{prefix}-{role}"))
                .with("alarmDescription", spec.description)
                .with("namespace", "AWS/ApplicationELB")
                .with("metricName", spec.metric)
                .with("dimensions", dimensions.clone())
                .with("statistic", spec.statistic)
                .with("period", 60u32)
                .with("evaluationPeriods", spec.evaluation_periods)
                .with("datapointsToAlarm", 3u32)
                .with("threshold", spec.threshold)
                .with("comparisonOperator", "GreaterThanOrEqualToThreshold")
                .with("treatMissingData", "notBreaching")
                .with("alarmActions", actions.clone())
                .with("okActions", actions.clone())
                .with("tags", target.tags.clone()),
        )
    };
    let errors = alarm(
        "target-5xx",
        Alarm {
            description: "Targets answer 5xx: at least 10 a minute in 3 of the last 5 minutes",
            metric: "HTTPCode_Target_5XX_Count",
            statistic: "Sum",
            evaluation_periods: 5,
            threshold: 10,
        },
    );
    let unhealthy = alarm(
        "unhealthy-hosts",
        Alarm {
            description: "At least one target failed its health check for 3 minutes",
            metric: "UnHealthyHostCount",
            statistic: "Maximum",
            evaluation_periods: 3,
            threshold: 1,
        },
    );
    TargetAlarms { errors, unhealthy }
}

struct Alarm {
    description: &'static str,
    metric: &'static str,
    statistic: &'static str,
    evaluation_periods: u32,
    threshold: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{enterprise, render};

    #[test]
    fn a_tenant_log_group_is_encrypted_and_its_queries_read_only_it() {
        let config = enterprise();
        let mut program = Program::new();
        let key = program.resource("acme-key", Resource::new("aws:kms:Key"));
        let logs = tenant_logs(&mut program, &config.platform, &config.tenants[0], &key);
        assert_eq!(logs.queries.len(), QUERIES_PER_TENANT);
        let out = render(&program);
        let r = &out["resources"];
        let group = &r["acme-logs"]["properties"];
        assert_eq!(group["name"], "/tap-enterprise/prod/tenants/acme");
        assert_eq!(group["kmsKeyId"], "${acme-key.arn}");
        assert_eq!(group["retentionInDays"], 30);
        assert_eq!(group["tags"]["tenant_id"], "acme");
        for query in ["errors", "volume"] {
            let q = &r[format!("acme-query-{query}")]["properties"];
            assert_eq!(q["name"], format!("tap-enterprise-prod/acme/{query}"));
            assert_eq!(q["logGroupNames"], serde_json::json!(["${acme-logs.name}"]));
        }
    }

    #[test]
    fn each_target_group_gets_a_5xx_and_an_unhealthy_host_alarm_on_its_own_dimensions() {
        let config = enterprise();
        let mut program = Program::new();
        let tg = program.resource("pool-tg", Resource::new("aws:lb:TargetGroup"));
        let lb = program.resource("alb", Resource::new("aws:lb:LoadBalancer"));
        target_group_alarms(
            &mut program,
            &config.platform,
            AlarmTarget {
                logical: "pool",
                target_group: tg.attr("arnSuffix"),
                load_balancer: lb.attr("arnSuffix"),
                actions: Vec::new(),
                tags: map! { "Name" => "pool" },
            },
        );
        let out = render(&program);
        let r = &out["resources"];
        let errors = &r["pool-alarm-target-5xx"]["properties"];
        assert_eq!(errors["name"], "tap-enterprise-prod-pool-target-5xx");
        assert_eq!(errors["metricName"], "HTTPCode_Target_5XX_Count");
        let unhealthy = &r["pool-alarm-unhealthy-hosts"]["properties"];
        assert_eq!(unhealthy["metricName"], "UnHealthyHostCount");
        assert_eq!(unhealthy["threshold"], 1);
        for alarm in [errors, unhealthy] {
            assert_eq!(
                alarm["dimensions"],
                serde_json::json!({
                    "TargetGroup": "${pool-tg.arnSuffix}",
                    "LoadBalancer": "${alb.arnSuffix}",
                })
            );
            assert_eq!(alarm["namespace"], "AWS/ApplicationELB");
        }
    }
}
