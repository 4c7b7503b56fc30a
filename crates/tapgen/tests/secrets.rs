//! No private key material reaches a rendered file: a JWKS holding a private member is
//! refused (exit 2, naming the file and the member) and DIR is not written; the same JWKS
//! without it renders, and no rendered file holds the private value, while the public
//! modulus does appear (so the search looks where the JWKS goes).

mod common;

use common::{render, repo, snapshot};
use serde_json::Value;

/// A value no rendered file could hold by chance.
const PRIVATE_D: &str = "cHJpdmF0ZS1leHBvbmVudC10aGF0LW11c3QtbmV2ZXItbGVhaw";

#[test]
fn a_jwks_with_a_private_member_is_refused_and_nothing_of_it_is_rendered() {
    let work = tempfile::tempdir().unwrap();
    let config = work.path().join("tenants.toml");
    std::fs::copy(repo().join("examples/serverless.toml"), &config).unwrap();
    std::fs::create_dir(work.path().join("keys")).unwrap();
    let public: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("examples/keys/jwks.json")).unwrap(),
    )
    .unwrap();
    let modulus = public["keys"][0]["n"].as_str().unwrap().to_string();
    let mut private = public.clone();
    private["keys"][0]["d"] = Value::from(PRIVATE_D);
    let jwks = work.path().join("keys/jwks.json");
    std::fs::write(&jwks, serde_json::to_string_pretty(&private).unwrap()).unwrap();

    let out = work.path().join("infra");
    let refused = render(&config, &out, &[]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("platform.auth.jwks"), "{stderr}");
    assert!(stderr.contains("\"keys/jwks.json\""), "{stderr}");
    assert!(stderr.contains("\"d\" of key 0"), "{stderr}");
    assert!(
        !stderr.contains(PRIVATE_D),
        "the message repeats the secret: {stderr}"
    );
    assert!(!out.exists(), "a refused render wrote {}", out.display());

    std::fs::write(&jwks, serde_json::to_string_pretty(&public).unwrap()).unwrap();
    let rendered = render(&config, &out, &[]);
    assert!(
        rendered.status.success(),
        "{}",
        String::from_utf8_lossy(&rendered.stderr)
    );
    let files = snapshot(&out);
    let holding = |needle: &str| -> Vec<String> {
        files
            .iter()
            .filter(|(_, bytes)| String::from_utf8_lossy(bytes).contains(needle))
            .map(|(path, _)| path.clone())
            .collect()
    };
    assert!(
        !holding(&modulus).is_empty(),
        "the public key is in no rendered file; the search below would prove nothing"
    );
    assert_eq!(holding(PRIVATE_D), Vec::<String>::new());
}
