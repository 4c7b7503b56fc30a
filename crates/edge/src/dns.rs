//! Route 53: hosted zones, and alias records to CloudFront or a load balancer.

use program::{list, map, Expr, Handle, Program, Resource};

use crate::certificates::base;

/// Hosted zones by name; a record goes to the zone that is the longest suffix of its name.
pub struct Zones(Vec<(String, Handle)>);

impl Zones {
    pub fn single(name: &str, zone: Handle) -> Zones {
        Zones(vec![(name.to_string(), zone)])
    }

    /// The zone holding `name` (the name itself or a parent).
    pub fn containing(&self, name: &str) -> &Handle {
        self.0
            .iter()
            .filter(|(zone, _)| within(name, zone))
            .max_by_key(|(zone, _)| zone.len())
            .map(|(_, handle)| handle)
            .unwrap_or_else(|| panic!("no zone holds {name}"))
    }

    pub fn new(zones: Vec<(String, Handle)>) -> Zones {
        Zones(zones)
    }

    pub fn iter(&self) -> impl Iterator<Item = &(String, Handle)> {
        self.0.iter()
    }
}

/// `name` is `zone` or a name under it.
fn within(name: &str, zone: &str) -> bool {
    name == zone
        || name
            .strip_suffix(zone)
            .is_some_and(|head| head.ends_with('.'))
}

/// The zones a tenant's domains need: one per name not under another of them, so
/// `acme.io` + `*.acme.io` make one zone and `a.globex.com` + `b.globex.com` two (tapgen
/// cannot know which parent the customer owns, so it asks delegation of what was listed).
pub fn zone_names(domains: &[String]) -> Vec<String> {
    let bases: Vec<&str> = domains.iter().map(|d| base(d)).collect();
    let mut zones: Vec<String> = Vec::new();
    for b in &bases {
        let under_another = bases.iter().any(|other| other != b && within(b, other));
        if !under_another && !zones.iter().any(|z| z == b) {
            zones.push(b.to_string());
        }
    }
    zones
}

/// A public hosted zone.
pub fn zone(program: &mut Program, logical: &str, name: &str, comment: &str, tags: Expr) -> Handle {
    program.resource(
        logical,
        Resource::new("aws:route53:Zone")
            .with("name", name)
            .with("comment", comment)
            .with("tags", tags),
    )
}

/// Where an alias record points: a DNS name and the Route 53 zone id of its service.
pub struct AliasTarget {
    pub name: Expr,
    pub zone_id: Expr,
    pub evaluate_health: bool,
}

/// Alias records of the given `kinds` (`A`, `AAAA`) for `name`, named `{logical}-a`, ….
pub fn alias(
    program: &mut Program,
    logical: &str,
    zone: &Handle,
    name: &str,
    target: &AliasTarget,
    kinds: &[&str],
) {
    for kind in kinds {
        program.resource(
            &format!("{logical}-{}", kind.to_ascii_lowercase()),
            Resource::new("aws:route53:Record")
                .with("zoneId", zone.attr("zoneId"))
                .with("name", name)
                .with("type", *kind)
                .with(
                    "aliases",
                    list![map! {
                        "name" => target.name.clone(),
                        "zoneId" => target.zone_id.clone(),
                        "evaluateTargetHealth" => target.evaluate_health,
                    }],
                ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn one_zone_per_top_name() {
        assert_eq!(zone_names(&names(&["acme.io", "*.acme.io"])), ["acme.io"]);
        assert_eq!(
            zone_names(&names(&["a.globex.com", "b.globex.com"])),
            ["a.globex.com", "b.globex.com"]
        );
        assert_eq!(
            zone_names(&names(&["shop.acme.io", "acme.io", "*.acme.io"])),
            ["acme.io"]
        );
        // A name that merely ends with the same letters is not under it.
        assert_eq!(
            zone_names(&names(&["acme.io", "myacme.io"])),
            ["acme.io", "myacme.io"]
        );
    }
}
