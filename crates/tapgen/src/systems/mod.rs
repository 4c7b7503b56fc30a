//! One builder per reference system: each composes the network, data and compute builders
//! into whole programs for a validated config — one stack, or a platform stack and cells.

mod cells;
mod ecs_fargate;
mod enterprise;
mod serverless;

use anyhow::Result;
use program::Program;
use tenancy::{cells::cell_prefix, max_cell_size, Config, Layout, System};

use crate::placement::Placement;
use crate::plan;

pub use cells::readme;

/// How many tenants a platform (or, in the cell layout, one cell) can hold, and what bounds it.
pub struct Capacity {
    pub slots: u32,
    pub reason: String,
}

/// One Pulumi project of the render.
pub struct Stack {
    /// Folder under DIR (`platform`, `cells/cell-001`), empty for the single layout.
    pub folder: String,
    /// The Pulumi project name.
    pub project: String,
    pub description: String,
    pub program: Program,
}

/// Every project a config renders, in deployment order (the platform before its cells).
pub struct Stacks(pub Vec<Stack>);

impl Stacks {
    fn single(config: &Config, program: Program) -> Stacks {
        let platform = &config.platform;
        Stacks(vec![Stack {
            folder: String::new(),
            project: platform.project.clone(),
            description: platform.description.clone(),
            program,
        }])
    }

    /// The stacks as the quota ledger counts them.
    pub fn for_plan(&self) -> Vec<plan::Stack<'_>> {
        self.0
            .iter()
            .map(|s| plan::Stack {
                name: s.project.clone(),
                program: &s.program,
            })
            .collect()
    }

    pub fn resources(&self) -> usize {
        self.0.iter().map(|s| s.program.resources().len()).sum()
    }
}

/// How many slots a system (or one of its cells) can hand out before some AWS allocation
/// runs out.
pub fn capacity(config: &Config) -> Capacity {
    let platform = &config.platform;
    match (platform.system, platform.layout) {
        (System::EcsFargate, Layout::Single) => {
            // Each tenant has a target group on the one load balancer: AWS allows 100 per
            // load balancer and will not raise it (rules per load balancer also default
            // to 100). Priorities (ten per slot, up to 50,000) are not the bound.
            let slots = 100;
            let reason =
                "one load balancer holds at most 100 tenant target groups (an AWS hard limit)"
                    .to_string();
            Capacity { slots, reason }
        }
        (System::Enterprise, Layout::Single) => {
            // One listener rule per tenant (its origin host): 100 rules per load balancer
            // by default; premium target groups (100 per load balancer, hard) stay below.
            let slots = 100;
            let reason = "one load balancer holds 100 listener rules by default, one per \
                          tenant (adjustable: L-7EED9B64)"
                .to_string();
            Capacity { slots, reason }
        }
        (System::Serverless, Layout::Single) => {
            // Each tenant owns one /24 per zone of the VPC range (network::tenant_subnets).
            let slots = network::tenant_subnet_capacity(platform.vpc_cidr, platform.az_count);
            let reason = format!(
                "platform.vpc_cidr {} holds {slots} tenants (one /24 per zone over {} zones; \
                 the first {} /24s stay free for shared use)",
                platform.vpc_cidr, platform.az_count, platform.az_count
            );
            Capacity { slots, reason }
        }
        (System::Serverless, Layout::Cells(cells)) => {
            // A cell's secondary range has one /24 per zone for every slot it can hand out.
            let prefix = cell_prefix(cells.size, platform.az_count).unwrap_or(24);
            let range = format!("0.0.0.0/{prefix}").parse().expect("a valid prefix");
            let slots = network::tenant_subnet_capacity(range, platform.az_count);
            let reason = format!("a cell's /{prefix} range holds {slots} tenants");
            Capacity { slots, reason }
        }
        (system, Layout::Cells(_)) => {
            let (slots, reason) = max_cell_size(system);
            Capacity {
                slots,
                reason: reason.to_string(),
            }
        }
    }
}

/// Every program for `config`, with tenants where `placement` puts them.
pub fn build(config: &Config, placement: &Placement) -> Result<Stacks> {
    let slots = &placement.slots;
    match (config.platform.system, config.platform.layout) {
        (System::EcsFargate, Layout::Single) => {
            Ok(Stacks::single(config, ecs_fargate::build(config, slots)))
        }
        (System::Serverless, Layout::Single) => {
            Ok(Stacks::single(config, serverless::build(config, slots)))
        }
        (System::Serverless, Layout::Cells(_)) => Ok(serverless::build_cells(config, placement)),
        (System::EcsFargate, Layout::Cells(_)) => Ok(ecs_fargate::build_cells(config, placement)),
        (System::Enterprise, Layout::Single) => Ok(Stacks::single(
            config,
            enterprise::build(config, placement)?,
        )),
        (System::Enterprise, Layout::Cells(_)) => enterprise::build_cells(config, placement),
    }
}
