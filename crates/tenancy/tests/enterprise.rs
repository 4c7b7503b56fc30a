//! What only System B reads: fleet and cache settings, each tenant's DNS mode and Cognito
//! custom domain, and the limits behind them.

use std::path::Path;

use tenancy::{Cache, Config, Dns, Fleet};

/// A valid enterprise config; tests append to it or edit one line.
const BASE: &str = r#"[platform]
system = "enterprise"
project = "tap-enterprise"
environment = "prod"
region = "us-east-1"
vpc_cidr = "10.18.0.0/16"
base_domain = "tap.example.com"

[[tenants]]
id = "acme"
tier = "premium"
domains = ["acme.com", "*.acme.com"]
dns = "hosted"
auth_domain = "auth.acme.com"

[[tenants]]
id = "globex"
tier = "standard"
domains = ["app.globex.io", "portal.globex.io"]

[[tenants]]
id = "initech"
tier = "standard"
"#;

fn parse(text: &str) -> Result<Config, Vec<String>> {
    tenancy::parse(text, "t.toml", Path::new("."))
        .map_err(|e| e.0.iter().map(ToString::to_string).collect())
}

fn errors(text: &str) -> Vec<String> {
    parse(text).expect_err("expected errors")
}

fn edit(old: &str, new: &str) -> String {
    assert_eq!(BASE.matches(old).count(), 1, "{old}");
    BASE.replace(old, new)
}

#[test]
fn dns_modes_and_defaults() {
    let config = parse(BASE).expect("valid");
    let dns: Vec<Dns> = config.tenants.iter().map(|t| t.dns).collect();
    assert_eq!(dns, [Dns::Hosted, Dns::Customer, Dns::Platform]);
    assert_eq!(
        config.tenants[0].auth_domain.as_deref(),
        Some("auth.acme.com")
    );
    assert_eq!(config.tenants[1].auth_domain, None);
    assert_eq!(config.platform.fleet, Fleet::default());
    assert_eq!(config.platform.cache, Cache::default());
    assert_eq!(config.platform.fleet.instance_type, "m5.large");
    assert_eq!(config.platform.cache.engine_version, "7.1");
}

/// Puts `table` right after the [platform] keys.
fn with_platform_table(table: &str) -> String {
    BASE.replace(
        "\n[[tenants]]\nid = \"acme\"",
        &format!("\n{table}\n[[tenants]]\nid = \"acme\""),
    )
}

#[test]
fn fleet_and_cache_tables_are_read() {
    let text = with_platform_table(
        "[platform.fleet]\ninstance_type = \"c6i.xlarge\"\npool_min = 3\npool_max = 9\n\
         premium_min = 1\npremium_max = 4\ncpu_target_percent = 55\nvolume_size_gib = 40\n\
         [platform.cache]\nnode_type = \"cache.m7g.large\"\nengine_version = \"7.0\"",
    );
    let config = parse(&text).expect("valid");
    assert_eq!(
        config.platform.fleet,
        Fleet {
            instance_type: "c6i.xlarge".into(),
            pool_min: 3,
            pool_max: 9,
            premium_min: 1,
            premium_max: 4,
            cpu_target_percent: 55,
            volume_size_gib: 40,
        }
    );
    assert_eq!(config.platform.cache.node_type, "cache.m7g.large");
    assert_eq!(config.platform.cache.engine_version, "7.0");
}

#[test]
fn fleet_bounds_are_checked_where_set() {
    let got = errors(&with_platform_table(
        "[platform.fleet]\ninstance_type = \"large\"\npool_min = 0\npremium_min = 9\n\
         cpu_target_percent = 0\nvolume_size_gib = 4\npool_max = 500",
    ));
    assert_eq!(
        got,
        [
            "t.toml:10:17: platform.fleet.instance_type: instance_type \"large\" must be an EC2 type like m5.large",
            "t.toml:11:12: platform.fleet.pool_min: pool_min is at least 1: a group with no instance serves nobody",
            "t.toml:12:15: platform.fleet.premium_min: premium_min (9) is greater than premium_max (6)",
            "t.toml:13:22: platform.fleet.cpu_target_percent: cpu_target_percent is 1 to 100, not 0",
            "t.toml:14:19: platform.fleet.volume_size_gib: volume_size_gib is 8 (the AMI's root snapshot) to 16384 (gp3 maximum), not 4",
        ]
    );
    let got = errors(&with_platform_table("[platform.fleet]\npool_max = 500"));
    assert_eq!(
        got,
        ["t.toml:10:12: platform.fleet.pool_max: pool_max is at most 100, not 500"]
    );
}

