//! Where in the document a parse error is: the key path containing a byte offset, how to
//! name it in a field (`tenants[2].overrides.cpu`) and in prose (`[[tenants]] #3`), and how
//! to reach the value at a path to repair it.

use std::borrow::Cow;
use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// One step of a key path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Step {
    Key(String),
    Index(usize),
}

/// A key path from the document root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct KeyPath(pub Vec<Step>);

impl KeyPath {
    pub fn child(&self, key: &str) -> KeyPath {
        let mut steps = self.0.clone();
        steps.push(Step::Key(key.to_string()));
        KeyPath(steps)
    }

    pub fn parent(&self) -> KeyPath {
        KeyPath(self.0[..self.0.len().saturating_sub(1)].to_vec())
    }

    pub fn last_key(&self) -> Option<&str> {
        match self.0.last() {
            Some(Step::Key(k)) => Some(k),
            _ => None,
        }
    }

    /// The field as errors name it: `tenants[2].overrides.cpu`.
    pub fn field(&self) -> String {
        let mut out = String::new();
        for step in &self.0 {
            match step {
                Step::Key(k) if out.is_empty() => out.push_str(k),
                Step::Key(k) => {
                    out.push('.');
                    out.push_str(k);
                }
                Step::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }

    /// The table this path is in, as a user finds it in the file: `[platform.defaults]`,
    /// `[[tenants]] #3`, `[tenants.overrides] of [[tenants]] #3`, or `the top level`.
    pub fn table(&self) -> String {
        let mut keys: Vec<&str> = Vec::new();
        let mut entry: Option<(String, usize)> = None;
        for step in &self.0 {
            match step {
                Step::Key(k) => keys.push(k),
                Step::Index(i) => {
                    entry = Some((keys.join("."), i + 1));
                }
            }
        }
        let all = keys.join(".");
        match entry {
            None if all.is_empty() => "the top level".to_string(),
            None => format!("[{all}]"),
            Some((array, n)) if array == all => format!("[[{array}]] #{n}"),
            Some((array, n)) => format!("[{all}] of [[{array}]] #{n}"),
        }
    }
}

/// The innermost key path whose key or value contains `offset`.
pub(super) fn locate(table: &DeTable<'_>, offset: usize) -> KeyPath {
    let mut path = KeyPath::default();
    walk(table, offset, &mut path.0);
    path
}

fn walk(table: &DeTable<'_>, offset: usize, path: &mut Vec<Step>) {
    for (key, value) in table.iter() {
        if key.span().contains(&offset) || value.span().contains(&offset) {
            path.push(Step::Key(key.get_ref().to_string()));
            descend(value.get_ref(), offset, path);
            return;
        }
        // Headers of [[tables]] and [tables] are not inside their value's span.
        let before = path.len();
        path.push(Step::Key(key.get_ref().to_string()));
        descend(value.get_ref(), offset, path);
        if path.len() > before + 1 {
            return;
        }
        path.truncate(before);
    }
}

fn descend(value: &DeValue<'_>, offset: usize, path: &mut Vec<Step>) {
    match value {
        DeValue::Table(table) => walk(table, offset, path),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let before = path.len();
                path.push(Step::Index(i));
                descend(item.get_ref(), offset, path);
                if path.len() > before + 1 || item.span().contains(&offset) {
                    return;
                }
                path.truncate(before);
            }
        }
        _ => {}
    }
}

/// The id of the tenant a path is inside, if it is in `[[tenants]]` and the id is a string.
pub(super) fn tenant_id<'d>(doc: &'d DeTable<'_>, path: &KeyPath) -> Option<&'d str> {
    match path.0.as_slice() {
        [Step::Key(k), Step::Index(i), ..] if k == "tenants" => doc
            .get("tenants")?
            .get_ref()
            .as_array()?
            .get(*i)?
            .get_ref()
            .as_table()?
            .get("id")?
            .get_ref()
            .as_str(),
        _ => None,
    }
}

