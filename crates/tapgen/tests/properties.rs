//! Property tests: any valid config renders to a program with zero schema, structure,
//! reference and policy findings; any broken config exits 2 with a message, never a panic;
//! conflicts between fields of different tenants (hosts, wildcards) and between waivers and
//! the rendered program are refused where they are written.

mod common;

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

// -- the cell layout ------------------------------------------------------------------------

/// Cells of five, so that a few dozen tenants make many cells.
const CELL_SIZE: usize = 5;

#[derive(Debug, Clone)]
enum Operation {
    /// Inserts a new tenant at this position (modulo the length).
    Add(usize),
    /// Removes the tenant at this position (modulo the length).
    Remove(usize),
    /// Reorders the tenants.
    Shuffle(Vec<usize>),
}

fn operations() -> impl Strategy<Value = Vec<Operation>> {
    let operation = prop_oneof![
        any::<usize>().prop_map(Operation::Add),
        any::<usize>().prop_map(Operation::Remove),
        prop::collection::vec(any::<usize>(), 1..8).prop_map(Operation::Shuffle),
    ];
    prop::collection::vec(operation, 1..=4)
}

fn cells_config_text(system: &str, tenants: &[TenantSpec]) -> String {
    let pool = match system {
        "serverless" => "address_pool = \"10.128.0.0/12\"\n",
        _ => "",
    };
    let cells = format!("[platform.cells]\nsize = {CELL_SIZE}\n{pool}\n[platform.auth]");
    config_text(system, tenants)
        .replacen("az_count = 2\n", "az_count = 2\nlayout = \"cells\"\n", 1)
        .replacen("[platform.auth]", &cells, 1)
}

/// Renders into `dir/infra`, keeping the lock there; returns every file by path.
fn render_cells(dir: &Path, system: &str, tenants: &[TenantSpec]) -> BTreeMap<String, Vec<u8>> {
    let config_path = dir.join("tenants.toml");
    std::fs::write(&config_path, cells_config_text(system, tenants)).unwrap();
    let config =
        tenancy::load(&config_path).unwrap_or_else(|e| panic!("a valid config was rejected:\n{e}"));
    let out = dir.join("infra");
    let previous = Lock::read(&out).unwrap();
    let rendered = tapgen::render(&config, &config_path, &previous).unwrap();
    tapgen::output::write(&out, &rendered.files, &previous).unwrap();
    common::snapshot(&out)
}

/// Cell name to members, from `tapgen.lock`.
fn cells_of(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<String>> {
    let lock: serde_json::Value = serde_json::from_slice(&files["tapgen.lock"]).unwrap();
    serde_json::from_value(lock["cells"].clone()).unwrap()
}

fn cell_of<'c>(cells: &'c BTreeMap<String, Vec<String>>, tenant: &str) -> Option<&'c str> {
    cells
        .iter()
        .find(|(_, members)| members.iter().any(|m| m == tenant))
        .map(|(cell, _)| cell.as_str())
}

/// The stacks (`platform`, `cells/cell-002`, or a top-level file) whose files differ.
fn changed(
    before: &BTreeMap<String, Vec<u8>>,
    after: &BTreeMap<String, Vec<u8>>,
) -> BTreeSet<String> {
    before
        .keys()
        .chain(after.keys())
        .filter(|path| before.get(*path) != after.get(*path))
        .map(
            |path| match path.split('/').collect::<Vec<_>>().as_slice() {
                ["cells", cell, ..] => format!("cells/{cell}"),
                [top, ..] => top.to_string(),
                [] => unreachable!(),
            },
        )
        .collect()
}

fn resources_of(
    files: &BTreeMap<String, Vec<u8>>,
    stack: &str,
) -> serde_json::Map<String, serde_json::Value> {
    let program: serde_json::Value =
        serde_norway::from_slice(&files[&format!("{stack}/Main.yaml")]).unwrap();
    program["resources"]
        .as_object()
        .cloned()
        .unwrap_or_default()
}

fn cidr(text: &str) -> (u32, u32) {
    let (address, prefix) = text.split_once('/').unwrap();
    let address: std::net::Ipv4Addr = address.parse().unwrap();
    let prefix: u32 = prefix.parse().unwrap();
    let start = u32::from(address);
    (start, start + ((1u64 << (32 - prefix)) - 1) as u32)
}

