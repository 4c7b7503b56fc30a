//! AWS service facts the config is checked against, kept in one place so the schema and
//! the validation cannot drift apart.

/// Fargate CPU units and the task memory (MiB) each one accepts.
pub const FARGATE_CPU: [u32; 5] = [256, 512, 1024, 2048, 4096];

/// Memory sizes Fargate accepts for `cpu`, or `None` if `cpu` is not a Fargate size.
pub fn fargate_memory(cpu: u32) -> Option<Vec<u32>> {
    let (min, max) = match cpu {
        256 => return Some(vec![512, 1024, 2048]),
        512 => (1024, 4096),
        1024 => (2048, 8192),
        2048 => (4096, 16384),
        4096 => (8192, 30720),
        _ => return None,
    };
    Some((min..=max).step_by(1024).collect())
}

/// Human-readable form of [`fargate_memory`] for messages.
pub fn describe_memory(choices: &[u32]) -> String {
    match choices {
        [first, second, .., last] if second - first == 1024 => {
            format!("{first}..{last} in steps of 1024")
        }
        _ => choices
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Retention periods CloudWatch Logs accepts (PutRetentionPolicy), in days.
pub const LOG_RETENTION_DAYS: [u32; 22] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];

/// Tags AWS allows on one resource.
pub const TAGS_PER_RESOURCE: usize = 50;
/// Longest tag key.
pub const TAG_KEY_MAX: usize = 128;
/// Longest tag value.
pub const TAG_VALUE_MAX: usize = 256;

/// Checks a tag key or value: length and the character set AWS allows in both
/// (letters, digits, spaces and `_ . : / = + - @`).
pub fn check_tag_text(text: &str, what: &str, max: usize) -> Result<(), String> {
    let len = text.chars().count();
    if len > max {
        return Err(format!("tag {what} is {len} characters (limit {max})"));
    }
    match text
        .chars()
        .find(|c| !(c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@".contains(*c)))
    {
        Some(c) => Err(format!(
            "tag {what} \"{text}\" has {c:?}; allowed are letters, digits, spaces and _ . : / = + - @"
        )),
        None => Ok(()),
    }
}

/// Checks region syntax (`us-east-1`, `us-gov-west-1`, `ap-southeast-2`), not that the
/// region exists, so new regions need no release.
pub fn check_region(region: &str) -> Result<(), String> {
    let parts: Vec<&str> = region.split('-').collect();
    let letters = |p: &&str| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase());
    let ok = match parts.as_slice() {
        [geo, middle @ .., number] => {
            geo.len() == 2
                && letters(geo)
                && (1..=2).contains(&middle.len())
                && middle.iter().all(letters)
                && (1..=2).contains(&number.len())
                && number.chars().all(|c| c.is_ascii_digit())
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "\"{region}\" is not an AWS region name like us-east-1 or eu-central-2"
        ))
    }
}

/// Aurora PostgreSQL majors tapgen renders, each with the first minor on which the RDS Data
/// API works on a provisioned cluster (the db-init function and the RLS setup use it):
/// AWS-QUOTAS.md §12, from the Aurora feature-by-region table.
pub const AURORA_POSTGRES: [(u32, u32); 4] = [(14, 8), (15, 3), (16, 1), (17, 4)];

/// Aurora PostgreSQL instance class families accepted for the writer: memory-optimised
/// classes the engine supports on every major above. T classes are left out (the Data API
/// refuses them) and so is db.serverless (it needs a scaling configuration tapgen does
/// not render).
pub const AURORA_CLASS_FAMILIES: [&str; 5] = ["r5", "r6g", "r6i", "r7g", "x2g"];

/// Instance sizes of those families.
pub const INSTANCE_SIZES: [&str; 10] = [
    "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge",
    "32xlarge", "48xlarge",
];

/// ElastiCache node families for Redis OSS 6.2 and later with in-transit encryption (which
/// the per-tenant users need); data-tiering `r6gd` is left out (it needs its own settings).
pub const CACHE_NODE_FAMILIES: [&str; 8] = ["m5", "m6g", "m7g", "r5", "r6g", "r7g", "t3", "t4g"];
/// Sizes of the burstable `t` cache families; the others take [`INSTANCE_SIZES`].
pub const CACHE_T_SIZES: [&str; 3] = ["micro", "small", "medium"];

/// Redis OSS versions ElastiCache accepts as MAJOR.MINOR with users and user groups (RBAC).
pub const REDIS_VERSIONS: [&str; 3] = ["6.2", "7.0", "7.1"];

/// Checks an Aurora PostgreSQL `MAJOR.MINOR` version against [`AURORA_POSTGRES`].
pub fn check_aurora_version(version: &str) -> Result<(), String> {
    let parsed = version
        .split_once('.')
        .and_then(|(major, minor)| Some((major.parse::<u32>().ok()?, minor.parse::<u32>().ok()?)));
    let supported = AURORA_POSTGRES
        .map(|(major, minor)| format!("{major}.{minor}+"))
        .join(", ");
    let Some((major, minor)) = parsed.filter(|_| !version.contains(['+', '-', ' '])) else {
        return Err(format!(
            "engine_version \"{version}\" must be MAJOR.MINOR like 15.12"
        ));
    };
    match AURORA_POSTGRES.iter().find(|(m, _)| *m == major) {
        None => Err(format!(
            "Aurora PostgreSQL {major} is not supported; use one of {supported}"
        )),
        Some((_, first)) if minor < *first => Err(format!(
            "Aurora PostgreSQL {version} has no RDS Data API on provisioned clusters (needs \
             {major}.{first} or later); use one of {supported}"
        )),
        Some(_) => Ok(()),
    }
}

/// Checks `db.FAMILY.SIZE` against [`AURORA_CLASS_FAMILIES`] and [`INSTANCE_SIZES`].
pub fn check_aurora_class(class: &str) -> Result<(), String> {
    let families = AURORA_CLASS_FAMILIES.join(", ");
    let parts = class
        .strip_prefix("db.")
        .and_then(|rest| rest.split_once('.'));
    let Some((family, size)) = parts else {
        return Err(format!(
            "instance_class \"{class}\" must be an RDS class like db.r6g.large"
        ));
    };
    if family.starts_with('t') || family == "serverless" {
        return Err(format!(
            "instance_class \"{class}\": burstable and serverless classes are not rendered \
             (the Data API refuses T classes; Serverless v2 needs a scaling configuration); use \
             db.FAMILY.SIZE with FAMILY one of {families}"
        ));
    }
    if !AURORA_CLASS_FAMILIES.contains(&family) || !INSTANCE_SIZES.contains(&size) {
        return Err(format!(
            "instance_class \"{class}\" is not an Aurora PostgreSQL class tapgen renders: \
             db.FAMILY.SIZE with FAMILY one of {families} and SIZE one of {}",
            INSTANCE_SIZES.join(", ")
        ));
    }
    Ok(())
}

/// Checks `cache.FAMILY.SIZE` against [`CACHE_NODE_FAMILIES`].
pub fn check_cache_node_type(node_type: &str) -> Result<(), String> {
    let families = CACHE_NODE_FAMILIES.join(", ");
    let parts = node_type
        .strip_prefix("cache.")
        .and_then(|rest| rest.split_once('.'));
    let Some((family, size)) = parts else {
        return Err(format!(
            "node_type \"{node_type}\" must be an ElastiCache type like cache.r6g.large"
        ));
    };
    let sizes: &[&str] = if family.starts_with('t') {
        &CACHE_T_SIZES
    } else {
        &INSTANCE_SIZES
    };
    if CACHE_NODE_FAMILIES.contains(&family) && sizes.contains(&size) {
        Ok(())
    } else {
        Err(format!(
            "node_type \"{node_type}\" is not an ElastiCache node type for Redis OSS with \
             encryption in transit: cache.FAMILY.SIZE with FAMILY one of {families} (sizes \
             {} for t3 and t4g)",
            CACHE_T_SIZES.join(", ")
        ))
    }
}

/// Checks a Redis OSS version against [`REDIS_VERSIONS`].
pub fn check_redis_version(version: &str) -> Result<(), String> {
    if REDIS_VERSIONS.contains(&version) {
        return Ok(());
    }
    let major = version
        .split('.')
        .next()
        .and_then(|m| m.parse::<u32>().ok());
    let why = match major {
        Some(m) if m < 6 => "is too old: per-tenant cache users (RBAC) need Redis 6.2 or later",
        Some(6) => {
            "is too old: the tenant access strings confine pub/sub channels (`&` patterns), \
             which need Redis 6.2"
        }
        Some(_) => "is not a Redis OSS version ElastiCache offers",
        None => "must be MAJOR.MINOR like 7.1",
    };
    Err(format!(
        "engine_version \"{version}\" {why}; use one of {}",
        REDIS_VERSIONS.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fargate_pairs_match_the_documented_table() {
        assert_eq!(fargate_memory(256), Some(vec![512, 1024, 2048]));
        assert_eq!(fargate_memory(512), Some(vec![1024, 2048, 3072, 4096]));
        assert_eq!(
            fargate_memory(4096).map(|m| (m[0], m[m.len() - 1])),
            Some((8192, 30720))
        );
        assert_eq!(fargate_memory(300), None);
        assert!(FARGATE_CPU.iter().all(|c| fargate_memory(*c).is_some()));
        assert_eq!(describe_memory(&[512, 1024, 2048]), "512, 1024, 2048");
        assert_eq!(
            describe_memory(&fargate_memory(1024).unwrap_or_default()),
            "2048..8192 in steps of 1024"
        );
    }

    #[test]
    fn regions() {
        for ok in [
            "us-east-1",
            "eu-central-2",
            "ap-southeast-1",
            "us-gov-west-1",
        ] {
            assert_eq!(check_region(ok), Ok(()), "{ok}");
        }
        for bad in [
            "us-east",
            "useast1",
            "US-EAST-1",
            "us-east-123",
            "u-east-1",
            "",
        ] {
            assert!(check_region(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn engine_facts() {
        assert_eq!(check_aurora_version("15.12"), Ok(()));
        assert_eq!(check_aurora_version("16.1"), Ok(()));
        for bad in ["15.2", "12.9", "15", "15.x", "abc"] {
            assert!(check_aurora_version(bad).is_err(), "{bad}");
        }
        assert_eq!(check_aurora_class("db.r6g.large"), Ok(()));
        for bad in [
            "db.t4g.medium",
            "db.serverless",
            "db.r6g.huge",
            "db.m1.large",
            "r6g.large",
        ] {
            assert!(check_aurora_class(bad).is_err(), "{bad}");
        }
        assert_eq!(check_cache_node_type("cache.t4g.micro"), Ok(()));
        assert_eq!(check_cache_node_type("cache.m7g.large"), Ok(()));
        for bad in [
            "cache.t4g.large",
            "cache.r6gd.xlarge",
            "r6g.large",
            "cache.x9.large",
        ] {
            assert!(check_cache_node_type(bad).is_err(), "{bad}");
        }
        assert_eq!(check_redis_version("7.1"), Ok(()));
        assert!(check_redis_version("5.0").unwrap_err().contains("too old"));
        assert!(check_redis_version("6.0").is_err());
        assert!(check_redis_version("8.0")
            .unwrap_err()
            .contains("not a Redis OSS version"));
    }

    #[test]
    fn tags() {
        assert_eq!(check_tag_text("cost_center", "key", TAG_KEY_MAX), Ok(()));
        assert!(check_tag_text("a{b}", "key", TAG_KEY_MAX).is_err());
        assert!(check_tag_text(&"v".repeat(257), "value", TAG_VALUE_MAX).is_err());
    }
}
