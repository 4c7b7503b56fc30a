//! CloudWatch log groups with bounded retention.

use program::{Expr, Handle, Program, Resource};

/// A log group named `name`, kept `retention_days`.
pub fn log_group(
    program: &mut Program,
    logical: &str,
    name: &str,
    retention_days: u32,
    tags: Expr,
) -> Handle {
    program.resource(
        logical,
        Resource::new("aws:cloudwatch:LogGroup")
            .with("name", name)
            .with("retentionInDays", retention_days)
            .with("tags", tags),
    )
}
