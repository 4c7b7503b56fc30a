//! The shared Aurora PostgreSQL cluster: private, encrypted, AWS-managed master password,
//! TLS required, and the RDS Data API on so deploy-time code needs no network path.
//!
//! [`aurora`] is System A's writer-only cluster; [`aurora_rls`] is System B's pooled-tenant
//! cluster: a writer and a reader in different zones, a customer managed key, and an
//! instance parameter group that bounds idle transactions (tenant context is per
//! transaction, so an abandoned one must not hold a pooled connection).

use compute::logs::log_group;
use program::{list, map, Expr, Handle, Program, Resource};
use tenancy::{tags, Names, Platform};

pub struct Database {
    pub cluster: Handle,
    pub writer: Handle,
    /// The reader instance, when the cluster has one.
    pub reader: Option<Handle>,
}

impl Database {
    /// The Secrets Manager secret RDS keeps the master credentials in.
    pub fn master_secret_arn(&self) -> Expr {
        self.cluster.attr("masterUserSecrets[0].secretArn")
    }
}

const MASTER_USER: &str = "saasadmin";

/// System A: one writer, AWS managed storage key, one security group.
pub fn aurora(
    program: &mut Program,
    platform: &Platform,
    subnet_ids: Expr,
    security_group: &Handle,
) -> Database {
    build(
        program,
        platform,
        Spec {
            subnet_ids,
            security_group_ids: list![security_group.id()],
            key: None,
            zones: None,
        },
    )
}

/// Where System B's cluster lives and what encrypts it.
pub struct RlsCluster<'a> {
    /// Private subnets (at least two zones).
    pub subnet_ids: Expr,
    pub security_group_ids: Expr,
    /// Encrypts storage, the master secret, Performance Insights and the PostgreSQL log.
    pub key: &'a Handle,
    pub writer_zone: Expr,
    /// Must differ from `writer_zone`, so losing a zone leaves a promotable reader.
    pub reader_zone: Expr,
    /// Retention of the PostgreSQL log group.
    pub log_retention_days: u32,
}

/// System B: the row-level-security cluster shared by pooled tenants.
pub fn aurora_rls(program: &mut Program, platform: &Platform, spec: RlsCluster) -> Database {
    let identifier = Names::new(platform).db_cluster();
    // Declared before the cluster, so RDS writes into a log group Pulumi owns (retention,
    // removed on destroy) instead of creating an unmanaged one.
    let logs = log_group(
        program,
        "database-logs",
        &format!("/aws/rds/cluster/{identifier}/postgresql"),
        spec.log_retention_days,
        Expr::from(&tags::shared(platform, &identifier)),
    );
    build(
        program,
        platform,
        Spec {
            subnet_ids: spec.subnet_ids,
            security_group_ids: spec.security_group_ids,
            key: Some(spec.key),
            zones: Some((spec.writer_zone, spec.reader_zone, logs)),
        },
    )
}

struct Spec<'a> {
    subnet_ids: Expr,
    security_group_ids: Expr,
    key: Option<&'a Handle>,
    /// Writer zone, reader zone, and the cluster's log group: set for a two-instance cluster.
    zones: Option<(Expr, Expr, Handle)>,
}