#[test]
fn cache_needs_rbac_capable_redis() {
    let got = errors(&with_platform_table(
        "[platform.cache]\nnode_type = \"r6g.large\"\nengine_version = \"5.0\"",
    ));
    assert_eq!(
        got,
        [
            "t.toml:10:13: platform.cache.node_type: node_type \"r6g.large\" must be an ElastiCache type like cache.r6g.large",
            "t.toml:11:18: platform.cache.engine_version: engine_version \"5.0\" is too old: per-tenant cache users (RBAC) need Redis 6.2 or later; use one of 6.2, 7.0, 7.1",
        ]
    );
}

#[test]
fn enterprise_keys_are_refused_by_other_systems() {
    let text = with_platform_table("[platform.cache]\nnode_type = \"cache.t4g.micro\"")
        .replace("system = \"enterprise\"", "system = \"ecs-fargate\"")
        .replace(
            "domains = [\"acme.com\", \"*.acme.com\"]\n",
            "domains = [\"acme.com\"]\n",
        );
    let got = errors(&text);
    assert_eq!(got.len(), 3, "{got:#?}");
    assert!(got[0].starts_with("t.toml:9:1: platform.cache: platform.cache is only read by system = \"enterprise\", not \"ecs-fargate\""), "{}", got[0]);
    assert!(
        got[1].starts_with("t.toml:15:7: tenants[0].dns: "),
        "{}",
        got[1]
    );
    assert!(
        got[2].starts_with("t.toml:16:15: tenants[0].auth_domain: "),
        "{}",
        got[2]
    );
}

#[test]
fn wildcards_need_hosted_dns() {
    let got = errors(&edit(
        "dns = \"hosted\"\nauth_domain = \"auth.acme.com\"\n",
        "",
    ));
    assert_eq!(
        got,
        [
            "t.toml:12:24: tenants[0].domains[1]: tenant \"acme\": wildcard \"*.acme.com\" needs \
          dns = \"hosted\": with the customer's DNS the certificate is CloudFront-managed and \
          HTTP-validated, and those cannot be wildcards"
        ]
    );
}

#[test]
fn dns_needs_explicit_domains_and_a_known_value() {
    let got = errors(&edit(
        "id = \"initech\"\n",
        "id = \"initech\"\ndns = \"hosted\"\n",
    ));
    assert_eq!(got.len(), 1);
    assert!(got[0].contains("tenants[2].dns: tenant \"initech\": dns applies to explicit domains"));
    let got = errors(&edit("dns = \"hosted\"", "dns = \"route53\""));
    assert!(
        got[0].contains("unknown dns \"route53\"; allowed: hosted, customer"),
        "{got:?}"
    );
}

#[test]
fn auth_domain_rules() {
    let cases = [
        (
            "auth.other.com",
            "its parent \"other.com\" must be one of the tenant's domains",
        ),
        ("acme.com", "is also routed to the application"),
        ("*.acme.com", "a wildcard is not allowed here"),
        (
            "x.deep.eu.acme.com",
            "its parent \"deep.eu.acme.com\" must be one",
        ),
    ];
    for (domain, expected) in cases {
        let got = errors(&edit("\"auth.acme.com\"", &format!("\"{domain}\"")));
        assert_eq!(got.len(), 1, "{domain}: {got:?}");
        assert!(
            got[0].contains("tenants[0].auth_domain") && got[0].contains(expected),
            "{domain}: {got:?}"
        );
    }
    // One level under a wildcard resolves through the wildcard's alias record.
    let config = parse(&edit("\"auth.acme.com\"", "\"login.eu.acme.com\"")).expect("valid");
    assert_eq!(
        config.tenants[0].auth_domain.as_deref(),
        Some("login.eu.acme.com")
    );
    let customer =
        edit("dns = \"hosted\"\n", "").replace("\"acme.com\", \"*.acme.com\"", "\"acme.com\"");
    let got = errors(&customer);
    assert!(
        got[0].contains("auth_domain needs dns = \"hosted\""),
        "{got:?}"
    );
}

#[test]
fn auth_domain_cannot_take_another_tenants_host() {
    let text = edit(
        "\"app.globex.io\", \"portal.globex.io\"]",
        "\"auth.acme.com\"]",
    );
    let got = errors(&text);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].contains("tenants[1].domains[0]: tenant \"globex\": domain \"auth.acme.com\" is already routed to tenant \"acme\""),
        "{got:?}"
    );
}

#[test]
fn a_fifth_auth_domain_is_refused_with_the_limit() {
    let mut text = BASE.to_string();
    for n in 1..=4 {
        text.push_str(&format!(
            "\n[[tenants]]\nid = \"t{n}x\"\ntier = \"standard\"\ndomains = [\"t{n}.com\"]\n\
             dns = \"hosted\"\nauth_domain = \"auth.t{n}.com\"\n"
        ));
    }
    let got = errors(&text);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].contains("tenants[6].auth_domain"), "{got:?}");
    assert!(
        got[0].contains("Cognito allows 4 custom domains per account and region"),
        "{got:?}"
    );
}
