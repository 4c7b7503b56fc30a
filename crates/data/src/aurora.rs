//! The shared Aurora PostgreSQL cluster: private, encrypted, AWS-managed master password,
//! and the RDS Data API on so tenant schemas can be created without a network path.

use program::{list, map, Expr, Handle, Program, Resource};
use tenancy::{tags, Names, Platform};

pub struct Database {
    pub cluster: Handle,
    pub writer: Handle,
}

impl Database {
    /// The Secrets Manager secret RDS keeps the master credentials in.
    pub fn master_secret_arn(&self) -> Expr {
        self.cluster.attr("masterUserSecrets[0].secretArn")
    }
}

const MASTER_USER: &str = "saasadmin";

pub fn aurora(
    program: &mut Program,
    platform: &Platform,
    subnet_ids: Expr,
    security_group: &Handle,
) -> Database {
    let names = Names::new(platform);
    let identifier = names.db_cluster();
    let shared_tags = |name: &str| Expr::from(&tags::shared(platform, name));
    let subnet_group = program.resource(
        "database-subnet-group",
        Resource::new("aws:rds:SubnetGroup")
            .with("name", format!("{identifier}-subnets"))
            .with("description", "Private subnets of the tenant database")
            .with("subnetIds", subnet_ids)
            .with("tags", shared_tags(&format!("{identifier}-subnets"))),
    );
    let parameters = program.resource(
        "database-parameters",
        Resource::new("aws:rds:ClusterParameterGroup")
            .with("name", format!("{identifier}-params"))
            .with("family", "aurora-postgresql15")
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
    let cluster = program.resource(
        "database-cluster",
        Resource::new("aws:rds:Cluster")
            .with("clusterIdentifier", identifier.as_str())
            .with("engine", "aurora-postgresql")
            .with("engineMode", "provisioned")
            .with("engineVersion", platform.database.engine_version.as_str())
            .with("databaseName", platform.database.name.as_str())
            .with("masterUsername", MASTER_USER)
            .with("manageMasterUserPassword", true)
            .with("enableHttpEndpoint", true)
            .with("iamDatabaseAuthenticationEnabled", true)
            .with("storageEncrypted", true)
            .with("dbSubnetGroupName", subnet_group.attr("name"))
            .with("vpcSecurityGroupIds", list![security_group.id()])
            .with("dbClusterParameterGroupName", parameters.attr("name"))
            .with("backupRetentionPeriod", 7u32)
            .with("preferredBackupWindow", "03:00-04:00")
            .with("copyTagsToSnapshot", true)
            .with("enabledCloudwatchLogsExports", list!["postgresql"])
            .with("deletionProtection", false)
            .with("skipFinalSnapshot", true)
            .with("tags", shared_tags(&identifier)),
    );
    let writer = program.resource(
        "database-writer",
        Resource::new("aws:rds:ClusterInstance")
            .with("identifier", format!("{identifier}-writer"))
            .with("clusterIdentifier", cluster.id())
            .with("instanceClass", platform.database.instance_class.as_str())
            .with("engine", cluster.attr("engine"))
            .with("engineVersion", cluster.attr("engineVersion"))
            .with("dbSubnetGroupName", subnet_group.attr("name"))
            .with("publiclyAccessible", false)
            .with("autoMinorVersionUpgrade", true)
            .with("performanceInsightsEnabled", true)
            .with("tags", shared_tags(&format!("{identifier}-writer"))),
    );
    Database { cluster, writer }
}
