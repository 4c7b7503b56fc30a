//! The program document as a tree that the YAML writer and the JSON form both walk, so the
//! two cannot disagree, and emission builds no intermediate `serde_json::Value` (whose
//! hashed maps were a third of the render time at hundreds of tenants).

use std::borrow::Cow;

use indexmap::IndexMap;
use serde_json::Value;

use crate::expr::{escape, Builtin, Expr, Part};
use crate::program::{Program, Resource};

/// One node of a document: a map (in order), a list, a string, or another scalar.
pub(crate) enum Shape<'a, N> {
    Map(Vec<(Cow<'a, str>, N)>),
    List(Vec<N>),
    Str(Cow<'a, str>),
    /// Null, a boolean or a number.
    Scalar(Value),
}

/// Something that can be laid out as a document node.
pub(crate) trait Node<'a>: Sized {
    fn shape(&self) -> Shape<'a, Self>;
}

impl<'a> Node<'a> for &'a Value {
    fn shape(&self) -> Shape<'a, Self> {
        match self {
            Value::Object(map) => Shape::Map(map.iter().map(|(k, v)| (Cow::from(k), v)).collect()),
            Value::Array(items) => Shape::List(items.iter().collect()),
            Value::String(s) => Shape::Str(Cow::from(s)),
            scalar => Shape::Scalar((*scalar).clone()),
        }
    }
}

