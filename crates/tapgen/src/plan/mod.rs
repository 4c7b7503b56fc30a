//! `tapgen plan`: what a config would render, without writing anything: the stacks, their
//! tenants and resource counts, and a ledger of the AWS quotas the programs consume.

mod measure;
mod quotas;
mod report;

use std::collections::{BTreeMap, HashMap};

use program::Program;
use serde::Serialize;
use tenancy::{Config, Tenant};

pub use quotas::{Quota, Scope, QUOTAS};
pub use report::text;

/// A single stack is still fine below these sizes; above either, cells are advisable: Pulumi
/// saves the whole state after every step, so each onboarding previews and updates every
/// resource of the stack, and one bad change can reach every tenant.
pub const ADVISED_STACK_RESOURCES: usize = 1000;
pub const ADVISED_STACK_TENANTS: usize = 50;

/// One rendered Pulumi stack.
pub struct Stack<'a> {
    pub name: String,
    pub program: &'a Program,
}

#[derive(Debug, Serialize)]
pub struct Plan {
    pub stacks: Vec<StackPlan>,
    pub ledger: Vec<Line>,
    pub advice: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct StackPlan {
    pub name: String,
    pub resources: usize,
    /// Resources that belong to no tenant.
    pub shared_resources: usize,
    /// Resources of each tenant, by tier and tenant id.
    pub tiers: BTreeMap<String, BTreeMap<String, usize>>,
}

/// One quota's consumption: the busiest instance of its scope.
#[derive(Debug, Serialize)]
pub struct Line {
    pub service: &'static str,
    pub quota: &'static str,
    pub scope: Scope,
    /// The instance counted (e.g. `main/load-balancer`), `total` for account or region quotas.
    pub instance: String,
    /// How many instances of the scope there are.
    pub instances: usize,
    pub used: u64,
    pub limit: u64,
    pub adjustable: bool,
    pub code: Option<&'static str>,
    pub headroom: i64,
    pub status: Status,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Within,
    /// Over the default limit; AWS raises it on request (the code says which quota).
    RaiseNeeded,
    /// Over a limit AWS does not raise: the config must change.
    HardLimitExceeded,
}

impl Plan {
    /// Plans `stacks` rendered from `config`.
    pub fn new(config: &Config, stacks: &[Stack]) -> Plan {
        let plans: Vec<StackPlan> = stacks.iter().map(|s| stack_plan(config, s)).collect();
        let mut advice = Vec::new();
        if let [only] = plans.as_slice() {
            let tenants: usize = only.tiers.values().map(BTreeMap::len).sum();
            if only.resources > ADVISED_STACK_RESOURCES || tenants > ADVISED_STACK_TENANTS {
                advice.push(format!(
                    "one stack holds {} resources for {tenants} tenants (advised: at most \
                     {ADVISED_STACK_RESOURCES} resources or {ADVISED_STACK_TENANTS} tenants per \
                     stack): every onboarding previews and updates all of them, and one bad \
                     change reaches every tenant; split the tenants into cells",
                    only.resources
                ));
            }
        }
        Plan {
            stacks: plans,
            ledger: ledger(stacks),
            advice,
        }
    }

    /// Quotas over a limit AWS does not raise.
    pub fn hard_limits_exceeded(&self) -> impl Iterator<Item = &Line> {
        self.ledger
            .iter()
            .filter(|l| l.status == Status::HardLimitExceeded)
    }

    /// Quotas over an adjustable default: a quota increase must be requested before deploying.
    pub fn raises_needed(&self) -> impl Iterator<Item = &Line> {
        self.ledger
            .iter()
            .filter(|l| l.status == Status::RaiseNeeded)
    }
}

fn ledger(stacks: &[Stack]) -> Vec<Line> {
    QUOTAS
        .iter()
        .filter_map(|quota| {
            let usages = (quota.measure)(stacks);
            let instances = usages.iter().filter(|u| u.used > 0).count();
            let busiest = usages.into_iter().max_by_key(|u| u.used)?;
            if busiest.used == 0 {
                return None;
            }
            let status = if busiest.used <= quota.limit {
                Status::Within
            } else if quota.adjustable {
                Status::RaiseNeeded
            } else {
                Status::HardLimitExceeded
            };
            Some(Line {
                service: quota.service,
                quota: quota.name,
                scope: quota.scope,
                instance: busiest.scope,
                instances,
                used: busiest.used,
                limit: quota.limit,
                adjustable: quota.adjustable,
                code: quota.code,
                headroom: quota.limit as i64 - busiest.used as i64,
                status,
            })
        })
        .collect()
}

/// Resource counts of one stack, attributing each resource to the tenant whose id prefixes
/// its logical name (`acme-corp-bucket`); the longest matching id wins.
fn stack_plan(config: &Config, stack: &Stack) -> StackPlan {
    let tenants: HashMap<&str, &Tenant> =
        config.tenants.iter().map(|t| (t.id.as_str(), t)).collect();
    let mut tiers: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut shared_resources = 0;
    for name in stack.program.resources().keys() {
        // The prefixes before each `-`, longest first: a lookup each, not a scan of every
        // tenant per resource (which grew with tenants times resources).
        let owner = name
            .rmatch_indices('-')
            .find_map(|(dash, _)| tenants.get(&name[..dash]));
        match owner {
            Some(tenant) => {
                *tiers
                    .entry(tenant.tier.to_string())
                    .or_default()
                    .entry(tenant.id.to_string())
                    .or_default() += 1
            }
            None => shared_resources += 1,
        }
    }
    StackPlan {
        name: stack.name.clone(),
        resources: stack.program.resources().len(),
        shared_resources,
        tiers,
    }
}

#[cfg(test)]
mod tests;
