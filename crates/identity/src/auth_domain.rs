//! The sign-in domain of a tenant's pool: a Cognito prefix domain, or the tenant's own host.
//!
//! A custom domain needs an ACM certificate in us-east-1 (Cognito serves it through a
//! CloudFront distribution it manages), validated by DNS in the tenant's hosted zone, and an
//! alias A record from the host to that distribution. Cognito allows four custom domains per
//! account and region, which validation enforces (`tenancy` refuses a fifth `auth_domain`).

use program::{list, map, Expr, Handle, Program, Resource};
use tenancy::{tags, Names, Platform, Tenant};

/// CloudFront (and so Cognito custom domains) only takes certificates from this region.
const CERTIFICATE_REGION: &str = "us-east-1";

/// `{project}-{environment}-{tenant}.auth.{region}.amazoncognito.com`.
pub(crate) fn prefix_domain(
    program: &mut Program,
    platform: &Platform,
    tenant: &Tenant,
    pool: &Handle,
) -> Handle {
    program.resource(
        &format!("{}-auth-domain", tenant.id),
        domain(&Names::new(platform).auth_prefix_domain(&tenant.id), pool),
    )
}

/// `host` served by Cognito with a DNS-validated certificate from `zone`.
pub(crate) fn custom_domain(
    program: &mut Program,
    platform: &Platform,
    tenant: &Tenant,
    host: &str,
    pool: &Handle,
    zone: &Handle,
) -> Handle {
    let id = &tenant.id;
    let logical = |part: &str| format!("{id}-auth-{part}");
    let certificate = program.resource(
        &logical("certificate"),
        Resource::new("aws:acm:Certificate")
            .with("region", CERTIFICATE_REGION)
            .with("domainName", host)
            .with("validationMethod", "DNS")
            .with("tags", &tags::tenant(platform, id, host)),
    );
    let option = |field: &str| {
        Expr::Ref(
            certificate
                .reference()
                .attr("domainValidationOptions")
                .index(0)
                .attr(field),
        )
    };
    let record = program.resource(
        &logical("validation-record"),
        Resource::new("aws:route53:Record")
            .with("zoneId", zone.id())
            .with("name", option("resourceRecordName"))
            .with("type", option("resourceRecordType"))
            .with("records", list![option("resourceRecordValue")])
            .with("ttl", 300u32)
            .with("allowOverwrite", true),
    );
    let validation = program.resource(
        &logical("certificate-validation"),
        Resource::new("aws:acm:CertificateValidation")
            .with("region", CERTIFICATE_REGION)
            .with("certificateArn", certificate.arn())
            .with("validationRecordFqdns", list![record.attr("fqdn")]),
    );
    let domain = program.resource(
        &logical("domain"),
        domain(host, pool).with("certificateArn", validation.attr("certificateArn")),
    );
    program.resource(
        &logical("alias"),
        Resource::new("aws:route53:Record")
            .with("zoneId", zone.id())
            .with("name", host)
            .with("type", "A")
            .with(
                "aliases",
                list![map! {
                    "name" => domain.attr("cloudfrontDistribution"),
                    "zoneId" => domain.attr("cloudfrontDistributionZoneId"),
                    "evaluateTargetHealth" => false,
                }],
            ),
    );
    domain
}

/// The classic hosted UI (`managedLoginVersion` 1) works on every feature plan and needs no
/// branding resource; managed login (2) needs a `ManagedLoginBranding` style per client.
fn domain(name: &str, pool: &Handle) -> Resource {
    Resource::new("aws:cognito:UserPoolDomain")
        .with("domain", name)
        .with("userPoolId", pool.id())
        .with("managedLoginVersion", 1u32)
}

#[cfg(test)]
mod tests {
    use crate::tenant_pool;
    use crate::testing::{enterprise, render};
    use program::{Program, Resource};

    #[test]
    fn a_custom_auth_domain_is_validated_in_the_tenant_zone_and_aliased_to_cognito() {
        let config = enterprise();
        let initech = config
            .tenants
            .iter()
            .find(|t| t.id.as_str() == "initech")
            .unwrap();
        let mut program = Program::new();
        let zone = program.resource(
            "initech-zone",
            Resource::new("aws:route53:Zone").with("name", "initech.io"),
        );
        let identity = tenant_pool(&mut program, &config.platform, initech, Some(&zone)).unwrap();
        let out = render(&program);
        let r = &out["resources"];
        let cert = &r["initech-auth-certificate"]["properties"];
        assert_eq!(cert["region"], "us-east-1");
        assert_eq!(cert["domainName"], "auth.initech.io");
        assert_eq!(cert["validationMethod"], "DNS");
        assert_eq!(
            r["initech-auth-validation-record"]["properties"]["zoneId"],
            "${initech-zone.id}"
        );
        let domain = &r["initech-auth-domain"]["properties"];
        assert_eq!(domain["domain"], "auth.initech.io");
        // The domain waits for issuance: it takes the ARN from the validation.
        assert_eq!(
            domain["certificateArn"],
            "${initech-auth-certificate-validation.certificateArn}"
        );
        let alias = &r["initech-auth-alias"]["properties"];
        assert_eq!(alias["type"], "A");
        assert_eq!(
            alias["aliases"][0]["name"],
            "${initech-auth-domain.cloudfrontDistribution}"
        );
        let host = identity.outputs.iter().find(|(k, _)| k == "authDomain");
        assert_eq!(host.unwrap().1.to_value(), "auth.initech.io");
    }
}
