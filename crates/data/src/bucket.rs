//! A tenant's S3 bucket: private, versioned, KMS-encrypted, TLS-only, and closed to every
//! principal tagged as another tenant.

use program::{list, map, Expr, Handle, Program, Resource};
use tenancy::{tags, Names, Platform, Tenant};

/// Object-level actions the bucket policy guards (named, never `s3:*`).
const DATA_ACTIONS: [&str; 7] = [
    "s3:GetObject",
    "s3:GetObjectVersion",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
    "s3:ListBucket",
    "s3:ListBucketVersions",
];

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

/// Three denials on top of whatever IAM allows:
/// - plain HTTP, for everyone;
/// - any S3 action by a principal tagged as another tenant;
/// - object data by a principal with no `tenant_id` tag, except the principal that deploys
///   the stack (it must empty the bucket on `pulumi destroy`). Untagged administrators can
///   still manage the bucket (e.g. update this policy), not read or write its data.
fn bucket_policy(bucket: &Handle, tenant: &str, deployer: &Handle) -> Expr {
    let bucket_and_objects = list![bucket.arn(), Expr::concat([bucket.arn(), "/*".into()])];
    let data_actions: Vec<Expr> = DATA_ACTIONS.iter().map(|a| Expr::from(*a)).collect();
    let deny = |sid: &str, actions: Expr, condition: Expr| {
        map! {
            "Sid" => sid,
            "Effect" => "Deny",
            "Principal" => "*",
            "Action" => actions,
            "Resource" => bucket_and_objects.clone(),
            "Condition" => condition,
        }
    };
    Expr::to_json(map! {
        "Version" => "2012-10-17",
        "Statement" => list![
            deny(
                "DenyInsecureTransport",
                "s3:*".into(),
                map! { "Bool" => map! { "aws:SecureTransport" => "false" } },
            ),
            deny(
                "DenyOtherTenants",
                "s3:*".into(),
                map! {
                    "StringNotEquals" => map! { "aws:PrincipalTag/tenant_id" => tenant },
                    "Null" => map! { "aws:PrincipalTag/tenant_id" => "false" },
                },
            ),
            deny(
                "DenyUntaggedDataAccess",
                Expr::List(data_actions),
                map! {
                    "Null" => map! { "aws:PrincipalTag/tenant_id" => "true" },
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
