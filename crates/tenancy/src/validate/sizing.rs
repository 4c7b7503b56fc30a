//! Sizing layers: built-in defaults ← `platform.defaults` ← `tenants[i].overrides`.
//!
//! Each layer is checked as merged, but an error is only reported by the layer that set
//! one of the values involved, so a bad default is reported once, at the default, and not
//! again for every tenant.

use std::ops::Range;

use toml::Spanned;

use super::Ctx;
use crate::aws;
use crate::model::Sizing;
use crate::raw::RawSizing;

/// One merged value and, if this layer set it, where.
#[derive(Clone)]
struct Value {
    value: u32,
    key: &'static str,
    span: Option<Range<usize>>,
}

/// Merges `layer` over `base`, checks the result and records errors under `prefix`
/// (e.g. `platform.defaults`); `who` prefixes messages (e.g. `tenant "acme": `).
pub(super) fn merge(
    ctx: &mut Ctx<'_>,
    base: Sizing,
    layer: Option<&RawSizing>,
    prefix: &str,
    who: &str,
) -> Sizing {
    let pick =
        |key, base: u32, raw: Option<&Option<Spanned<u32>>>| match raw.and_then(Option::as_ref) {
            Some(v) => Value {
                value: *v.get_ref(),
                key,
                span: Some(v.span()),
            },
            None => Value {
                value: base,
                key,
                span: None,
            },
        };
    let cpu = pick("cpu", base.cpu, layer.map(|l| &l.cpu));
    let memory = pick("memory", base.memory, layer.map(|l| &l.memory));
    let desired = pick(
        "desired_count",
        base.desired_count,
        layer.map(|l| &l.desired_count),
    );
    let min = pick("min_tasks", base.min_tasks, layer.map(|l| &l.min_tasks));
    let max = pick("max_tasks", base.max_tasks, layer.map(|l| &l.max_tasks));
    let target = pick(
        "cpu_target_percent",
        base.cpu_target_percent,
        layer.map(|l| &l.cpu_target_percent),
    );
    let retention = pick(
        "log_retention_days",
        base.log_retention_days,
        layer.map(|l| &l.log_retention_days),
    );

    let mut report = |involved: &[&Value], message: String| {
        // The first value this layer set is where the user has to look.
        if let Some(v) = involved.iter().find(|v| v.span.is_some()) {
            if let Some(span) = v.span.clone() {
                ctx.error(
                    span,
                    format!("{prefix}.{}", v.key),
                    format!("{who}{message}"),
                );
            }
        }
    };

    match aws::fargate_memory(cpu.value) {
        None => report(
            &[&cpu],
            format!(
                "cpu {} is not a Fargate size; allowed: {}",
                cpu.value,
                aws::FARGATE_CPU.map(|c| c.to_string()).join(", ")
            ),
        ),
        Some(choices) if !choices.contains(&memory.value) => report(
            &[&memory, &cpu],
            format!(
                "memory {} MiB does not fit cpu {}: Fargate allows {} MiB with it",
                memory.value,
                cpu.value,
                aws::describe_memory(&choices)
            ),
        ),
        Some(_) => {}
    }
    if min.value > max.value {
        report(
            &[&min, &max],
            format!(
                "min_tasks ({}) is greater than max_tasks ({})",
                min.value, max.value
            ),
        );
    } else if !(min.value..=max.value).contains(&desired.value) {
        report(
            &[&desired, &min, &max],
            format!(
                "desired_count ({}) is outside min_tasks..max_tasks ({}..{})",
                desired.value, min.value, max.value
            ),
        );
    }
    if !(1..=100).contains(&target.value) {
        report(
            &[&target],
            format!("cpu_target_percent is 1 to 100, not {}", target.value),
        );
    }
    if !aws::LOG_RETENTION_DAYS.contains(&retention.value) {
        report(
            &[&retention],
            format!(
                "CloudWatch does not accept {} days; allowed: {}",
                retention.value,
                aws::LOG_RETENTION_DAYS.map(|d| d.to_string()).join(", ")
            ),
        );
    }
    Sizing {
        cpu: cpu.value,
        memory: memory.value,
        desired_count: desired.value,
        min_tasks: min.value,
        max_tasks: max.value,
        cpu_target_percent: target.value,
        log_retention_days: retention.value,
    }
}
