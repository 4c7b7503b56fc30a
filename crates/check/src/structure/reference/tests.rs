use super::*;

fn access(root: &str, segments: Vec<Segment>) -> Part {
    Part::Ref(Access {
        root: root.into(),
        segments,
    })
}

fn name(n: &str) -> Segment {
    Segment::Name(n.into())
}

#[test]
fn plain_text_is_one_literal() {
    assert_eq!(parse("hello").unwrap(), vec![Part::Text("hello".into())]);
    assert_eq!(parse("").unwrap(), vec![]);
    assert!(!is_expression("10.0.0.0/16"));
}

#[test]
fn single_reference_with_name_segments() {
    assert_eq!(
        parse("${vpc.id}").unwrap(),
        vec![access("vpc", vec![name("id")])]
    );
    assert_eq!(parse("${vpc}").unwrap(), vec![access("vpc", vec![])]);
    assert!(is_expression("${vpc.id}"));
}

#[test]
fn interpolation_inside_text() {
    assert_eq!(
        parse("service/${ecs-cluster.name}/${svc.name}").unwrap(),
        vec![
            Part::Text("service/".into()),
            access("ecs-cluster", vec![name("name")]),
            Part::Text("/".into()),
            access("svc", vec![name("name")]),
        ]
    );
}

#[test]
fn dollar_escapes() {
    assert_eq!(
        parse("$${not.a.ref}").unwrap(),
        vec![Part::Text("${not.a.ref}".into())]
    );
    assert_eq!(
        parse("cost $$5").unwrap(),
        vec![Part::Text("cost $5".into())]
    );
    assert_eq!(parse("a $ b").unwrap(), vec![Part::Text("a $ b".into())]);
    assert!(!is_expression("$${x}"));
    // `$$$${x}`: two escaped dollars, then literal `{x}`.
    assert_eq!(parse("$$$${x}").unwrap(), vec![Part::Text("$${x}".into())]);
    // `$$${x}`: an escaped dollar, then a reference.
    assert_eq!(
        parse("$$${x}").unwrap(),
        vec![Part::Text("$".into()), access("x", vec![])]
    );
}

#[test]
fn nested_indexes_and_quoted_keys() {
    assert_eq!(
        parse("${db.masterUserSecrets[0].secretArn}").unwrap(),
        vec![access(
            "db",
            vec![
                name("masterUserSecrets"),
                Segment::Index(0),
                name("secretArn")
            ]
        )]
    );
    assert_eq!(
        parse("${m[1][22]}").unwrap(),
        vec![access("m", vec![Segment::Index(1), Segment::Index(22)])]
    );
    assert_eq!(
        parse(r#"${res.tags["aws:cloudformation"].x}"#).unwrap(),
        vec![access(
            "res",
            vec![
                name("tags"),
                Segment::Key("aws:cloudformation".into()),
                name("x")
            ]
        )]
    );
    assert_eq!(
        parse(r#"${res["key with \"quotes\" and ."]}"#).unwrap(),
        vec![access(
            "res",
            vec![Segment::Key(r#"key with "quotes" and ."#.into())]
        )]
    );
    assert_eq!(
        parse(r#"${["root key"][3]}"#).unwrap(),
        vec![access("root key", vec![Segment::Index(3)])]
    );
}

#[test]
fn namespaced_config_root() {
    assert_eq!(
        parse("${aws:region}").unwrap(),
        vec![access("aws:region", vec![])]
    );
}

#[test]
fn malformed_references() {
    for bad in [
        "${vpc.}",
        "${}",
        "${vpc",
        "${vpc.id",
        "x ${",
        "${.id}",
        "${vpc..id}",
        "${vpc[]}",
        "${vpc[x]}",
        "${vpc[-1]}",
        "${vpc[0}",
        r#"${vpc["open]}"#,
        r#"${vpc["k"}"#,
        "${ vpc.id }",
        "${vpc id}",
    ] {
        assert!(parse(bad).is_err(), "{bad} should not parse");
        assert!(is_expression(bad), "{bad} is not a literal");
    }
    let err = parse("ab${vpc.}").unwrap_err();
    assert_eq!(err.offset, 8);
    assert!(err.message.contains("after '.'"), "{err}");
    assert!(parse("${}").unwrap_err().message.contains("empty"));
}