fn build(program: &mut Program, platform: &Platform, spec: Spec) -> Database {
    let identifier = Names::new(platform).db_cluster();
    let shared_tags = |name: &str| Expr::from(&tags::shared(platform, name));
    let family = format!(
        "aurora-postgresql{}",
        major(&platform.database.engine_version)
    );
    let subnet_group = program.resource(
        "database-subnet-group",
        Resource::new("aws:rds:SubnetGroup")
            .with("name", format!("{identifier}-subnets"))
            .with("description", "Private subnets of the tenant database")
            .with("subnetIds", spec.subnet_ids)
            .with("tags", shared_tags(&format!("{identifier}-subnets"))),
    );
    let parameters = program.resource(
        "database-parameters",
        Resource::new("aws:rds:ClusterParameterGroup")
            .with("name", format!("{identifier}-params"))
            .with("family", family.as_str())
            .with("description", "pg_stat_statements loaded; TLS required")
            .with(
                "parameters",
                list![
                    map! {
                        "name" => "shared_preload_libraries",
                        "value" => "pg_stat_statements",
                        "applyMethod" => "pending-reboot",
                    },
                    map! { "name" => "rds.force_ssl", "value" => "1", "applyMethod" => "pending-reboot" },
                ],
            )
            .with("tags", shared_tags(&format!("{identifier}-params"))),
    );
    let instance_parameters = spec
        .zones
        .as_ref()
        .map(|_| instance_parameter_group(program, platform, &identifier, &family));
    let key_arn = spec.key.map(Handle::arn);
    let mut cluster = Resource::new("aws:rds:Cluster")
        .with("clusterIdentifier", identifier.as_str())
        .with("engine", "aurora-postgresql")
        .with("engineMode", "provisioned")
        .with("engineVersion", platform.database.engine_version.as_str())
        .with("databaseName", platform.database.name.as_str())
        .with("masterUsername", MASTER_USER)
        .with("manageMasterUserPassword", true)
        .with("masterUserSecretKmsKeyId", key_arn.clone())
        .with("enableHttpEndpoint", true)
        .with("iamDatabaseAuthenticationEnabled", true)
        .with("storageEncrypted", true)
        .with("kmsKeyId", key_arn.clone())
        .with("dbSubnetGroupName", subnet_group.attr("name"))
        .with("vpcSecurityGroupIds", spec.security_group_ids)
        .with("dbClusterParameterGroupName", parameters.attr("name"))
        .with("backupRetentionPeriod", 7u32)
        .with("preferredBackupWindow", "03:00-04:00")
        .with("copyTagsToSnapshot", true)
        .with("enabledCloudwatchLogsExports", list!["postgresql"])
        .with("deletionProtection", false)
        .with("skipFinalSnapshot", true)
        .with("tags", shared_tags(&identifier));
    if let Some((_, _, logs)) = &spec.zones {
        cluster = cluster.depends_on(&[logs]);
    }
    let cluster = program.resource("database-cluster", cluster);
    let mut instance = |role: &str, zone: Option<Expr>| {
        program.resource(
            &format!("database-{role}"),
            Resource::new("aws:rds:ClusterInstance")
                .with("identifier", format!("{identifier}-{role}"))
                .with("clusterIdentifier", cluster.id())
                .with("instanceClass", platform.database.instance_class.as_str())
                .with("engine", cluster.attr("engine"))
                .with("engineVersion", cluster.attr("engineVersion"))
                .with("availabilityZone", zone)
                .with("dbSubnetGroupName", subnet_group.attr("name"))
                .with(
                    "dbParameterGroupName",
                    instance_parameters.as_ref().map(|p| p.attr("name")),
                )
                .with("publiclyAccessible", false)
                .with("autoMinorVersionUpgrade", true)
                .with("performanceInsightsEnabled", true)
                .with("performanceInsightsKmsKeyId", key_arn.clone())
                .with("tags", shared_tags(&format!("{identifier}-{role}"))),
        )
    };
    match spec.zones {
        None => Database {
            writer: instance("writer", None),
            reader: None,
            cluster,
        },
        Some((writer_zone, reader_zone, _)) => {
            let writer = instance("writer", Some(writer_zone));
            // Failover tier 1 by default: the reader is the promotion target.
            let reader = instance("reader", Some(reader_zone));
            Database {
                cluster,
                writer,
                reader: Some(reader),
            }
        }
    }
}

/// Instance-level settings for a pooled, RLS-scoped workload: transactions left idle are
/// ended after a minute, and statements over a second are logged.
fn instance_parameter_group(
    program: &mut Program,
    platform: &Platform,
    identifier: &str,
    family: &str,
) -> Handle {
    let name = format!("{identifier}-instance-params");
    program.resource(
        "database-instance-parameters",
        Resource::new("aws:rds:ParameterGroup")
            .with("name", name.as_str())
            .with("family", family)
            .with(
                "description",
                "Idle transactions ended after 60 s; statements over 1 s logged",
            )
            .with(
                "parameters",
                list![
                    map! {
                        "name" => "idle_in_transaction_session_timeout",
                        "value" => "60000",
                        "applyMethod" => "immediate",
                    },
                    map! {
                        "name" => "log_min_duration_statement",
                        "value" => "1000",
                        "applyMethod" => "immediate",
                    },
                ],
            )
            .with("tags", Expr::from(&tags::shared(platform, &name))),
    )
}

