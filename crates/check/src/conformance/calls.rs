//! `fn::` built-ins: what each yields, `fn::invoke` against the function schema (arguments and
//! `return`), and local file archives/assets against the project folder.
//!
//! A call's result kind is checked against the input it feeds (a `fn::toJSON` is a string, a
//! `fn::fileArchive` an archive); `fn::secret` is transparent, so its argument is checked as
//! if it stood there itself.

use std::path::{Component, Path};

use serde_json::{Map, Value};

use super::kinds::{describe, Checker};
use super::schema::Kind;
use super::suggest;
use crate::structure::path::join;
use crate::structure::reference::is_expression;

/// What a call evaluates to, as far as can be known offline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Yields {
    String,
    Archive,
    Asset,
    Unknown,
}

/// Built-ins of pulumi-yaml that tapgen may emit.
const BUILTINS: &[&str] = &[
    "fn::invoke",
    "fn::join",
    "fn::split",
    "fn::select",
    "fn::toJSON",
    "fn::toBase64",
    "fn::fromBase64",
    "fn::secret",
    "fn::unsecret",
    "fn::readFile",
    "fn::stringAsset",
    "fn::fileAsset",
    "fn::remoteAsset",
    "fn::fileArchive",
    "fn::remoteArchive",
    "fn::assetArchive",
];

const INVOKE_FIELDS: &[&str] = &["function", "arguments", "return", "options"];

