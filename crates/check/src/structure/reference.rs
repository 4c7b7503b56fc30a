//! Parser for Pulumi YAML interpolations: `text ${root.prop[0]["key"]} $$ text`.
//!
//! pulumi-yaml's own parser is lenient (it skips stray dots, so `${vpc.}` means `${vpc}`);
//! tapgen promises well-formed references, so this one is strict: a root name or `["key"]`,
//! then `.name`, `[digits]` or `["key"]` segments (`\"` escapes a quote), then `}`.
//! `$$` is an escaped `$`. Both checks use it: structure (does every root exist?) and
//! conformance (is this string a literal, or an expression of unknown kind?).

use std::fmt;

/// One step after the root of a property access.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Name(String),
    Index(usize),
    Key(String),
}

/// `${root.segments...}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub root: String,
    pub segments: Vec<Segment>,
}

/// A string split into literal text (escapes resolved) and references.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Text(String),
    Ref(Access),
}

/// What is wrong with a `${...}`, and where in the string (byte offset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at offset {}", self.message, self.offset)
    }
}

/// Splits `text` into parts; adjacent text is merged.
pub fn parse(text: &str) -> Result<Vec<Part>, SyntaxError> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("$$") {
            literal.push('$');
            rest = after;
        } else if let Some(after) = rest.strip_prefix("${") {
            let offset = text.len() - rest.len();
            let (access, after) = parse_access(after, offset + 2)?;
            if !literal.is_empty() {
                parts.push(Part::Text(std::mem::take(&mut literal)));
            }
            parts.push(Part::Ref(access));
            rest = after;
        } else {
            literal.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    if !literal.is_empty() {
        parts.push(Part::Text(literal));
    }
    Ok(parts)
}

/// True if the string holds at least one `${...}` (well-formed or not), i.e. it is not a
/// plain literal. `$${` is an escaped literal, not an expression.
pub fn is_expression(text: &str) -> bool {
    match parse(text) {
        Ok(parts) => parts.iter().any(|p| matches!(p, Part::Ref(_))),
        Err(_) => true,
    }
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':' | '$')
}

/// Parses after `${` up to and including `}`; `base` is the byte offset of `s` in the string.
fn parse_access(s: &str, base: usize) -> Result<(Access, &str), SyntaxError> {
    let err = |rest: &str, message: String| SyntaxError {
        offset: base + s.len() - rest.len(),
        message,
    };
    let (root, mut rest) = if s.starts_with("[\"") {
        let (key, after) = quoted_key(s).map_err(|m| err(s, m))?;
        (key, after)
    } else {
        let (name, after) = take_name(s);
        if name.is_empty() {
            return Err(match after.chars().next() {
                Some('}') => err(after, "empty reference ${}".into()),
                None => err(after, "unterminated ${".into()),
                Some(c) => err(after, format!("unexpected {c:?} where a name should start")),
            });
        }
        (name.to_string(), after)
    };
    let mut segments = Vec::new();
    loop {
        let Some(c) = rest.chars().next() else {
            return Err(err(rest, "unterminated ${ (missing })".into()));
        };
        match c {
            '}' => return Ok((Access { root, segments }, &rest[1..])),
            '.' => {
                let (name, after) = take_name(&rest[1..]);
                if name.is_empty() {
                    return Err(err(&rest[1..], "missing property name after '.'".into()));
                }
                segments.push(Segment::Name(name.to_string()));
                rest = after;
            }
            '[' if rest.starts_with("[\"") => {
                let (key, after) = quoted_key(rest).map_err(|m| err(rest, m))?;
                segments.push(Segment::Key(key));
                rest = after;
            }
            '[' => {
                let close = rest
                    .find(']')
                    .ok_or_else(|| err(rest, "missing ] after [".into()))?;
                let digits = &rest[1..close];
                let index = (!digits.is_empty() && digits.chars().all(|d| d.is_ascii_digit()))
                    .then(|| digits.parse::<usize>().ok())
                    .flatten()
                    .ok_or_else(|| err(rest, format!("invalid list index [{digits}]")))?;
                segments.push(Segment::Index(index));
                rest = &rest[close + 1..];
            }
            other => return Err(err(rest, format!("unexpected {other:?} in reference"))),
        }
    }
}

fn take_name(s: &str) -> (&str, &str) {
    let end = s.find(|c: char| !is_name_char(c)).unwrap_or(s.len());
    s.split_at(end)
}

/// Parses `["..."]` at the start of `s` (which starts with `["`); `\"` is an escaped quote.
fn quoted_key(s: &str) -> Result<(String, &str), String> {
    let mut key = String::new();
    let mut chars = s.char_indices().skip(2);
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if s[i + 1..].starts_with('"') => {
                key.push('"');
                chars.next();
            }
            '"' => {
                let after = &s[i + 1..];
                return match after.strip_prefix(']') {
                    Some(rest) => Ok((key, rest)),
                    None => Err("missing ] after quoted key".into()),
                };
            }
            _ => key.push(c),
        }
    }
    Err("missing closing quote in [\"...\"]".into())
}

#[cfg(test)]
mod tests;
