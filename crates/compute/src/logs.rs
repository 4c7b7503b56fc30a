//! CloudWatch log groups with bounded retention, optionally under a customer managed key.

use program::{Expr, Handle, Program, Resource};

/// A log group named `name`, kept `retention_days`.
pub fn log_group(
    program: &mut Program,
    logical: &str,
    name: &str,
    retention_days: u32,
    tags: Expr,
) -> Handle {
    declare(program, logical, name, retention_days, None, tags)
}

/// A log group encrypted with `key`. The key's policy must let CloudWatch Logs use it for
/// this group (`data::tenant_key_for_logs`), or creating the group fails.
pub fn encrypted_log_group(
    program: &mut Program,
    logical: &str,
    name: &str,
    retention_days: u32,
    key: &Handle,
    tags: Expr,
) -> Handle {
    declare(
        program,
        logical,
        name,
        retention_days,
        Some(key.arn()),
        tags,
    )
}

fn declare(
    program: &mut Program,
    logical: &str,
    name: &str,
    retention_days: u32,
    key: Option<Expr>,
    tags: Expr,
) -> Handle {
    program.resource(
        logical,
        Resource::new("aws:cloudwatch:LogGroup")
            .with("name", name)
            .with("retentionInDays", retention_days)
            .with("kmsKeyId", key)
            .with("tags", tags),
    )
}
