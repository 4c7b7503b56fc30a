//! The static content bucket: private, served only to the distribution through its Origin
//! Access Control (OAC, today's form of the origin access identity).

use data::{deny_insecure_transport, private_bucket, PrivateBucket};
use program::{list, map, Expr, Handle, Program, Resource};
use tenancy::{tags, Names, Platform};

/// The bucket (versioned, SSE-S3 so CloudFront can read it without a key grant) and the
/// OAC the distribution signs its requests with.
pub struct StaticSite {
    pub bucket: Handle,
    pub public_access: Handle,
    pub access_control: Handle,
}

pub fn static_site(program: &mut Program, platform: &Platform) -> StaticSite {
    let names = Names::new(platform);
    let name = names.static_bucket();
    let PrivateBucket {
        bucket,
        public_access,
    } = private_bucket(
        program,
        "static-bucket",
        &name,
        Expr::from(&tags::shared(platform, &name)),
        None,
    );
    let access_control = program.resource(
        "static-origin-access",
        Resource::new("aws:cloudfront:OriginAccessControl")
            .with("name", names.edge())
            .with("description", "CloudFront reads the static content bucket")
            .with("originAccessControlOriginType", "s3")
            .with("signingBehavior", "always")
            .with("signingProtocol", "sigv4"),
    );
    StaticSite {
        bucket,
        public_access,
        access_control,
    }
}

/// The bucket policy: TLS only, and reads only by CloudFront on behalf of `distribution`
/// (`AWS:SourceArn`), so no other distribution (in any account) can serve the bucket.
pub fn static_policy(program: &mut Program, site: &StaticSite, distribution: &Handle) {
    let read = map! {
        "Sid" => "CloudFrontReadsForTheDistribution",
        "Effect" => "Allow",
        "Principal" => map! { "Service" => "cloudfront.amazonaws.com" },
        "Action" => "s3:GetObject",
        "Resource" => Expr::concat([site.bucket.arn(), "/*".into()]),
        "Condition" => map! {
            "StringEquals" => map! { "AWS:SourceArn" => distribution.arn() },
        },
    };
    program.resource(
        "static-bucket-policy",
        Resource::new("aws:s3:BucketPolicy")
            .with("bucket", site.bucket.id())
            .with(
                "policy",
                Expr::to_json(map! {
                    "Version" => "2012-10-17",
                    "Statement" => list![deny_insecure_transport(&site.bucket), read],
                }),
            )
            .depends_on(&[&site.public_access]),
    );
}
