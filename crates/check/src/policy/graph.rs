//! The program as a resource graph: normalised types, `${...}` references and tenant ownership.
//!
//! Every rule reads the program through this one helper so that types, references and
//! ownership are interpreted the same way everywhere.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

use super::value::{normalize_type, refs, text, value_roots};

static NULL: Value = Value::Null;

/// One declared resource.
pub struct Res<'a> {
    pub name: &'a str,
    /// Normalised type token, `aws:s3:Bucket` whichever form the program used.
    pub ty: String,
    /// `properties` (JSON null when absent).
    pub props: &'a Value,
}

pub struct Graph<'a> {
    program: &'a Value,
    res: BTreeMap<&'a str, Res<'a>>,
    owner: HashMap<String, Option<String>>,
    referrers: HashMap<String, BTreeSet<&'a str>>,
    tenants: BTreeSet<String>,
}

impl<'a> Graph<'a> {
    pub fn new(program: &'a Value) -> Graph<'a> {
        let mut res = BTreeMap::new();
        if let Some(map) = program.get("resources").and_then(Value::as_object) {
            for (name, body) in map {
                let ty = body
                    .get("type")
                    .and_then(Value::as_str)
                    .map(normalize_type)
                    .unwrap_or_default();
                let props = body.get("properties").unwrap_or(&NULL);
                res.insert(name.as_str(), Res { name, ty, props });
            }
        }
        let mut referrers: HashMap<String, BTreeSet<&'a str>> = HashMap::new();
        for r in res.values() {
            for root in value_roots(r.props) {
                if root != r.name && res.contains_key(root.as_str()) {
                    referrers.entry(root).or_default().insert(r.name);
                }
            }
        }
        let mut graph = Graph {
            program,
            res,
            owner: HashMap::new(),
            referrers,
            tenants: BTreeSet::new(),
        };
        let mut memo = HashMap::new();
        for name in graph.res.keys() {
            graph.owner_of(name, &mut memo, &mut Vec::new());
        }
        graph.tenants = memo.values().flatten().cloned().collect();
        graph.owner = memo;
        graph
    }

    pub fn all(&self) -> impl Iterator<Item = &Res<'a>> {
        self.res.values()
    }

    /// Resources of one (normalised) type, in name order.
    pub fn of<'s>(&'s self, ty: &'s str) -> impl Iterator<Item = &'s Res<'a>> + 's {
        self.res.values().filter(move |r| r.ty == ty)
    }

