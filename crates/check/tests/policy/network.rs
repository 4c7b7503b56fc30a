//! Network and edge (`TAP-EC2-1/2/5`, `TAP-ELB-*`, `TAP-CF-*`, `TAP-COG-*`): security group
//! rules, subnets, load balancers, CloudFront and Cognito.

use serde_json::json;

use crate::support::*;

#[test]
fn ec2_1_internet_ingress() {
    // A tenant task group opened to the internet.
    let mut p = ecs();
    let rule = props(&mut p, "acme-corp-task-http-in")
        .as_object_mut()
        .unwrap();
    rule.shift_remove("referencedSecurityGroupId");
    rule.insert("cidrIpv4".into(), json!("0.0.0.0/0"));
    expect_exactly(&p, &[("TAP-EC2-1", "acme-corp-task-http-in")]);

    // The load balancer group, but on a port it does not listen on.
    let mut p = ecs();
    props(&mut p, "alb-http-in")["fromPort"] = json!(0);
    props(&mut p, "alb-http-in")["toPort"] = json!(65535);
    expect_exactly(&p, &[("TAP-EC2-1", "alb-http-in")]);

    // An internal load balancer does not need the internet.
    let mut p = ecs();
    props(&mut p, "load-balancer")["internal"] = json!(true);
    expect_exactly(&p, &[("TAP-EC2-1", "alb-http-in")]);

    // IPv6 and inline rules count too.
    let mut p = ecs();
    props(&mut p, "database-sg")["ingress"] = json!([{"description": "x", "protocol": "-1", "fromPort": 0, "toPort": 0,
        "ipv6CidrBlocks": ["::/0"]}]);
    expect_exactly(&p, &[("TAP-EC2-1", "database-sg")]);
}

#[test]
fn ec2_2_descriptions() {
    let mut p = ecs();
    props(&mut p, "acme-corp-task-http-in")
        .as_object_mut()
        .unwrap()
        .shift_remove("description");
    props(&mut p, "workloads-sg")["description"] = json!("");
    expect_exactly(
        &p,
        &[
            ("TAP-EC2-2", "acme-corp-task-http-in"),
            ("TAP-EC2-2", "workloads-sg"),
        ],
    );
}

#[test]
fn ec2_5_public_ip_on_launch() {
    let mut p = ecs();
    props(&mut p, "public-subnet-az1")["mapPublicIpOnLaunch"] = json!(true);
    expect_exactly(&p, &[("TAP-EC2-5", "public-subnet-az1")]);
}

#[test]
fn elb_1_invalid_headers() {
    let mut p = ecs();
    props(&mut p, "load-balancer")["dropInvalidHeaderFields"] = json!(false);
    expect_exactly(&p, &[("TAP-ELB-1", "load-balancer")]);
}

#[test]
fn elb_2_tls_listeners() {
    // System A has no certificate: HTTP is accepted. Once a certificate exists, the HTTP
    // listener and every rule forwarding on it are findings.
    let mut p = ecs();
    add(
        &mut p,
        "certificate",
        json!({"type": "aws:acm:Certificate", "properties": {"domainName": "*.example.com"}}),
    );
    expect_exactly(
        &p,
        &[
            ("TAP-ELB-2", "http-listener"),
            ("TAP-ELB-2", "acme-corp-listener-rule"),
            ("TAP-ELB-2", "globex-inc-listener-rule"),
            ("TAP-ELB-2", "initech-llc-listener-rule"),
        ],
    );

    let mut p = fixture("enterprise");
    props(&mut p, "https-listener")["sslPolicy"] = json!("ELBSecurityPolicy-2016-08");
    expect_exactly(&p, &[("TAP-ELB-2", "https-listener")]);
    props(&mut p, "https-listener")["sslPolicy"] = json!("ELBSecurityPolicy-FS-1-2-Res-2020-10");
    props(&mut p, "https-listener")
        .as_object_mut()
        .unwrap()
        .shift_remove("certificateArn");
    expect_exactly(&p, &[("TAP-ELB-2", "https-listener")]);

    let mut p = fixture("enterprise");
    props(&mut p, "http-listener")["defaultActions"] =
        json!([{"type": "forward", "targetGroupArn": "${app-target-group.arn}"}]);
    expect_exactly(&p, &[("TAP-ELB-2", "http-listener")]);
}

#[test]
fn cf_1_viewer_and_origin_tls() {
    let mut p = fixture("enterprise");
    props(&mut p, "org-a-cdn")["viewerCertificate"] = json!({"cloudfrontDefaultCertificate": true});
    expect_exactly(&p, &[("TAP-CF-1", "org-a-cdn")]);

    let mut p = fixture("enterprise");
    props(&mut p, "org-a-cdn")["viewerCertificate"]["minimumProtocolVersion"] = json!("TLSv1");
    expect_exactly(&p, &[("TAP-CF-1", "org-a-cdn")]);

    let mut p = fixture("enterprise");
    props(&mut p, "org-a-cdn")["defaultCacheBehavior"]["viewerProtocolPolicy"] = json!("allow-all");
    expect_exactly(&p, &[("TAP-CF-1", "org-a-cdn")]);

    let mut p = fixture("enterprise");
    props(&mut p, "org-b-cdn")["origins"] = json!([{"originId": "app", "domainName": "app.example.com",
        "customOriginConfig": {"httpPort": 80, "httpsPort": 443, "originProtocolPolicy": "match-viewer",
        "originSslProtocols": ["TLSv1", "TLSv1.2"]}}]);
    expect_exactly(&p, &[("TAP-CF-1", "org-b-cdn")]);
}

#[test]
fn cf_2_s3_origins_through_origin_access_control() {
    let mut p = fixture("enterprise");
    props(&mut p, "org-a-cdn")["origins"][0]
        .as_object_mut()
        .unwrap()
        .shift_remove("originAccessControlId");
    expect_exactly(&p, &[("TAP-CF-2", "org-a-cdn")]);

    let mut p = fixture("enterprise");
    props(&mut p, "org-a-cdn")["origins"][0]["s3OriginConfig"] =
        json!({"originAccessIdentity": "origin-access-identity/cloudfront/E1"});
    expect_exactly(&p, &[("TAP-CF-2", "org-a-cdn")]);

    let mut p = fixture("enterprise");
    props(&mut p, "org-b-oac")["signingBehavior"] = json!("no-override");
    expect_exactly(&p, &[("TAP-CF-2", "org-b-oac")]);
}

#[test]
fn cog_1_password_policy() {
    let mut p = fixture("enterprise");
    props(&mut p, "org-a-users")["passwordPolicy"]["minimumLength"] = json!(6);
    props(&mut p, "org-a-users")["passwordPolicy"]["requireSymbols"] = json!(false);
    expect_exactly(&p, &[("TAP-COG-1", "org-a-users")]);
    // Without an explicit policy Cognito's default (8, all classes) applies.
    props(&mut p, "org-a-users")
        .as_object_mut()
        .unwrap()
        .shift_remove("passwordPolicy");
    expect_exactly(&p, &[]);
}
