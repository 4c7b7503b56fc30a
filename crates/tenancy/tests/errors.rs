//! Every error kind is reported at the right `file:line:column` and field, and one run
//! collects all of them.

use std::path::Path;

/// A valid config; tests edit one line of it (1-based line numbers noted below).
const BASE: &str = r#"[platform]
system = "ecs-fargate"
project = "saas-platform"
environment = "dev"
region = "us-east-1"
vpc_cidr = "10.0.0.0/16"
base_domain = "example.com"

[platform.defaults]
cpu = 1024
memory = 2048

[[tenants]]
id = "acme-corp"
tier = "standard"

[[tenants]]
id = "globex-inc"
tier = "premium"
"#;

fn fixtures() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures"))
}

/// Parses `text` and returns the errors as displayed.
fn errors(text: &str) -> Vec<String> {
    match tenancy::parse(text, "t.toml", fixtures()) {
        Ok(_) => panic!("expected errors for:\n{text}"),
        Err(e) => e.0.iter().map(ToString::to_string).collect(),
    }
}

fn edit(old: &str, new: &str) -> String {
    assert_eq!(BASE.matches(old).count(), 1, "{old}");
    BASE.replace(old, new)
}

#[test]
fn base_is_valid() {
    assert!(tenancy::parse(BASE, "t.toml", fixtures()).is_ok());
}

#[test]
fn toml_syntax_errors_name_the_table_and_key() {
    let text = edit("tier = \"premium\"", "tier = premium\nid = 7");
    assert_eq!(
        errors(&text),
        [
            "t.toml:19:8: toml: syntax error in [[tenants]] #2: string values must be quoted, \
             expected literal string",
            "t.toml:20:1: tenants[1].id: duplicate key `id` in [[tenants]] #2: each key appears \
             once per table (remove one, or start a new table)"
        ]
    );
}

const PLATFORM_KEYS: &str = "`system`, `project`, `description`, `environment`, `region`, \
    `vpc_cidr`, `az_count`, `base_domain`, `tags`, `defaults`, `database`, `auth`, `layout`, \
    `cells`, `fleet`, `cache`";

#[test]
fn unknown_keys_name_the_key_the_table_and_the_nearest_key() {
    assert_eq!(
        errors(&edit("region =", "regoin =")),
        [format!(
            "t.toml:5:1: platform.regoin: unknown field `regoin` in [platform]; did you mean \
             `region`? (known keys: {PLATFORM_KEYS})"
        )]
    );
    assert_eq!(
        errors(&edit(
            "tier = \"standard\"",
            "tier = \"standard\"\ncolor = 1"
        )),
        [
            "t.toml:16:1: tenants[0].color: tenant \"acme-corp\": unknown field `color` in \
             [[tenants]] #1 (known keys: `id`, `tier`, `domains`, `overrides`, `dns`, `auth_domain`)"
        ]
    );
}

#[test]
fn errors_after_a_shape_error_are_still_reported() {
    // A misspelt key, a wrong type, then two validation errors further down the file.
    let text = edit("region =", "regoin =")
        .replace("memory = 2048", "memory = \"2GB\"")
        .replace("\"globex-inc\"", "\"Globex\"")
        .replace("tier = \"premium\"", "tier = \"gold\"");
    let got = errors(&text);
    let fields: Vec<&str> = got
        .iter()
        .map(|e| e.split(": ").nth(1).unwrap_or_default())
        .collect();
    assert_eq!(
        fields,
        [
            "platform.regoin",
            "platform.defaults.memory",
            "tenants[1].id",
            "tenants[1].tier"
        ],
        "{got:#?}"
    );
    // The misspelt key's value is still checked, under the key it was meant to be.
    let bad_region = edit("region = \"us-east-1\"", "regoin = \"useast\"");
    let got = errors(&bad_region);
    assert_eq!(got.len(), 2, "{got:#?}");
    assert!(
        got[1].contains("platform.region: \"useast\" is not an AWS region"),
        "{got:#?}"
    );
}

