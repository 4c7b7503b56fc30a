//! The VPC, its internet gateway, and public/private subnets with a NAT gateway per zone.

use ipnet::Ipv4Net;
use program::{map, Expr, Handle, Program, Resource};
use tenancy::{tags, Platform};

/// The VPC and what every subnet layout needs from it.
pub struct Vpc {
    pub vpc: Handle,
    pub internet_gateway: Handle,
    /// The region's available zone names, looked up at deploy time.
    pub zones: Handle,
}

impl Vpc {
    /// `${availabilityZones[n]}`: zone `n` (0-based) of the region.
    pub fn zone(&self, n: usize) -> Expr {
        Expr::Ref(self.zones.reference().index(n))
    }
}

/// Public and private subnets, one of each per zone, in zone order.
pub struct Subnets {
    pub public: Vec<Handle>,
    pub private: Vec<Handle>,
    /// The private subnets' route tables (gateway endpoints add their routes there); empty
    /// where the subnets are imported from another stack.
    pub private_route_tables: Vec<Handle>,
}

impl Subnets {
    pub fn public_ids(&self) -> Expr {
        Expr::List(self.public.iter().map(Handle::id).collect())
    }

    pub fn private_ids(&self) -> Expr {
        Expr::List(self.private.iter().map(Handle::id).collect())
    }
}

/// The VPC with DNS support and hostnames, and its internet gateway.
pub fn vpc(program: &mut Program, platform: &Platform) -> Vpc {
    let zones = program.variable(
        "availabilityZones",
        Expr::invoke(
            "aws:getAvailabilityZones",
            map! { "state" => "available" },
            Some("names"),
        ),
    );
    let vpc = program.resource(
        "vpc",
        Resource::new("aws:ec2:Vpc")
            .with("cidrBlock", platform.vpc_cidr.to_string())
            .with("enableDnsSupport", true)
            .with("enableDnsHostnames", true)
            .with(
                "tags",
                &tags::shared(platform, &format!("vpc-{}", platform.environment)),
            ),
    );
    let internet_gateway = program.resource(
        "internet-gateway",
        Resource::new("aws:ec2:InternetGateway")
            .with("vpcId", vpc.id())
            .with(
                "tags",
                &tags::shared(platform, &format!("igw-{}", platform.environment)),
            ),
    );
    Vpc {
        vpc,
        internet_gateway,
        zones,
    }
}

/// The `index`-th /24 of the VPC range.
pub fn subnet_cidr(vpc_cidr: Ipv4Net, index: u32) -> Ipv4Net {
    vpc_cidr
        .subnets(24)
        .ok()
        .and_then(|mut all| all.nth(index as usize))
        .expect("tenancy validation guarantees the VPC holds the /24 subnets it is asked for")
}

/// A route table (`{role}-route-table`) whose default route is the internet gateway.
pub(crate) fn internet_route_table(
    program: &mut Program,
    platform: &Platform,
    vpc: &Vpc,
    role: &str,
    name: &str,
) -> Handle {
    let table = program.resource(
        &format!("{role}-route-table"),
        Resource::new("aws:ec2:RouteTable")
            .with("vpcId", vpc.vpc.id())
            .with("tags", &tags::shared(platform, name)),
    );
    program.resource(
        &format!("{role}-default-route"),
        Resource::new("aws:ec2:Route")
            .with("routeTableId", table.id())
            .with("destinationCidrBlock", "0.0.0.0/0")
            .with("gatewayId", vpc.internet_gateway.id()),
    );
    table
}

/// Public subnets (10.x.1-3.0/24) routed to the internet gateway, private subnets
/// (10.x.11-13.0/24) routed through a NAT gateway in their own zone, so losing one
/// zone never cuts the others off.
pub fn public_private_subnets(program: &mut Program, platform: &Platform, vpc: &Vpc) -> Subnets {
    let env = &platform.environment;
    let public_routes = internet_route_table(
        program,
        platform,
        vpc,
        "public",
        &format!("public-rt-{env}"),
    );
    let mut subnets = Subnets {
        public: Vec::new(),
        private: Vec::new(),
        private_route_tables: Vec::new(),
    };
    for zone in 0..usize::from(platform.az_count) {
        let az = zone + 1;
        let public = program.resource(
            &format!("public-subnet-az{az}"),
            Resource::new("aws:ec2:Subnet")
                .with("vpcId", vpc.vpc.id())
                .with(
                    "cidrBlock",
                    subnet_cidr(platform.vpc_cidr, az as u32).to_string(),
                )
                .with("availabilityZone", vpc.zone(zone))
                .with("mapPublicIpOnLaunch", false)
                .with(
                    "tags",
                    &tags::shared(platform, &format!("public-az{az}-{env}")),
                ),
        );
        program.resource(
            &format!("public-subnet-az{az}-routes"),
            Resource::new("aws:ec2:RouteTableAssociation")
                .with("subnetId", public.id())
                .with("routeTableId", public_routes.id()),
        );
        let nat_ip = program.resource(
            &format!("nat-ip-az{az}"),
            Resource::new("aws:ec2:Eip").with("domain", "vpc").with(
                "tags",
                &tags::shared(platform, &format!("nat-ip-az{az}-{env}")),
            ),
        );
        let nat = program.resource(
            &format!("nat-gateway-az{az}"),
            Resource::new("aws:ec2:NatGateway")
                .with("allocationId", nat_ip.id())
                .with("subnetId", public.id())
                .with(
                    "tags",
                    &tags::shared(platform, &format!("nat-az{az}-{env}")),
                )
                .depends_on(&[&vpc.internet_gateway]),
        );
        let private = program.resource(
            &format!("private-subnet-az{az}"),
            Resource::new("aws:ec2:Subnet")
                .with("vpcId", vpc.vpc.id())
                .with(
                    "cidrBlock",
                    subnet_cidr(platform.vpc_cidr, 10 + az as u32).to_string(),
                )
                .with("availabilityZone", vpc.zone(zone))
                .with(
                    "tags",
                    &tags::shared(platform, &format!("private-az{az}-{env}")),
                ),
        );
        let private_routes = program.resource(
            &format!("private-route-table-az{az}"),
            Resource::new("aws:ec2:RouteTable")
                .with("vpcId", vpc.vpc.id())
                .with(
                    "tags",
                    &tags::shared(platform, &format!("private-rt-az{az}-{env}")),
                ),
        );
        program.resource(
            &format!("private-default-route-az{az}"),
            Resource::new("aws:ec2:Route")
                .with("routeTableId", private_routes.id())
                .with("destinationCidrBlock", "0.0.0.0/0")
                .with("natGatewayId", nat.id()),
        );
        program.resource(
            &format!("private-subnet-az{az}-routes"),
            Resource::new("aws:ec2:RouteTableAssociation")
                .with("subnetId", private.id())
                .with("routeTableId", private_routes.id()),
        );
        subnets.public.push(public);
        subnets.private.push(private);
        subnets.private_route_tables.push(private_routes);
    }
    subnets
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subnet_indexes_map_to_the_documented_ranges() {
        let vpc: Ipv4Net = "10.0.0.0/16".parse().unwrap();
        assert_eq!(subnet_cidr(vpc, 1).to_string(), "10.0.1.0/24");
        assert_eq!(subnet_cidr(vpc, 13).to_string(), "10.0.13.0/24");
        let small: Ipv4Net = "10.18.16.0/20".parse().unwrap();
        assert_eq!(subnet_cidr(small, 11).to_string(), "10.18.27.0/24");
    }
}
