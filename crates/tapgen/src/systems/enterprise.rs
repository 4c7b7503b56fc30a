//! System B (enterprise): custom-domain tenants behind CloudFront and one load balancer,
//! premium tenants on their own EC2 fleet and Redis, standard tenants pooled on a shared
//! fleet, shared Redis groups (an ACL user each) and one Aurora cluster under row-level
//! security; a registry table and a provisioning function record every tenant.
//!
//! Two parts, so the cell layout ([`cells`]) is a split of the same code: [`platform`]
//! (declared once) and [`tenant`] (declared per tenant, wired to the platform's handles).

mod cells;
mod front;
mod platform;
mod tenant;

use anyhow::Result;
use program::{Expr, Program};
use tenancy::{Config, Tenant};

use crate::placement::Placement;
use crate::project::{providers, tenant_map};
use front::Front;
use platform::{Routing, Shared};

pub use cells::build_cells;

pub fn build(config: &Config, placement: &Placement) -> Result<Program> {
    let platform = &config.platform;
    let mut program = Program::new();
    providers(&mut program, platform);
    let front::PlatformFront {
        front,
        static_bucket,
    } = Front::platform(&mut program, platform);
    let platform::Declared {
        shared,
        database,
        registry,
        balancer_group,
    } = platform::shared(&mut program, config, placement, |program, vpc| {
        network::tier_groups(program, platform, vpc)
    });
    let routing = platform::routing(
        &mut program,
        config,
        &shared,
        balancer_group,
        front.certificate_arn(),
    );
    let services = platform::services(
        &mut program,
        config,
        &shared,
        registry,
        std::slice::from_ref(&routing.pool_target_group),
    );
    platform::pool_alarms(&mut program, config, "pool", &routing);
    front.alias(&mut program, &routing.balancer);
    platform::outputs(
        &mut program,
        (&shared, &database),
        &services,
        Some(&routing.balancer),
    );
    front.outputs(&mut program, &static_bucket);
    let tenants: Vec<&Tenant> = config.tenants.iter().collect();
    tenants_output(
        &mut program,
        config,
        placement,
        (&shared, &routing),
        &front,
        &tenants,
    )?;
    Ok(program)
}

/// Declares `tenants` and the `tenants` output with each one's outputs.
fn tenants_output(
    program: &mut Program,
    config: &Config,
    placement: &Placement,
    parts: (&Shared, &Routing),
    front: &Front,
    tenants: &[&Tenant],
) -> Result<()> {
    let mut outputs = Vec::new();
    for &tenant in tenants {
        let built = tenant::build(program, &config.platform, placement, parts, front, tenant)?;
        outputs.push((
            tenant.id.to_string(),
            Expr::Map(built.into_iter().collect()),
        ));
    }
    program.output("tenants", tenant_map(outputs));
    Ok(())
}
