//! ACM certificates validated by DNS, with exactly one validation record per distinct
//! record name.
//!
//! AWS gives `example.com` and `*.example.com` the same validation CNAME, so one record
//! per certificate name would create the same record twice (Route 53 rejects the second).
//! tapgen emits one record per distinct base name (the name without `*.`) and reads it from
//! the `domainValidationOptions` entry of one name with that base. Which entry is which is
//! fixed at render time: the provider keeps those options as a set hashed by domain name
//! (CRC-32 of the name) and lists a set in the order of its hash codes written in decimal
//! and sorted as text ([`validation_order`]). A certificate with a single base name (the
//! apex + wildcard pair, or one host) has one record and needs no ordering at all.

use program::{list, Expr, Handle, Program, Resource};

use crate::dns::Zones;

/// What a certificate is for: its logical name, its names (the first is the subject) and
/// where it lives.
pub struct Request<'a> {
    pub logical: &'a str,
    pub names: &'a [String],
    /// `Some("us-east-1")` for CloudFront; `None` for the stack's region.
    pub region: Option<&'a str>,
    pub tags: Expr,
}

/// A DNS-validated certificate, its validation records in `zones` and the
/// `CertificateValidation` that waits for issuance. Returns
/// `${validation.certificateArn}`: the ARN, known only once the certificate is issued, so
/// whatever uses it waits for issuance.
pub fn dns_validated(program: &mut Program, request: Request, zones: &Zones) -> Expr {
    let certificate = certificate(program, &request);
    let options = certificate.reference().attr("domainValidationOptions");
    let mut fqdns = Vec::new();
    for (base, index) in distinct_records(request.names) {
        let option = options.index(index);
        let field = |name: &str| Expr::Ref(option.attr(name));
        let record = program.resource(
            &format!("{}-validation-{}", request.logical, crate::slug(&base)),
            Resource::new("aws:route53:Record")
                .with("zoneId", zones.containing(&base).attr("zoneId"))
                .with("name", field("resourceRecordName"))
                .with("type", field("resourceRecordType"))
                .with("records", list![field("resourceRecordValue")])
                .with("ttl", 300u32),
        );
        fqdns.push(record.attr("fqdn"));
    }
    let validation = program.resource(
        &format!("{}-validation", request.logical),
        Resource::new("aws:acm:CertificateValidation")
            .with("certificateArn", certificate.arn())
            .with("validationRecordFqdns", fqdns)
            .with("region", request.region),
    );
    validation.attr("certificateArn")
}

fn certificate(program: &mut Program, request: &Request) -> Handle {
    let (subject, alternatives) = request
        .names
        .split_first()
        .expect("a certificate has at least one name");
    let alternatives = (!alternatives.is_empty()).then(|| alternatives.to_vec());
    program.resource(
        request.logical,
        Resource::new("aws:acm:Certificate")
            .with("domainName", subject)
            .with("subjectAlternativeNames", alternatives)
            .with("validationMethod", "DNS")
            .with("keyAlgorithm", "RSA_2048")
            .with("region", request.region)
            .with("tags", request.tags.clone()),
    )
}

/// The name without a leading wildcard: the name its validation record is derived from.
pub fn base(name: &str) -> &str {
    name.strip_prefix("*.").unwrap_or(name)
}

/// One `(base name, index into domainValidationOptions)` per distinct validation record, in
/// the order of `names`.
pub fn distinct_records(names: &[String]) -> Vec<(String, usize)> {
    let order = validation_order(names);
    let mut seen: Vec<(String, usize)> = Vec::new();
    for (position, name) in names.iter().enumerate() {
        let b = base(name);
        if !seen.iter().any(|(s, _)| s == b) {
            seen.push((b.to_string(), order[position]));
        }
    }
    seen
}

/// For each of `names`, its index in the certificate's `domainValidationOptions`: the
/// provider's set order, hash codes (`crc32(name)` in decimal) sorted as strings.
pub fn validation_order(names: &[String]) -> Vec<usize> {
    let mut codes: Vec<(String, usize)> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (crc32(n.as_bytes()).to_string(), i))
        .collect();
    codes.sort();
    let mut order = vec![0; names.len()];
    for (index, (_, position)) in codes.into_iter().enumerate() {
        order[position] = index;
    }
    order
}

/// CRC-32 (IEEE), the checksum the provider hashes set elements with.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn crc32_is_the_ieee_checksum() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn the_order_sorts_decimal_hash_codes_as_text() {
        let list = names(&["acme.io", "*.acme.io", "shop.acme.io"]);
        let order = validation_order(&list);
        let mut by_index: Vec<(usize, String)> = order
            .iter()
            .zip(&list)
            .map(|(i, n)| (*i, crc32(n.as_bytes()).to_string()))
            .collect();
        by_index.sort();
        let codes: Vec<String> = by_index.into_iter().map(|(_, c)| c).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        assert_eq!(codes, sorted);
        let mut indices = order.clone();
        indices.sort();
        assert_eq!(indices, vec![0, 1, 2], "a permutation");
    }

    #[test]
    fn an_apex_and_its_wildcard_share_one_record() {
        let records = distinct_records(&names(&["acme.io", "*.acme.io"]));
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].0, "acme.io");
        let records = distinct_records(&names(&["a.globex.com", "b.globex.com", "*.b.globex.com"]));
        let bases: Vec<&str> = records.iter().map(|(b, _)| b.as_str()).collect();
        assert_eq!(bases, ["a.globex.com", "b.globex.com"]);
        // Each record reads the option of a name with its own base.
        let list = names(&["a.globex.com", "b.globex.com", "*.b.globex.com"]);
        let order = validation_order(&list);
        for (b, index) in records {
            let position = order.iter().position(|i| *i == index).unwrap();
            assert_eq!(base(&list[position]), b);
        }
    }
}
