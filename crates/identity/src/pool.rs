//! A Cognito user pool per tenant: its own users, password and MFA rules, threat protection,
//! an app client, and a sign-in domain.
//!
//! Choices (docs/design.md "System B: identity"):
//! - **Feature plan Plus with threat protection enforced** (`advancedSecurityMode: ENFORCED`):
//!   compromised-credential checks and adaptive authentication are what an enterprise security
//!   review asks of sign-in; they exist only on Plus. The price is per monthly active user with
//!   no free tier.
//! - **MFA required, by authenticator app (TOTP)**: no SMS, so no SNS role or SMS spend.
//! - **Invitation only** (`allowAdminCreateUserOnly`): a tenant's users are created by the
//!   tenant's administrators or provisioning, never by self sign-up into someone's directory.
//! - **Deletion protection on and the pool retained** when its tenant is removed
//!   (`retainOnDelete`): the directory is tenant data, kept on offboarding like the registry
//!   entry and the SSM parameters; removing it is a deliberate manual step.
//! - **`custom:tenant_id`**, immutable: set once when a user is created, readable by the app
//!   client, absent from its write attributes, so no token holder can change it.

use program::{list, map, Expr, Handle, Program, Resource};
use tenancy::{tags, Names, Platform, Tenant};

use crate::auth_domain::{custom_domain, prefix_domain};

/// The custom attribute carrying the tenant id (`custom:tenant_id` in tokens and APIs).
pub const TENANT_ATTRIBUTE: &str = "tenant_id";

/// What a tenant's identity builder returns.
pub struct TenantIdentity {
    pub pool: Handle,
    pub client: Handle,
    pub domain: Handle,
    /// `userPoolId`, `userPoolClientId`, `authDomain` (the sign-in host) and `issuer`, for the
    /// system to publish under the tenant's name.
    pub outputs: Vec<(String, Expr)>,
}

/// A builder input that cannot be honoured.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IdentityError {
    #[error(
        "tenant \"{tenant}\": auth_domain \"{domain}\" needs the tenant's hosted zone to \
         validate its certificate and point its alias record"
    )]
    MissingZone { tenant: String, domain: String },
}

/// The tenant's user pool, app client and domain. With `tenant.auth_domain` the domain is a
/// custom one (certificate validated and alias created in `zone`, the tenant's hosted zone);
/// otherwise a Cognito prefix domain (`Names::auth_prefix_domain`).
pub fn tenant_pool(
    program: &mut Program,
    platform: &Platform,
    tenant: &Tenant,
    zone: Option<&Handle>,
) -> Result<TenantIdentity, IdentityError> {
    let id = &tenant.id;
    let name = Names::new(platform).user_pool(id);
    let pool = program.resource(
        &format!("{id}-user-pool"),
        user_pool(&name).with("tags", &tags::tenant(platform, id, &name)),
    );
    let client = program.resource(&format!("{id}-user-pool-client"), app_client(tenant, &pool));
    let (domain, host) = match (&tenant.auth_domain, zone) {
        (Some(auth), Some(zone)) => {
            let domain = custom_domain(program, platform, tenant, auth, &pool, zone);
            (domain, Expr::from(auth.as_str()))
        }
        (Some(auth), None) => {
            return Err(IdentityError::MissingZone {
                tenant: id.to_string(),
                domain: auth.clone(),
            })
        }
        (None, _) => {
            let domain = prefix_domain(program, platform, tenant, &pool);
            let host = Expr::concat([
                domain.attr("domain"),
                format!(".auth.{}.amazoncognito.com", platform.region).into(),
            ]);
            (domain, host)
        }
    };
    let issuer = Expr::concat([
        format!("https://cognito-idp.{}.amazonaws.com/", platform.region).into(),
        pool.id(),
    ]);
    let outputs = vec![
        ("userPoolId".to_string(), pool.id()),
        ("userPoolClientId".to_string(), client.id()),
        ("authDomain".to_string(), host),
        ("issuer".to_string(), issuer),
    ];
    Ok(TenantIdentity {
        pool,
        client,
        domain,
        outputs,
    })
}

fn user_pool(name: &str) -> Resource {
    Resource::new("aws:cognito:UserPool")
        .with("name", name)
        .with("userPoolTier", "PLUS")
        .with(
            "userPoolAddOns",
            map! { "advancedSecurityMode" => "ENFORCED" },
        )
        .with("mfaConfiguration", "ON")
        .with("softwareTokenMfaConfiguration", map! { "enabled" => true })
        .with(
            "passwordPolicy",
            map! {
                "minimumLength" => 14u32,
                "requireLowercase" => true,
                "requireUppercase" => true,
                "requireNumbers" => true,
                "requireSymbols" => true,
                "passwordHistorySize" => 5u32,
                "temporaryPasswordValidityDays" => 3u32,
            },
        )
        .with(
            "adminCreateUserConfig",
            map! { "allowAdminCreateUserOnly" => true },
        )
        .with("usernameAttributes", list!["email"])
        .with("autoVerifiedAttributes", list!["email"])
        .with(
            "userAttributeUpdateSettings",
            map! { "attributesRequireVerificationBeforeUpdates" => list!["email"] },
        )
        .with(
            "accountRecoverySetting",
            map! {
                "recoveryMechanisms" => list![map! { "name" => "verified_email", "priority" => 1u32 }],
            },
        )
        .with(
            "schemas",
            list![map! {
                "name" => TENANT_ATTRIBUTE,
                "attributeDataType" => "String",
                "mutable" => false,
                "required" => false,
                "developerOnlyAttribute" => false,
                "stringAttributeConstraints" => map! {
                    "minLength" => tenancy::MIN_TENANT_ID_LEN.to_string(),
                    "maxLength" => tenancy::MAX_TENANT_ID_LEN.to_string(),
                },
            }],
        )
        .with("deletionProtection", "ACTIVE")
        // Kept in AWS when the tenant leaves the program: the directory is tenant data.
        .option("retainOnDelete", true)
}

