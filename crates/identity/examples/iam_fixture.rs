//! Renders the System B identity layer with the data builders it scopes, for the real IAM
//! evaluation (tests/iam/system-b.test.mjs): `cargo run -p identity --example iam_fixture -- DIR`
//! writes `DIR/Main.yaml` and `DIR/Pulumi.yaml`. The same render is committed as the policy
//! tests' fixture `crates/check/tests/fixtures/policy/identity` (kept current by
//! `crates/identity/tests/fixture.rs`).
//!
//! Two premium and three standard tenants, each with the resources the tenant-access
//! policies name: its KMS key, bucket (data), log group (compute), and stand-ins for the two
//! that Pulumi does not declare in System B: the configuration parameter (the provisioning
//! function writes it, under this very name) and an application secret found by its tag.
//! The instance roles stand in for system-b's fleet roles.

use std::path::PathBuf;

use compute::iam::{account_id, role};
use program::{Expr, Handle, Program, Resource};
use tenancy::{tags, Config, Names, Tenant, Tier};

/// The tenants, after the shared enterprise platform (`tenancy::testing`).
const TENANTS: &str = r#"
[[tenants]]
id = "acme"
tier = "premium"

[[tenants]]
id = "umbrella"
tier = "premium"
domains = ["umbrella.example", "*.umbrella.example"]
dns = "hosted"
auth_domain = "auth.umbrella.example"

[[tenants]]
id = "globex"
tier = "standard"

[[tenants]]
id = "initech"
tier = "standard"

[[tenants]]
id = "hooli"
tier = "standard"
"#;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).ok_or("usage: iam_fixture DIR")?);
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("Main.yaml"), render()?)?;
    std::fs::write(dir.join("Pulumi.yaml"), PROJECT)?;
    Ok(())
}

/// The project file `tapgen check` reads beside `Main.yaml`.
pub const PROJECT: &str = "name: identity-fixture\nruntime: yaml\n\
    description: System B identity layer with the resources it scopes (tests/iam, policy tests).\n";

/// The fixture's `Main.yaml`.
pub fn render() -> Result<String, Box<dyn std::error::Error>> {
    let config: Config = tenancy::testing::enterprise(TENANTS);
    let platform = &config.platform;
    let mut program = Program::new();
    let account = account_id(&mut program);
    let deployer = data::deployer(&mut program);
    let instance = |program: &mut Program, logical: &str, name: &str| -> Handle {
        let tags = Expr::from(&tags::shared(platform, name));
        role(program, logical, name, "ec2.amazonaws.com", tags, vec![]).role
    };
    let pool_role = instance(
        &mut program,
        "pool-instance-role",
        "tap-enterprise-pool-prod",
    );
    identity::tenant_access(
        &mut program,
        platform,
        &config.tenants,
        &pool_role,
        &account,
    );
    for tenant in &config.tenants {
        tenant_resources(&mut program, &config, tenant, &account, &deployer)?;
        if tenant.tier == Tier::Premium {
            let name = format!("tap-enterprise-{}-instance-prod", tenant.id);
            let role = instance(&mut program, &format!("{}-instance-role", tenant.id), &name);
            identity::premium_access(&mut program, platform, tenant, &role, &account);
        }
    }
    Ok(program.emit()?)
}

fn tenant_resources(
    program: &mut Program,
    config: &Config,
    tenant: &Tenant,
    account: &Handle,
    deployer: &Handle,
) -> Result<(), Box<dyn std::error::Error>> {
    let platform = &config.platform;
    let names = Names::new(platform);
    let id = &tenant.id;
    let alias = names.kms_alias(id);
    let key = data::tenant_key_for_logs(program, platform, tenant, &alias, account);
    data::tenant_bucket(program, platform, tenant, &key, deployer);
    compute::observability::tenant_logs(program, platform, tenant, &key);
    let parameter = names.tenant_parameter(id);
    program.resource(
        &format!("{id}-config"),
        Resource::new("aws:ssm:Parameter")
            .with("name", parameter.as_str())
            .with("type", "SecureString")
            .with("keyId", key.arn())
            .with("value", "{}")
            .with("tags", &tags::tenant(platform, id, &parameter)),
    );
    let secret = format!("{}/{id}/app", names.parameter_prefix());
    program.resource(
        &format!("{id}-app-secret"),
        Resource::new("aws:secretsmanager:Secret")
            .with("name", secret.as_str())
            .with("kmsKeyId", key.arn())
            .with("tags", &tags::tenant(platform, id, &secret)),
    );
    let zone = tenant.auth_domain.as_ref().map(|_| {
        program.resource(
            &format!("{id}-zone"),
            Resource::new("aws:route53:Zone").with("name", tenant.domains[0].as_str()),
        )
    });
    identity::tenant_pool(program, platform, tenant, zone.as_ref())?;
    Ok(())
}