/// The value at `path` below the root table (`None` for the root itself or a missing path).
fn value_mut<'d, 'i>(doc: &'d mut DeTable<'i>, path: &KeyPath) -> Option<&'d mut DeValue<'i>> {
    let (Step::Key(first), rest) = path.0.split_first()? else {
        return None;
    };
    let mut value = doc.get_mut(first.as_str())?.get_mut();
    for step in rest {
        value = match (step, value) {
            (Step::Key(k), DeValue::Table(t)) => t.get_mut(k.as_str())?.get_mut(),
            (Step::Index(i), DeValue::Array(items)) => items.get_mut(*i)?.get_mut(),
            _ => return None,
        };
    }
    Some(value)
}

/// The table at `path` (the root for an empty path), if there is one.
fn table_mut<'d, 'i>(doc: &'d mut DeTable<'i>, path: &KeyPath) -> Option<&'d mut DeTable<'i>> {
    if path.0.is_empty() {
        return Some(doc);
    }
    match value_mut(doc, path)? {
        DeValue::Table(t) => Some(t),
        _ => None,
    }
}

/// Replaces (or inserts) the value at `path`, which ends in a key of a table or an index
/// of an existing array. Returns whether the path could be reached.
pub(super) fn set<'i>(
    doc: &mut DeTable<'i>,
    path: &KeyPath,
    value: DeValue<'i>,
    span: Range<usize>,
) -> bool {
    let parent = path.parent();
    match path.0.last() {
        Some(Step::Key(key)) => match table_mut(doc, &parent) {
            Some(table) => {
                let key = Spanned::new(span.clone(), Cow::Owned(key.clone()));
                table.insert(key, Spanned::new(span, value));
                true
            }
            None => false,
        },
        Some(Step::Index(i)) => match value_mut(doc, &parent) {
            Some(DeValue::Array(items)) if *i < items.len() => {
                if let Some(item) = items.get_mut(*i) {
                    *item = Spanned::new(span, value);
                }
                true
            }
            _ => false,
        },
        None => false,
    }
}

/// Removes the key at `path` and returns its value, if there is one.
pub(super) fn remove<'i>(doc: &mut DeTable<'i>, path: &KeyPath) -> Option<Spanned<DeValue<'i>>> {
    let key = path.last_key()?.to_string();
    table_mut(doc, &path.parent())?.remove(key.as_str())
}

/// Whether the value at `path` is a table.
pub(super) fn is_table(doc: &mut DeTable<'_>, path: &KeyPath) -> bool {
    matches!(value_mut(doc, path), Some(DeValue::Table(_)))
}

/// Whether there is a value at `path`.
pub(super) fn exists(doc: &mut DeTable<'_>, path: &KeyPath) -> bool {
    value_mut(doc, path).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(steps: &[Step]) -> KeyPath {
        KeyPath(steps.to_vec())
    }

    #[test]
    fn names_fields_and_tables() {
        let key = |k: &str| Step::Key(k.into());
        let p = path(&[key("tenants"), Step::Index(2), key("overrides"), key("cpu")]);
        assert_eq!(p.field(), "tenants[2].overrides.cpu");
        assert_eq!(p.parent().table(), "[tenants.overrides] of [[tenants]] #3");
        assert_eq!(
            path(&[key("tenants"), Step::Index(0)]).table(),
            "[[tenants]] #1"
        );
        assert_eq!(
            path(&[key("platform"), key("defaults")]).table(),
            "[platform.defaults]"
        );
        assert_eq!(KeyPath::default().table(), "the top level");
    }

    #[test]
    fn locates_and_repairs_values() {
        let text =
            "[platform]\naz = 3\n[[tenants]]\nid = \"a\"\n[[tenants]]\nid = \"b\"\ntier = 1\n";
        let mut doc = DeTable::parse(text).expect("toml").into_inner();
        let offset = text.find("tier").expect("tier");
        let found = locate(&doc, offset);
        assert_eq!(found.field(), "tenants[1].tier");
        assert_eq!(tenant_id(&doc, &found), Some("b"));
        assert!(remove(&mut doc, &found).is_some());
        assert!(remove(&mut doc, &found).is_none());
        let placeholder = DeValue::parse("\"x\"").expect("value").into_inner();
        assert!(set(&mut doc, &found, placeholder, 0..0));
        assert_eq!(
            locate(&doc, text.find("az").expect("az")).field(),
            "platform.az"
        );
    }
}
