//! Block-style YAML for a program document, byte-identical to `serde_norway::to_string`.
//!
//! serde_norway drives libyaml's emitter one character at a time, which made it most of the
//! render time at hundreds of tenants. This writer lays out maps and lists itself (the layout
//! libyaml uses: two-space indents, lists under a key not indented, `{}`/`[]` when empty) and
//! writes the scalars it can prove libyaml would leave plain; every other scalar (numbers,
//! strings that look like numbers or booleans, quoted or multi-line ones) is formatted by
//! serde_norway itself, so quoting rules are never re-implemented here.

use std::borrow::Cow;
use std::collections::HashMap;

use serde_json::Value;

use crate::document::{to_value, Node, Shape};

/// `node` as serde_norway would write it.
pub(crate) fn to_string<'a>(node: impl Node<'a>) -> Result<String, serde_norway::Error> {
    let mut out = Output::default();
    match node.shape() {
        Shape::Map(entries) if !entries.is_empty() => write_map(&mut out, entries, 0, false)?,
        Shape::List(items) if !items.is_empty() => write_list(&mut out, items, 0, false)?,
        scalar => {
            write_scalar(&mut out, scalar, 0)?;
            out.push('\n');
        }
    }
    Ok(out.text)
}

/// The text written so far, and serde_norway's rendering of each string it was asked for:
/// a document repeats the same few quoted strings (`'*'`, `'false'`, saved queries) in
/// every tenant, and a call to serde_norway costs about as much as a whole resource.
#[derive(Default)]
struct Output {
    text: String,
    quoted: HashMap<String, String>,
}

impl Output {
    fn push(&mut self, c: char) {
        self.text.push(c);
    }

    fn push_str(&mut self, s: &str) {
        self.text.push_str(s);
    }
}

fn indent(out: &mut Output, column: usize) {
    indent_text(&mut out.text, column);
}

fn indent_text(text: &mut String, column: usize) {
    const SPACES: &str = "                                                                ";
    match SPACES.get(..column) {
        Some(spaces) => text.push_str(spaces),
        None => text.extend(std::iter::repeat_n(' ', column)),
    }
}

/// A map whose keys start at `column`; with `inline_first` the first key follows a `- `
/// already written.
fn write_map<'a, N: Node<'a>>(
    out: &mut Output,
    entries: Vec<(Cow<'a, str>, N)>,
    column: usize,
    inline_first: bool,
) -> Result<(), serde_norway::Error> {
    // libyaml writes a multi-line or long key as a complex key (`? key`): left to it whole.
    if entries
        .iter()
        .any(|(k, _)| k.contains('\n') || k.len() > 64)
    {
        let map = entries
            .into_iter()
            .map(|(k, v)| (k.into_owned(), to_value(v)))
            .collect();
        delegate(out, &Value::Object(map), column, !inline_first)?;
        out.push('\n');
        return Ok(());
    }
    for (i, (key, value)) in entries.into_iter().enumerate() {
        if i > 0 || !inline_first {
            indent(out, column);
        }
        write_str(out, &key, column)?;
        out.push(':');
        match value.shape() {
            Shape::Map(inner) if !inner.is_empty() => {
                out.push('\n');
                write_map(out, inner, column + 2, false)?;
            }
            Shape::List(items) if !items.is_empty() => {
                out.push('\n');
                write_list(out, items, column, false)?;
            }
            scalar => {
                out.push(' ');
                write_scalar(out, scalar, column)?;
                out.push('\n');
            }
        }
    }
    Ok(())
}

/// A list whose `- ` markers start at `column`.
fn write_list<'a, N: Node<'a>>(
    out: &mut Output,
    items: Vec<N>,
    column: usize,
    inline_first: bool,
) -> Result<(), serde_norway::Error> {
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 || !inline_first {
            indent(out, column);
        }
        out.push_str("- ");
        match item.shape() {
            Shape::Map(entries) if !entries.is_empty() => {
                write_map(out, entries, column + 2, true)?
            }
            Shape::List(inner) if !inner.is_empty() => write_list(out, inner, column + 2, true)?,
            scalar => {
                write_scalar(out, scalar, column)?;
                out.push('\n');
            }
        }
    }
    Ok(())
}

/// A scalar (or empty map or list) of a node whose key or `- ` is at `column`.
fn write_scalar<N>(
    out: &mut Output,
    shape: Shape<'_, N>,
    column: usize,
) -> Result<(), serde_norway::Error> {
    let literal = match shape {
        Shape::Str(s) => return write_str(out, &s, column),
        Shape::Map(_) => "{}",
        Shape::List(_) => "[]",
        Shape::Scalar(Value::Bool(b)) => {
            if b {
                "true"
            } else {
                "false"
            }
        }
        Shape::Scalar(Value::Null) => "null",
        Shape::Scalar(Value::Number(n)) if !n.is_f64() => {
            out.push_str(&n.to_string());
            return Ok(());
        }
        Shape::Scalar(other) => return delegate(out, &other, column, false),
    };
    out.push_str(literal);
    Ok(())
}

fn write_str(out: &mut Output, s: &str, column: usize) -> Result<(), serde_norway::Error> {
    if is_plain(s) {
        out.push_str(s);
        return Ok(());
    }
    if !out.quoted.contains_key(s) {
        let text = serde_norway::to_string(&Value::String(s.to_string()))?;
        out.quoted.insert(s.to_string(), text);
    }
    shift(&mut out.text, &out.quoted[s], column, false);
    Ok(())
}

/// serde_norway's rendering of `value` as a document, shifted right by `column` (its first
/// line too when `indent_first`).
fn delegate(
    out: &mut Output,
    value: &Value,
    column: usize,
    indent_first: bool,
) -> Result<(), serde_norway::Error> {
    let text = serde_norway::to_string(value)?;
    shift(&mut out.text, &text, column, indent_first);
    Ok(())
}

