//! A typed model of a Pulumi YAML program.
//!
//! Builders describe resources with [`Expr`] values and get a [`Handle`] back for every
//! declaration; references are only made through handles, and [`Program::emit`] checks every
//! reference once more before writing, so a dangling `${...}` can never reach a file.

mod document;
mod emit;
mod expr;
mod program;
mod stacks;
#[cfg(feature = "testing")]
pub mod testing;
mod yaml;

pub use emit::EmitError;
pub use expr::{Expr, Reference};
pub use indexmap::IndexMap;
pub use program::{ConfigEntry, ConfigType, Handle, Program, Resource};
pub use stacks::{Export, StackRef};

/// Builds an [`Expr::Map`] from `key => value` pairs, keeping their order.
#[macro_export]
macro_rules! map {
    () => { $crate::Expr::Map($crate::IndexMap::new()) };
    ($($key:expr => $value:expr),+ $(,)?) => {{
        let mut entries = $crate::IndexMap::new();
        $( entries.insert(::std::string::String::from($key), $crate::Expr::from($value)); )+
        $crate::Expr::Map(entries)
    }};
}

/// Builds an [`Expr::List`] from values of any type convertible into [`Expr`].
#[macro_export]
macro_rules! list {
    ($($value:expr),* $(,)?) => { $crate::Expr::List(vec![$($crate::Expr::from($value)),*]) };
}
