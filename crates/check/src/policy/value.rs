//! Reading Pulumi YAML values: type tokens, `${...}` references, literals and wildcards.

use serde_json::Value;

/// `aws:s3/bucket:Bucket` → `aws:s3:Bucket`; `aws:alb:*` → `aws:lb:*`; S3 `…V2` → plain.
pub fn normalize_type(t: &str) -> String {
    let parts: Vec<&str> = t.split(':').collect();
    if parts.len() != 3 {
        return t.to_string();
    }
    let module = parts[1].split('/').next().unwrap_or(parts[1]);
    let module = match (parts[0], module) {
        ("aws", "alb" | "elasticloadbalancingv2") => "lb",
        (_, m) => m,
    };
    let name = match (module, parts[2].strip_suffix("V2")) {
        ("s3", Some(base)) => base,
        _ => parts[2],
    };
    format!("{}:{module}:{name}", parts[0])
}

/// One piece of a Pulumi YAML string: literal text (with `$$` unescaped) or a reference.
#[derive(Debug, PartialEq)]
pub enum Piece<'s> {
    Lit(String),
    Ref { root: &'s str, rest: &'s str },
}

/// Splits a string into literal text and `${root.rest}` references.
pub fn pieces(s: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut i = 0;
    while i < s.len() {
        if s[i..].starts_with("$$") {
            lit.push('$');
            i += 2;
        } else if s[i..].starts_with("${") {
            match s[i + 2..].find('}') {
                Some(end) => {
                    let inner = &s[i + 2..i + 2 + end];
                    let cut = inner.find(['.', '[']).unwrap_or(inner.len());
                    if !lit.is_empty() {
                        out.push(Piece::Lit(std::mem::take(&mut lit)));
                    }
                    out.push(Piece::Ref {
                        root: inner[..cut].trim(),
                        rest: &inner[cut..],
                    });
                    i += end + 3;
                }
                None => {
                    lit.push_str(&s[i..]);
                    break;
                }
            }
        } else {
            let ch = s[i..].chars().next().unwrap_or_default();
            lit.push(ch);
            i += ch.len_utf8().max(1);
        }
    }
    if !lit.is_empty() {
        out.push(Piece::Lit(lit));
    }
    out
}

/// The `(root, rest)` of every reference in a string.
pub fn refs(s: &str) -> Vec<(&str, &str)> {
    pieces(s)
        .into_iter()
        .filter_map(|p| match p {
            Piece::Ref { root, rest } => Some((root, rest)),
            Piece::Lit(_) => None,
        })
        .collect()
}

/// The string with `$$` unescaped and every reference replaced by `with`.
pub fn literal(s: &str, with: &str) -> String {
    pieces(s)
        .into_iter()
        .map(|p| match p {
            Piece::Lit(l) => l,
            Piece::Ref { .. } => with.to_string(),
        })
        .collect()
}

/// Roots of every reference anywhere inside a value.
pub fn value_roots(v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk_strings(v, "", &mut |_, s| {
        out.extend(refs(s).into_iter().map(|(r, _)| r.to_string()))
    });
    out
}

/// Calls `f(path, string)` for every string inside a value; `fn::toJSON` / `fn::secret`
/// wrappers are transparent in the path.
pub fn walk_strings<'v>(v: &'v Value, path: &str, f: &mut dyn FnMut(&str, &'v str)) {
    match v {
        Value::String(s) => f(path, s),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk_strings(item, &format!("{path}[{i}]"), f);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                if k.starts_with("fn::") {
                    walk_strings(item, path, f);
                } else {
                    walk_strings(item, &join(path, k), f);
                }
            }
        }
        _ => {}
    }
}

pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// A value with `fn::secret` wrappers removed.
pub fn lit(v: &Value) -> &Value {
    match v.get("fn::secret") {
        Some(inner) if v.as_object().is_some_and(|m| m.len() == 1) => lit(inner),
        _ => v,
    }
}

/// A value by dotted path (no indices), looking through `fn::secret`.
pub fn get_path<'v>(v: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.')
        .try_fold(v, |cur, key| lit(cur).get(key))
        .map(lit)
}

/// `true`/`false`, also written as strings.
pub fn as_bool(v: Option<&Value>) -> Option<bool> {
    match v.map(lit)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

pub fn as_num(v: Option<&Value>) -> Option<f64> {
    match v.map(lit)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A value as text: strings, numbers, booleans, and `fn::join` over text.
pub fn text(v: &Value) -> Option<String> {
    match lit(v) {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Object(m) if m.len() == 1 => {
            let args = m.get("fn::join")?.as_array()?;
            let sep = args.first()?.as_str()?;
            let parts = args.get(1)?.as_array()?;
            let parts: Option<Vec<String>> = parts.iter().map(text).collect();
            Some(parts?.join(sep))
        }
        _ => None,
    }
}

/// Items of a list-or-scalar value (absent → empty).
pub fn items(v: Option<&Value>) -> Vec<&Value> {
    match v.map(lit) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.iter().collect(),
        Some(other) => vec![other],
    }
}

/// JSON carried as data: `{fn::toJSON: x}` → x; a JSON string → parsed; other data as is.
pub fn json_data(v: &Value) -> Option<Value> {
    let v = lit(v);
    if let Some(inner) = v.get("fn::toJSON") {
        return Some(lit(inner).clone());
    }
    match v {
        Value::String(s) => serde_json::from_str(s).ok(),
        Value::Null => None,
        other => Some(other.clone()),
    }
}

/// IAM-style wildcard match (`*` any run, `?` one character).
pub fn glob(pattern: &str, text: &str, case_insensitive: bool) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let same = |x: u8, y: u8| x == y || (case_insensitive && x.eq_ignore_ascii_case(&y));
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == b'?' || same(p[pi], t[ti])) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == b'*')
}