fn overlaps(a: (u32, u32), b: (u32, u32)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

/// What must hold of every cell render: each tenant in exactly one cell, whose program holds
/// all its resources; no cell over size; rule priorities and subnet ranges unique in a cell;
/// in System C no subnet range or cell range overlapping another cell's or the platform's.
fn check_cells(
    files: &BTreeMap<String, Vec<u8>>,
    tenants: &[TenantSpec],
) -> Result<(), TestCaseError> {
    let cells = cells_of(files);
    let mut placed: Vec<&String> = cells.values().flatten().collect();
    placed.sort();
    let mut expected: Vec<&String> = tenants.iter().map(|t| &t.id).collect();
    expected.sort();
    prop_assert_eq!(placed, expected, "every tenant in exactly one cell");
    let ids: BTreeSet<&str> = tenants.iter().map(|t| t.id.as_str()).collect();
    let mut ranges: Vec<(String, (u32, u32))> = Vec::new();
    let mut subnets: Vec<(String, (u32, u32))> = Vec::new();
    for (cell, members) in &cells {
        prop_assert!(
            members.len() <= CELL_SIZE,
            "{} has {} tenants",
            cell,
            members.len()
        );
        let resources = resources_of(files, &format!("cells/{cell}"));
        let mut priorities = BTreeSet::new();
        let mut own_subnets = BTreeSet::new();
        let mut owners = BTreeSet::new();
        for (name, resource) in &resources {
            // The longest tenant id prefixing the name owns it, as in `tapgen plan`.
            let owner = name
                .rmatch_indices('-')
                .map(|(dash, _)| &name[..dash])
                .find(|prefix| ids.contains(prefix));
            if let Some(owner) = owner {
                prop_assert!(
                    members.iter().any(|m| m == owner),
                    "{} of {} is in {}",
                    name,
                    owner,
                    cell
                );
                owners.insert(owner);
            }
            let properties = &resource["properties"];
            match resource["type"].as_str().unwrap() {
                "aws:lb:ListenerRule" => {
                    let priority = properties["priority"].as_i64().unwrap();
                    prop_assert!(
                        priorities.insert(priority),
                        "{}: priority {} twice",
                        cell,
                        priority
                    );
                }
                "aws:ec2:Subnet" => {
                    let block = properties["cidrBlock"].as_str().unwrap();
                    prop_assert!(
                        own_subnets.insert(block.to_string()),
                        "{}: {} twice",
                        cell,
                        block
                    );
                    subnets.push((cell.clone(), cidr(block)));
                }
                "aws:ec2:VpcIpv4CidrBlockAssociation" => {
                    ranges.push((
                        cell.clone(),
                        cidr(properties["cidrBlock"].as_str().unwrap()),
                    ));
                }
                _ => {}
            }
        }
        prop_assert_eq!(
            owners.len(),
            members.len(),
            "{}: a member without resources",
            cell
        );
    }
    for (stack, resource) in resources_of(files, "platform")
        .values()
        .map(|r| ("platform", r))
    {
        match resource["type"].as_str().unwrap() {
            "aws:ec2:Subnet" => subnets.push((
                stack.into(),
                cidr(resource["properties"]["cidrBlock"].as_str().unwrap()),
            )),
            "aws:ec2:Vpc" => ranges.push((
                stack.into(),
                cidr(resource["properties"]["cidrBlock"].as_str().unwrap()),
            )),
            _ => {}
        }
    }
    for list in [&ranges, &subnets] {
        for (i, (a, range_a)) in list.iter().enumerate() {
            for (b, range_b) in &list[i + 1..] {
                prop_assert!(!overlaps(*range_a, *range_b), "{} and {} overlap", a, b);
            }
        }
    }
    if resources_of(files, "platform").contains_key("tenant-access-role") {
        check_enterprise_cells(files, tenants, &cells)?;
    }
    // A cell's subnets lie in its own range (System C gives each cell one).
    for (cell, subnet) in &subnets {
        if let Some((_, range)) = ranges.iter().find(|(c, _)| c == cell) {
            prop_assert!(
                range.0 <= subnet.0 && subnet.1 <= range.1,
                "{}: a subnet outside its range",
                cell
            );
        }
    }
    Ok(())
}

/// `cell-002` as the platform names what it holds for it (`c002`).
fn short(cell: &str) -> String {
    format!("c{}", cell.trim_start_matches("cell-"))
}

/// System B's wiring in every cell: each tenant's rule sends its own origin host to its own
/// target group (premium) or to its cell's pool target group (standard); its origin alias is
/// in its cell; a standard tenant's cache user joins the shared group the lock records for it
/// (no group over 99 tenants), a premium tenant has a Redis of its own and joins none.
fn check_enterprise_cells(
    files: &BTreeMap<String, Vec<u8>>,
    tenants: &[TenantSpec],
    cells: &BTreeMap<String, Vec<String>>,
) -> Result<(), TestCaseError> {
    let lock: serde_json::Value = serde_json::from_slice(&files["tapgen.lock"]).unwrap();
    let platform = resources_of(files, "platform");
    let mut group_sizes: BTreeMap<u64, usize> = BTreeMap::new();
    let mut target_groups = BTreeSet::new();
    for (cell, members) in cells {
        let pool_group = format!("pool-target-group-{}", short(cell));
        prop_assert!(platform.contains_key(&pool_group), "no {}", pool_group);
        let resources = resources_of(files, &format!("cells/{cell}"));
        let pool = format!(
            "${{platform.outputs[\"poolTargetGroup{}\"].arn}}",
            short(cell).to_uppercase()
        );
        for id in members {
            let premium = tenants.iter().any(|t| &t.id == id && t.premium);
            let get = |suffix: &str| resources.get(&format!("{id}-{suffix}"));
            let rule = get("listener-rule")
                .ok_or_else(|| TestCaseError::fail(format!("{cell}: no listener rule for {id}")))?;
            let rule = &rule["properties"];
            prop_assert_eq!(
                &rule["conditions"][0]["hostHeader"]["values"],
                &serde_json::json!([format!("{id}.origin.example.com")]),
                "{}'s rule",
                id
            );
            let target = rule["actions"][0]["targetGroupArn"].as_str().unwrap();
            let alias = get("origin-alias-a").map(|r| &r["properties"]["name"]);
            prop_assert_eq!(
                alias,
                Some(&serde_json::json!(format!("{id}.origin.example.com"))),
                "{}'s origin alias in {}",
                id,
                cell
            );
            let membership = get("cache-membership");
            if premium {
                prop_assert_eq!(target, format!("${{{id}-target-group.arn}}"));
                prop_assert!(
                    get("target-group").is_some() && get("cache").is_some(),
                    "{}",
                    id
                );
                prop_assert!(membership.is_none(), "premium {} joins a shared group", id);
                prop_assert!(target_groups.insert(target.to_string()), "{} twice", target);
            } else {
                prop_assert_eq!(target, pool.as_str(), "{} in {}", id, cell);
                let group = lock["cache_groups"][id.as_str()].as_u64().ok_or_else(|| {
                    TestCaseError::fail(format!("{id} has no recorded cache group"))
                })?;
                let joined = membership.map(|m| &m["properties"]["userGroupId"]);
                let expected =
                    format!("${{platform.outputs[\"sharedCacheUsers{group}\"].userGroupId}}");
                prop_assert_eq!(joined, Some(&serde_json::json!(expected)), "{}", id);
                *group_sizes.entry(group).or_default() += 1;
            }
        }
    }
    for (group, size) in group_sizes {
        prop_assert!(
            size <= 99,
            "shared cache group {} has {} tenants",
            group,
            size
        );
    }
    Ok(())
}

/// Resource and output names whose values differ between two renders of `stack`.
fn changed_entries(
    before: &BTreeMap<String, Vec<u8>>,
    after: &BTreeMap<String, Vec<u8>>,
    stack: &str,
) -> BTreeSet<String> {
    let read = |files: &BTreeMap<String, Vec<u8>>| -> serde_json::Value {
        serde_norway::from_slice(&files[&format!("{stack}/Main.yaml")]).unwrap()
    };
    let (before, after) = (read(before), read(after));
    let mut changed = BTreeSet::new();
    for section in ["resources", "outputs", "variables"] {
        let empty = serde_json::Map::new();
        let of = |program: &serde_json::Value| program[section].as_object().cloned();
        let (b, a) = (of(&before), of(&after));
        let (b, a) = (b.as_ref().unwrap_or(&empty), a.as_ref().unwrap_or(&empty));
        for name in b.keys().chain(a.keys()) {
            if b.get(name) != a.get(name) {
                changed.insert(format!("{section}.{name}"));
            }
        }
    }
    changed
}

/// What System B's platform may change for (docs/design.md, "System B in cells"): a new
/// cell's pool target group, its export and the pool's target-group list; the pooled role's
/// trust when the set of premium tenants changes; a shared Redis group that opens or closes.
/// Everything else in the platform stays byte-identical.
fn documented_platform_changes(
    before: &BTreeMap<String, Vec<u8>>,
    after: &BTreeMap<String, Vec<u8>>,
    premium_changed: bool,
) -> BTreeSet<String> {
    let (old_cells, new_cells) = (cells_of(before), cells_of(after));
    let groups = |files: &BTreeMap<String, Vec<u8>>| -> BTreeSet<u64> {
        let lock: serde_json::Value = serde_json::from_slice(&files["tapgen.lock"]).unwrap();
        let recorded = lock["cache_groups"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        recorded.values().filter_map(|g| g.as_u64()).collect()
    };
    let mut allowed = BTreeSet::new();
    for cell in new_cells.keys().filter(|c| !old_cells.contains_key(*c)) {
        let short = short(cell);
        allowed.insert(format!("resources.pool-target-group-{short}"));
        allowed.insert(format!("outputs.poolTargetGroup{}", short.to_uppercase()));
        allowed.insert("resources.pool-fleet".to_string());
    }
    if premium_changed {
        allowed.insert("resources.tenant-access-role".to_string());
    }
    for group in groups(before).symmetric_difference(&groups(after)) {
        for name in [
            format!("resources.cache-pool{group}"),
            format!("resources.cache-pool{group}-users"),
            format!("outputs.sharedCache{group}"),
            format!("outputs.sharedCacheUsers{group}"),
            "outputs.sharedCacheEndpoints".to_string(),
        ] {
            allowed.insert(name);
        }
    }
    allowed
}

fn cells_hold_under_operations(
    system: &str,
    mut tenants: Vec<TenantSpec>,
    operations: Vec<Operation>,
) -> Result<(), TestCaseError> {
    let work = tempfile::tempdir().unwrap();
    let mut before = render_cells(work.path(), system, &tenants);
    check_cells(&before, &tenants)?;
    // Every stack passes `tapgen check`, as CI requires of the 500-tenant configs.
    for main in before.keys().filter(|path| path.ends_with("/Main.yaml")) {
        let stack = work
            .path()
            .join("infra")
            .join(main.trim_end_matches("/Main.yaml"));
        let findings: Vec<String> = check::check(&stack, &[])
            .unwrap()
            .findings
            .iter()
            .map(ToString::to_string)
            .collect();
        prop_assert!(findings.is_empty(), "{}: {}", main, findings.join("\n"));
    }
    let premium_ids = |tenants: &[TenantSpec]| -> BTreeSet<String> {
        tenants
            .iter()
            .filter(|t| t.premium)
            .map(|t| t.id.clone())
            .collect()
    };
    for (step, operation) in operations.into_iter().enumerate() {
        let old_cells = cells_of(&before);
        let old_premium = premium_ids(&tenants);
        let touched = match &operation {
            Operation::Add(at) => {
                let id = format!("new{step}-t");
                if tenants.iter().any(|t| t.id == id) {
                    continue;
                }
                let spec = TenantSpec {
                    id: id.clone(),
                    premium: step % 2 == 0,
                    custom_domains: false,
                    domains: None,
                    dns: EnterpriseDns::Hosted,
                };
                tenants.insert(at % (tenants.len() + 1), spec);
                Some(id)
            }
            Operation::Remove(at) => {
                if tenants.len() <= 1 {
                    continue;
                }
                Some(tenants.remove(at % tenants.len()).id)
            }
            Operation::Shuffle(swaps) => {
                for (i, swap) in swaps.iter().enumerate() {
                    let len = tenants.len();
                    tenants.swap(i % len, swap % len);
                }
                None
            }
        };
        let after = render_cells(work.path(), system, &tenants);
        check_cells(&after, &tenants)?;
        let new_cells = cells_of(&after);
        for (cell, members) in &old_cells {
            for member in members {
                if let Some(now) = cell_of(&new_cells, member) {
                    prop_assert_eq!(now, cell.as_str(), "{} moved", member);
                }
            }
        }
        let mut changes = changed(&before, &after);
        if system == "enterprise" && changes.remove("platform") {
            let premium_changed = premium_ids(&tenants) != old_premium;
            let allowed = documented_platform_changes(&before, &after, premium_changed);
            let platform = changed_entries(&before, &after, "platform");
            prop_assert!(
                platform.is_subset(&allowed),
                "{:?} changed the platform's {:?}; documented: {:?}",
                operation,
                platform,
                allowed
            );
        }
        match (&operation, touched) {
            (Operation::Shuffle(_), _) => {
                prop_assert!(changes.is_empty(), "a reorder changed {:?}", changes)
            }
            (operation, Some(tenant)) => {
                let cells = if matches!(operation, Operation::Add(_)) {
                    &new_cells
                } else {
                    &old_cells
                };
                let cell = format!("cells/{}", cell_of(cells, &tenant).unwrap());
                let allowed: BTreeSet<String> =
                    ["README.md".to_string(), "tapgen.lock".into(), cell.clone()].into();
                prop_assert!(
                    changes.contains(&cell),
                    "{:?} left {} unchanged",
                    operation,
                    cell
                );
                prop_assert!(
                    changes.is_subset(&allowed),
                    "{:?} of {} changed {:?}",
                    operation,
                    tenant,
                    changes
                );
                if let Operation::Add(_) = operation {
                    // A newcomer joins the newest cell while it has room, else opens the next.
                    let (newest, members) = old_cells.iter().next_back().unwrap();
                    let joined = cell_of(&new_cells, &tenant).unwrap();
                    if members.len() < CELL_SIZE {
                        prop_assert_eq!(joined, newest.as_str());
                    } else {
                        prop_assert!(joined > newest.as_str() && !old_cells.contains_key(joined));
                    }
                }
            }
            (_, None) => unreachable!(),
        }
        before = after;
    }
    Ok(())
}

fn cell_tenants() -> impl Strategy<Value = Vec<TenantSpec>> {
    tenants().prop_map(|mut tenants| {
        tenants.truncate(32);
        tenants
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10, ..ProptestConfig::default() })]

    #[test]
    fn ecs_fargate_cells_hold_under_adds_removes_and_reorders(
        tenants in cell_tenants(),
        operations in operations(),
    ) {
        cells_hold_under_operations("ecs-fargate", tenants, operations)?;
    }

    #[test]
    fn serverless_cells_hold_under_adds_removes_and_reorders(
        tenants in cell_tenants(),
        operations in operations(),
    ) {
        cells_hold_under_operations("serverless", tenants, operations)?;
    }

    /// Premium and standard tenants; platform, hosted and customer DNS; Cognito custom domains.
    #[test]
    fn enterprise_cells_hold_under_adds_removes_and_reorders(
        tenants in cell_tenants(),
        operations in operations(),
    ) {
        cells_hold_under_operations("enterprise", tenants, operations)?;
    }
}

/// Hosts for tenant `j` that collide with what tenant `i` (with default domains, or the
/// generated custom ones) receives: (i uses custom domains, j's domains, what the error says).
fn host_conflict(label: String) -> impl Strategy<Value = (bool, Vec<String>, &'static str)> {
    let label = move || label.clone();
    prop_oneof![
        // A wildcard over base_domain covers i's default {id}.example.com.
        Just((false, vec!["*.example.com".to_string()], "covers host")),
        // An explicit host under i's default wildcard *.{id}.example.com.
        Just((
            false,
            vec![format!("{}.{{i}}.example.com", label())],
            "covers host"
        )),
        // Exactly i's default host.
        Just((false, vec!["{i}.example.com".to_string()], "already routed")),
        // An explicit host under i's custom wildcard *.{id}.io.
        Just((true, vec![format!("{}.{{i}}.io", label())], "covers host")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn hosts_two_tenants_would_receive_are_refused_at_the_later_one(
        mut tenants in tenants().prop_filter("two tenants", |t| t.len() >= 2),
        pick in any::<(prop::sample::Index, prop::sample::Index)>(),
        conflict in "[a-z][a-z0-9]{0,6}".prop_flat_map(host_conflict),
    ) {
        let (i, j) = (pick.0.index(tenants.len()), pick.1.index(tenants.len()));
        prop_assume!(i != j);
        let (i_custom, domains, said) = conflict;
        let id_i = tenants[i].id.clone();
        // Other tenants keep defaults, so only i and j can meet.
        for (k, t) in tenants.iter_mut().enumerate() {
            t.custom_domains = k == i && i_custom;
        }
        tenants[j].domains = Some(domains.iter().map(|d| d.replace("{i}", &id_i)).collect());
        let text = config_text("ecs-fargate", &tenants);
        let errors = match tenancy::parse(&text, "t.toml", Path::new(".")) {
            Ok(_) => return Err(TestCaseError::fail(format!("accepted:\n{text}"))),
            Err(e) => e.0,
        };
        let id_j = &tenants[j].id;
        let later = format!("tenants[{}]", i.max(j));
        // Under *.example.com every default tenant is covered, so more than one error may be
        // right; each is on the later tenant's entry and names j or i.
        prop_assert!(errors.iter().any(|e| e.message.contains(said)
            && e.message.contains(&format!("\"{id_i}\""))
            && e.message.contains(&format!("\"{id_j}\""))
            && e.field.starts_with(&later)), "{:#?}", errors);
        prop_assert!(errors.iter().all(|e| e.message.contains(&format!("\"{id_j}\""))), "{:#?}", errors);
    }

    #[test]
    fn deeper_wildcards_do_not_overlap(
        mut tenants in tenants().prop_filter("two tenants", |t| t.len() >= 2),
        label in "[a-z][a-z0-9]{0,6}",
    ) {
        // *.{label}.{id}.example.com is two labels under tenant 0's default wildcard, which
        // covers one label only.
        let id = tenants[0].id.clone();
        for t in tenants.iter_mut() {
            t.custom_domains = false;
        }
        tenants[1].domains = Some(vec![format!("*.{label}.{id}.example.com")]);
        let text = config_text("ecs-fargate", &tenants);
        let parsed = tenancy::parse(&text, "t.toml", Path::new("."));
        prop_assert!(parsed.is_ok(), "{}", parsed.err().map(|e| e.to_string()).unwrap_or_default());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn waivers_must_name_a_rule_and_a_rendered_resource(
        tenants in tenants().prop_map(|t| t[..t.len().min(3)].to_vec()),
        gone in "[a-z][a-z0-9]{1,6}-gone",
        rule in "TAP-[A-Z]{2,4}-[0-9]{2,3}",
    ) {
        // A present tenant's bucket with a real rule is accepted; a bucket of a tenant
        // that is not in the config, or a rule no policy has, is refused at the waiver.
        let present = format!("{}-bucket", tenants[0].id);
        let waiver = |rule: &str, resource: &str| format!(
            "\n[[waivers]]\nrule = \"{rule}\"\nresource = \"{resource}\"\nreason = \"generated\"\n"
        );
        let base = config_text("ecs-fargate", &tenants);
        let work = tempfile::tempdir().unwrap();
        let path = work.path().join("tenants.toml");
        let render = |text: &str| {
            std::fs::write(&path, text).unwrap();
            let config = tenancy::load(&path).unwrap_or_else(|e| panic!("{e}"));
            tapgen::render(&config, &path, &Lock::default()).map(|_| ())
        };
        prop_assert!(render(&(base.clone() + &waiver("TAP-S3-1", &present))).is_ok());
        let missing = base.clone() + &waiver("TAP-S3-1", &format!("{gone}-bucket"));
        let error = render(&missing).expect_err("a waiver for a missing resource");
        let line = missing.lines().position(|l| l.starts_with("resource = ")).unwrap() + 1;
        let text = error.to_string();
        prop_assert!(text.contains(&format!(":{line}:")) && text.contains("waivers[0].resource"), "{}", text);
        prop_assume!(!check::POLICY_RULES.contains(&rule.as_str()));
        let unknown = base + &waiver(&rule, &present);
        let text = render(&unknown).expect_err("a waiver for an unknown rule").to_string();
        prop_assert!(text.contains("waivers[0].rule") && text.contains("unknown policy rule"), "{}", text);
    }
}

/// Tenants a random lock may name: some are in the config, some were removed from it.
const POOL: [&str; 8] = ["t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8"];

fn lock_disagreements() -> impl Strategy<Value = (Vec<bool>, Vec<Option<u32>>)> {
    // Slots near the edges: 0 and above 100 are out of range, few values make collisions.
    let slot = prop_oneof![Just(0u32), 1u32..=6, 98u32..=103];
    (
        prop::collection::vec(any::<bool>(), POOL.len()),
        prop::collection::vec(prop::option::of(slot), POOL.len()),
    )
}

/// The listener rule priorities of a rendered `Main.yaml`.
fn priorities(main: &str) -> Vec<u64> {
    let program: serde_json::Value = serde_norway::from_str(main).unwrap();
    program["resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["type"] == "aws:lb:ListenerRule")
        .map(|r| r["properties"]["priority"].as_u64().unwrap())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// A lock that gives two tenants one slot or a slot out of range is refused; any other
    /// lock (including one naming removed tenants) renders with every kept tenant on its
    /// slot, new tenants on slots the lock did not hold, and no priority twice.
    #[test]
    fn lock_and_config_disagreements_never_duplicate_priorities(
        (present, recorded) in lock_disagreements(),
    ) {
        let work = tempfile::tempdir().unwrap();
        let mut ids: Vec<&str> = POOL.iter().zip(&present).filter(|(_, p)| **p).map(|(id, _)| *id).collect();
        if ids.is_empty() {
            ids.push(POOL[0]);
        }
        let specs: Vec<TenantSpec> = ids
            .iter()
            .map(|id| TenantSpec {
                id: id.to_string(),
                premium: false,
                custom_domains: false,
                domains: None,
                dns: EnterpriseDns::Hosted,
            })
            .collect();
        let config_path = work.path().join("tenants.toml");
        std::fs::write(&config_path, config_text("ecs-fargate", &specs)).unwrap();
        let config = tenancy::load(&config_path).unwrap();
        let lock_slots: Vec<(&str, u32)> = POOL
            .iter()
            .zip(&recorded)
            .filter_map(|(id, slot)| slot.map(|s| (*id, s)))
            .collect();
        let dir = work.path().join("infra");
        std::fs::create_dir(&dir).unwrap();
        let slots: serde_json::Map<String, serde_json::Value> =
            lock_slots.iter().map(|(id, s)| (id.to_string(), (*s).into())).collect();
        let lock = serde_json::json!({"version": 1, "slots": slots, "files": ["tapgen.lock"]});
        std::fs::write(dir.join("tapgen.lock"), lock.to_string()).unwrap();

        let mut values: Vec<u32> = lock_slots.iter().map(|(_, s)| *s).collect();
        values.sort_unstable();
        let collides = values.windows(2).any(|w| w[0] == w[1]);
        let out_of_range = values.iter().any(|s| *s == 0 || *s > 100);
        let read = Lock::read_for(&dir, &config, &config_path);
        prop_assert_eq!(read.is_err(), collides || out_of_range, "{:?}", read.as_ref().err().map(ToString::to_string));
        let Ok(previous) = read else { return Ok(()) };

        let rendered = tapgen::render(&config, &config_path, &previous).unwrap();
        let mut found = priorities(&rendered.files["Main.yaml"]);
        let count = found.len();
        found.sort_unstable();
        found.dedup();
        prop_assert_eq!(found.len(), count, "a priority twice");
        prop_assert!(count >= ids.len());

        std::fs::write(dir.join("tapgen.lock"), &rendered.files["tapgen.lock"]).unwrap();
        let next = Lock::read_for(&dir, &config, &config_path).unwrap();
        for (id, slot) in next.slots.iter() {
            match lock_slots.iter().find(|(kept, _)| *kept == id) {
                Some((_, before)) => prop_assert_eq!(slot, *before, "{} moved", id),
                None => prop_assert!(!values.contains(&slot), "{} took a recorded slot", id),
            }
        }
    }
}
