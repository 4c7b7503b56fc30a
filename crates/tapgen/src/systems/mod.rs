//! One builder per reference system: each composes the network, data and compute builders
//! into a whole program for a validated config.

mod ecs_fargate;
mod serverless;

use anyhow::{bail, Result};
use program::Program;
use tenancy::slots::Slots;
use tenancy::{Config, System};

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
            // Listener rule priorities go up to 50,000 and each slot owns a block of them.
            let slots = 50_000 / network::PRIORITIES_PER_SLOT - 1;
            let reason = format!(
                "the load balancer listener holds {slots} tenants ({} rule priorities each)",
                network::PRIORITIES_PER_SLOT
            );
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

/// The whole program for `config`, with tenants placed in their `slots`.
pub fn build(config: &Config, slots: &Slots) -> Result<Program> {
    match config.platform.system {
        System::EcsFargate => Ok(ecs_fargate::build(config, slots)),
        System::Serverless => Ok(serverless::build(config, slots)),
        System::Enterprise => bail!("the enterprise system is not implemented yet"),
    }
}
