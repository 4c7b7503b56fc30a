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
    let PrivateBucket {
        bucket,
        public_access,
    } = private_bucket(
        program,
        &format!("{id}-bucket"),
        &name,
        Expr::from(&tags::tenant(platform, id, &name)),
        Some(key),
    );
    program.resource(
        &format!("{id}-bucket-policy"),
        Resource::new("aws:s3:BucketPolicy")
            .with("bucket", bucket.id())
            .with("policy", bucket_policy(&bucket, id.as_ref(), deployer))
            // Applying a policy while the public access block is still being created fails.
            .depends_on(&[&public_access]),
    );
    bucket
}

/// A private bucket and the handles its policy needs.
pub struct PrivateBucket {
    pub bucket: Handle,
    /// A bucket policy must depend on it: applying one while the block is being created fails.
    pub public_access: Handle,
}

/// A bucket with every public access flag blocked, ACLs disabled (bucket owner enforced),
/// versioning on, and default encryption: under `key` (SSE-KMS, bucket key on), or SSE-S3
/// without one. Its policy is the caller's. Companion resources are named `{logical}-…`.
pub fn private_bucket(
    program: &mut Program,
    logical: &str,
    name: &str,
    tags: Expr,
    key: Option<&Handle>,
) -> PrivateBucket {
    let bucket = program.resource(
        logical,
        Resource::new("aws:s3:Bucket")
            .with("bucket", name)
            .with("forceDestroy", true)
            .with("tags", tags),
    );
    let part = |suffix: &str| format!("{logical}-{suffix}");
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
    let by_default = match key {
        Some(key) => map! { "sseAlgorithm" => "aws:kms", "kmsMasterKeyId" => key.arn() },
        None => map! { "sseAlgorithm" => "AES256" },
    };
    program.resource(
        &part("encryption"),
        Resource::new("aws:s3:BucketServerSideEncryptionConfiguration")
            .with("bucket", bucket.id())
            .with(
                "rules",
                list![map! {
                    "applyServerSideEncryptionByDefault" => by_default,
                    "bucketKeyEnabled" => key.is_some(),
                }],
            ),
    );
    PrivateBucket {
        bucket,
        public_access,
    }
}

/// The statement every bucket policy starts with: no S3 action over plain HTTP.
pub fn deny_insecure_transport(bucket: &Handle) -> Expr {
    map! {
        "Sid" => "DenyInsecureTransport",
        "Effect" => "Deny",
        "Principal" => "*",
        "Action" => "s3:*",
        "Resource" => list![bucket.arn(), Expr::concat([bucket.arn(), "/*".into()])],
        "Condition" => map! { "Bool" => map! { "aws:SecureTransport" => "false" } },
    }
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
            deny_insecure_transport(bucket),
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
