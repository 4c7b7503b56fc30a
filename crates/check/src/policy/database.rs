//! Databases and caches: RDS / Aurora (TAP-RDS-*) and ElastiCache (TAP-EC-*).

use serde_json::Value;

use super::graph::{Graph, Res};
use super::value::{as_bool, as_num, items, text};
use super::Out;

pub fn check(g: &Graph, out: &mut Out) {
    for db in g.of("aws:rds:Cluster").chain(g.of("aws:rds:Instance")) {
        let replica = db.props.get("replicateSourceDb").is_some()
            || db.props.get("replicationSourceIdentifier").is_some();
        if !replica && as_bool(db.props.get("storageEncrypted")) != Some(true) {
            out.push(
                "TAP-RDS-1",
                db.name,
                "properties.storageEncrypted",
                "storage is not encrypted (storageEncrypted: true)",
            );
        }
        if !replica {
            if db.props.get("snapshotIdentifier").is_none() {
                master_password(db, out);
            }
            if as_num(db.props.get("backupRetentionPeriod")).is_none_or(|d| d < 7.0) {
                out.push(
                    "TAP-RDS-4",
                    db.name,
                    "properties.backupRetentionPeriod",
                    "automated backups are kept less than 7 days (backupRetentionPeriod >= 7)",
                );
            }
        }
        if db.ty == "aws:rds:Instance" {
            public(db, out);
        }
    }
    for inst in g.of("aws:rds:ClusterInstance") {
        public(inst, out);
    }
    for pg in g
        .of("aws:rds:ClusterParameterGroup")
        .chain(g.of("aws:rds:ParameterGroup"))
    {
        force_tls(pg, out);
    }
    for rg in g.of("aws:elasticache:ReplicationGroup") {
        for key in ["atRestEncryptionEnabled", "transitEncryptionEnabled"] {
            if as_bool(rg.props.get(key)) != Some(true) {
                out.push(
                    "TAP-EC-1",
                    rg.name,
                    format!("properties.{key}"),
                    format!("{key} is not true"),
                );
            }
        }
        let users = !items(rg.props.get("userGroupIds")).is_empty();
        if !users && rg.props.get("authToken").is_none() {
            out.push(
                "TAP-EC-2",
                rg.name,
                "properties.userGroupIds",
                "no RBAC user group (userGroupIds) or AUTH token: any client in the network can run commands",
            );
        }
        if rg
            .props
            .get("transitEncryptionMode")
            .and_then(Value::as_str)
            == Some("preferred")
        {
            out.push(
                "TAP-EC-1",
                rg.name,
                "properties.transitEncryptionMode",
                "transitEncryptionMode `preferred` accepts plaintext clients; use `required`",
            );
        }
    }
    for u in g.of("aws:elasticache:User") {
        let no_password = as_bool(u.props.get("noPasswordRequired")) == Some(true)
            || u.props
                .get("authenticationMode")
                .and_then(|m| m.get("type"))
                .and_then(Value::as_str)
                == Some("no-password-required");
        let access = u
            .props
            .get("accessString")
            .and_then(text)
            .unwrap_or_default();
        let disabled = access
            .split_whitespace()
            .any(|t| t.eq_ignore_ascii_case("off"));
        if no_password && !disabled {
            out.push(
                "TAP-EC-2",
                u.name,
                "properties.noPasswordRequired",
                "enabled cache user without a password or IAM authentication",
            );
        }
    }
}

/// TAP-RDS-2.
fn public(inst: &Res, out: &mut Out) {
    if as_bool(inst.props.get("publiclyAccessible")) == Some(true) {
        out.push(
            "TAP-RDS-2",
            inst.name,
            "properties.publiclyAccessible",
            "database instance is publicly accessible",
        );
    }
}

/// TAP-RDS-3: the master password is managed by Secrets Manager, never in the program.
fn master_password(db: &Res, out: &mut Out) {
    for key in [
        "masterPassword",
        "password",
        "masterPasswordWo",
        "passwordWo",
    ] {
        if db.props.get(key).is_some() {
            out.push(
                "TAP-RDS-3",
                db.name,
                format!("properties.{key}"),
                "master password is set in the program (it lands in state); use manageMasterUserPassword: true",
            );
        }
    }
    if as_bool(db.props.get("manageMasterUserPassword")) != Some(true) {
        out.push(
            "TAP-RDS-3",
            db.name,
            "properties.manageMasterUserPassword",
            "master password is not managed by Secrets Manager (manageMasterUserPassword: true)",
        );
    }
}

/// TAP-RDS-5: parameter groups of PostgreSQL / MySQL families require TLS.
fn force_tls(pg: &Res, out: &mut Out) {
    let family = pg
        .props
        .get("family")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_ascii_lowercase();
    let aurora = family.starts_with("aurora");
    if aurora && pg.ty == "aws:rds:ParameterGroup" {
        return; // Aurora's TLS switch is a cluster parameter.
    }
    let (name, accepted): (&str, &[&str]) = if family.contains("postgres") {
        ("rds.force_ssl", &["1"])
    } else if family.contains("mysql") || family.contains("mariadb") {
        ("require_secure_transport", &["1", "on"])
    } else {
        return;
    };
    let value = items(pg.props.get("parameters"))
        .into_iter()
        .find(|p| p.get("name").and_then(Value::as_str) == Some(name))
        .and_then(|p| p.get("value").and_then(text));
    if !value
        .as_deref()
        .is_some_and(|v| accepted.contains(&v.to_ascii_lowercase().as_str()))
    {
        out.push(
            "TAP-RDS-5",
            pg.name,
            "properties.parameters",
            format!("{family} parameter group does not set {name} = {} (plaintext connections accepted)", accepted[0]),
        );
    }
}
