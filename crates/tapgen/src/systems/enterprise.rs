//! System B (enterprise): custom-domain tenants behind CloudFront and one load balancer,
//! premium tenants on their own EC2 fleet and Redis, standard tenants pooled on a shared
//! fleet, shared Redis groups (an ACL user each) and one Aurora cluster under row-level
//! security; a registry table and a provisioning function record every tenant.
//!
//! Two parts, so a cell layout is a split of the same code: [`platform`] (declared once)
//! and [`tenant`] (declared per tenant, wired to the platform's handles).

mod front;
mod platform;
mod tenant;

use anyhow::Result;
use program::{Expr, Program};
use tenancy::Config;

use crate::placement::Placement;
use crate::project::{providers, tenant_map};
use front::Front;

pub fn build(config: &Config, placement: &Placement) -> Result<Program> {
    let platform = &config.platform;
    let mut program = Program::new();
    providers(&mut program, platform);
    let front = Front::platform(&mut program, platform);
    let shared = platform::build(&mut program, config, placement, front.certificate_arn());
    front.alias(&mut program, &shared.balancer);
    platform::outputs(&mut program, &shared);
    front.outputs(&mut program);
    let mut tenants = Vec::new();
    for tenant in &config.tenants {
        let outputs = tenant::build(&mut program, platform, placement, &shared, &front, tenant)?;
        tenants.push((
            tenant.id.to_string(),
            Expr::Map(outputs.into_iter().collect()),
        ));
    }
    program.output("tenants", tenant_map(tenants));
    Ok(program)
}
