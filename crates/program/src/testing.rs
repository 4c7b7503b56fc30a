//! Helpers for the builder crates' tests (feature `testing`).

use crate::Program;

/// The emitted `Main.yaml` as data (panics if emission fails, e.g. a dangling reference).
pub fn emitted(program: &Program) -> serde_json::Value {
    serde_norway::from_str(&program.emit().expect("the program emits")).expect("YAML")
}
