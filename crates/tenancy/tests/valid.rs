//! A valid config becomes the expected model: defaults filled in, sizing merged, default
//! domains derived, JWKS loaded.

use std::collections::BTreeMap;
use std::path::Path;

use tenancy::{Config, Names, Sizing, System, TenantId, Tier};

fn fixture() -> Config {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ecs-fargate.toml");
    match tenancy::load(&path) {
        Ok(config) => config,
        Err(e) => panic!("fixture should be valid:\n{e}"),
    }
}

#[test]
fn platform_fields_and_defaults() {
    let p = fixture().platform;
    assert_eq!(p.system, System::EcsFargate);
    assert_eq!(p.system.as_str(), "ecs-fargate");
    assert_eq!(p.project, "saas-platform");
    assert_eq!(p.description, tenancy::DEFAULT_DESCRIPTION);
    assert_eq!(p.environment, "dev");
    assert_eq!(p.region, "us-east-1");
    assert_eq!(p.vpc_cidr.to_string(), "10.0.0.0/16");
    assert_eq!(p.az_count, 3);
    assert_eq!(p.base_domain, "example.com");
    let tags: BTreeMap<String, String> =
        [("cost_center".to_string(), "platform".to_string())].into();
    assert_eq!(p.tags, tags);
    assert_eq!(
        p.defaults,
        Sizing {
            log_retention_days: 14,
            ..Sizing::default()
        }
    );
    assert_eq!(p.database.name, "saasdb");
    assert_eq!(p.database.engine_version, "15.12");
    assert_eq!(p.database.instance_class, "db.r6g.large");
    let auth = p.auth.expect("auth");
    assert_eq!(auth.issuer, "https://auth.example.com/");
    assert_eq!(auth.audience, "tenant-api");
    assert_eq!(auth.tenant_claim, "tenant_id");
    assert_eq!(auth.jwks["keys"][0]["kid"], "test-key-1");
}

#[test]
fn tenants_in_file_order_with_merged_sizing_and_domains() {
    let config = fixture();
    let ids: Vec<&str> = config.tenants.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["acme-corp", "globex-inc", "initech-llc"]);

    let acme = &config.tenants[0];
    assert_eq!(acme.tier, Tier::Standard);
    assert_eq!(
        acme.domains,
        ["acme-corp.example.com", "*.acme-corp.example.com"]
    );
    assert_eq!(
        acme.sizing,
        Sizing {
            cpu: 1024,
            memory: 2048,
            desired_count: 2,
            min_tasks: 2,
            max_tasks: 8,
            cpu_target_percent: 70,
            log_retention_days: 14,
        }
    );

    let globex = &config.tenants[1];
    assert_eq!(globex.tier, Tier::Premium);
    assert_eq!(globex.tier.as_str(), "premium");
    assert_eq!(globex.domains, ["globex.io", "*.globex.io"]);
    assert_eq!(
        globex.sizing,
        Sizing {
            cpu: 2048,
            memory: 4096,
            desired_count: 3,
            log_retention_days: 14,
            ..Sizing::default()
        }
    );
}

#[test]
fn waivers_are_kept() {
    let waivers = fixture().waivers;
    assert_eq!(waivers.len(), 1);
    assert_eq!(waivers[0].rule, "TAP-S3-001");
    assert_eq!(waivers[0].resource, "bucket-acme-corp");
    assert_eq!(waivers[0].reason, "access logs are collected centrally");
}

