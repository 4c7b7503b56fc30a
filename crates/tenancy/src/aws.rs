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
    fn tags() {
        assert_eq!(check_tag_text("cost_center", "key", TAG_KEY_MAX), Ok(()));
        assert!(check_tag_text("a{b}", "key", TAG_KEY_MAX).is_err());
        assert!(check_tag_text(&"v".repeat(257), "value", TAG_VALUE_MAX).is_err());
    }
}
