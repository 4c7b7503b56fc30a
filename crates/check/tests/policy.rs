//! Policy rules (`TAP-*`).
//!
//! Every rendered example passes; each rule fires with its exact id on the exact resource
//! when a program is mutated in memory. System A mutations start from examples/ecs-fargate;
//! rules for resource types System A does not use are exercised on the small synthetic
//! serverless (System C) and enterprise (System B) projects under tests/fixtures/policy/ and
//! the identity fixture (crates/identity's render of System B's identity layer),
//! both in their passing and failing forms.
//!
//! Shared helpers are in `policy/support.rs`; each other module under `policy/` tests one
//! group of rules.

#[path = "policy/compute.rs"]
mod compute;
#[path = "policy/fleet.rs"]
mod fleet;
#[path = "policy/iam.rs"]
mod iam;
#[path = "policy/identity.rs"]
mod identity;
#[path = "policy/isolation_bucket.rs"]
mod isolation_bucket;
#[path = "policy/isolation_iam.rs"]
mod isolation_iam;
#[path = "policy/isolation_network.rs"]
mod isolation_network;
#[path = "policy/isolation_workloads.rs"]
mod isolation_workloads;
#[path = "policy/mechanics.rs"]
mod mechanics;
#[path = "policy/network.rs"]
mod network;
#[path = "policy/secrets.rs"]
mod secrets;
#[path = "policy/serverless.rs"]
mod serverless;
#[path = "policy/storage.rs"]
mod storage;
#[path = "policy/support.rs"]
mod support;
