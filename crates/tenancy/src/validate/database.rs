//! `[platform.database]`: the shared Aurora PostgreSQL cluster. Values are checked against
//! what the rendered cluster needs (the Data API, a provisioned writer), not only syntax.

use super::Ctx;
use crate::aws;
use crate::model::Database;
use crate::raw::RawDatabase;

/// Longest PostgreSQL identifier.
const NAME_MAX: usize = 63;
/// Databases every Aurora PostgreSQL cluster already has (or reserves for RDS).
const RESERVED_NAMES: [&str; 4] = ["postgres", "rdsadmin", "template0", "template1"];

pub(super) fn validate(ctx: &mut Ctx<'_>, raw: Option<RawDatabase>) -> Database {
    let mut db = Database::default();
    let Some(raw) = raw else { return db };
    if let Some(name) = raw.name {
        ctx.check(&name, "platform.database.name", check_name);
        db.name = name.into_inner();
    }
    if let Some(version) = raw.engine_version {
        ctx.check(
            &version,
            "platform.database.engine_version",
            aws::check_aurora_version,
        );
        db.engine_version = version.into_inner();
    }
    if let Some(class) = raw.instance_class {
        ctx.check(
            &class,
            "platform.database.instance_class",
            aws::check_aurora_class,
        );
        db.instance_class = class.into_inner();
    }
    db
}

fn check_name(n: &str) -> Result<(), String> {
    let ok = n.starts_with(|c: char| c.is_ascii_lowercase())
        && n.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && n.len() <= NAME_MAX;
    if !ok {
        return Err(format!(
            "database name \"{n}\" must be up to {NAME_MAX} lowercase letters, digits and \
             underscores, starting with a letter"
        ));
    }
    if RESERVED_NAMES.contains(&n) {
        return Err(format!(
            "database name \"{n}\" is taken by every Aurora PostgreSQL cluster; pick another"
        ));
    }
    Ok(())
}
