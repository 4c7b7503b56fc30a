//! Stack boundaries: what one stack exports, and how another reads it through a
//! `pulumi:pulumi:StackReference`.
//!
//! An [`Export`] is made only by the stack that declares the output, and a stack imports it
//! only through a [`StackRef`] to that same stack. The importing program records every import,
//! so emission rejects any `${ref.outputs[...]}` the producing stack does not export, and any
//! attribute of an exported resource that was not exported with it: a cross-stack reference
//! cannot dangle any more than a local one.

use indexmap::IndexMap;

use crate::expr::{Expr, Reference};
use crate::program::{Handle, Program, Resource};

/// An output of one stack that other stacks may import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    stack: String,
    name: String,
    /// For an exported resource: the attributes exported with it; `None` for a plain value.
    attributes: Option<Vec<String>>,
}

/// A stack reference in the importing program, bound to the stack it reads.
#[derive(Debug, Clone)]
pub struct StackRef {
    handle: Handle,
    stack: String,
}

impl StackRef {
    /// The stack reference resource: what `dependsOn` names for ordering after the
    /// referenced stack (which is deployed first).
    pub fn handle(&self) -> &Handle {
        &self.handle
    }
}

/// What an importing program may read, by stack reference and output name: `None` for a
/// plain value, else the attributes exported with a resource.
pub(crate) type Imports = IndexMap<String, IndexMap<String, Option<Vec<String>>>>;

impl Program {
    /// Declares output `name` with a plain value (a list of ids, a name) for other stacks.
    pub fn export(&mut self, name: &str, value: impl Into<Expr>) -> Export {
        self.output(name, value);
        Export {
            stack: self.stack.clone(),
            name: name.to_string(),
            attributes: None,
        }
    }

    /// Declares output `name` as a map of the resource's `attributes`; an importing stack
    /// gets a [`Handle`] on which exactly those attributes resolve.
    pub fn export_handle(&mut self, name: &str, handle: &Handle, attributes: &[&str]) -> Export {
        let entries = attributes
            .iter()
            .map(|attribute| (attribute.to_string(), handle.attr(attribute)))
            .collect::<IndexMap<_, _>>();
        self.output(name, Expr::Map(entries));
        Export {
            stack: self.stack.clone(),
            name: name.to_string(),
            attributes: Some(attributes.iter().map(|a| a.to_string()).collect()),
        }
    }

    /// Declares a stack reference named `name` to the stack `producer` renders; `stack_name`
    /// is the fully qualified stack name Pulumi resolves at deploy time.
    pub fn stack_reference(
        &mut self,
        name: &str,
        producer: &Program,
        stack_name: Expr,
    ) -> StackRef {
        let handle = self.resource(
            name,
            Resource::new("pulumi:pulumi:StackReference").with("name", stack_name),
        );
        self.imports.insert(name.to_string(), IndexMap::new());
        StackRef {
            handle,
            stack: producer.stack.clone(),
        }
    }

    /// Reads `export` through `from`: `${from.outputs["name"]}`, as a handle whose attributes
    /// are those exported. Importing from a reference to another stack fails emission.
    pub fn import(&mut self, from: &StackRef, export: &Export) -> Handle {
        let root = from.handle.reference().root().to_string();
        if export.stack != from.stack {
            self.problems.push(format!(
                "{root}: imports `{}` of stack {}, but refers to stack {}",
                export.name, export.stack, from.stack
            ));
        }
        self.imports
            .entry(root)
            .or_default()
            .insert(export.name.clone(), export.attributes.clone());
        Handle::of(from.handle.reference().key("outputs", &export.name))
    }

