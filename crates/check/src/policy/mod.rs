//! Policy rules: tenant isolation and security best practice on the rendered resource graph.
//!
//! Each rule has a stable id (`TAP-<FAMILY>-<n>`), is documented in `docs/policies.md`
//! (rationale, the cdk-nag / checkov checks it mirrors, what is checked, how to waive) and
//! reports on the exact logical resource name so that a waiver can name it.

mod compute;
mod database;
mod doc;
mod edge;
mod fleet;
mod graph;
mod iam;
mod identity;
mod isolation;
mod keys;
mod network;
mod segmentation;
mod serverless;
mod storage;
mod tenant_bucket;
mod value;
mod workload;

use crate::{Finding, Project};

/// Every rule id this module can report, in documentation order.
pub const RULES: &[&str] = &[
    "TAP-ISO-1",
    "TAP-ISO-2",
    "TAP-ISO-3",
    "TAP-ISO-4",
    "TAP-ISO-5",
    "TAP-ISO-6",
    "TAP-ISO-7",
    "TAP-ISO-8",
    "TAP-ISO-9",
    "TAP-IAM-1",
    "TAP-IAM-2",
    "TAP-IAM-3",
    "TAP-IAM-4",
    "TAP-IAM-5",
    "TAP-S3-1",
    "TAP-S3-2",
    "TAP-S3-3",
    "TAP-S3-4",
    "TAP-S3-5",
    "TAP-RDS-1",
    "TAP-RDS-2",
    "TAP-RDS-3",
    "TAP-RDS-4",
    "TAP-RDS-5",
    "TAP-EC-1",
    "TAP-EC-2",
    "TAP-EC2-1",
    "TAP-EC2-2",
    "TAP-EC2-3",
    "TAP-EC2-4",
    "TAP-EC2-5",
    "TAP-EC2-6",
    "TAP-ELB-1",
    "TAP-ELB-2",
    "TAP-ELB-3",
    "TAP-CF-1",
    "TAP-CF-2",
    "TAP-COG-1",
    "TAP-COG-2",
    "TAP-COG-3",
    "TAP-LAMBDA-1",
    "TAP-LOG-1",
    "TAP-LOG-2",
    "TAP-KMS-1",
    "TAP-SM-1",
    "TAP-SSM-1",
    "TAP-DDB-1",
    "TAP-DDB-2",
    "TAP-APIG-1",
    "TAP-APIG-2",
];

/// Runs every policy rule over the project's program.
pub fn check(project: &Project) -> Vec<Finding> {
    let graph = graph::Graph::new(&project.program);
    let docs = doc::collect(&graph);
    let mut out = Out::default();
    isolation::check(&graph, &docs, &mut out);
    storage::check(&graph, &docs, &mut out);
    segmentation::check(&graph, &mut out);
    workload::check(&graph, &mut out);
    iam::check(&graph, &docs, &mut out);
    identity::check(&graph, &docs, &mut out);
    database::check(&graph, &mut out);
    network::check(&graph, &mut out);
    edge::check(&graph, &mut out);
    compute::check(&graph, &mut out);
    fleet::check(&graph, &mut out);
    serverless::check(&graph, &mut out);
    keys::check(&graph, &mut out);
    out.0
}

/// Collected findings.
#[derive(Default)]
pub(crate) struct Out(Vec<Finding>);

impl Out {
    pub fn push(
        &mut self,
        rule: &str,
        resource: &str,
        path: impl Into<String>,
        message: impl Into<String>,
    ) {
        debug_assert!(RULES.contains(&rule), "undocumented rule {rule}");
        self.0.push(Finding {
            rule: rule.to_string(),
            resource: resource.to_string(),
            path: path.into(),
            message: message.into(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::value::{literal, normalize_type, pieces, Piece};
    use super::RULES;

    #[test]
    fn every_rule_is_documented() {
        let docs = include_str!("../../../../docs/policies.md");
        for rule in RULES {
            assert!(
                docs.contains(&format!("| {rule} |")),
                "{rule} missing from docs/policies.md"
            );
        }
    }

    #[test]
    fn types_normalise() {
        assert_eq!(normalize_type("aws:s3/bucket:Bucket"), "aws:s3:Bucket");
        assert_eq!(normalize_type("aws:s3/bucketV2:BucketV2"), "aws:s3:Bucket");
        assert_eq!(
            normalize_type("aws:alb/listener:Listener"),
            "aws:lb:Listener"
        );
        assert_eq!(
            normalize_type("aws:ec2:SecurityGroup"),
            "aws:ec2:SecurityGroup"
        );
    }

    #[test]
    fn references_and_escapes() {
        assert_eq!(
            pieces("${b.arn}/*"),
            vec![
                Piece::Ref {
                    root: "b",
                    rest: ".arn"
                },
                Piece::Lit("/*".into())
            ]
        );
        assert_eq!(
            literal("$${aws:PrincipalTag/tenant_id}", "*"),
            "${aws:PrincipalTag/tenant_id}"
        );
        assert_eq!(literal("arn:${p}:s3:::${b.id}", "*"), "arn:*:s3:::*");
        assert_eq!(
            pieces("${x[0].y}"),
            vec![Piece::Ref {
                root: "x",
                rest: "[0].y"
            }]
        );
    }
}
