//! The committed input schemas of the pinned provider SDKs, parsed once.
//!
//! The data is derived offline from the pulumi-aws / pulumi-random Python wheels by
//! `scripts/derive-schema.py` (see its docstring for the format). It is embedded in the binary
//! so `tapgen check` needs neither network nor a Pulumi installation, and the version it proves
//! conformance against is exactly the one the rendered provider resources pin.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde::Deserialize;

const AWS: &str = include_str!("../../schema/pulumi-aws-7.51.1.json");
const RANDOM: &str = include_str!("../../schema/pulumi-random-4.21.4.json");

/// The shape one input accepts.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Kind {
    String,
    Number,
    Bool,
    /// Anything; with `one_of`, any of those shapes (e.g. a policy as JSON text or a document).
    Any {
        #[serde(default, rename = "oneOf")]
        one_of: Vec<Kind>,
    },
    List {
        items: Box<Kind>,
    },
    Map {
        items: Box<Kind>,
    },
    Object {
        #[serde(rename = "ref")]
        reference: String,
    },
    /// `open`: the SDK also takes any plain string, so the values are only hints.
    Enum {
        values: Vec<String>,
        #[serde(default)]
        open: bool,
    },
    Archive,
    /// The schema's AssetOrArchive: an asset or an archive.
    Asset,
}

/// One input: its shape, and whether the SDK marks it deprecated.
#[derive(Debug, Clone, Deserialize)]
pub struct Prop {
    #[serde(flatten)]
    pub kind: Kind,
    #[serde(default)]
    pub deprecated: bool,
}

/// The inputs of a resource, a function or a nested object type.
#[derive(Debug, Default, Deserialize)]
pub struct Inputs {
    #[serde(alias = "properties")]
    pub inputs: BTreeMap<String, Prop>,
    #[serde(default)]
    pub required: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Token {
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(flatten)]
    inputs: Inputs,
}

#[derive(Debug, Deserialize)]
struct File {
    provider: String,
    version: String,
    resources: BTreeMap<String, Token>,
    functions: BTreeMap<String, Token>,
    types: BTreeMap<String, Inputs>,
}

/// All packages merged: tokens by canonical name plus an alias index for the short forms.
#[derive(Debug, Default)]
pub struct Schema {
    resources: BTreeMap<String, Inputs>,
    functions: BTreeMap<String, Inputs>,
    types: BTreeMap<String, Inputs>,
    resource_aliases: HashMap<String, String>,
    function_aliases: HashMap<String, String>,
    versions: BTreeMap<String, String>,
}

impl Schema {
    /// The embedded data, parsed on first use. The files are generated and committed together
    /// with this crate, so a parse failure is a build defect: it panics (and a test catches it).
    pub fn get() -> &'static Schema {
        static SCHEMA: OnceLock<Schema> = OnceLock::new();
        SCHEMA.get_or_init(|| {
            let mut schema = Schema::default();
            for text in [AWS, RANDOM] {
                let file: File = serde_json::from_str(text)
                    .unwrap_or_else(|e| panic!("embedded provider schema is invalid: {e}"));
                schema.add(file);
            }
            schema.add_pulumi_builtins();
            schema
        })
    }

    /// Resources the Pulumi engine itself provides (no provider package describes them):
    /// `pulumi:pulumi:StackReference`, whose one input is the referenced stack's name.
    fn add_pulumi_builtins(&mut self) {
        let name = Prop {
            kind: Kind::String,
            deprecated: false,
        };
        self.resources.insert(
            "pulumi:pulumi:StackReference".into(),
            Inputs {
                inputs: BTreeMap::from([("name".to_string(), name)]),
                required: vec!["name".into()],
            },
        );
    }

    fn add(&mut self, file: File) {
        self.versions.insert(file.provider, file.version);
        for (name, token) in file.resources {
            for alias in token.aliases {
                self.resource_aliases.insert(alias, name.clone());
            }
            self.resources.insert(name, token.inputs);
        }
        for (name, token) in file.functions {
            for alias in token.aliases {
                self.function_aliases.insert(alias, name.clone());
            }
            self.functions.insert(name, token.inputs);
        }
        self.types.extend(file.types);
    }

    /// A resource type by full token (`aws:s3/bucket:Bucket`) or short form (`aws:s3:Bucket`).
    pub fn resource(&self, token: &str) -> Option<&Inputs> {
        let full = self
            .resource_aliases
            .get(token)
            .map_or(token, String::as_str);
        self.resources.get(full)
    }

    /// An invokable function by full token or short form.
    pub fn function(&self, token: &str) -> Option<&Inputs> {
        let full = self
            .function_aliases
            .get(token)
            .map_or(token, String::as_str);
        self.functions.get(full)
    }

    /// A nested object type by its `ref`.
    pub fn object(&self, reference: &str) -> Option<&Inputs> {
        self.types.get(reference)
    }

    /// The provider version the data was derived from (`aws` -> `7.51.1`).
    pub fn version(&self, provider: &str) -> Option<&str> {
        self.versions.get(provider).map(String::as_str)
    }

    /// Every resource token in every spelling, for did-you-mean suggestions.
    pub fn resource_names(&self) -> impl Iterator<Item = &str> {
        self.resources
            .keys()
            .chain(self.resource_aliases.keys())
            .map(String::as_str)
    }

    /// Every function token in every spelling, for did-you-mean suggestions.
    pub fn function_names(&self) -> impl Iterator<Item = &str> {
        self.functions
            .keys()
            .chain(self.function_aliases.keys())
            .map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_data_parses_and_resolves_both_spellings() {
        let schema = Schema::get();
        let short = schema.resource("aws:s3:Bucket").map(|r| r.inputs.len());
        let full = schema
            .resource("aws:s3/bucket:Bucket")
            .map(|r| r.inputs.len());
        assert!(short.is_some());
        assert_eq!(short, full);
        assert!(schema.resource("pulumi:providers:aws").is_some());
        assert!(schema.resource("pulumi:providers:random").is_some());
        assert!(schema.resource("random:RandomPassword").is_some());
        assert!(schema.function("aws:getAvailabilityZones").is_some());
        assert!(schema.object("aws:lb/TargetGroupHealthCheck").is_some());
        assert_eq!(schema.version("aws"), Some("7.51.1"));
        assert!(schema.resource("aws:s3:Buckett").is_none());
    }

    #[test]
    fn every_object_ref_resolves() {
        fn refs<'a>(kind: &'a Kind, out: &mut Vec<&'a str>) {
            match kind {
                Kind::Object { reference } => out.push(reference),
                Kind::List { items } | Kind::Map { items } => refs(items, out),
                Kind::Any { one_of } => one_of.iter().for_each(|k| refs(k, out)),
                _ => {}
            }
        }
        let schema = Schema::get();
        let mut all = Vec::new();
        let sets = schema.resources.values().chain(schema.functions.values());
        for inputs in sets.chain(schema.types.values()) {
            inputs.inputs.values().for_each(|p| refs(&p.kind, &mut all));
        }
        assert!(!all.is_empty());
        for reference in all {
            assert!(
                schema.object(reference).is_some(),
                "dangling ref {reference}"
            );
        }
    }
}