    pub fn get(&self, name: &str) -> Option<&Res<'a>> {
        self.res.get(name)
    }

    /// The tenant a resource belongs to: its `tenant_id` tag, else the tenant of the resource
    /// it hangs off (a role policy's role, a bucket policy's bucket, a rule's group, ...).
    pub fn owner(&self, name: &str) -> Option<&str> {
        self.owner.get(name).and_then(|o| o.as_deref())
    }

    /// Every tenant id named by a `tenant_id` tag.
    pub fn tenants(&self) -> &BTreeSet<String> {
        &self.tenants
    }

    /// Names of the resources whose properties reference `name`.
    pub fn referrers(&self, name: &str) -> impl Iterator<Item = &'a str> + '_ {
        self.referrers.get(name).into_iter().flatten().copied()
    }

    /// A program variable (for `fn::invoke` results referenced as `${name}`).
    pub fn variable(&self, name: &str) -> Option<&'a Value> {
        self.program.get("variables").and_then(|v| v.get(name))
    }

    /// The resource a value points at: the first `${res...}` naming a resource, else a
    /// resource whose physical name (`name`, `bucket`) equals the literal value.
    pub fn target(&self, value: &Value) -> Option<&Res<'a>> {
        let text = text(value)?;
        if let Some(root) = refs(&text)
            .into_iter()
            .map(|(root, _)| root)
            .find(|r| self.res.contains_key(r))
        {
            return self.res.get(root);
        }
        if text.contains("${") {
            return None;
        }
        self.res.values().find(|r| {
            ["name", "bucket"]
                .iter()
                .any(|k| r.props.get(*k).and_then(Value::as_str) == Some(text.as_str()))
        })
    }

    /// Resources of type `ty` whose property `key` points at `target`.
    pub fn companions<'s>(
        &'s self,
        ty: &'s str,
        key: &'s str,
        target: &'s str,
    ) -> Vec<&'s Res<'a>> {
        // Referencing companions come from the index; literal ones (a physical name) are
        // rare, so only those are searched for.
        let points_here = |r: &Res| {
            r.ty == ty
                && r.props
                    .get(key)
                    .and_then(|v| self.target(v))
                    .is_some_and(|t| t.name == target)
        };
        let mut out: Vec<&Res<'a>> = self
            .referrers(target)
            .filter_map(|n| self.res.get(n))
            .filter(|r| points_here(r))
            .collect();
        out.extend(self.of(ty).filter(|r| {
            r.props
                .get(key)
                .and_then(Value::as_str)
                .is_some_and(|s| !s.contains("${"))
                && points_here(r)
        }));
        out
    }

    /// Resources referenced anywhere inside `value` (declared resources only).
    pub fn roots_in(&self, value: &Value) -> Vec<&Res<'a>> {
        value_roots(value)
            .iter()
            .filter_map(|r| self.res.get(r.as_str()))
            .collect()
    }

    fn owner_of(
        &self,
        name: &str,
        memo: &mut HashMap<String, Option<String>>,
        stack: &mut Vec<String>,
    ) -> Option<String> {
        if let Some(known) = memo.get(name) {
            return known.clone();
        }
        if stack.iter().any(|s| s == name) {
            return None;
        }
        let r = self.res.get(name)?;
        let owner = match r
            .props
            .get("tags")
            .and_then(|t| t.get("tenant_id"))
            .and_then(Value::as_str)
        {
            Some(tag) => Some(tag.to_string()),
            None => {
                stack.push(name.to_string());
                let keys = parent_keys(&r.ty);
                let derived = if keys.is_empty() {
                    // No natural parent: the one tenant everything it references belongs to.
                    let set: BTreeSet<String> = value_roots(r.props)
                        .iter()
                        .filter(|root| self.res.contains_key(root.as_str()))
                        .filter_map(|root| self.owner_of(root, memo, stack))
                        .collect();
                    if set.len() == 1 {
                        set.into_iter().next()
                    } else {
                        None
                    }
                } else {
                    keys.iter()
                        .find_map(|k| r.props.get(*k))
                        .and_then(|v| first_target(self, v))
                        .and_then(|parent| self.owner_of(parent, memo, stack))
                };
                stack.pop();
                derived
            }
        };
        memo.insert(name.to_string(), owner.clone());
        owner
    }
}

fn first_target<'s>(g: &'s Graph, v: &Value) -> Option<&'s str> {
    let roots = value_roots(v);
    if let Some(root) = roots.iter().find(|r| g.res.contains_key(r.as_str())) {
        return g.res.get(root.as_str()).map(|r| r.name);
    }
    g.target(v).map(|r| r.name)
}

/// Property that names the resource an untagged resource hangs off, per type.
fn parent_keys(ty: &str) -> &'static [&'static str] {
    match ty {
        "aws:iam:RolePolicy" | "aws:iam:RolePolicyAttachment" | "aws:iam:InstanceProfile" => {
            &["role"]
        }
        "aws:iam:UserPolicy" | "aws:iam:UserPolicyAttachment" => &["user"],
        "aws:iam:GroupPolicy" | "aws:iam:GroupPolicyAttachment" => &["group"],
        "aws:vpc:SecurityGroupIngressRule"
        | "aws:vpc:SecurityGroupEgressRule"
        | "aws:ec2:SecurityGroupRule" => &["securityGroupId"],
        "aws:kms:Alias" => &["targetKeyId"],
        "aws:kms:KeyPolicy" | "aws:kms:Grant" => &["keyId"],
        "aws:lambda:Permission" => &["function"],
        "aws:lambda:Invocation"
        | "aws:lambda:EventSourceMapping"
        | "aws:lambda:Alias"
        | "aws:lambda:FunctionUrl" => &["functionName"],
        "aws:lb:ListenerRule" => &["actions"],
        "aws:lb:TargetGroupAttachment" => &["targetGroupArn"],
        "aws:dynamodb:TableItem" => &["tableName"],
        "aws:cloudwatch:LogStream"
        | "aws:cloudwatch:LogSubscriptionFilter"
        | "aws:cloudwatch:LogMetricFilter" => &["logGroupName"],
        "aws:cognito:UserPoolClient" | "aws:cognito:UserPoolDomain" | "aws:cognito:UserGroup" => {
            &["userPoolId"]
        }
        t if t.starts_with("aws:s3:") && t != "aws:s3:Bucket" => &["bucket"],
        t if t.starts_with("aws:secretsmanager:") && t != "aws:secretsmanager:Secret" => {
            &["secretId"]
        }
        _ => &[],
    }
}
