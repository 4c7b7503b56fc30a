//! Conflicts between fields of different tenants (hosts, wildcards), between waivers and the
//! rendered program, and between the lock and the config: refused where they are written.

use super::*;

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
