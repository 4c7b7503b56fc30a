//! Raw input → validated [`Config`]. Every check records its error and carries on, so one
//! run reports everything wrong with a file.

mod auth;
mod database;
mod enterprise;
mod hosts;
mod layout;
mod platform;
mod secrets;
mod sizing;
mod tenants;

pub use layout::max_cell_size;

use std::ops::Range;
use std::path::Path;

use toml::Spanned;

use crate::error::{ConfigError, ConfigErrors};
use crate::model::{Config, Position, Waiver};
use crate::raw::{RawConfig, RawWaiver};
use crate::source::Source;

/// Collects errors while validation walks the raw config.
pub(crate) struct Ctx<'a> {
    source: &'a Source<'a>,
    /// Directory relative paths in the config (the JWKS file) are resolved against.
    base_dir: &'a Path,
    errors: Vec<ConfigError>,
}

impl Ctx<'_> {
    fn error(&mut self, span: Range<usize>, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(self.source.error(span, field, message));
    }

    /// Runs `check` on a spanned string, recording its error at the value.
    fn check<T>(
        &mut self,
        value: &Spanned<String>,
        field: &str,
        check: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        match check(value.get_ref()) {
            Ok(v) => Some(v),
            Err(message) => {
                self.error(value.span(), field, message);
                None
            }
        }
    }

    fn line(&self, span: &Range<usize>) -> usize {
        self.source.line(span.start)
    }
}

/// Validates `raw`; relative paths are resolved against `base_dir`.
pub(crate) fn validate(
    raw: RawConfig,
    source: &Source<'_>,
    base_dir: &Path,
) -> Result<Config, ConfigErrors> {
    let mut ctx = Ctx {
        source,
        base_dir,
        errors: Vec::new(),
    };
    let platform_span = raw.platform.span();
    let checked = platform::validate(&mut ctx, raw.platform.into_inner(), platform_span.clone());
    let tenants = tenants::validate(&mut ctx, &checked, raw.tenants, platform_span);
    let waivers = raw
        .waivers
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(i, w)| waiver(&mut ctx, i, w))
        .collect();
    if ctx.errors.is_empty() {
        Ok(Config {
            platform: checked.platform,
            tenants,
            waivers,
        })
    } else {
        Err(ConfigErrors::new(ctx.errors))
    }
}

fn waiver(ctx: &mut Ctx<'_>, index: usize, raw: RawWaiver) -> Waiver {
    let at = |value: &Spanned<String>| {
        let (line, column) = ctx.source.position(value.span().start);
        Position { line, column }
    };
    let (rule_at, resource_at) = (at(&raw.rule), at(&raw.resource));
    let mut text = |value: Spanned<String>, key: &str| {
        let field = format!("waivers[{index}].{key}");
        if value.get_ref().trim().is_empty() {
            ctx.error(
                value.span(),
                field,
                format!("a waiver needs a non-empty {key}"),
            );
        } else {
            ctx.check(&value, &field, |v| secrets::check_public(v, "waiver text"));
        }
        value.into_inner()
    };
    Waiver {
        rule: text(raw.rule, "rule"),
        resource: text(raw.resource, "resource"),
        reason: text(raw.reason, "reason"),
        rule_at,
        resource_at,
    }
}
