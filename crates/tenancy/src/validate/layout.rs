//! `platform.layout` and `[platform.cells]`: one stack, or a platform stack and cells.

use ipnet::Ipv4Net;
use toml::Spanned;

use super::Ctx;
use crate::cells::{cell_prefix, CellId};
use crate::model::Platform;
use crate::model::{Cells, Layout, System, DEFAULT_CELL_SIZE};
use crate::names::Names;
use crate::raw::RawCells;

/// The most tenants one cell of `system` holds before one of its per-cell quotas runs out.
pub fn max_cell_size(system: System) -> (u32, &'static str) {
    match system {
        System::EcsFargate => (
            100,
            "each cell's load balancer holds at most 100 target groups (an AWS hard limit)",
        ),
        // Two shared API resources plus three per tenant stay within the 300 per REST API.
        System::Serverless => (
            99,
            "each cell's REST API holds at most 300 resources by default (2 shared, 3 per tenant)",
        ),
        // One listener rule per tenant within the 100 per load balancer (default), and a
        // target group per premium tenant plus the pool's within the 100 (hard).
        System::Enterprise => (
            99,
            "each cell's load balancer holds 100 listener rules by default (one per tenant) \
             and at most 100 target groups (one per premium tenant and the pool's)",
        ),
    }
}

/// Load balancer names are at most 32 characters.
const ALB_NAME_MAX: usize = 32;

/// The longest load balancer name a cell of `platform` gets, if it is over the limit.
pub(super) fn cell_name_violation(platform: &Platform) -> Option<String> {
    if platform.layout == Layout::Single {
        return None;
    }
    let names = Names::new(platform);
    let cell = CellId(999).short();
    let longest = match platform.system {
        System::EcsFargate => names.cell_alb(&cell),
        // Its pool target group (same limit) is the longest name of a cell.
        System::Enterprise => names.cell_pool_target_group(&cell),
        System::Serverless => return None,
    };
    (longest.len() > ALB_NAME_MAX).then(|| {
        format!(
            "a cell's load balancer or target group would be named \"{longest}\" ({} characters, limit \
             {ALB_NAME_MAX}); shorten project or environment",
            longest.len()
        )
    })
}

const PRIVATE_BLOCKS: [&str; 3] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

pub(super) fn validate(
    ctx: &mut Ctx<'_>,
    layout: Option<Spanned<String>>,
    cells: Option<Spanned<RawCells>>,
    system: Option<System>,
    vpc_cidr: Option<Ipv4Net>,
    az_count: u8,
) -> Layout {
    let cell_layout = match &layout {
        None => false,
        Some(name) => match name.get_ref().as_str() {
            "single" => false,
            "cells" => true,
            other => {
                ctx.error(
                    name.span(),
                    "platform.layout",
                    format!("unknown layout \"{other}\"; allowed: single, cells"),
                );
                return Layout::Single;
            }
        },
    };
    let Some(cells) = cells else {
        return if cell_layout {
            cells_layout(ctx, None, system, vpc_cidr, az_count)
        } else {
            Layout::Single
        };
    };
    if !cell_layout {
        ctx.error(
            cells.span(),
            "platform.cells",
            "[platform.cells] applies only with layout = \"cells\"",
        );
        return Layout::Single;
    }
    cells_layout(ctx, Some(cells), system, vpc_cidr, az_count)
}

fn cells_layout(
    ctx: &mut Ctx<'_>,
    raw: Option<Spanned<RawCells>>,
    system: Option<System>,
    vpc_cidr: Option<Ipv4Net>,
    az_count: u8,
) -> Layout {
    let span = raw.as_ref().map(|r| r.span()).unwrap_or(0..0);
    let raw = raw.map(Spanned::into_inner);
    let size_raw = raw.as_ref().and_then(|r| r.size.clone());
    let size = size_raw
        .as_ref()
        .map_or(DEFAULT_CELL_SIZE, |s| *s.get_ref());
    let size_span = size_raw.as_ref().map_or(span.clone(), |s| s.span());
    let Some(system) = system else {
        return Layout::Single;
    };
    let (max, why) = max_cell_size(system);
    if size == 0 || size > max {
        ctx.error(
            size_span,
            "platform.cells.size",
            format!("a {system} cell holds 1 to {max} tenants, not {size}: {why}"),
        );
    }
    let pool_raw = raw.and_then(|r| r.address_pool);
    let address_pool = match (&pool_raw, system) {
        (Some(pool), System::Serverless) => address_pool(ctx, pool, vpc_cidr, size, az_count),
        (None, System::Serverless) => {
            ctx.error(
                span,
                "platform.cells.address_pool",
                "serverless cells need an address_pool (e.g. \"10.128.0.0/12\"): each cell \
                 carves its tenants' subnets from a secondary VPC range taken from it",
            );
            None
        }
        (Some(pool), _) => {
            ctx.error(
                pool.span(),
                "platform.cells.address_pool",
                format!("address_pool applies only to the serverless system, not {system}"),
            );
            None
        }
        (None, _) => None,
    };
    Layout::Cells(Cells { size, address_pool })
}

