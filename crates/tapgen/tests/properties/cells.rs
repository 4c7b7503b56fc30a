//! The cell layout under adds, removes and reorders: every tenant stays in its cell, only the
//! cells it joins or leaves change, and every stack renders clean (Systems A, B and C).

use super::*;

#[path = "enterprise_cells.rs"]
mod enterprise;

use enterprise::{changed_entries, check_enterprise_cells, documented_platform_changes};

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