/// `15.12` → `15`: parameter group families follow the major version.
fn major(version: &str) -> &str {
    version.split('.').next().unwrap_or(version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{enterprise, render};

    fn rls_program() -> serde_json::Value {
        let config = enterprise();
        let mut program = Program::new();
        let key = program.resource("database-key", Resource::new("aws:kms:Key"));
        let zones = program.variable("zones", Expr::from("stub"));
        aurora_rls(
            &mut program,
            &config.platform,
            RlsCluster {
                subnet_ids: list!["subnet-a", "subnet-b"],
                security_group_ids: list!["sg-db"],
                key: &key,
                writer_zone: Expr::from(zones.reference().attr("names").index(0)),
                reader_zone: Expr::from(zones.reference().attr("names").index(1)),
                log_retention_days: 30,
            },
        );
        render(&program)
    }

    #[test]
    fn writer_and_reader_sit_in_different_zones_under_the_instance_parameters() {
        let out = rls_program();
        let r = &out["resources"];
        let writer = &r["database-writer"]["properties"];
        let reader = &r["database-reader"]["properties"];
        assert_eq!(writer["availabilityZone"], "${zones.names[0]}");
        assert_eq!(reader["availabilityZone"], "${zones.names[1]}");
        for instance in [writer, reader] {
            assert_eq!(
                instance["dbParameterGroupName"],
                "${database-instance-parameters.name}"
            );
            assert_eq!(instance["publiclyAccessible"], false);
            assert_eq!(
                instance["performanceInsightsKmsKeyId"],
                "${database-key.arn}"
            );
        }
        let params = &r["database-instance-parameters"]["properties"];
        assert_eq!(params["family"], "aurora-postgresql15");
        assert_eq!(
            params["parameters"][0]["name"],
            "idle_in_transaction_session_timeout"
        );
    }

    #[test]
    fn the_rls_cluster_is_encrypted_tls_only_managed_and_leaves_nothing_behind() {
        let out = rls_program();
        let r = &out["resources"];
        let cluster = &r["database-cluster"]["properties"];
        assert_eq!(cluster["storageEncrypted"], true);
        assert_eq!(cluster["kmsKeyId"], "${database-key.arn}");
        assert_eq!(cluster["masterUserSecretKmsKeyId"], "${database-key.arn}");
        assert_eq!(cluster["manageMasterUserPassword"], true);
        assert_eq!(cluster["enableHttpEndpoint"], true);
        assert_eq!(cluster["deletionProtection"], false);
        assert_eq!(cluster["skipFinalSnapshot"], true);
        assert!(cluster.get("masterPassword").is_none());
        let params = &r["database-parameters"]["properties"]["parameters"];
        assert!(params
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "rds.force_ssl" && p["value"] == "1"));
        assert_eq!(
            r["database-logs"]["properties"]["name"],
            "/aws/rds/cluster/tap-enterprise-aurora-prod/postgresql"
        );
        assert_eq!(
            r["database-cluster"]["options"]["dependsOn"],
            serde_json::json!(["${database-logs}"])
        );
    }

    #[test]
    fn the_system_a_cluster_keeps_one_writer_and_no_instance_parameters() {
        let config = enterprise();
        let mut program = Program::new();
        let group = program.resource("database-sg", Resource::new("aws:ec2:SecurityGroup"));
        let database = aurora(&mut program, &config.platform, list!["subnet-a"], &group);
        assert!(database.reader.is_none());
        let out = render(&program);
        let r = out["resources"].as_object().unwrap();
        assert!(!r.contains_key("database-instance-parameters"));
        assert!(r["database-writer"]["properties"]
            .get("availabilityZone")
            .is_none());
        assert!(r["database-cluster"]["properties"]
            .get("kmsKeyId")
            .is_none());
    }
}
