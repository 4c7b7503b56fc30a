//! Declarations: config entries, variables, resources and outputs, each named once.

use indexmap::IndexMap;
use serde_json::Value;

use crate::expr::{Expr, Reference};

/// What a builder gets back for each declaration: the only way to refer to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handle(Reference);

impl Handle {
    pub(crate) fn of(reference: Reference) -> Handle {
        Handle(reference)
    }

    /// `${name}`: a resource's id (or a variable's / config entry's value).
    pub fn expr(&self) -> Expr {
        Expr::Ref(self.0.clone())
    }

    /// `${name.property}`.
    pub fn attr(&self, property: &str) -> Expr {
        Expr::Ref(self.0.attr(property))
    }

    /// `${name.id}`, the provider id, typed.
    pub fn id(&self) -> Expr {
        self.attr("id")
    }

    /// `${name.arn}`.
    pub fn arn(&self) -> Expr {
        self.attr("arn")
    }

    pub fn reference(&self) -> &Reference {
        &self.0
    }
}

/// The value kinds Pulumi project config can declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigType {
    String,
    Integer,
    Boolean,
}

impl ConfigType {
    pub fn as_str(self) -> &'static str {
        match self {
            ConfigType::String => "string",
            ConfigType::Integer => "integer",
            ConfigType::Boolean => "boolean",
        }
    }
}

/// A typed project config key, declared in `Pulumi.yaml`.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigEntry {
    pub kind: ConfigType,
    pub description: String,
    pub default: Option<Value>,
}

/// One `resources:` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    pub(crate) type_token: String,
    pub(crate) default_provider: bool,
    pub(crate) properties: IndexMap<String, Expr>,
    pub(crate) options: IndexMap<String, Expr>,
}

impl Resource {
    /// A resource of the given type token, e.g. `aws:s3:Bucket`.
    pub fn new(type_token: &str) -> Self {
        Resource {
            type_token: type_token.to_string(),
            default_provider: false,
            properties: IndexMap::new(),
            options: IndexMap::new(),
        }
    }

    /// Sets one input property; `Expr::Null` (e.g. from `None`) leaves it unset.
    pub fn with(mut self, property: &str, value: impl Into<Expr>) -> Self {
        let value = value.into();
        if value != Expr::Null {
            self.properties.insert(property.to_string(), value);
        }
        self
    }

    /// Sets a resource option (`options:` in Pulumi YAML).
    pub fn option(mut self, name: &str, value: impl Into<Expr>) -> Self {
        self.options.insert(name.to_string(), value.into());
        self
    }

    /// `options.dependsOn`: ordering that no property reference already implies.
    pub fn depends_on(self, handles: &[&Handle]) -> Self {
        let list = handles.iter().map(|h| h.expr()).collect::<Vec<_>>();
        self.option("dependsOn", list)
    }

    /// The type token, e.g. `aws:s3:Bucket`.
    pub fn type_token(&self) -> &str {
        &self.type_token
    }

    /// One input property, if set.
    pub fn property(&self, name: &str) -> Option<&Expr> {
        self.properties.get(name)
    }

    /// Makes this (provider) resource the default provider for its package.
    pub fn default_provider(mut self) -> Self {
        self.default_provider = true;
        self
    }
}

/// A whole Pulumi YAML program: one stack. Declaration order is kept, so output is
/// deterministic.
#[derive(Debug, Clone, Default)]
pub struct Program {
    /// Which stack this program renders (`main`, `platform`, `cell-001`): exports carry it.
    pub(crate) stack: String,
    pub(crate) config: IndexMap<String, ConfigEntry>,
    pub(crate) variables: IndexMap<String, Expr>,
    pub(crate) resources: IndexMap<String, Resource>,
    pub(crate) outputs: IndexMap<String, Expr>,
    /// Files shipped beside the program (Lambda sources), by path relative to the project.
    pub(crate) files: IndexMap<String, String>,
    /// What may be read through each stack reference this program declares.
    pub(crate) imports: crate::stacks::Imports,
    /// Mistakes made while building (a name declared twice, an import from the wrong
    /// stack), reported by emission rather than panicking mid-build.
    pub(crate) problems: Vec<String>,
}

impl Program {
    /// The program of a project with a single stack.
    pub fn new() -> Self {
        Self::for_stack("main")
    }

    /// The program of stack `stack` in a project split into several stacks.
    pub fn for_stack(stack: &str) -> Self {
        Program {
            stack: stack.to_string(),
            ..Self::default()
        }
    }

    /// Which stack this program renders.
    pub fn stack(&self) -> &str {
        &self.stack
    }

    /// The value of output `name`, if declared.
    pub fn output_value(&self, name: &str) -> Option<&Expr> {
        self.outputs.get(name)
    }

    /// Declares a project config key.
    pub fn config(&mut self, name: &str, entry: ConfigEntry) -> Handle {
        let handle = self.declare(name);
        self.config.insert(name.to_string(), entry);
        handle
    }

    /// Declares a variable: an expression evaluated once and referenced by name.
    pub fn variable(&mut self, name: &str, value: Expr) -> Handle {
        let handle = self.declare(name);
        self.variables.insert(name.to_string(), value);
        handle
    }

    /// Declares a resource.
    pub fn resource(&mut self, name: &str, resource: Resource) -> Handle {
        let handle = self.declare(name);
        self.resources.insert(name.to_string(), resource);
        handle
    }

    /// Declares a stack output.
    pub fn output(&mut self, name: &str, value: impl Into<Expr>) {
        if self
            .outputs
            .insert(name.to_string(), value.into())
            .is_some()
        {
            self.problems
                .push(format!("output {name}: declared more than once"));
        }
    }

    /// Ships `files` (name → content) in the project folder `folder` and returns the
    /// `fn::fileArchive` that Pulumi zips at deploy time.
    pub fn archive(&mut self, folder: &str, files: &[(&str, &str)]) -> Expr {
        for (name, content) in files {
            let path = format!("{folder}/{name}");
            if self
                .files
                .insert(path.clone(), content.to_string())
                .is_some()
            {
                self.problems
                    .push(format!("file {path}: declared more than once"));
            }
        }
        Expr::file_archive(&format!("./{folder}"))
    }

    /// The shipped files, by path relative to the project folder.
    pub fn files(&self) -> &IndexMap<String, String> {
        &self.files
    }

    pub fn resources(&self) -> &IndexMap<String, Resource> {
        &self.resources
    }

    pub fn config_entries(&self) -> &IndexMap<String, ConfigEntry> {
        &self.config
    }

    fn declare(&mut self, name: &str) -> Handle {
        if self.is_declared(name) {
            self.problems
                .push(format!("{name}: declared more than once"));
        }
        Handle(Reference {
            root: name.to_string(),
            path: String::new(),
        })
    }

    pub(crate) fn is_declared(&self, name: &str) -> bool {
        // Resources first: nearly every reference names one, and each lookup hashes the name.
        self.resources.contains_key(name)
            || name == crate::expr::PULUMI_ROOT
            || self.variables.contains_key(name)
            || self.config.contains_key(name)
    }
}
