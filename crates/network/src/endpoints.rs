//! VPC endpoints: the AWS APIs instances call stay inside the VPC, so the private subnets
//! need the NAT gateways only for what is not AWS (package mirrors reached over HTTPS).
//!
//! S3 and DynamoDB are gateway endpoints (free, routes in the private route tables); every
//! other service is an interface endpoint in each private subnet, with private DNS so the
//! SDKs' default endpoints resolve to it, behind one group admitting HTTPS from the
//! workload group only.

use program::{Expr, Handle, Program, Resource};
use tenancy::{tags, Platform};

use crate::security::{group, rule, Direction, Peer, Rule};
use crate::{Subnets, Vpc};

/// Services reached through gateway endpoints.
pub const GATEWAY_SERVICES: [&str; 2] = ["s3", "dynamodb"];

/// Services the instances call through interface endpoints: credentials for the tenant
/// role (sts), tenant configuration (ssm), keys (kms), secrets (secretsmanager) and logs.
pub const INTERFACE_SERVICES: [&str; 5] = ["sts", "ssm", "kms", "secretsmanager", "logs"];

pub struct Endpoints {
    /// The group of every interface endpoint.
    pub security_group: Handle,
    pub gateways: Vec<Handle>,
    pub interfaces: Vec<Handle>,
}

/// The endpoints, their security group admitting 443 from `workloads` (the group every
/// instance carries), and the gateway routes in the private route tables.
pub fn vpc_endpoints(
    program: &mut Program,
    platform: &Platform,
    vpc: &Vpc,
    subnets: &Subnets,
    workloads: &Handle,
) -> Endpoints {
    let env = &platform.environment;
    let shared_tags = |name: &str| Expr::from(&tags::shared(platform, &format!("{name}-{env}")));
    let security_group = group(
        program,
        "endpoints-sg",
        "Interface endpoints: HTTPS from the workload instances only",
        vpc,
        shared_tags("endpoints-sg"),
    );
    let opened = Rule {
        name: "endpoints-https-in".into(),
        direction: Direction::Ingress,
        port: 443,
        peer: Peer::Group(workloads),
        description: "AWS API calls of the workload instances",
    };
    rule(
        program,
        &security_group,
        opened,
        shared_tags("endpoints-https-in"),
    );
    let service_name = |service: &str| format!("com.amazonaws.{}.{service}", platform.region);
    let route_tables = Expr::List(
        subnets
            .private_route_tables
            .iter()
            .map(Handle::id)
            .collect(),
    );
    let mut endpoint = |service: &str, resource: Resource| {
        let name = format!("{service}-endpoint");
        program.resource(
            &name,
            resource
                .with("vpcId", vpc.vpc.id())
                .with("serviceName", service_name(service))
                .with("tags", shared_tags(&name)),
        )
    };
    let gateways = GATEWAY_SERVICES
        .iter()
        .map(|service| {
            let gateway = Resource::new("aws:ec2:VpcEndpoint")
                .with("vpcEndpointType", "Gateway")
                .with("routeTableIds", route_tables.clone());
            endpoint(service, gateway)
        })
        .collect();
    let interfaces = INTERFACE_SERVICES
        .iter()
        .map(|service| {
            let interface = Resource::new("aws:ec2:VpcEndpoint")
                .with("vpcEndpointType", "Interface")
                .with("privateDnsEnabled", true)
                .with("subnetIds", subnets.private_ids())
                .with("securityGroupIds", program::list![security_group.id()]);
            endpoint(service, interface)
        })
        .collect();
    Endpoints {
        security_group,
        gateways,
        interfaces,
    }
}