/// Writes a document serde_norway rendered, shifted right by `column` columns: libyaml lays
/// out a node the same at any depth, a block scalar's lines two past its key. Empty lines
/// stay empty, as libyaml leaves them.
fn shift(out: &mut String, text: &str, column: usize, indent_first: bool) {
    let text = text.strip_suffix('\n').unwrap_or(text);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if (i > 0 || indent_first) && !line.is_empty() {
            indent_text(out, column);
        }
        out.push_str(line);
    }
}

/// Whether libyaml writes `s` plain and serde_norway does not quote it. Either it starts
/// with a letter, `$` or `/` (no indicator or document marker), holds only characters that
/// are no indicator in block context, has no `: ` or ` #`, no leading, trailing or double
/// space, and is none of the words serde_norway reads back as null or a boolean; or it is
/// digits with `/`, `-` or two `.` (a CIDR, an IP address, a date), which no number parses.
fn is_plain(s: &str) -> bool {
    let bytes = s.as_bytes();
    let Some(&first) = bytes.first() else {
        return false;
    };
    if first.is_ascii_digit() {
        let dots = bytes.iter().filter(|&&b| b == b'.').count();
        return bytes
            .iter()
            .all(|&b| b.is_ascii_digit() || b"./-".contains(&b))
            && (dots >= 2 || bytes.iter().any(|&b| b == b'/' || b == b'-'));
    }
    if !(first.is_ascii_alphabetic() || first == b'$' || first == b'/') {
        return false;
    }
    const WORDS: [&str; 9] = [
        "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE",
    ];
    if WORDS.contains(&s) {
        return false;
    }
    // One pass over the bytes (every key and string goes through here): `#` is never allowed,
    // so no ` #` can occur either.
    let mut previous = 0u8;
    for &b in bytes {
        if !PLAIN[usize::from(b)] || (b == b' ' && (previous == b':' || previous == b' ')) {
            return false;
        }
        previous = b;
    }
    previous != b':' && previous != b' '
}

/// The bytes a plain scalar may hold: none is an indicator in block context.
const PLAIN: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    let others = b"-_./:$@{}[]*=+,;()?'\" ";
    let mut i = 0;
    while i < others.len() {
        table[others[i] as usize] = true;
        i += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::{json, Map, Value};

    fn same_as_serde_norway(value: &Value) {
        let expected = serde_norway::to_string(value).unwrap();
        assert_eq!(super::to_string(value).unwrap(), expected, "{value:#}");
    }

    #[test]
    fn tricky_scalars_match() {
        let words = [
            "on",
            "yes",
            "No",
            "null",
            "~",
            "true",
            "False",
            "inf",
            ".inf",
            "-.inf",
            "nan",
            "Infinity",
            "0755",
            "0x1F",
            "1.10",
            "1e5",
            "1_000",
            "2012-10-17",
            "10.0.0.0/16",
            "",
            " lead",
            "trail ",
            "a: b",
            "a:",
            "a #c",
            "#c",
            "- x",
            "-x",
            "?x",
            "x?",
            "@x",
            "`x",
            "'q'",
            "\"q\"",
            "it's",
            "a  b",
            "${vpc.id}",
            "arn:aws:s3:::${b}/*",
            "fn::toJSON",
            "{x}",
            "[x]",
            "a,b",
            "*",
            "&a",
            "!x",
            "%x",
            "|x",
            ">x",
            "ç",
            "x\ny",
            "x\n\ny\n",
            "  indented\nnext",
            "trailing\n",
            "\ttab",
            "a\tb",
            "\u{1F600}",
            "---",
            "...",
            "=",
            "<<",
            "1-2",
            "1.2",
            "1.2.3",
            "-1",
            "+1",
            "1/2",
            "0.0.0.0/0",
            "08",
            "0b1",
            "0o7",
            "1e-5",
            "12:30",
            "tRue",
            "NaN",
            "inf",
            "nullable",
            "y",
            "n",
            "key: value\nmore",
            &"long-".repeat(30),
        ];
        for word in words {
            let mut keyed = Map::new();
            keyed.insert(word.to_string(), json!(word));
            same_as_serde_norway(&json!({ "k": word, "list": [word, [word], keyed] }));
            same_as_serde_norway(&json!({ "nested": { "deeper": [{ "a": word, "b": [word] }] } }));
        }
        same_as_serde_norway(&json!({ "n": 1, "f": 1.5, "b": true, "z": null, "e": {}, "l": [] }));
        same_as_serde_norway(&json!([[1, [2, 3]], {}, [], [{}], { "a": [[]] }]));
    }

    fn scalar() -> impl Strategy<Value = Value> {
        prop_oneof![
            "[ -~\n]{0,12}".prop_map(Value::String),
            "[a-zA-Z$/][a-zA-Z0-9:{}$.?'\"#\\[\\] -]{0,16}".prop_map(Value::String),
            "[0-9+-][0-9./eE+-]{0,10}".prop_map(Value::String),
            "(true|false|null|True|NULL|[a-z]{1,5})".prop_map(Value::String),
            any::<f64>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<bool>().prop_map(Value::from),
            Just(Value::Null),
        ]
    }

    fn value() -> impl Strategy<Value = Value> {
        scalar().prop_recursive(4, 48, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::vec(("[a-zA-Z0-9:$ -]{0,8}", inner), 0..5)
                    .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>())),
            ]
        })
    }

    proptest! {
        #[test]
        fn any_document_matches_serde_norway(document in value()) {
            let expected = serde_norway::to_string(&document).unwrap();
            prop_assert_eq!(super::to_string(&document).unwrap(), expected);
        }
    }
}