#[test]
fn shape_errors_in_inline_tables_and_missing_keys() {
    // Root keys must come before the first table header.
    let inline =
        "tenants = [{ id = \"a1\", tier = \"standard\" }, { id = \"b2\", tiers = \"premium\" }]\n"
            .to_string()
            + &BASE[..BASE.find("[[tenants]]").unwrap_or(BASE.len())];
    let got = errors(&inline);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert!(
        got[0].starts_with(
            "t.toml:1:59: tenants[1].tiers: tenant \"b2\": unknown field `tiers` in [[tenants]] #2; \
             did you mean `tier`?"
        ),
        "{got:?}"
    );

    assert_eq!(
        errors(&edit("tier = \"premium\"\n", "")),
        ["t.toml:17:1: tenants[1].tier: tenant \"globex-inc\": missing field `tier` in [[tenants]] #2"]
    );
    assert_eq!(
        errors(&edit("memory = 2048", "memory = \"2GB\"")),
        ["t.toml:11:10: platform.defaults.memory: `memory` in [platform.defaults]: invalid type: \
          string \"2GB\", expected a whole number from 0 to 4294967295"]
    );
}

#[test]
fn missing_top_level_key_points_at_the_start() {
    let text = &BASE[BASE.find("[[tenants]]").unwrap_or(0)..];
    assert_eq!(
        errors(text),
        ["t.toml:1:1: platform: missing field `platform` in the top level"]
    );
}

#[test]
fn tenant_id_errors() {
    assert_eq!(
        errors(&edit("\"globex-inc\"", "\"acme-corp\"")),
        ["t.toml:18:6: tenants[1].id: duplicate tenant id \"acme-corp\": first defined on line 14"]
    );
    assert_eq!(
        errors(&edit("\"acme-corp\"", "\"ACME\"")),
        [
            "t.toml:14:6: tenants[0].id: tenant ids are lowercase letters, digits and hyphens: \
          \"ACME\" has uppercase letters or underscores; did you mean \"acme\"?"
        ]
    );
    let long = "a".repeat(29);
    assert_eq!(
        errors(&edit("\"acme-corp\"", &format!("\"{long}\""))),
        [format!(
            "t.toml:14:6: tenants[0].id: \"{long}\" is too long: ALB target group name \
             \"{long}-dev\" would be 33 characters (limit 32); here tenant ids can have at \
             most 28 characters"
        )]
    );
}

#[test]
fn cidr_errors() {
    assert_eq!(
        errors(&edit("10.0.0.0/16", "10.0.1.0/16")),
        ["t.toml:6:12: platform.vpc_cidr: 10.0.1.0/16 is not a network address; did you mean 10.0.0.0/16?"]
    );
    // A bad prefix and host bits are both reported.
    assert_eq!(
        errors(&edit("10.0.0.0/16", "10.0.0.1/24")),
        [
            "t.toml:6:12: platform.vpc_cidr: /24 is too small: subnets per AZ and per tenant need at least a /20 (use /16 to /20)",
            "t.toml:6:12: platform.vpc_cidr: 10.0.0.1/24 is not a network address; did you mean 10.0.0.0/24?",
        ]
    );
}

#[test]
fn domain_and_tier_errors() {
    let text = edit(
        "tier = \"premium\"",
        "tier = \"gold\"\ndomains = [\"globex.io\", \"Shop.Globex.io\"]",
    );
    assert_eq!(
        errors(&text),
        [
            "t.toml:19:8: tenants[1].tier: tenant \"globex-inc\": unknown tier \"gold\"; allowed: standard, premium",
            "t.toml:20:25: tenants[1].domains[1]: tenant \"globex-inc\": domain names are lowercase: use \"shop.globex.io\"",
        ]
    );
    assert_eq!(
        errors(&edit("tier = \"premium\"", "tier = \"premium\"\ndomains = []")),
        ["t.toml:20:11: tenants[1].domains: tenant \"globex-inc\": domains is empty; omit it to get the default domains"]
    );
}

#[test]
fn bad_defaults_are_reported_once_not_per_tenant() {
    assert_eq!(
        errors(&edit("cpu = 1024", "cpu = 4096")),
        [
            "t.toml:11:10: platform.defaults.memory: memory 2048 MiB does not fit cpu 4096: \
          Fargate allows 8192..30720 in steps of 1024 MiB with it"
        ]
    );
}

#[test]
fn overrides_are_checked_against_merged_defaults() {
    let text = edit(
        "tier = \"premium\"",
        "tier = \"premium\"\n[tenants.overrides]\nmax_tasks = 1\ncpu_target_percent = 0",
    );
    assert_eq!(
        errors(&text),
        [
            "t.toml:21:13: tenants[1].overrides.max_tasks: tenant \"globex-inc\": min_tasks (2) is greater than max_tasks (1)",
            "t.toml:22:22: tenants[1].overrides.cpu_target_percent: tenant \"globex-inc\": cpu_target_percent is 1 to 100, not 0",
        ]
    );
}