    /// Why `reference` cannot be read, if it goes through a stack reference of this program
    /// to something that stack does not export.
    pub(crate) fn import_problem(&self, reference: &Reference) -> Option<String> {
        let imports = self.imports.get(reference.root())?;
        let rest = reference.path().strip_prefix(".outputs[\"")?;
        let (name, after) = rest.split_once("\"]").unwrap_or((rest, ""));
        let Some(attributes) = imports.get(name) else {
            return Some(format!("output `{name}` is not imported from that stack"));
        };
        let Some(attributes) = attributes else {
            return None;
        };
        let attribute = after
            .strip_prefix('.')
            .and_then(|a| a.split(['.', '[']).next())
            .unwrap_or("");
        (!attributes.iter().any(|a| a == attribute))
            .then(|| format!("`{name}` is exported with {} only", attributes.join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use crate::{Expr, Program, Resource};

    /// A platform exporting its VPC (id only) and zone names, and a cell reading both.
    fn platform_and_cell() -> (Program, Program, crate::Handle, crate::Handle) {
        let mut platform = Program::for_stack("platform");
        let vpc = platform.resource("vpc", Resource::new("aws:ec2:Vpc"));
        let vpc_export = platform.export_handle("vpc", &vpc, &["id"]);
        let zones = platform.export("zones", Expr::from(vec!["a".to_string()]));
        let mut cell = Program::for_stack("cell-001");
        let reference = cell.stack_reference("platform", &platform, Expr::from("org/p/dev"));
        let vpc = cell.import(&reference, &vpc_export);
        let zones = cell.import(&reference, &zones);
        (platform, cell, vpc, zones)
    }

    #[test]
    fn a_cell_reads_exported_outputs_through_its_stack_reference() {
        let (platform, mut cell, vpc, zones) = platform_and_cell();
        cell.resource(
            "subnet",
            Resource::new("aws:ec2:Subnet")
                .with("vpcId", vpc.id())
                .with("availabilityZone", Expr::Ref(zones.reference().index(0))),
        );
        let yaml = cell.emit().unwrap();
        assert!(
            yaml.contains("vpcId: ${platform.outputs[\"vpc\"].id}"),
            "{yaml}"
        );
        assert!(yaml.contains("availabilityZone: ${platform.outputs[\"zones\"][0]}"));
        assert!(yaml.contains("type: pulumi:pulumi:StackReference"));
        let platform_yaml = platform.emit().unwrap();
        assert!(
            platform_yaml.contains("vpc:\n    id: ${vpc.id}"),
            "{platform_yaml}"
        );
    }

    #[test]
    fn an_attribute_not_exported_cannot_be_emitted() {
        let (_, mut cell, vpc, _) = platform_and_cell();
        cell.resource(
            "sg",
            Resource::new("aws:ec2:SecurityGroup").with("x", vpc.arn()),
        );
        let error = cell.emit().unwrap_err();
        assert_eq!(
            error.problems,
            ["resource sg.x: refers to `${platform.outputs[\"vpc\"].arn}`: `vpc` is exported with id only"]
        );
    }

    #[test]
    fn a_platform_handle_used_in_a_cell_dangles_and_is_refused() {
        let mut platform = Program::for_stack("platform");
        let vpc = platform.resource("vpc", Resource::new("aws:ec2:Vpc"));
        let mut cell = Program::for_stack("cell-001");
        cell.resource(
            "sg",
            Resource::new("aws:ec2:SecurityGroup").with("vpcId", vpc.id()),
        );
        let error = cell.emit().unwrap_err();
        assert_eq!(
            error.problems,
            ["resource sg.vpcId: refers to `${vpc.id}`, which is not declared"]
        );
    }

    #[test]
    fn importing_another_stacks_export_is_refused() {
        let mut platform = Program::for_stack("platform");
        let mut other = Program::for_stack("cell-002");
        let foreign = other.export("tenants", Expr::from("x"));
        let mut cell = Program::for_stack("cell-001");
        let reference = cell.stack_reference("platform", &platform, Expr::from("org/p/dev"));
        let value = cell.import(&reference, &foreign);
        cell.output("x", value.expr());
        platform.output("unused", Expr::from("y"));
        let error = cell.emit().unwrap_err();
        assert_eq!(
            error.problems,
            ["platform: imports `tenants` of stack cell-002, but refers to stack platform"]
        );
    }

    #[test]
    fn a_hand_made_output_name_is_refused() {
        let (_, mut cell, _, _) = platform_and_cell();
        let platform_ref = crate::Handle::of(
            crate::Reference {
                root: "platform".into(),
                path: String::new(),
            }
            .key("outputs", "secret"),
        );
        cell.output("leak", platform_ref.expr());
        let error = cell.emit().unwrap_err();
        assert_eq!(
            error.problems,
            ["output leak: refers to `${platform.outputs[\"secret\"]}`: output `secret` is not imported from that stack"]
        );
    }
}
