//! Per-tenant subnets inside one shared VPC (the serverless system).
//!
//! A tenant with slot `s` owns the /24s at indexes `az_count * s + zone` of the VPC range.
//! The first `az_count` /24s (slot 0) stay free for shared infrastructure. Slots never
//! move, so no tenant's ranges move when others are added, removed or reordered.

use ipnet::Ipv4Net;
use program::{list, Expr, Handle, Program, Resource};
use tenancy::{tags, Platform, Tenant};

use crate::security::{tenant_group, Direction, Peer, Rule};
use crate::vpc::{internet_route_table, subnet_cidr};
use crate::Vpc;

/// How many tenants fit: every /24 of the VPC range, `az_count` per tenant, less slot 0.
pub fn tenant_subnet_capacity(vpc_cidr: Ipv4Net, az_count: u8) -> u32 {
    let subnets = 1u32 << (24 - u32::from(vpc_cidr.prefix_len()));
    subnets / u32::from(az_count) - 1
}

/// The tenant's /24 in zone `zone` (0-based).
pub fn tenant_subnet_cidr(vpc_cidr: Ipv4Net, az_count: u8, slot: u32, zone: usize) -> Ipv4Net {
    subnet_cidr(vpc_cidr, slot * u32::from(az_count) + zone as u32)
}

/// The shared route table of tenant subnets: a default route to the internet gateway, and
/// a DynamoDB gateway endpoint so functions reach their tables without leaving AWS.
pub struct TenantRouting {
    pub route_table: Handle,
    pub dynamodb_endpoint: Handle,
}

pub fn tenant_routing(program: &mut Program, platform: &Platform, vpc: &Vpc) -> TenantRouting {
    let env = &platform.environment;
    let route_table = internet_route_table(program, platform, vpc, "tenant", &format!("rt-{env}"));
    let dynamodb_endpoint = program.resource(
        "dynamodb-endpoint",
        Resource::new("aws:ec2:VpcEndpoint")
            .with("vpcId", vpc.vpc.id())
            .with(
                "serviceName",
                format!("com.amazonaws.{}.dynamodb", platform.region),
            )
            .with("vpcEndpointType", "Gateway")
            .with("routeTableIds", list![route_table.id()])
            .with(
                "tags",
                &tags::shared(platform, &format!("dynamodb-endpoint-{env}")),
            ),
    );
    TenantRouting {
        route_table,
        dynamodb_endpoint,
    }
}

/// The range tenant subnets are carved from: the VPC's own range, or (in the cell layout)
/// a secondary range of the VPC that the cell adds.
pub struct TenantSpace {
    pub cidr: Ipv4Net,
    /// The VPC id, read from whatever must exist before subnets can use `cidr`.
    pub vpc_id: Expr,
}

impl TenantSpace {
    /// The VPC's primary range.
    pub fn primary(platform: &Platform, vpc: &Vpc) -> TenantSpace {
        TenantSpace {
            cidr: platform.vpc_cidr,
            vpc_id: vpc.vpc.id(),
        }
    }
}

/// A cell's own secondary range of the VPC. Subnets take the VPC id from the association,
/// so Pulumi creates them only once the range is attached.
pub fn cell_space(program: &mut Program, vpc: &Vpc, cidr: Ipv4Net) -> TenantSpace {
    let association = program.resource(
        "cell-range",
        Resource::new("aws:ec2:VpcIpv4CidrBlockAssociation")
            .with("vpcId", vpc.vpc.id())
            .with("cidrBlock", cidr.to_string()),
    );
    TenantSpace {
        cidr,
        vpc_id: association.attr("vpcId"),
    }
}

/// The tenant's subnets (one per zone, in zone order) in `space`, on the shared route table.
pub fn tenant_subnets(
    program: &mut Program,
    platform: &Platform,
    vpc: &Vpc,
    space: &TenantSpace,
    routing: &TenantRouting,
    tenant: &Tenant,
    slot: u32,
) -> Vec<Handle> {
    let id = &tenant.id;
    (0..usize::from(platform.az_count))
        .map(|zone| {
            let az = zone + 1;
            let cidr = tenant_subnet_cidr(space.cidr, platform.az_count, slot, zone);
            let subnet = program.resource(
                &format!("{id}-subnet-az{az}"),
                Resource::new("aws:ec2:Subnet")
                    .with("vpcId", space.vpc_id.clone())
                    .with("cidrBlock", cidr.to_string())
                    .with("availabilityZone", vpc.zone(zone))
                    .with("mapPublicIpOnLaunch", false)
                    .with(
                        "tags",
                        &tags::tenant(
                            platform,
                            id,
                            &format!("{id}-az{az}-{}", platform.environment),
                        ),
                    ),
            );
            program.resource(
                &format!("{id}-subnet-az{az}-routes"),
                Resource::new("aws:ec2:RouteTableAssociation")
                    .with("subnetId", subnet.id())
                    .with("routeTableId", routing.route_table.id()),
            );
            subnet
        })
        .collect()
}

/// The tenant's function group: no ingress at all; egress only HTTPS to DynamoDB.
pub fn tenant_function_security_group(
    program: &mut Program,
    platform: &Platform,
    vpc: &Vpc,
    routing: &TenantRouting,
    tenant: &Tenant,
) -> Handle {
    let id = &tenant.id;
    let to_dynamodb = Rule {
        name: format!("{id}-function-to-dynamodb"),
        direction: Direction::Egress,
        port: 443,
        peer: Peer::PrefixList(routing.dynamodb_endpoint.attr("prefixListId")),
        description: "HTTPS to DynamoDB through the gateway endpoint",
    };
    let description = format!("Functions of tenant {id}: HTTPS to DynamoDB only");
    tenant_group(
        program,
        platform,
        vpc,
        tenant,
        "function-sg",
        &description,
        to_dynamodb,
    )
}

/// The subnet ids as one comma-separated string (for `TENANT_SUBNET`).
pub fn joined_ids(subnets: &[Handle]) -> Expr {
    Expr::join(",", subnets.iter().map(Handle::id).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slash_16_over_two_zones_holds_127_tenants_after_the_shared_pair() {
        let vpc: Ipv4Net = "10.0.0.0/16".parse().unwrap();
        assert_eq!(tenant_subnet_capacity(vpc, 2), 127);
        assert_eq!(tenant_subnet_cidr(vpc, 2, 1, 0).to_string(), "10.0.2.0/24");
        assert_eq!(tenant_subnet_cidr(vpc, 2, 1, 1).to_string(), "10.0.3.0/24");
        assert_eq!(
            tenant_subnet_cidr(vpc, 2, 127, 1).to_string(),
            "10.0.255.0/24"
        );
    }

    #[test]
    fn smaller_ranges_and_three_zones_shrink_capacity() {
        let vpc: Ipv4Net = "10.1.0.0/20".parse().unwrap();
        assert_eq!(tenant_subnet_capacity(vpc, 3), 4);
        assert_eq!(tenant_subnet_cidr(vpc, 3, 4, 2).to_string(), "10.1.14.0/24");
    }
}