fn address_pool(
    ctx: &mut Ctx<'_>,
    raw: &Spanned<String>,
    vpc_cidr: Option<Ipv4Net>,
    size: u32,
    az_count: u8,
) -> Option<Ipv4Net> {
    let field = "platform.cells.address_pool";
    let text = raw.get_ref();
    let error = |ctx: &mut Ctx<'_>, message: String| {
        ctx.error(raw.span(), field, message);
        None
    };
    let Ok(pool) = text.parse::<Ipv4Net>() else {
        return error(
            ctx,
            format!("\"{text}\" is not an IPv4 CIDR like 10.128.0.0/12"),
        );
    };
    if pool.trunc() != pool {
        return error(
            ctx,
            format!("{pool} has host bits set; did you mean {}?", pool.trunc()),
        );
    }
    let block = PRIVATE_BLOCKS
        .iter()
        .map(|b| b.parse::<Ipv4Net>().expect("valid block"))
        .find(|b| b.contains(&pool));
    let Some(block) = block else {
        return error(
            ctx,
            format!("{pool} is not inside a private range (10/8, 172.16/12, 192.168/16)"),
        );
    };
    if let Some(vpc) = vpc_cidr {
        if !block.contains(&vpc) {
            return error(
                ctx,
                format!(
                    "{pool} and vpc_cidr {vpc} must be in the same private range ({block}): AWS \
                 restricts secondary VPC ranges outside the primary's"
                ),
            );
        }
        if pool.contains(&vpc.network()) || vpc.contains(&pool.network()) {
            return error(ctx, format!("{pool} overlaps vpc_cidr {vpc}"));
        }
    }
    match cell_prefix(size, az_count) {
        Some(prefix) if prefix >= pool.prefix_len() => Some(pool),
        Some(prefix) => error(ctx, format!(
            "{pool} is smaller than one cell's range (/{prefix} for {size} tenants over {az_count} zones)"
        )),
        None => error(ctx, format!(
            "{size} tenants over {az_count} zones need more than a /16 per cell, the largest \
             secondary VPC range AWS accepts; use smaller cells"
        )),
    }
}

#[cfg(test)]
mod tests {
    fn errors(platform_extra: &str, cells: &str) -> Vec<(String, String)> {
        let toml = format!(
            "[platform]\nsystem = \"enterprise\"\n{platform_extra}environment = \"prod\"\n\
             region = \"us-east-1\"\nvpc_cidr = \"10.18.0.0/16\"\nbase_domain = \"tap.example.com\"\n\
             layout = \"cells\"\n\n[platform.cells]\n{cells}\n\n[[tenants]]\nid = \"acme\"\n\
             tier = \"standard\"\n"
        );
        match crate::parse(&toml, "tenants.toml", std::path::Path::new(".")) {
            Ok(_) => Vec::new(),
            Err(errors) => errors
                .errors()
                .iter()
                .map(|e| (e.field.clone(), e.message.clone()))
                .collect(),
        }
    }

    #[test]
    fn an_enterprise_cell_holds_at_most_99_tenants() {
        assert_eq!(errors("project = \"tap\"\n", "size = 99"), Vec::new());
        let found = errors("project = \"tap\"\n", "size = 100");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "platform.cells.size");
        assert!(found[0].1.contains("1 to 99 tenants, not 100"), "{found:?}");
    }

    #[test]
    fn an_enterprise_cells_pool_target_group_name_must_fit() {
        let found = errors("project = \"a-rather-long-project\"\n", "size = 50");
        assert!(
            found
                .iter()
                .any(|(_, m)| m.contains("a-rather-long-project-c999-pool-prod")),
            "{found:?}"
        );
    }
}
