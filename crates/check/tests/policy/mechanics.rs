//! Rule mechanics: the rendered examples and synthetic fixtures are clean, waivers apply,
//! full type tokens are understood, and the checks scale to hundreds of tenants.

use std::path::PathBuf;

use check::{check_project, Project, Waiver};
use serde_json::{json, Value};

use crate::support::*;

#[test]
fn every_rendered_example_has_no_policy_findings() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(examples_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|d| d.join("Main.yaml").is_file())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty());
    let mut report = String::new();
    for dir in dirs {
        let found = policy(&Project::load(&dir).unwrap());
        if !found.is_empty() {
            report.push_str(&format!("{}:\n{}", dir.display(), show(&found)));
        }
    }
    assert!(
        report.is_empty(),
        "policy findings in rendered examples:\n{report}"
    );
}

#[test]
fn fixed_ecs_example_and_synthetic_programs_are_clean() {
    expect_exactly(&ecs(), &[]);
    expect_exactly(&fixture("serverless"), &[]);
    expect_exactly(&fixture("enterprise"), &[]);
    expect_exactly(&fixture("identity"), &[]);
}

#[test]
fn waivers_accept_findings_by_rule_and_resource() {
    let mut p = ecs();
    props(&mut p, "acme-corp-key")["enableKeyRotation"] = json!(false);
    let waiver = Waiver {
        rule: "TAP-KMS-1".into(),
        resource: "acme-corp-key".into(),
        reason: "test".into(),
    };
    let report = check_project(&p, &[waiver]);
    assert!(report.findings.iter().all(|f| f.rule != "TAP-KMS-1"));
    assert!(report
        .waived
        .iter()
        .any(|(f, _)| f.rule == "TAP-KMS-1" && f.resource == "acme-corp-key"));
}

#[test]
fn full_type_tokens_are_read_like_short_ones() {
    let mut p = ecs();
    for (name, full) in [
        ("acme-corp-task-role-policy", "aws:iam/rolePolicy:RolePolicy"),
        ("acme-corp-task-role", "aws:iam/role:Role"),
        ("acme-corp-bucket", "aws:s3/bucket:Bucket"),
        ("acme-corp-bucket-encryption", "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"),
        ("acme-corp-bucket-policy", "aws:s3/bucketPolicy:BucketPolicy"),
    ] {
        res(&mut p, name)["type"] = json!(full);
    }
    expect_exactly(&p, &[]);
    statements(&mut p, "acme-corp-task-role-policy")
        .push(allow(json!("s3:*"), json!("${globex-inc-bucket.arn}")));
    expect_exactly(
        &p,
        &[
            ("TAP-IAM-1", "acme-corp-task-role-policy"),
            ("TAP-ISO-1", "acme-corp-task-role-policy"),
            ("TAP-ISO-4", "globex-inc-bucket"),
        ],
    );
}

// ---------------------------------------------------------------- scale

#[test]
fn hundreds_of_tenants_stay_clean_and_fast() {
    // Copy every acme-corp resource for 300 more tenants (names, tags, references).
    let mut p = ecs();
    let resources = p.program["resources"].as_object().unwrap().clone();
    let acme: Vec<(&String, &Value)> = resources
        .iter()
        .filter(|(name, _)| name.starts_with("acme-corp-"))
        .collect();
    assert!(acme.len() > 10);
    for i in 0..300 {
        let tenant = format!("tenant-{i:03}");
        for (name, body) in &acme {
            let text = serde_json::to_string(body)
                .unwrap()
                .replace("acme-corp", &tenant)
                .replace("acme_corp", &tenant.replace('-', "_"));
            let mut body: Value = serde_json::from_str(&text).unwrap();
            if let Some(priority) = body["properties"].get_mut("priority") {
                *priority = json!(1000 + i);
            }
            add(&mut p, &name.replace("acme-corp", &tenant), body);
        }
    }
    let started = std::time::Instant::now();
    expect_exactly(&p, &[]);
    assert!(
        started.elapsed().as_secs() < 60,
        "policy checks took {:?}",
        started.elapsed()
    );
    // And isolation is still judged at that size.
    statements(&mut p, "tenant-123-task-role-policy").push(allow(
        json!("s3:GetObject"),
        json!("${tenant-007-bucket.arn}/*"),
    ));
    expect_exactly(
        &p,
        &[
            ("TAP-ISO-1", "tenant-123-task-role-policy"),
            ("TAP-ISO-4", "tenant-007-bucket"),
        ],
    );
}
