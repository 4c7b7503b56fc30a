//! One builder per reference system: each composes the network, data and compute builders
//! into a whole program for a validated config.

mod ecs_fargate;
mod serverless;

use anyhow::{bail, Result};
use program::Program;
use tenancy::{Config, System};

use crate::Placement;

/// How many tenants a platform can hold, and what bounds it.
pub struct Capacity {
    pub slots: u32,
    pub reason: String,
}

/// How many slots a system can hand out before some AWS allocation runs out.
pub fn capacity(config: &Config) -> Capacity {
    let platform = &config.platform;
    match platform.system {
        System::EcsFargate | System::Enterprise => {
            // Each tenant has a target group on the one load balancer: AWS allows 100 per
            // load balancer and will not raise it (rules per load balancer also default
            // to 100). Priorities (ten per slot, up to 50,000) are not the bound.
            let slots = 100;
            let reason =
                "one load balancer holds at most 100 tenant target groups (an AWS hard limit)"
                    .to_string();
            Capacity { slots, reason }
        }
        System::Serverless => {
            // Each tenant owns one /24 per zone of the VPC range (network::tenant_subnets).
            let slots = network::tenant_subnet_capacity(platform.vpc_cidr, platform.az_count);
            let reason = format!(
                "platform.vpc_cidr {} holds {slots} tenants (one /24 per zone over {} zones; \
                 the first {} /24s stay free for shared use)",
                platform.vpc_cidr, platform.az_count, platform.az_count
            );
            Capacity { slots, reason }
        }
    }
}

/// The whole program for `config`, with tenants in their slots and cache groups.
pub fn build(config: &Config, placement: &Placement) -> Result<Program> {
    let slots = &placement.slots;
    match config.platform.system {
        System::EcsFargate => Ok(ecs_fargate::build(config, slots)),
        System::Serverless => Ok(serverless::build(config, slots)),
        System::Enterprise => bail!("the enterprise system is not implemented yet"),
    }
}
