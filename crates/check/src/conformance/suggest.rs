//! Did-you-mean hints: most schema mistakes are typos of a real name one or two edits away.

/// The known name closest to `wrong`, if it is within two edits (ties: the first in order).
/// Case is ignored when measuring: `cidrblock` and `toJson` are one slip, not several.
pub fn closest<'a>(wrong: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wrong = wrong.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for candidate in known {
        let distance = edit_distance(&wrong, &candidate.to_lowercase());
        if distance <= 2 && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, name)| name)
}

/// ` (did you mean X?)` or nothing, ready to append to a message.
pub fn hint<'a>(wrong: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    closest(wrong, known)
        .map(|name| format!(" (did you mean {name}?)"))
        .unwrap_or_default()
}

/// Levenshtein distance over chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("matchr", "matcher"), 1);
        assert_eq!(edit_distance("cidrBlok", "cidrBlock"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn suggests_only_close_names() {
        let known = ["matcher", "path", "port"];
        assert_eq!(closest("matchr", known), Some("matcher"));
        assert_eq!(closest("prot", known), Some("port"));
        assert_eq!(closest("zzzzzz", known), None);
        assert_eq!(
            closest("fn::toJson", ["fn::join", "fn::toJSON"]),
            Some("fn::toJSON")
        );
        assert_eq!(hint("pth", known), " (did you mean path?)");
        assert_eq!(hint("zzzzzz", known), "");
    }
}
