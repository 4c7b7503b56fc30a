//! A tenant's S3 bucket: private, versioned, KMS-encrypted, TLS-only, and closed to every
//! principal tagged as another tenant.

use program::{list, map, Expr, Handle, Program, Resource};
use tenancy::{tags, Names, Platform, Tenant};

pub fn tenant_bucket(
    program: &mut Program,
    platform: &Platform,
    tenant: &Tenant,
    key: &Handle,
    deployer: &Handle,
) -> Handle {
    let id = &tenant.id;
    let name = Names::new(platform).bucket(id);
    let bucket = program.resource(
        &format!("{id}-bucket"),
        Resource::new("aws:s3:Bucket")
            .with("bucket", name.as_str())
            .with("forceDestroy", true)
            .with("tags", &tags::tenant(platform, id, &name)),
    );
    let part = |suffix: &str| format!("{id}-bucket-{suffix}");
    program.resource(
        &part("ownership"),
        Resource::new("aws:s3:BucketOwnershipControls")
            .with("bucket", bucket.id())
            .with("rule", map! { "objectOwnership" => "BucketOwnerEnforced" }),
    );
    let public_access = program.resource(
        &part("public-access"),
        Resource::new("aws:s3:BucketPublicAccessBlock")
            .with("bucket", bucket.id())
            .with("blockPublicAcls", true)
            .with("blockPublicPolicy", true)
            .with("ignorePublicAcls", true)
            .with("restrictPublicBuckets", true),
    );
    program.resource(
        &part("versioning"),
        Resource::new("aws:s3:BucketVersioning")
            .with("bucket", bucket.id())
            .with("versioningConfiguration", map! { "status" => "Enabled" }),
    );
    program.resource(
        &part("encryption"),
        Resource::new("aws:s3:BucketServerSideEncryptionConfiguration")
            .with("bucket", bucket.id())
            .with(
                "rules",
                list![map! {
                    "applyServerSideEncryptionByDefault" => map! {
                        "sseAlgorithm" => "aws:kms",
                        "kmsMasterKeyId" => key.arn(),
                    },
                    "bucketKeyEnabled" => true,
                }],
            ),
    );
    program.resource(
        &part("policy"),
        Resource::new("aws:s3:BucketPolicy")
            .with("bucket", bucket.id())
            .with("policy", bucket_policy(&bucket, id.as_ref(), deployer))
            // Applying a policy while the public access block is still being created fails.
            .depends_on(&[&public_access]),
    );
    bucket
}

/// Two denials on top of whatever IAM allows: plain HTTP, for everyone; and any S3 action
/// by any principal not tagged with this tenant's `tenant_id`, except the principal that
/// deploys the stack (it manages the bucket and empties it on `pulumi destroy`).
///
/// Deploying from a different principal later means that principal is denied here until
/// the policy names it: deploy that change once from the old principal (or, as a last
/// resort, the account root can delete a bucket policy).
fn bucket_policy(bucket: &Handle, tenant: &str, deployer: &Handle) -> Expr {
    let bucket_and_objects = list![bucket.arn(), Expr::concat([bucket.arn(), "/*".into()])];
    let deny = |sid: &str, condition: Expr| {
        map! {
            "Sid" => sid,
            "Effect" => "Deny",
            "Principal" => "*",
            "Action" => "s3:*",
            "Resource" => bucket_and_objects.clone(),
            "Condition" => condition,
        }
    };
    Expr::to_json(map! {
        "Version" => "2012-10-17",
        "Statement" => list![
            deny("DenyInsecureTransport", map! { "Bool" => map! { "aws:SecureTransport" => "false" } }),
            deny(
                "DenyOutsideTenant",
                map! {
                    "StringNotEquals" => map! { "aws:PrincipalTag/tenant_id" => tenant },
                    "ArnNotEquals" => map! { "aws:PrincipalArn" => deployer.expr() },
                },
            ),
        ],
    })
}

/// The IAM principal running `pulumi up` (a role, for assumed-role sessions), looked up
/// at deploy time: the one untagged principal tenant buckets let at their data.
pub fn deployer(program: &mut Program) -> Handle {
    let caller = program.variable(
        "deployerSession",
        Expr::invoke("aws:getCallerIdentity", map! {}, Some("arn")),
    );
    program.variable(
        "deployer",
        Expr::invoke(
            "aws:iam:getSessionContext",
            map! { "arn" => caller.expr() },
            Some("issuerArn"),
        ),
    )
}