/// A public client (no secret: a secret would sit in the state and have to reach every
/// instance) using the authorization-code flow with PKCE on the tenant's own hosts, SRP
/// sign-in, token revocation, and no way to write `custom:tenant_id`.
fn app_client(tenant: &Tenant, pool: &Handle) -> Resource {
    let hosts: Vec<&String> = tenant
        .domains
        .iter()
        .filter(|d| !d.starts_with("*."))
        .collect();
    let urls = |path: &str| -> Expr {
        hosts
            .iter()
            .map(|h| Expr::from(format!("https://{h}{path}")))
            .collect::<Vec<_>>()
            .into()
    };
    Resource::new("aws:cognito:UserPoolClient")
        .with("name", format!("{}-app", tenant.id))
        .with("userPoolId", pool.id())
        .with("generateSecret", false)
        .with("allowedOauthFlowsUserPoolClient", true)
        .with("allowedOauthFlows", list!["code"])
        .with("allowedOauthScopes", list!["openid", "email", "profile"])
        .with("supportedIdentityProviders", list!["COGNITO"])
        .with("callbackUrls", urls("/oauth2/callback"))
        .with("logoutUrls", urls("/"))
        .with(
            "explicitAuthFlows",
            list!["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )
        .with("preventUserExistenceErrors", "ENABLED")
        .with("enableTokenRevocation", true)
        .with("accessTokenValidity", 60u32)
        .with("idTokenValidity", 60u32)
        .with("refreshTokenValidity", 30u32)
        .with(
            "tokenValidityUnits",
            map! { "accessToken" => "minutes", "idToken" => "minutes", "refreshToken" => "days" },
        )
        .with(
            "readAttributes",
            list![
                "email",
                "email_verified",
                format!("custom:{TENANT_ATTRIBUTE}")
            ],
        )
        // Listing write attributes is what keeps custom:tenant_id out: left unset, a client
        // may write every writable attribute.
        .with("writeAttributes", list!["email"])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{enterprise, render};

    fn tenant<'a>(config: &'a tenancy::Config, id: &str) -> &'a Tenant {
        config.tenants.iter().find(|t| t.id.as_str() == id).unwrap()
    }

    #[test]
    fn the_pool_requires_mfa_keeps_tenant_id_immutable_and_survives_removal() {
        let config = enterprise();
        let mut program = Program::new();
        let globex = tenant(&config, "globex");
        tenant_pool(&mut program, &config.platform, globex, None).unwrap();
        let out = render(&program);
        let pool = &out["resources"]["globex-user-pool"];
        let props = &pool["properties"];
        assert_eq!(props["name"], "tap-enterprise-globex-prod");
        assert_eq!(props["mfaConfiguration"], "ON");
        assert_eq!(props["deletionProtection"], "ACTIVE");
        assert_eq!(props["userPoolAddOns"]["advancedSecurityMode"], "ENFORCED");
        assert_eq!(props["userPoolTier"], "PLUS");
        assert_eq!(props["tags"]["tenant_id"], "globex");
        let attribute = &props["schemas"][0];
        assert_eq!(attribute["name"], "tenant_id");
        assert_eq!(attribute["mutable"], false);
        assert_eq!(pool["options"]["retainOnDelete"], true);
    }

    #[test]
    fn the_client_reads_but_cannot_write_tenant_id() {
        let config = enterprise();
        let mut program = Program::new();
        tenant_pool(
            &mut program,
            &config.platform,
            tenant(&config, "globex"),
            None,
        )
        .unwrap();
        let out = render(&program);
        let client = &out["resources"]["globex-user-pool-client"]["properties"];
        let write = client["writeAttributes"].as_array().unwrap();
        assert!(!write
            .iter()
            .any(|a| a.as_str().unwrap().contains("tenant_id")));
        assert!(client["readAttributes"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("custom:tenant_id")));
        assert_eq!(client["generateSecret"], false);
        // Only concrete hosts: a wildcard is not a valid callback.
        assert_eq!(
            client["callbackUrls"],
            serde_json::json!(["https://globex.tap.example.com/oauth2/callback"])
        );
    }

    #[test]
    fn a_tenant_without_auth_domain_gets_a_prefix_domain() {
        let config = enterprise();
        let mut program = Program::new();
        let identity = tenant_pool(
            &mut program,
            &config.platform,
            tenant(&config, "globex"),
            None,
        )
        .unwrap();
        let out = render(&program);
        let domain = &out["resources"]["globex-auth-domain"]["properties"];
        assert_eq!(domain["domain"], "tap-enterprise-prod-globex");
        assert!(domain.get("certificateArn").is_none());
        let host = identity
            .outputs
            .iter()
            .find(|(k, _)| k == "authDomain")
            .unwrap();
        assert_eq!(
            host.1.to_value(),
            "${globex-auth-domain.domain}.auth.us-east-1.amazoncognito.com"
        );
    }

    #[test]
    fn an_auth_domain_without_its_zone_is_an_error() {
        let config = enterprise();
        let mut program = Program::new();
        let result = tenant_pool(
            &mut program,
            &config.platform,
            tenant(&config, "initech"),
            None,
        );
        assert_eq!(
            result.err(),
            Some(IdentityError::MissingZone {
                tenant: "initech".into(),
                domain: "auth.initech.io".into()
            })
        );
    }
}
