//! IAM policy documents and roles. Every statement names its actions one by one: no
//! wildcard actions, so a reviewer (and the policy checker) sees exactly what is granted.

use program::{map, Expr, Handle, Program, Resource};

/// One `Allow` statement: explicit actions on explicit resources.
pub struct Allow {
    pub actions: &'static [&'static str],
    pub resources: Vec<Expr>,
}

/// A policy document as a deploy-time JSON string (resources may be references).
pub fn policy_document(statements: Vec<Expr>) -> Expr {
    Expr::to_json(map! { "Version" => "2012-10-17", "Statement" => statements })
}

impl Allow {
    pub fn statement(self) -> Expr {
        let actions: Vec<Expr> = self.actions.iter().map(|a| Expr::from(*a)).collect();
        map! { "Effect" => "Allow", "Action" => actions, "Resource" => self.resources }
    }
}

/// The trust policy letting one AWS service assume a role.
pub fn trust(service: &str) -> Expr {
    policy_document(vec![map! {
        "Effect" => "Allow",
        "Principal" => map! { "Service" => service },
        "Action" => "sts:AssumeRole",
    }])
}

/// A role and its policy: depend on `policy` when the role must already hold its grants.
pub struct Role {
    pub role: Handle,
    pub policy: Handle,
}

/// A role assumable by `service`, with one inline policy (a separate `RolePolicy`
/// resource, the form pulumi-aws v7 recommends over inline arguments).
pub fn role(
    program: &mut Program,
    logical: &str,
    role_name: &str,
    service: &str,
    tags: Expr,
    grants: Vec<Allow>,
) -> Role {
    let role = program.resource(
        logical,
        Resource::new("aws:iam:Role")
            .with("name", role_name)
            .with("assumeRolePolicy", trust(service))
            .with("forceDetachPolicies", true)
            .with("tags", tags),
    );
    let statements = grants.into_iter().map(Allow::statement).collect();
    let policy = program.resource(
        &format!("{logical}-policy"),
        Resource::new("aws:iam:RolePolicy")
            .with("role", role.id())
            .with("policy", policy_document(statements)),
    );
    Role { role, policy }
}

/// Log stream ARNs of a log group (`<group arn>:*`): what CreateLogStream/PutLogEvents need.
pub fn log_streams(log_group: &Handle) -> Expr {
    Expr::concat([log_group.arn(), ":*".into()])
}

/// The deploying account's id, looked up once at deploy time (declare it once per program).
pub fn account_id(program: &mut Program) -> Handle {
    program.variable(
        "accountId",
        Expr::invoke("aws:getCallerIdentity", map! {}, Some("accountId")),
    )
}

/// `arn:aws:<service>:<region>:<account>:<resource>`.
pub fn arn(service: &str, region: &str, account: &Handle, resource: &str) -> Expr {
    Expr::concat([
        format!("arn:aws:{service}:{region}:").into(),
        account.expr(),
        format!(":{resource}").into(),
    ])
}
