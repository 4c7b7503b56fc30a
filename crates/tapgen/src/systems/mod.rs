//! One builder per reference system: each composes the network, data and compute builders
//! into a whole program for a validated config.

mod ecs_fargate;

use anyhow::{bail, Result};
use program::Program;
use tenancy::slots::Slots;
use tenancy::{Config, System};

/// How many slots a system can hand out before some AWS allocation runs out.
pub fn slot_capacity(config: &Config) -> u32 {
    match config.platform.system {
        // Listener rule priorities go up to 50,000 and each slot owns ten of them.
        System::EcsFargate | System::Enterprise => 50_000 / network::PRIORITIES_PER_SLOT - 1,
        System::Serverless => 0,
    }
}

/// The whole program for `config`, with tenants placed in their `slots`.
pub fn build(config: &Config, slots: &Slots) -> Result<Program> {
    match config.platform.system {
        System::EcsFargate => Ok(ecs_fargate::build(config, slots)),
        other => bail!("the {} system is not implemented yet", other.as_str()),
    }
}