#[test]
fn physical_names_match_system_a() {
    let config = fixture();
    let names = Names::new(&config.platform);
    let acme = &config.tenants[0].id;
    assert_eq!(names.bucket(acme), "saas-platform-acme-corp-data-dev");
    assert_eq!(names.task_role(acme), "saas-platform-acme-corp-task-dev");
    assert_eq!(
        names.execution_role(acme),
        "saas-platform-acme-corp-exec-dev"
    );
    assert_eq!(names.target_group(acme), "acme-corp-dev");
    assert_eq!(names.ecs_service(acme), "acme-corp-dev");
    assert_eq!(names.task_family(acme), "saas-platform-acme-corp-dev");
    assert_eq!(names.log_group(acme), "/ecs/tenant/acme-corp");
    assert_eq!(names.db_secret(acme), "rds/tenant/acme-corp/password");
    assert_eq!(names.db_schema(acme), "tenant_acme_corp");
    assert_eq!(names.db_user(acme), "tenant_acme_corp_app");
    assert_eq!(names.table_users(acme), "acme-corp-users-dev");
    assert_eq!(names.table_data(acme), "acme-corp-data-dev");
    assert_eq!(names.kms_alias(acme), "alias/tenant/acme-corp/data-key");
    assert_eq!(names.function(acme), "acme-corp-dev");
    assert_eq!(names.function_log_group(acme), "/aws/lambda/acme-corp-dev");
    assert_eq!(names.function_role(acme), "saas-platform-acme-corp-fn-dev");
    assert_eq!(names.cluster(), "saas-platform-dev");
    assert_eq!(names.alb(), "saas-platform-dev");
    assert_eq!(names.db_cluster(), "saas-platform-aurora-dev");
    assert_eq!(names.db_initializer(), "saas-platform-db-init-dev");
}

#[test]
fn name_rules_table_is_consistent() {
    let config = fixture();
    let names = Names::new(&config.platform);
    let id = TenantId::parse("zz-probe").expect("valid id");
    let rules = tenancy::names::tenant_name_rules();
    let mut labels: Vec<&str> = rules.iter().map(|r| r.label).collect();
    labels.sort_unstable();
    labels.dedup();
    assert_eq!(labels.len(), rules.len(), "labels are unique");
    for rule in rules {
        // The "ids can have at most N characters" hint relies on this.
        let name = (rule.name)(&names, &id);
        assert_eq!(
            name.matches("zz-probe").count() + name.matches("zz_probe").count(),
            1,
            "{name}"
        );
        assert!(!rule.systems.is_empty());
    }
    let serverless_only = rules
        .iter()
        .filter(|r| r.systems == [System::Serverless])
        .count();
    assert_eq!(serverless_only, 5);
    let enterprise_only = rules
        .iter()
        .filter(|r| r.systems == [System::Enterprise])
        .count();
    assert_eq!(enterprise_only, 8);
    assert_eq!(tenancy::names::platform_name_rules().len(), 13);
}

#[test]
fn enterprise_names_scope_tenant_paths_under_project_and_environment() {
    let config = fixture();
    let names = Names::new(&config.platform);
    let acme = &TenantId::parse("acme-corp").expect("valid id");
    assert_eq!(names.parameter_prefix(), "/saas-platform/dev/tenants");
    assert_eq!(
        names.tenant_parameter(acme),
        "/saas-platform/dev/tenants/acme-corp/config"
    );
    assert_eq!(
        names.tenant_log_group(acme),
        format!("{}/acme-corp", names.log_prefix())
    );
    assert_eq!(names.cache_group(acme), "acme-corp-dev");
    assert_eq!(names.shared_cache_group(3), "saas-platform-pool3-dev");
    assert_eq!(names.cache_user(acme), "acme-corp-dev");
}

#[test]
fn minimal_config_gets_every_default() {
    let text = "[platform]\nsystem = \"enterprise\"\nproject = \"p\"\nenvironment = \"prod\"\n\
                region = \"eu-central-2\"\nvpc_cidr = \"10.18.0.0/16\"\nbase_domain = \"example.org\"\n\
                [[tenants]]\nid = \"t1\"\ntier = \"standard\"\n";
    let config = tenancy::parse(text, "min.toml", Path::new(".")).expect("valid");
    assert_eq!(config.platform.system, System::Enterprise);
    assert_eq!(config.platform.az_count, tenancy::DEFAULT_AZ_COUNT);
    assert!(config.platform.tags.is_empty());
    assert_eq!(config.platform.defaults, Sizing::default());
    assert_eq!(config.platform.auth, None);
    assert!(config.waivers.is_empty());
    assert_eq!(config.tenants[0].sizing, Sizing::default());
    assert_eq!(
        config.tenants[0].domains,
        ["t1.example.org", "*.t1.example.org"]
    );
}