impl Checker<'_> {
    /// `{name: arg}` at `path`, feeding an input of kind `expected` (None: unknown).
    pub fn call(&mut self, name: &str, arg: &Value, path: &str, expected: Option<&Kind>) {
        let at = join(path, name);
        let yields = match name {
            "fn::secret" | "fn::unsecret" => {
                match expected {
                    Some(kind) => self.value(arg, kind, &at),
                    None => self.any(arg, &at),
                }
                return;
            }
            "fn::invoke" => {
                self.invoke(arg, &at);
                Yields::Unknown
            }
            "fn::toJSON" | "fn::join" | "fn::toBase64" | "fn::fromBase64" => Yields::String,
            "fn::fileArchive" => {
                self.local_file(arg, &at, "archive folder");
                Yields::Archive
            }
            "fn::fileAsset" => {
                self.local_file(arg, &at, "asset file");
                Yields::Asset
            }
            "fn::readFile" => {
                self.local_file(arg, &at, "file");
                Yields::Unknown
            }
            "fn::remoteArchive" => Yields::Archive,
            "fn::assetArchive" => {
                self.asset_archive(arg, &at);
                Yields::Archive
            }
            "fn::stringAsset" | "fn::remoteAsset" => Yields::Asset,
            "fn::select" | "fn::split" => Yields::Unknown,
            "fn::stackReference" => {
                let message =
                    "fn::stackReference is deprecated: use a pulumi:pulumi:StackReference resource";
                self.report("schema", path, message.into());
                Yields::Unknown
            }
            _ => {
                let hint = suggest::hint(name, BUILTINS.iter().copied());
                self.report(
                    "schema",
                    path,
                    format!("unknown built-in function {name}{hint}"),
                );
                Yields::Unknown
            }
        };
        if !matches!(
            name,
            "fn::invoke"
                | "fn::fileArchive"
                | "fn::fileAsset"
                | "fn::readFile"
                | "fn::assetArchive"
        ) {
            self.any(arg, &at);
        }
        if let Some(kind) = expected {
            if !fits(yields, kind) {
                let message = format!("expected {}, got the result of {name}", describe(kind));
                self.report("schema", path, message);
            }
        }
    }

    /// `fn::invoke: {function, arguments, return, options}` against the function's inputs.
    fn invoke(&mut self, arg: &Value, at: &str) {
        let Value::Object(call) = arg else {
            let message = "fn::invoke takes a mapping with function and arguments".to_string();
            return self.report("schema", at, message);
        };
        for key in call.keys().filter(|k| !INVOKE_FIELDS.contains(&k.as_str())) {
            let hint = suggest::hint(key, INVOKE_FIELDS.iter().copied());
            self.report(
                "schema",
                &join(at, key),
                format!("unknown fn::invoke field {key}{hint}"),
            );
        }
        let empty = Map::new();
        let arguments = match call.get("arguments") {
            None | Some(Value::Null) => &empty,
            Some(Value::Object(map)) => map,
            Some(other) => {
                let message = format!(
                    "fn::invoke arguments must be a mapping, got {}",
                    super::kinds::shown(other)
                );
                return self.report("schema", &join(at, "arguments"), message);
            }
        };
        let args_path = join(at, "arguments");
        let function = match call.get("function") {
            Some(Value::String(token)) if !is_expression(token) => token,
            Some(Value::String(_)) => {
                return self.any(&Value::Object(arguments.clone()), &args_path)
            }
            _ => {
                let message = "fn::invoke needs a function token".to_string();
                return self.report("schema", &join(at, "function"), message);
            }
        };
        match self.schema.function(function) {
            Some(inputs) => {
                self.object(arguments, inputs, &args_path);
                self.invoke_return(function, call.get("return"), &join(at, "return"));
            }
            None => {
                let hint = suggest::hint(function, self.schema.function_names());
                let message = format!("unknown function {function}{hint}");
                self.report("schema", &join(at, "function"), message);
                self.any(&Value::Object(arguments.clone()), &args_path);
            }
        }
        if let Some(options) = call.get("options") {
            self.any(options, &join(at, "options"));
        }
    }

    /// `return: field` must name a field the function's result has (pulumi-yaml only finds
    /// out when the invoke has run, at preview time).
    fn invoke_return(&mut self, function: &str, field: Option<&Value>, at: &str) {
        let Some(outputs) = self.schema.function_outputs(function) else {
            return;
        };
        let message = match field {
            None | Some(Value::Null) => return,
            Some(Value::String(name)) if outputs.contains_key(name) => return,
            Some(Value::String(name)) => {
                let hint = suggest::hint(name, outputs.keys().map(String::as_str));
                format!("{function} returns no field {name}{hint}")
            }
            Some(other) => format!(
                "fn::invoke return must name one field, got {}",
                super::kinds::shown(other)
            ),
        };
        self.report("schema", at, message);
    }

    /// `fn::fileArchive` / `fn::fileAsset` / `fn::readFile` paths resolve against the project
    /// folder and must stay inside it: the folder is what gets committed and deployed.
    /// `what` names the expectation: an "archive folder" is a folder, anything else a file.
    fn local_file(&mut self, arg: &Value, at: &str, what: &str) {
        let folder = what == "archive folder";
        let Some(text) = arg.as_str() else {
            let message = format!(
                "expected a path string for the {what}, got {}",
                super::kinds::shown(arg)
            );
            return self.report("schema", at, message);
        };
        if is_expression(text) {
            return;
        }
        let relative = Path::new(text);
        let escapes = relative
            .components()
            .any(|c| !matches!(c, Component::CurDir | Component::Normal(_)));
        if escapes {
            return self.report(
                "structure",
                at,
                format!("{what} {text} is outside the project folder"),
            );
        }
        let full = self.dir.join(relative);
        let message = match (folder, full.is_dir(), full.is_file()) {
            (true, true, _) | (false, _, true) => return,
            (true, false, true) => format!("{what} {text} is a file, not a folder"),
            (false, true, _) => format!("{what} {text} is a folder, not a file"),
            _ => format!("{what} {text} is missing"),
        };
        self.report("structure", at, message);
    }

    /// `fn::assetArchive: {name: asset-or-archive}`.
    fn asset_archive(&mut self, arg: &Value, at: &str) {
        let Value::Object(entries) = arg else {
            return self.mismatch(
                &Kind::Map {
                    items: Box::new(Kind::Asset),
                },
                arg,
                at,
            );
        };
        for (name, entry) in entries {
            self.value(entry, &Kind::Asset, &join(at, name));
        }
    }
}

/// Whether a call result of kind `yields` is accepted where `kind` is expected.
fn fits(yields: Yields, kind: &Kind) -> bool {
    match (yields, kind) {
        (Yields::Unknown, _) => true,
        (_, Kind::Any { one_of }) if one_of.is_empty() => true,
        (_, Kind::Any { one_of }) => one_of.iter().any(|k| fits(yields, k)),
        (Yields::String, Kind::String | Kind::Enum { .. }) => true,
        (Yields::Archive, Kind::Archive | Kind::Asset) => true,
        (Yields::Asset, Kind::Asset) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_kinds() {
        assert!(fits(Yields::String, &Kind::String));
        assert!(!fits(Yields::String, &Kind::Number));
        assert!(fits(Yields::Archive, &Kind::Asset));
        assert!(!fits(Yields::Asset, &Kind::Archive));
        assert!(fits(Yields::Unknown, &Kind::Bool));
        let policy = Kind::Any {
            one_of: vec![
                Kind::String,
                Kind::Object {
                    reference: "x".into(),
                },
            ],
        };
        assert!(fits(Yields::String, &policy));
        assert!(!fits(Yields::Archive, &policy));
    }
}
