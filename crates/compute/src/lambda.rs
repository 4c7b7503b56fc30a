//! Lambda functions with their own role and log group, on a runtime AWS supports today.

use program::{list, map, Expr, Handle, Program, Resource};

use crate::iam::{self, Allow};
use crate::logs::log_group;

/// Node.js 22: supported by Lambda until 2027; ships AWS SDK v3, so nothing is bundled.
pub const NODE_RUNTIME: &str = "nodejs22.x";

pub struct Function<'a> {
    /// Logical-name prefix for the function, its role and its log group.
    pub logical: &'a str,
    pub name: &'a str,
    pub role_name: &'a str,
    pub description: &'a str,
    pub code: Expr,
    /// `<file path without .mjs>.<export>` inside the code archive, e.g. `index.handler`.
    pub handler: &'a str,
    pub environment: Expr,
    /// What the function may do beyond writing its own logs.
    pub grants: Vec<Allow>,
    pub log_retention_days: u32,
    pub timeout_seconds: u32,
    pub tags: Expr,
    /// Subnets and security groups when the function must run inside the VPC.
    pub vpc: Option<Placement<'a>>,
}

/// Where a VPC-attached function places its network interfaces.
pub struct Placement<'a> {
    pub subnets: &'a [Handle],
    pub security_group: &'a Handle,
    pub region: &'a str,
    pub account: &'a Handle,
}

impl Placement<'_> {
    /// What Lambda needs to manage the function's network interfaces: describe (only
    /// possible on `*`), create in these subnets with this group, and delete or re-address
    /// network interfaces of this account and region. None of it reaches tenant data.
    /// (AWS's managed AWSLambdaVPCAccessExecutionRole is not used: it also grants log writes
    /// on `*`, which would let a tenant's function write into other tenants' log groups.)
    fn grants(&self) -> Vec<Allow> {
        let interfaces = iam::arn("ec2", self.region, self.account, "network-interface/*");
        let mut create_on = vec![interfaces.clone(), self.security_group.arn()];
        create_on.extend(self.subnets.iter().map(Handle::arn));
        vec![
            Allow {
                actions: &["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"],
                resources: vec![Expr::from("*")],
            },
            Allow {
                actions: &["ec2:CreateNetworkInterface"],
                resources: create_on,
            },
            Allow {
                actions: &[
                    "ec2:DeleteNetworkInterface",
                    "ec2:AssignPrivateIpAddresses",
                    "ec2:UnassignPrivateIpAddresses",
                ],
                resources: vec![interfaces],
            },
        ]
    }
}

/// A deployed function and the role it runs as (callers may attach more grants to it).
pub struct Deployed {
    pub function: Handle,
    pub role: Handle,
}

/// Declares the log group first (so Lambda never creates an unmanaged one with no
/// retention), a role that may write only to it plus `grants`, and the function.
pub fn function(program: &mut Program, spec: Function) -> Deployed {
    let logs = log_group(
        program,
        &format!("{}-logs", spec.logical),
        &format!("/aws/lambda/{}", spec.name),
        spec.log_retention_days,
        spec.tags.clone(),
    );
    let mut grants = vec![Allow {
        actions: &["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: vec![iam::log_streams(&logs)],
    }];
    if let Some(placement) = &spec.vpc {
        grants.extend(placement.grants());
    }
    grants.extend(spec.grants);
    let role = iam::role(
        program,
        &format!("{}-role", spec.logical),
        spec.role_name,
        "lambda.amazonaws.com",
        spec.tags.clone(),
        grants,
    );
    let vpc_config = spec.vpc.map(|placement| {
        let subnet_ids: Vec<Expr> = placement.subnets.iter().map(Handle::id).collect();
        map! { "subnetIds" => subnet_ids, "securityGroupIds" => list![placement.security_group.id()] }
    });
    let function = program.resource(
        spec.logical,
        Resource::new("aws:lambda:Function")
            .with("name", spec.name)
            .with("description", spec.description)
            .with("runtime", NODE_RUNTIME)
            .with("handler", spec.handler)
            .with("code", spec.code)
            .with("role", role.role.arn())
            .with("timeout", spec.timeout_seconds)
            .with("memorySize", 256u32)
            .with("environment", map! { "variables" => spec.environment })
            .with(
                "loggingConfig",
                map! { "logFormat" => "Text", "logGroup" => logs.id() },
            )
            .with("vpcConfig", vpc_config)
            .with("tags", spec.tags)
            .depends_on(&[&logs, &role.policy]),
    );
    Deployed {
        function,
        role: role.role,
    }
}
