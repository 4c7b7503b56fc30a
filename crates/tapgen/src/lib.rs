//! tapgen: `tenants.toml` in, a self-contained Pulumi YAML project out.
//!
//! Flow: [`tenancy`] validates the config into a model; the system builders in
//! [`systems`] turn it into a [`program::Program`] using the `network`, `data` and `compute`
//! crates; [`project`] emits the files; [`output`] writes or checks them.

pub mod lock;
pub mod output;
pub mod project;
pub mod systems;
