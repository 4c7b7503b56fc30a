//! Compute builders: what runs tenant code, the identities it runs as, and where it logs.

pub mod api;
pub mod ecs;
pub mod fleet;
pub mod functions;
pub mod iam;
pub mod lambda;
pub mod logs;
pub mod observability;
#[cfg(test)]
mod testing;