#[test]
fn auth_and_jwks_errors() {
    let auth = |issuer: &str, jwks: &str| {
        edit(
            "[platform.defaults]",
            &format!(
                "[platform.auth]\nissuer = \"{issuer}\"\naudience = \"api\"\njwks = \"{jwks}\"\n\n[platform.defaults]"
            ),
        )
    };
    assert!(tenancy::parse(
        &auth("https://id.example.com/", "jwks.json"),
        "t.toml",
        fixtures()
    )
    .is_ok());
    assert_eq!(
        errors(&auth("http://id.example.com/", "jwks-no-rsa.json")),
        [
            "t.toml:10:10: platform.auth.issuer: issuer \"http://id.example.com/\" must be an https:// URL",
            "t.toml:12:8: platform.auth.jwks: JWKS file \"jwks-no-rsa.json\" has no RSA key with \"kid\", \"n\" and \"e\"",
        ]
    );
    let broken = errors(&auth("https://id.example.com/", "jwks-broken.json"));
    assert_eq!(broken.len(), 1);
    assert!(broken[0].starts_with(
        "t.toml:12:8: platform.auth.jwks: JWKS file \"jwks-broken.json\" is not valid JSON"
    ));
}

#[test]
fn empty_tenant_list_points_at_platform() {
    let text = &BASE[..BASE.find("[[tenants]]").unwrap_or(BASE.len())];
    assert_eq!(
        errors(text),
        ["t.toml:1:1: tenants: no tenants: add at least one [[tenants]] entry"]
    );
}

#[test]
fn all_errors_are_collected_in_one_run_sorted_by_line() {
    let text = BASE
        .replace("\"us-east-1\"", "\"mars-1\"")
        .replace("10.0.0.0/16", "10.0.0.0/24")
        .replace("memory = 2048", "memory = 2048\nlog_retention_days = 10")
        .replace("\"standard\"", "\"basic\"")
        .replace("\"globex-inc\"", "\"acme-corp\"");
    let err = tenancy::parse(&text, "t.toml", fixtures()).expect_err("invalid");
    let located: Vec<(usize, &str)> = err.0.iter().map(|e| (e.line, e.field.as_str())).collect();
    assert_eq!(
        located,
        [
            (5, "platform.region"),
            (6, "platform.vpc_cidr"),
            (12, "platform.defaults.log_retention_days"),
            (16, "tenants[0].tier"),
            (19, "tenants[1].id"),
        ]
    );
    assert_eq!(err.to_string().lines().count(), 5);
}

#[test]
fn unreadable_file_is_reported_at_line_zero() {
    let err = tenancy::load(Path::new("/nonexistent/tenants.toml")).expect_err("missing file");
    assert_eq!(err.0.len(), 1);
    assert_eq!(
        (err.0[0].line, err.0[0].column, err.0[0].field.as_str()),
        (0, 0, "file")
    );
    assert!(err
        .to_string()
        .starts_with("/nonexistent/tenants.toml:0:0: file: cannot read config: "));
}

#[test]
fn every_shape_error_of_a_file_is_reported_with_the_validation_errors_after_it() {
    let text = r#"[platform]
system = "ecs-fargate"
project = "saas"
environment = "dev"
region = 7
vpc_cidr = "10.0.0.0/16"
base_domain = "example.com"
tags = { a = 1 }
[platform.defaults]
cpuu = 1024
max_tasks = "8"
[[tenants]]
id = 3
tier = "standard"
domains = ["a.io", 5]
[[tenants]]
id = "bee"
tier = "gold"
[[waivers]]
rule = "X"
"#;
    let got = errors(text);
    let located: Vec<String> = got
        .iter()
        .map(|e| {
            let mut parts = e.splitn(4, ':');
            let (_, line, _, rest) = (parts.next(), parts.next(), parts.next(), parts.next());
            let field = rest
                .unwrap_or_default()
                .trim()
                .split(':')
                .next()
                .unwrap_or_default();
            format!("{}:{field}", line.unwrap_or_default())
        })
        .collect();
    assert_eq!(
        located,
        [
            "5:platform.region",
            "8:platform.tags.a",
            "10:platform.defaults.cpuu",
            "11:platform.defaults.max_tasks",
            "13:tenants[0].id",
            "15:tenants[0].domains[1]",
            "18:tenants[1].tier",
            "19:waivers[0].resource",
            "19:waivers[0].reason",
        ],
        "{got:#?}"
    );
    assert!(
        got[5].contains("item 2 of `domains` in [[tenants]] #1"),
        "{}",
        got[5]
    );
}
