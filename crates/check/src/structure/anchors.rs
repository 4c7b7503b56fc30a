//! YAML anchors (`&name`) and aliases (`*name`): Pulumi YAML rejects them, but serde_norway
//! resolves them silently, so they are invisible in the parsed values and are found by
//! scanning the raw text instead.
//!
//! The scanner is a small YAML tokenizer: it tracks quoted scalars (also across lines),
//! flow collections, comments and block scalars (`|`, `>`: their content is text), and
//! reports `&`/`*` only where a node may start (after indentation, `- `, `: `, `? `, `[`,
//! `{`, `,`, or a tag). So `s3:*`, `'*'`, `a&b` and `# &x` are not hits. One known blind
//! spot: a continuation line of a multi-line plain scalar that starts with `&` or `*` is
//! reported; tapgen's emitter never writes multi-line plain scalars.

use super::{finding, program_file};
use crate::{Finding, Project};

/// One anchor or alias: 1-based line and column, and its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub line: usize,
    pub column: usize,
    pub alias: bool,
    pub name: String,
}

pub fn check(project: &Project, out: &mut Vec<Finding>) {
    let mut files = vec!["Pulumi.yaml"];
    if program_file(project) == Some("Main.yaml") {
        files.push("Main.yaml");
    }
    for file in files {
        // Project::load has read these already; a file that vanished since has nothing to scan.
        let Ok(text) = std::fs::read_to_string(project.dir.join(file)) else {
            continue;
        };
        for hit in scan(&text) {
            let (what, sigil) = if hit.alias {
                ("alias", '*')
            } else {
                ("anchor", '&')
            };
            let message = format!(
                "YAML {what} {sigil}{} at column {}: Pulumi YAML rejects anchors and aliases; write the value out",
                hit.name, hit.column
            );
            out.push(finding(
                "structure",
                "project",
                &format!("{file}:{}", hit.line),
                message,
            ));
        }
    }
}

#[derive(Default)]
struct State {
    /// Inside a quoted scalar opened by this quote character.
    quote: Option<char>,
    /// Depth of `[`/`{` nesting.
    flow: usize,
    /// Inside a block scalar whose content is indented deeper than this column.
    block: Option<isize>,
}

/// Every anchor and alias in `text`, in order.
pub fn scan(text: &str) -> Vec<Hit> {
    let mut state = State::default();
    let mut hits = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(parent) = state.block {
            if line.trim().is_empty() || indent as isize > parent {
                continue;
            }
            state.block = None;
        }
        scan_line(line, n + 1, &mut state, &mut hits);
    }
    hits
}

fn blank(c: Option<&char>) -> bool {
    c.is_none_or(|c| *c == ' ' || *c == '\t')
}

/// Anchor names run to whitespace, or in a flow collection also to `,[]{}`.
fn ends_name(c: char, in_flow: bool) -> bool {
    c == ' ' || c == '\t' || (in_flow && ",[]{}".contains(c))
}

fn scan_line(line: &str, number: usize, st: &mut State, hits: &mut Vec<Hit>) {
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    if st.quote.is_none() && st.flow == 0 {
        let marker = |m: &str| line.starts_with(m) && blank(chars.get(3));
        if marker("...") || line.starts_with('%') {
            return;
        }
        if marker("---") {
            i = 3;
        }
    }
    let mut node_start = st.quote.is_none();
    // Column of the token that may turn out to be a key, and of the block-scalar parent.
    let mut token: isize = i as isize;
    let mut parent: isize = (line.len() - line.trim_start_matches(' ').len()) as isize - 1;
    while let Some(&c) = chars.get(i) {
        let next = chars.get(i + 1);
        if let Some(quote) = st.quote {
            match c {
                '\'' if quote == '\'' && next == Some(&'\'') => i += 1,
                '\\' if quote == '"' => i += 1,
                c if c == quote => st.quote = None,
                _ => {}
            }
            i += 1;
            continue;
        }
        if c == ' ' || c == '\t' {
            i += 1;
            continue;
        }
        if c == '#' && (i == 0 || blank(chars.get(i - 1))) {
            return;
        }
        let in_flow = st.flow > 0;
        if node_start {
            match c {
                '&' | '*' => {
                    let start = i + 1;
                    let mut end = start;
                    while chars.get(end).is_some_and(|c| !ends_name(*c, in_flow)) {
                        end += 1;
                    }
                    let name: String = chars[start..end].iter().collect();
                    hits.push(Hit {
                        line: number,
                        column: i + 1,
                        alias: c == '*',
                        name,
                    });
                    node_start = c == '&';
                    i = end;
                    continue;
                }
                '!' => {
                    while chars.get(i).is_some_and(|c| !blank(Some(c))) {
                        i += 1;
                    }
                    continue;
                }
                '\'' | '"' => {
                    st.quote = Some(c);
                    token = i as isize;
                    node_start = false;
                }
                '[' | '{' => st.flow += 1,
                ']' | '}' if in_flow => {
                    st.flow -= 1;
                    node_start = false;
                }
                ',' if in_flow => {}
                '-' if blank(next) && !in_flow => parent = i as isize,
                '?' | ':' if blank(next) => {}
                '|' | '>' if !in_flow => {
                    st.block = Some(parent);
                    return;
                }
                _ => {
                    token = i as isize;
                    node_start = false;
                }
            }
        } else {
            match c {
                ':' if blank(next) || (in_flow && next.is_some_and(|n| ",]}".contains(*n))) => {
                    node_start = true;
                    parent = token;
                }
                ',' if in_flow => node_start = true,
                '[' | '{' if in_flow => {
                    st.flow += 1;
                    node_start = true;
                }
                ']' | '}' if in_flow => st.flow -= 1,
                _ => {}
            }
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests;
