//! Values and expressions that may appear anywhere a Pulumi YAML property value may.

use std::borrow::Cow;

use indexmap::IndexMap;
use serde_json::Value;

/// A property value: plain data, a reference to another declaration, or a built-in call.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Null,
    Bool(bool),
    Int(i64),
    /// Literal text. Emission escapes `$` so it is never read as an interpolation.
    Str(String),
    List(Vec<Expr>),
    Map(IndexMap<String, Expr>),
    /// `${name.path}` on its own: the value keeps the referenced output's type.
    Ref(Reference),
    /// Text with references inside (`arn:${partition}:s3:::${bucket.id}/*`); always a string.
    /// Written as an interpolation with one reference, as `fn::join` with more (see
    /// `document::ExprNode` for why).
    Interpolate(Vec<Part>),
    /// A `fn::<name>` built-in applied to its argument.
    Call {
        function: Builtin,
        argument: Box<Expr>,
    },
}

/// One piece of an interpolated string.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Text(String),
    Ref(Reference),
}

/// The Pulumi YAML built-in functions tapgen emits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    Invoke,
    Join,
    ToJson,
    FileArchive,
    Secret,
    ToBase64,
}

impl Builtin {
    pub fn key(self) -> &'static str {
        match self {
            Builtin::Invoke => "fn::invoke",
            Builtin::Join => "fn::join",
            Builtin::ToJson => "fn::toJSON",
            Builtin::FileArchive => "fn::fileArchive",
            Builtin::Secret => "fn::secret",
            Builtin::ToBase64 => "fn::toBase64",
        }
    }
}

/// The root Pulumi YAML reserves for facts about the deploying stack, and what it has.
pub(crate) const PULUMI_ROOT: &str = "pulumi";
const PULUMI_BUILTINS: [&str; 3] = ["organization", "project", "stack"];

/// `${root.path}`: `root` names a config entry, variable or resource; `path` is the property
/// access after it (`.arn`, `[0].id`), possibly empty.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    pub(crate) root: String,
    pub(crate) path: String,
}

impl Reference {
    pub fn root(&self) -> &str {
        &self.root
    }

    /// The property access after the root (`.arn`, `[0].id`), possibly empty.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// One map entry further: `ref.outputs["vpc"]`.
    pub fn key(&self, property: &str, key: &str) -> Reference {
        Reference {
            root: self.root.clone(),
            path: format!("{}.{property}[\"{key}\"]", self.path),
        }
    }

    /// The same reference, one property further: `bucket` → `bucket.arn`.
    pub fn attr(&self, property: &str) -> Reference {
        Reference {
            root: self.root.clone(),
            path: format!("{}.{property}", self.path),
        }
    }

    /// The same reference, one list element further: `zones.names` → `zones.names[1]`.
    pub fn index(&self, index: usize) -> Reference {
        Reference {
            root: self.root.clone(),
            path: format!("{}[{index}]", self.path),
        }
    }

    pub(crate) fn syntax(&self) -> String {
        format!("${{{}{}}}", self.root, self.path)
    }
}

impl Expr {
    /// Text with references: `Expr::concat(["arn:aws:s3:::".into(), bucket.into()])`.
    /// Adjacent literal pieces are merged; a single reference stays a typed reference.
    pub fn concat(pieces: impl IntoIterator<Item = Expr>) -> Expr {
        let mut parts: Vec<Part> = Vec::new();
        for piece in pieces {
            match piece {
                Expr::Str(text) => match parts.last_mut() {
                    Some(Part::Text(previous)) => previous.push_str(&text),
                    _ => parts.push(Part::Text(text)),
                },
                Expr::Ref(reference) => parts.push(Part::Ref(reference)),
                Expr::Interpolate(inner) => parts.extend(inner),
                other => panic!("only text and references can be concatenated, got {other:?}"),
            }
        }
        match parts.as_slice() {
            [] => Expr::Str(String::new()),
            [Part::Text(text)] => Expr::Str(text.clone()),
            [Part::Ref(reference)] => Expr::Ref(reference.clone()),
            _ => Expr::Interpolate(parts),
        }
    }

    /// `${pulumi.<property>}`: the deploying stack's `organization`, `project` or `stack`.
    pub fn pulumi(property: &str) -> Expr {
        assert!(
            PULUMI_BUILTINS.contains(&property),
            "the pulumi built-in has no {property}"
        );
        Expr::Ref(Reference {
            root: PULUMI_ROOT.to_string(),
            path: format!(".{property}"),
        })
    }

    /// `fn::toJSON`: serialises a value that may contain references (IAM policies,
    /// container definitions) into a JSON string at deploy time.
    pub fn to_json(value: Expr) -> Expr {
        Expr::call(Builtin::ToJson, value)
    }

    /// `fn::invoke` of a provider function, keeping only the `return` field when given.
    pub fn invoke(function: &str, arguments: Expr, return_field: Option<&str>) -> Expr {
        let mut call = IndexMap::new();
        call.insert("function".to_string(), Expr::from(function));
        call.insert("arguments".to_string(), arguments);
        if let Some(field) = return_field {
            call.insert("return".to_string(), Expr::from(field));
        }
        Expr::call(Builtin::Invoke, Expr::Map(call))
    }

    /// `fn::join`: the values joined with `delimiter`.
    pub fn join(delimiter: &str, values: Vec<Expr>) -> Expr {
        Expr::call(
            Builtin::Join,
            Expr::List(vec![Expr::from(delimiter), Expr::List(values)]),
        )
    }

    /// `fn::fileArchive`: a folder of the rendered project, zipped by Pulumi at deploy time.
    pub fn file_archive(path: &str) -> Expr {
        Expr::call(Builtin::FileArchive, Expr::from(path))
    }

