//! Placeholder until the policy checks land.

use crate::{Finding, Project};

pub fn check(_project: &Project) -> Vec<Finding> {
    Vec::new()
}
