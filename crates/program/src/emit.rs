//! The one place a [`Program`] becomes text: checked first, then written as YAML.

use serde_json::Value;

use crate::document::Doc;
use crate::expr::Expr;
use crate::program::Program;

/// Why a program could not be emitted; each line names the declaration at fault.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("the program cannot be emitted:\n  {}", .problems.join("\n  "))]
pub struct EmitError {
    pub problems: Vec<String>,
}

const HEADER: &str =
    "# Rendered by tapgen. Do not edit by hand: change tenants.toml and re-render.\n";

impl Program {
    /// The program file (`Main.yaml`): variables, resources and outputs.
    ///
    /// Fails if a name is declared twice, a logical name has characters Pulumi would
    /// mangle, or any expression refers to something not declared.
    pub fn emit(&self) -> Result<String, EmitError> {
        self.check()?;
        let yaml = crate::yaml::to_string(Doc::Program(self)).map_err(|e| EmitError {
            problems: vec![e.to_string()],
        })?;
        Ok(format!("{HEADER}{yaml}"))
    }

    /// The document [`Program::emit`] writes, as JSON data, after the same checks.
    pub fn to_value(&self) -> Result<Value, EmitError> {
        self.check()?;
        Ok(crate::document::to_value(Doc::Program(self)))
    }

    fn check(&self) -> Result<(), EmitError> {
        let mut problems = self.problems.clone();
        let names = self
            .config
            .keys()
            .chain(self.variables.keys())
            .chain(self.resources.keys());
        for name in names {
            if !is_logical_name(name) {
                problems.push(format!("{name}: logical names use only A-Z a-z 0-9 _ -"));
            }
        }
        // The owner's name is only formatted for a problem: most programs have none.
        let mut check_refs = |owner: &dyn Fn() -> String, expr: &Expr| {
            expr.for_each_reference(&mut |reference| {
                if !self.is_declared(reference.root()) {
                    problems.push(format!(
                        "{}: refers to `{}`, which is not declared",
                        owner(),
                        reference.syntax()
                    ));
                } else if let Some(problem) = self.import_problem(reference) {
                    problems.push(format!(
                        "{}: refers to `{}`: {problem}",
                        owner(),
                        reference.syntax()
                    ));
                }
            })
        };
        for (name, value) in &self.variables {
            check_refs(&|| format!("variable {name}"), value);
        }
        for (name, resource) in &self.resources {
            for (key, value) in resource.properties.iter().chain(&resource.options) {
                check_refs(&|| format!("resource {name}.{key}"), value);
            }
        }
        for (name, value) in &self.outputs {
            check_refs(&|| format!("output {name}"), value);
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(EmitError { problems })
        }
    }
}

fn is_logical_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

#[cfg(test)]
mod tests {
    use crate::{list, map, Expr, Program, Resource};

    #[test]
    fn emits_resources_in_declaration_order_with_references() {
        let mut program = Program::new();
        let vpc = program.resource(
            "vpc",
            Resource::new("aws:ec2:Vpc").with("cidrBlock", "10.0.0.0/16"),
        );
        program.resource(
            "subnet-a",
            Resource::new("aws:ec2:Subnet")
                .with("vpcId", vpc.id())
                .with(
                    "tags",
                    map! { "Name" => Expr::concat(["subnet-".into(), vpc.id()]) },
                ),
        );
        program.output("vpcId", vpc.id());
        let yaml = program.emit().unwrap();
        let expected = "\
resources:
  vpc:
    type: aws:ec2:Vpc
    properties:
      cidrBlock: 10.0.0.0/16
  subnet-a:
    type: aws:ec2:Subnet
    properties:
      vpcId: ${vpc.id}
      tags:
        Name: subnet-${vpc.id}
outputs:
  vpcId: ${vpc.id}
";
        assert_eq!(yaml.split_once('\n').unwrap().1, expected);
    }

    #[test]
    fn emission_fails_on_a_reference_to_nothing() {
        let mut donor = Program::new();
        let ghost = donor.resource("ghost", Resource::new("aws:s3:Bucket"));
        let mut program = Program::new();
        program.resource(
            "policy",
            Resource::new("aws:s3:BucketPolicy").with("bucket", ghost.id()),
        );
        program.output("list", list![ghost.arn()]);
        let error = program.emit().unwrap_err();
        assert_eq!(
            error.problems,
            vec![
                "resource policy.bucket: refers to `${ghost.id}`, which is not declared",
                "output list: refers to `${ghost.arn}`, which is not declared",
            ]
        );
    }

    #[test]
    fn emission_fails_on_duplicates_and_bad_names() {
        let mut program = Program::new();
        program.resource("a", Resource::new("aws:s3:Bucket"));
        program.resource("a", Resource::new("aws:s3:Bucket"));
        program.resource("b.c", Resource::new("aws:s3:Bucket"));
        let error = program.emit().unwrap_err();
        assert_eq!(
            error.problems,
            vec![
                "a: declared more than once",
                "b.c: logical names use only A-Z a-z 0-9 _ -"
            ]
        );
    }

    #[test]
    fn strings_that_look_like_other_yaml_types_stay_strings() {
        let words = [
            "on", "yes", "null", "0755", "1.10", "true", "~", "- x", "a: b", "#c",
        ];
        let mut program = Program::new();
        program.resource(
            "params",
            Resource::new("aws:rds:ClusterParameterGroup").with(
                "values",
                words.iter().map(|w| Expr::from(*w)).collect::<Vec<_>>(),
            ),
        );
        let yaml = program.emit().unwrap();
        // Pulumi reads YAML 1.2: parsing the output back must give the same strings.
        let parsed: serde_json::Value = serde_norway::from_str(&yaml).unwrap();
        let values = &parsed["resources"]["params"]["properties"]["values"];
        assert_eq!(values, &serde_json::json!(words));
    }
}