/// An expression as laid out: itself, or one piece of the `fn::join` an interpolation of two or
/// more references is written as.
///
/// pulumi-yaml v1.38.1 evaluates `${a.x}/${b.y}` by reading `b` from its resource map inside
/// `a.x`'s Output callback, while its main loop may still be writing that map: "concurrent map
/// read and map write" on large programs (pulumi/pulumi-yaml#1164). `fn::join` evaluates every
/// element up front, so its callback only joins strings.
#[derive(Clone, Copy)]
pub(crate) enum ExprNode<'a> {
    Expr(&'a Expr),
    /// `["", [piece, ...]]`: the join's delimiter and pieces.
    JoinArguments(&'a [Part]),
    Pieces(&'a [Part]),
    Piece(&'a Part),
    NoDelimiter,
}

impl<'a> Node<'a> for ExprNode<'a> {
    fn shape(&self) -> Shape<'a, Self> {
        node_shape(*self, |child| child)
    }
}

/// The shape of `node` with each child wrapped by `wrap`, so a document node built around
/// expressions gets its children in one pass.
fn node_shape<'a, N>(node: ExprNode<'a>, wrap: impl Fn(ExprNode<'a>) -> N) -> Shape<'a, N> {
    match node {
        ExprNode::Expr(expr) => expr_shape(expr, wrap),
        ExprNode::JoinArguments(parts) => Shape::List(vec![
            wrap(ExprNode::NoDelimiter),
            wrap(ExprNode::Pieces(parts)),
        ]),
        ExprNode::Pieces(parts) => {
            Shape::List(parts.iter().map(|p| wrap(ExprNode::Piece(p))).collect())
        }
        ExprNode::Piece(part) => Shape::Str(piece(part)),
        ExprNode::NoDelimiter => Shape::Str(Cow::Borrowed("")),
    }
}

fn expr_shape<'a, N>(expr: &'a Expr, wrap: impl Fn(ExprNode<'a>) -> N) -> Shape<'a, N> {
    match expr {
        Expr::Null => Shape::Scalar(Value::Null),
        Expr::Bool(b) => Shape::Scalar(Value::Bool(*b)),
        Expr::Int(i) => Shape::Scalar(Value::from(*i)),
        Expr::Str(text) => Shape::Str(escape(text)),
        Expr::List(items) => Shape::List(items.iter().map(|i| wrap(ExprNode::Expr(i))).collect()),
        Expr::Map(entries) => Shape::Map(entries_of(entries, |e| wrap(ExprNode::Expr(e)))),
        Expr::Ref(reference) => Shape::Str(Cow::Owned(reference.syntax())),
        Expr::Interpolate(parts) if references(parts) >= 2 => Shape::Map(vec![(
            Cow::Borrowed(Builtin::Join.key()),
            wrap(ExprNode::JoinArguments(parts)),
        )]),
        Expr::Interpolate(parts) => Shape::Str(Cow::Owned(parts.iter().map(piece).collect())),
        Expr::Call { function, argument } => Shape::Map(vec![(
            Cow::Borrowed(function.key()),
            wrap(ExprNode::Expr(argument)),
        )]),
    }
}

fn references(parts: &[Part]) -> usize {
    parts.iter().filter(|p| matches!(p, Part::Ref(_))).count()
}

fn piece(part: &Part) -> Cow<'_, str> {
    match part {
        Part::Text(text) => escape(text),
        Part::Ref(reference) => Cow::Owned(reference.syntax()),
    }
}

fn entries_of<'a, N>(
    entries: &'a IndexMap<String, Expr>,
    wrap: impl Fn(&'a Expr) -> N,
) -> Vec<(Cow<'a, str>, N)> {
    entries
        .iter()
        .map(|(k, v)| (Cow::from(k), wrap(v)))
        .collect()
}

/// The parts of a program's `Main.yaml`.
#[derive(Clone, Copy)]
pub(crate) enum Doc<'a> {
    Program(&'a Program),
    Resources(&'a IndexMap<String, Resource>),
    Resource(&'a Resource),
    Exprs(&'a IndexMap<String, Expr>),
    Expr(ExprNode<'a>),
    Text(&'a str),
    True,
}

impl<'a> Node<'a> for Doc<'a> {
    fn shape(&self) -> Shape<'a, Self> {
        let entry = |key: &'static str, doc| (Cow::Borrowed(key), doc);
        match *self {
            Doc::Program(program) => {
                let mut entries = Vec::new();
                if !program.variables.is_empty() {
                    entries.push(entry("variables", Doc::Exprs(&program.variables)));
                }
                entries.push(entry("resources", Doc::Resources(&program.resources)));
                if !program.outputs.is_empty() {
                    entries.push(entry("outputs", Doc::Exprs(&program.outputs)));
                }
                Shape::Map(entries)
            }
            Doc::Resources(resources) => Shape::Map(
                resources
                    .iter()
                    .map(|(name, r)| (Cow::from(name), Doc::Resource(r)))
                    .collect(),
            ),
            Doc::Resource(resource) => {
                let mut entries = vec![entry("type", Doc::Text(&resource.type_token))];
                if resource.default_provider {
                    entries.push(entry("defaultProvider", Doc::True));
                }
                if !resource.properties.is_empty() {
                    entries.push(entry("properties", Doc::Exprs(&resource.properties)));
                }
                if !resource.options.is_empty() {
                    entries.push(entry("options", Doc::Exprs(&resource.options)));
                }
                Shape::Map(entries)
            }
            Doc::Exprs(exprs) => {
                Shape::Map(entries_of(exprs, |expr| Doc::Expr(ExprNode::Expr(expr))))
            }
            Doc::Expr(node) => node_shape(node, Doc::Expr),
            Doc::Text(text) => Shape::Str(Cow::Borrowed(text)),
            Doc::True => Shape::Scalar(Value::Bool(true)),
        }
    }
}

/// The node as JSON data.
pub(crate) fn to_value<'a>(node: impl Node<'a>) -> Value {
    match node.shape() {
        Shape::Map(entries) => Value::Object(
            entries
                .into_iter()
                .map(|(k, v)| (k.into_owned(), to_value(v)))
                .collect(),
        ),
        Shape::List(items) => Value::Array(items.into_iter().map(to_value).collect()),
        Shape::Str(s) => Value::String(s.into_owned()),
        Shape::Scalar(v) => v,
    }
}
