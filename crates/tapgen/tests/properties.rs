//! Property tests: any valid config renders to a program with zero schema, structure,
//! reference and policy findings; any broken config exits 2 with a message, never a panic;
//! conflicts between fields of different tenants (hosts, wildcards) and between waivers and
//! the rendered program are refused where they are written.

#[path = "properties/cells.rs"]
mod cells;
mod common;
#[path = "properties/conflicts.rs"]
mod conflicts;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use proptest::prelude::*;
use tapgen::lock::Lock;

#[derive(Debug, Clone)]
struct TenantSpec {
    id: String,
    premium: bool,
    custom_domains: bool,
    /// Explicit domains that replace the generated ones.
    domains: Option<Vec<String>>,
    /// System B only, with `custom_domains`: who serves the tenant's DNS.
    dns: EnterpriseDns,
}

/// System B's kinds of custom domains.
#[derive(Debug, Clone, Copy)]
enum EnterpriseDns {
    /// A zone tapgen hosts, apex and wildcard.
    Hosted,
    /// A hosted zone and a Cognito custom domain under it (the generator gives at most four).
    HostedWithAuth,
    /// The customer's DNS: no wildcard.
    Customer,
}

/// Cognito custom domains per account and region (hard).
const MAX_AUTH_DOMAINS: usize = 4;

fn tenant_ids() -> impl Strategy<Value = Vec<String>> {
    // Up to 20 characters: fits every name limit with project "saas" and environment "test".
    let id = "[a-z][a-z0-9]{1,6}(-[a-z0-9]{1,5}){0,2}";
    prop::collection::btree_set(id, 1..=60).prop_shuffle_ids()
}

trait ShuffleIds {
    fn prop_shuffle_ids(self) -> BoxedStrategy<Vec<String>>;
}

impl<S: Strategy<Value = std::collections::BTreeSet<String>> + 'static> ShuffleIds for S {
    fn prop_shuffle_ids(self) -> BoxedStrategy<Vec<String>> {
        self.prop_map(|ids| ids.into_iter().collect::<Vec<_>>())
            .prop_shuffle()
            .boxed()
    }
}

fn tenants() -> impl Strategy<Value = Vec<TenantSpec>> {
    tenant_ids().prop_flat_map(|ids| {
        let count = ids.len();
        (
            Just(ids),
            prop::collection::vec((any::<bool>(), any::<bool>(), enterprise_dns()), count),
        )
            .prop_map(|(ids, flags)| {
                ids.into_iter()
                    .zip(flags)
                    .map(|(id, (premium, custom_domains, dns))| TenantSpec {
                        id,
                        premium,
                        custom_domains,
                        domains: None,
                        dns,
                    })
                    .scan(0, |auth_domains, mut tenant| {
                        // Decided here, not at rendering: removing an earlier tenant must not
                        // hand its Cognito domain to a later one.
                        if tenant.custom_domains
                            && matches!(tenant.dns, EnterpriseDns::HostedWithAuth)
                        {
                            *auth_domains += 1;
                            if *auth_domains > MAX_AUTH_DOMAINS {
                                tenant.dns = EnterpriseDns::Hosted;
                            }
                        }
                        Some(tenant)
                    })
                    .collect()
            })
    })
}

fn enterprise_dns() -> impl Strategy<Value = EnterpriseDns> {
    prop_oneof![
        Just(EnterpriseDns::Hosted),
        Just(EnterpriseDns::HostedWithAuth),
        Just(EnterpriseDns::Customer),
    ]
}

/// System B's `domains`, `dns` and `auth_domain` lines for a tenant with custom domains.
fn enterprise_domains(id: &str, dns: EnterpriseDns) -> String {
    match dns {
        EnterpriseDns::HostedWithAuth => format!(
            "domains = [\"{id}.io\", \"www.{id}.io\"]\ndns = \"hosted\"\n\
             auth_domain = \"auth.{id}.io\"\n"
        ),
        EnterpriseDns::Hosted => {
            format!("domains = [\"{id}.io\", \"*.{id}.io\"]\ndns = \"hosted\"\n")
        }
        EnterpriseDns::Customer => {
            format!("domains = [\"{id}.io\", \"app.{id}.example.org\"]\ndns = \"customer\"\n")
        }
    }
}

