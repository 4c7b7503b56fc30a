//! System B as rendered (examples/enterprise): each tier's wiring, read back from the golden
//! output and its lock, so a change of composition that breaks isolation fails here by name.

mod common;

use common::{repo, resources};
use serde_json::{json, Map, Value};

const PREMIUM: [&str; 2] = ["acme", "globex"];
const STANDARD: [&str; 5] = ["initech", "umbrella", "hooli", "stark", "wayne"];

fn golden() -> (Map<String, Value>, Value) {
    let dir = repo().join("examples/enterprise");
    let lock = std::fs::read_to_string(dir.join("tapgen.lock")).unwrap();
    (resources(&dir), serde_json::from_str(&lock).unwrap())
}

fn props<'a>(r: &'a Map<String, Value>, name: &str) -> &'a Value {
    &r.get(name).unwrap_or_else(|| panic!("no resource {name}"))["properties"]
}

#[test]
fn each_tenant_has_one_rule_at_its_slot_requiring_the_verify_header() {
    let (r, lock) = golden();
    for id in PREMIUM.iter().chain(&STANDARD) {
        let rule = props(&r, &format!("{id}-listener-rule"));
        let slot = lock["slots"][id].as_u64().unwrap();
        assert_eq!(rule["priority"], json!(slot * 10), "{id}");
        assert_eq!(rule["listenerArn"], "${https-listener.arn}");
        assert_eq!(
            rule["conditions"],
            json!([
                {"hostHeader": {"values": [format!("{id}.origin.tapsaas.example.com")]}},
                {"httpHeader": {"httpHeaderName": "X-Origin-Verify",
                                "values": ["${origin-verify-secret.result}"]}},
            ])
        );
        let target = if PREMIUM.contains(id) {
            format!("${{{id}-target-group.arn}}")
        } else {
            "${pool-target-group.arn}".to_string()
        };
        assert_eq!(rule["actions"][0]["targetGroupArn"], target, "{id}");
        assert_eq!(rule["tags"]["tenant_id"], *id);
    }
    let listener = props(&r, "https-listener");
    assert_eq!(listener["protocol"], "HTTPS");
    assert_eq!(
        listener["certificateArn"],
        "${origin-certificate-validation.certificateArn}"
    );
    assert_eq!(
        listener["defaultActions"][0]["fixedResponse"]["statusCode"],
        "404"
    );
    assert!(!r
        .values()
        .any(|v| v["type"] == "aws:lb:Listener" && v["properties"]["protocol"] == "HTTP"));
}

#[test]
fn premium_tenants_own_their_fleet_and_redis_and_standard_tenants_share_the_pool() {
    let (r, lock) = golden();
    for id in PREMIUM {
        let group = props(&r, &format!("{id}-fleet"));
        assert_eq!(
            group["targetGroupArns"],
            json!([format!("${{{id}-target-group.arn}}")])
        );
        assert_eq!(group["healthCheckType"], "ELB");
        let template = props(&r, &format!("{id}-launch-template"));
        assert_eq!(
            template["networkInterfaces"][0]["securityGroups"],
            json!(["${workloads-sg.id}", format!("${{{id}-instance-sg.id}}")])
        );
        assert_eq!(
            props(&r, &format!("{id}-cache"))["securityGroupIds"],
            json!([format!("${{{id}-cache-sg.id}}")])
        );
        // Its cache admits its own instances only.
        let admit = props(&r, &format!("{id}-cache-from-instances"));
        assert_eq!(
            admit["referencedSecurityGroupId"],
            format!("${{{id}-instance-sg.id}}")
        );
        assert!(!r.contains_key(&format!("{id}-cache-membership")));
    }
    for id in STANDARD {
        assert!(
            !r.contains_key(&format!("{id}-fleet")),
            "{id} has no fleet of its own"
        );
        let group = lock["cache_groups"][id].as_u64().unwrap();
        assert_eq!(
            props(&r, &format!("{id}-cache-membership"))["userGroupId"],
            format!("${{cache-pool{group}-users.userGroupId}}")
        );
    }
    let pool = props(&r, "pool-launch-template");
    assert_eq!(
        pool["networkInterfaces"][0]["securityGroups"],
        json!(["${workloads-sg.id}", "${pool-sg.id}"])
    );
    assert_eq!(
        props(&r, "cache-pool0")["securityGroupIds"],
        json!(["${pool-cache-sg.id}"])
    );
}

#[test]
fn only_cloudfront_reaches_the_load_balancer_and_instances_only_through_it() {
    let (r, _) = golden();
    let ingress: Vec<(&String, &Value)> = r
        .iter()
        .filter(|(_, v)| v["type"] == "aws:vpc:SecurityGroupIngressRule")
        .collect();
    for (name, rule) in &ingress {
        let p = &rule["properties"];
        assert!(p.get("cidrIpv4").is_none(), "{name} admits a CIDR");
        if p["securityGroupId"] == "${alb-sg.id}" {
            assert_eq!(p["prefixListId"], "${cloudfrontOriginFacing}", "{name}");
            assert_eq!(p["fromPort"], 443);
        }
    }
    for group in ["pool-sg", "acme-instance-sg", "globex-instance-sg"] {
        let admitted: Vec<&Value> = ingress
            .iter()
            .map(|(_, v)| &v["properties"])
            .filter(|p| p["securityGroupId"] == format!("${{{group}.id}}"))
            .collect();
        assert_eq!(admitted.len(), 1, "{group}");
        assert_eq!(admitted[0]["referencedSecurityGroupId"], "${alb-sg.id}");
        assert_eq!(admitted[0]["fromPort"], 80);
    }
}
