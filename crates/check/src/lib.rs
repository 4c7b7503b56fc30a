//! Checks a rendered Pulumi YAML project without deploying it.
//!
//! [`check`] loads a project folder and runs three families of checks over it:
//! - `structure`: Pulumi YAML shape (top-level keys, resource fields and options, config
//!   types) and that every `${...}` names something declared;
//! - `conformance`: every resource type and property, at every depth, against the input
//!   schema of the pinned pulumi-aws / pulumi-random SDKs (committed under `schema/`);
//! - `policy`: isolation and best-practice rules on the resource graph, each with an id.
//!
//! Findings can be waived only by an explicit [`Waiver`] naming rule, resource and reason.

mod conformance;
mod policy;
mod project;
mod structure;

use std::fmt;
use std::path::Path;

pub use policy::RULES as POLICY_RULES;
pub use project::{Project, ProjectError};

/// One problem: which rule, on which resource, at which property path, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// `schema`, `structure`, `reference`, or a policy rule id such as `TAP-IAM-1`.
    pub rule: String,
    /// The resource's logical name (or `outputs`, `variables`, `config`, `project`).
    pub resource: String,
    /// Dotted property path inside the resource, e.g. `properties.conditions[0].hostHeader`.
    pub path: String,
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}]", self.resource, self.rule)?;
        if !self.path.is_empty() {
            write!(f, " {}", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// An accepted finding: the config names the rule, the resource and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiver {
    pub rule: String,
    pub resource: String,
    pub reason: String,
}

/// Everything found, split into what still fails and what a waiver accepted.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub waived: Vec<(Finding, Waiver)>,
}

/// Loads the project in `dir` and runs every check; findings come back sorted.
pub fn check(dir: &Path, waivers: &[Waiver]) -> Result<Report, ProjectError> {
    let project = Project::load(dir)?;
    Ok(check_project(&project, waivers))
}

/// Runs every check on an already loaded project (tests mutate projects in memory).
pub fn check_project(project: &Project, waivers: &[Waiver]) -> Report {
    let mut all = structure::check(project);
    all.extend(conformance::check(project));
    all.extend(policy::check(project));
    all.sort();
    all.dedup();
    let mut report = Report::default();
    for finding in all {
        match waivers
            .iter()
            .find(|w| w.rule == finding.rule && w.resource == finding.resource)
        {
            Some(waiver) => report.waived.push((finding, waiver.clone())),
            None => report.findings.push(finding),
        }
    }
    report
}