fn config_text(system: &str, tenants: &[TenantSpec]) -> String {
    let jwks = common::repo().join("examples/keys/jwks.json");
    let mut text = format!(
        "[platform]\nsystem = \"{system}\"\nproject = \"saas\"\nenvironment = \"test\"\n\
         region = \"us-east-1\"\nvpc_cidr = \"10.0.0.0/16\"\naz_count = 2\nbase_domain = \"example.com\"\n\
         tags = {{ cost_center = \"platform\" }}\n\
         [platform.auth]\nissuer = \"https://auth.example.com/\"\naudience = \"api\"\njwks = \"{}\"\n",
        jwks.display()
    );
    for tenant in tenants {
        let tier = if tenant.premium {
            "premium"
        } else {
            "standard"
        };
        text.push_str(&format!(
            "\n[[tenants]]\nid = \"{}\"\ntier = \"{tier}\"\n",
            tenant.id
        ));
        if let Some(domains) = &tenant.domains {
            let quoted: Vec<String> = domains.iter().map(|d| format!("\"{d}\"")).collect();
            text.push_str(&format!("domains = [{}]\n", quoted.join(", ")));
        } else if tenant.custom_domains && system == "enterprise" {
            text.push_str(&enterprise_domains(&tenant.id, tenant.dns));
        } else if tenant.custom_domains {
            let id = &tenant.id;
            text.push_str(&format!(
                "domains = [\"{id}.io\", \"*.{id}.io\", \"app.{id}.example.org\"]\n"
            ));
        }
    }
    text
}

fn render_and_check(dir: &Path, text: &str) -> Vec<String> {
    let config_path = dir.join("tenants.toml");
    std::fs::write(&config_path, text).unwrap();
    let config =
        tenancy::load(&config_path).unwrap_or_else(|e| panic!("a valid config was rejected:\n{e}"));
    let out = dir.join("infra");
    let rendered = tapgen::render(&config, &config_path, &Lock::default()).unwrap();
    tapgen::output::write(&out, &rendered.files, &Lock::default()).unwrap();
    let report = check::check(&out, &[]).unwrap();
    report.findings.iter().map(ToString::to_string).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn valid_ecs_fargate_configs_render_clean(tenants in tenants()) {
        let work = tempfile::tempdir().unwrap();
        let findings = render_and_check(work.path(), &config_text("ecs-fargate", &tenants));
        prop_assert!(findings.is_empty(), "{} findings:\n{}", findings.len(), findings.join("\n"));
    }

    #[test]
    fn valid_serverless_configs_render_clean(tenants in tenants()) {
        let work = tempfile::tempdir().unwrap();
        let findings = render_and_check(work.path(), &config_text("serverless", &tenants));
        prop_assert!(findings.is_empty(), "{} findings:\n{}", findings.len(), findings.join("\n"));
    }
}

/// Ways to break a valid config, each of which must be reported.
fn breakage() -> impl Strategy<Value = (String, String)> {
    prop_oneof![
        "[A-Z_]{1,8}".prop_map(|bad| ("id = \"".to_string(), format!("id = \"{bad}"))),
        "[a-z]{3,8}".prop_map(|key| (
            "[[tenants]]\n".to_string(),
            format!("[[tenants]]\n{key}_x = 1\n")
        )),
        "[0-9./]{1,12}".prop_map(|cidr| (
            "vpc_cidr = \"10.0.0.0/16\"".to_string(),
            format!("vpc_cidr = \"{cidr}\"")
        )),
        "[a-z]{1,9}".prop_map(|tier| (
            "tier = \"standard\"".to_string(),
            format!("tier = \"x{tier}\"")
        )),
        "[\\[\\]=\"{}]{1,4}"
            .prop_map(|junk| ("[platform]".to_string(), format!("[platform]\n{junk}"))),
        (50usize..90).prop_map(|n| ("id = \"".to_string(), format!("id = \"{}", "a".repeat(n)))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn broken_configs_exit_2_with_a_located_message(
        tenants in tenants(),
        system in prop_oneof![Just("ecs-fargate"), Just("serverless")],
        (find, replace) in breakage(),
    ) {
        let text = config_text(system, &tenants[..tenants.len().min(3)]);
        prop_assume!(text.contains(&find));
        let broken = text.replacen(&find, &replace, 1);
        let work = tempfile::tempdir().unwrap();
        let config = work.path().join("tenants.toml");
        std::fs::write(&config, &broken).unwrap();
        let output = common::render(&config, &work.path().join("out"), &[]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        prop_assert_eq!(output.status.code(), Some(2), "config:\n{}\nstderr:\n{}", broken, stderr);
        prop_assert!(!stderr.contains("panicked"), "{}", stderr);
        prop_assert!(stderr.contains(&format!("{}:", config.display())), "no file:line in {}", stderr);
        prop_assert!(!work.path().join("out").exists(), "a rejected config wrote output");
    }
}
