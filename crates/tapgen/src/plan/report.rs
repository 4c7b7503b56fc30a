//! The plan as text for people; `--format json` serialises [`Plan`] as it is.

use std::fmt::Write;

use super::{Plan, Status};

/// The stacks, the quota ledger and any advice, as aligned text.
pub fn text(plan: &Plan) -> String {
    let mut out = String::new();
    out.push_str("stacks\n");
    for stack in &plan.stacks {
        let tenants: usize = stack.tiers.values().map(|t| t.len()).sum();
        let _ = writeln!(
            out,
            "  {}: {tenants} tenants, {} resources ({} shared)",
            stack.name, stack.resources, stack.shared_resources
        );
        for (tier, counts) in &stack.tiers {
            let min = counts.values().min().copied().unwrap_or(0);
            let max = counts.values().max().copied().unwrap_or(0);
            let each = if min == max {
                format!("{min}")
            } else {
                format!("{min}-{max}")
            };
            let _ = writeln!(
                out,
                "    {tier}: {} tenants, {each} resources each",
                counts.len()
            );
        }
    }
    out.push_str("\nquota ledger (busiest instance; used / default limit)\n");
    let width = plan.ledger.iter().map(|l| l.quota.len()).max().unwrap_or(0);
    for line in &plan.ledger {
        let raise = match (line.adjustable, line.code) {
            (true, Some(code)) => format!("adjustable ({code})"),
            (true, None) => "adjustable (AWS Support)".to_string(),
            (false, _) => "hard limit".to_string(),
        };
        let status = match line.status {
            Status::Within => String::new(),
            Status::RaiseNeeded => "  REQUEST AN INCREASE".to_string(),
            Status::HardLimitExceeded => "  EXCEEDS A HARD LIMIT".to_string(),
        };
        let scope = if line.instances > 1 {
            format!("{} (of {})", line.instance, line.instances)
        } else {
            line.instance.clone()
        };
        let _ = writeln!(
            out,
            "  {:<11} {:<width$}  {:>6} / {:<6} headroom {:>6}  {raise}  [{scope}]{status}",
            line.service, line.quota, line.used, line.limit, line.headroom
        );
    }
    for advice in &plan.advice {
        let _ = writeln!(out, "\nadvice: {advice}");
    }
    out
}
