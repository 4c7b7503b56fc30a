use super::*;

fn names(text: &str) -> Vec<String> {
    scan(text)
        .into_iter()
        .map(|h| {
            format!(
                "{}{}@{}:{}",
                if h.alias { '*' } else { '&' },
                h.name,
                h.line,
                h.column
            )
        })
        .collect()
}

#[test]
fn finds_anchors_and_aliases_in_block_style() {
    let text = "base: &tags\n  a: b\nres:\n  tags: *tags\n  list:\n  - *tags\n  - &item x\n";
    assert_eq!(
        names(text),
        ["&tags@1:7", "*tags@4:9", "*tags@6:5", "&item@7:5"]
    );
}

#[test]
fn finds_merge_keys_and_anchored_keys() {
    assert_eq!(names("a:\n  <<: *base\n"), ["*base@2:7"]);
    assert_eq!(names("&k key: v\n"), ["&k@1:1"]);
    assert_eq!(names("a: !!str &x v\n"), ["&x@1:10"]);
}

#[test]
fn finds_them_in_flow_collections() {
    assert_eq!(names("a: [x, *y, {k: &z v}]\n"), ["*y@1:8", "&z@1:16"]);
    assert_eq!(names("a: [x,\n  *y]\n"), ["*y@2:3"]);
}

#[test]
fn ignores_look_alikes() {
    let text = r#"
Action: s3:*
Resource: arn:aws:s3:::bucket/*
Principal: '*'
host: "*.example.com"
q: 'it''s *not'
d: "say \"&no\" *no"
name: a&b
url: https://x/?a=1&b=2
# &commented *out
tail: value # *also a comment
multi: "line one
  *still quoted"
"#;
    assert_eq!(names(text), Vec::<String>::new());
}

#[test]
fn block_scalars_are_text() {
    let text = "script: |\n  echo *star &amp\n  - *x\nnext: *real\nfolded: >-\n    &a\nlist:\n- |\n  *in\n- *out\n";
    assert_eq!(names(text), ["*real@4:7", "*out@10:3"]);
}

#[test]
fn block_scalar_in_sequence_mapping_ends_at_sibling_key() {
    let text = "- key: |\n    *text\n  other: *hit\n";
    assert_eq!(names(text), ["*hit@3:10"]);
}

#[test]
fn document_markers() {
    assert_eq!(names("--- &doc\na: 1\n...\n%YAML 1.2\n"), ["&doc@1:5"]);
}

#[test]
fn the_rendered_example_has_none() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/ecs-fargate");
    let text = std::fs::read_to_string(dir.join("Main.yaml")).unwrap();
    assert_eq!(names(&text), Vec::<String>::new());
}