    /// `fn::toBase64`: the text base64-encoded at deploy time (EC2 user data).
    pub fn to_base64(value: Expr) -> Expr {
        Expr::call(Builtin::ToBase64, value)
    }

    /// `fn::secret`: marks a value secret so Pulumi encrypts it in state and hides it in output.
    pub fn secret(value: Expr) -> Expr {
        Expr::call(Builtin::Secret, value)
    }

    fn call(function: Builtin, argument: Expr) -> Expr {
        Expr::Call {
            function,
            argument: Box::new(argument),
        }
    }

    /// Calls `visit` on every reference inside this expression.
    pub fn for_each_reference(&self, visit: &mut impl FnMut(&Reference)) {
        match self {
            Expr::Ref(reference) => visit(reference),
            Expr::Interpolate(parts) => parts.iter().for_each(|part| {
                if let Part::Ref(reference) = part {
                    visit(reference)
                }
            }),
            Expr::List(items) => items.iter().for_each(|item| item.for_each_reference(visit)),
            Expr::Map(entries) => entries.values().for_each(|v| v.for_each_reference(visit)),
            Expr::Call { argument, .. } => argument.for_each_reference(visit),
            Expr::Null | Expr::Bool(_) | Expr::Int(_) | Expr::Str(_) => {}
        }
    }

    /// The Pulumi YAML form of this expression, as JSON data.
    pub fn to_value(&self) -> Value {
        crate::document::to_value(crate::document::ExprNode::Expr(self))
    }
}

/// Pulumi YAML reads `$$` as a literal `$`, so every literal `$` is doubled.
pub(crate) fn escape(text: &str) -> Cow<'_, str> {
    if text.contains('$') {
        Cow::Owned(text.replace('$', "$$"))
    } else {
        Cow::Borrowed(text)
    }
}

impl From<&str> for Expr {
    fn from(text: &str) -> Self {
        Expr::Str(text.to_string())
    }
}

impl From<String> for Expr {
    fn from(text: String) -> Self {
        Expr::Str(text)
    }
}

impl From<&String> for Expr {
    fn from(text: &String) -> Self {
        Expr::Str(text.clone())
    }
}

impl From<bool> for Expr {
    fn from(value: bool) -> Self {
        Expr::Bool(value)
    }
}

impl From<i64> for Expr {
    fn from(value: i64) -> Self {
        Expr::Int(value)
    }
}

impl From<u32> for Expr {
    fn from(value: u32) -> Self {
        Expr::Int(i64::from(value))
    }
}

impl From<u8> for Expr {
    fn from(value: u8) -> Self {
        Expr::Int(i64::from(value))
    }
}

impl From<Reference> for Expr {
    fn from(reference: Reference) -> Self {
        Expr::Ref(reference)
    }
}

impl From<Vec<Expr>> for Expr {
    fn from(items: Vec<Expr>) -> Self {
        Expr::List(items)
    }
}

impl From<Vec<String>> for Expr {
    fn from(items: Vec<String>) -> Self {
        Expr::List(items.into_iter().map(Expr::Str).collect())
    }
}

impl From<IndexMap<String, Expr>> for Expr {
    fn from(entries: IndexMap<String, Expr>) -> Self {
        Expr::Map(entries)
    }
}

impl From<&std::collections::BTreeMap<String, String>> for Expr {
    fn from(entries: &std::collections::BTreeMap<String, String>) -> Self {
        Expr::Map(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), Expr::from(v)))
                .collect(),
        )
    }
}

impl<T: Into<Expr>> From<Option<T>> for Expr {
    fn from(value: Option<T>) -> Self {
        value.map_or(Expr::Null, Into::into)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn reference(root: &str) -> Reference {
        Reference {
            root: root.into(),
            path: String::new(),
        }
    }

    #[test]
    fn literal_dollars_are_escaped_but_references_are_not() {
        let policy = Expr::concat([
            Expr::from("arn:aws:s3:::${aws:PrincipalTag/x}/"),
            Expr::Ref(reference("bucket").attr("id")),
        ]);
        assert_eq!(
            policy.to_value(),
            json!("arn:aws:s3:::$${aws:PrincipalTag/x}/${bucket.id}")
        );
    }

    #[test]
    fn two_references_are_written_as_a_join() {
        let arn = Expr::concat([
            Expr::from("service/"),
            Expr::Ref(reference("cluster").attr("name")),
            Expr::from("/$x/"),
            Expr::Ref(reference("service").attr("name")),
        ]);
        assert_eq!(
            arn.to_value(),
            json!({"fn::join": ["", ["service/", "${cluster.name}", "/$$x/", "${service.name}"]]})
        );
        let mut seen = Vec::new();
        arn.for_each_reference(&mut |r| seen.push(r.syntax()));
        assert_eq!(seen, ["${cluster.name}", "${service.name}"]);
    }

    #[test]
    fn a_lone_reference_stays_typed() {
        let only = Expr::concat([Expr::Ref(reference("vpc").attr("id"))]);
        assert_eq!(only, Expr::Ref(reference("vpc").attr("id")));
        assert_eq!(
            reference("zones").attr("names").index(2).syntax(),
            "${zones.names[2]}"
        );
    }

    #[test]
    fn builtins_emit_their_fn_key() {
        let joined = Expr::join(",", vec![Expr::from("a"), Expr::Ref(reference("b"))]);
        assert_eq!(joined.to_value(), json!({"fn::join": [",", ["a", "${b}"]]}));
        let invoke = Expr::invoke("aws:getRegion", Expr::Map(IndexMap::new()), Some("name"));
        assert_eq!(
            invoke.to_value(),
            json!({"fn::invoke": {"function": "aws:getRegion", "arguments": {}, "return": "name"}})
        );
    }
}
