package fabricate

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func catalog(t *testing.T) *Catalog {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	c, err := LoadDir(filepath.Join(filepath.Dir(here), "..", "..", "..", "crates", "check", "schema"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestEveryDeclaredOutputIsFabricated(t *testing.T) {
	c := catalog(t)
	for _, name := range c.PackageNames() {
		for token, schema := range c.Package(name).Resources {
			id, state, err := c.Resource(token, "r", map[string]any{})
			if err != nil || id == "" {
				t.Fatalf("%s: id %q, %v", token, id, err)
			}
			for prop, p := range schema.Properties {
				if _, ok := state[prop]; !ok && p.Ref != "pulumi.json#/Archive" {
					t.Errorf("%s: output %s missing", token, prop)
				}
			}
		}
	}
}

func TestShortTokensAndPlausibleValues(t *testing.T) {
	c := catalog(t)
	id, state, err := c.Resource("aws:ec2:Vpc", "vpc", map[string]any{"cidrBlock": "10.1.0.0/16", "tags": map[string]any{"a": "b"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(id, "vpc-") {
		t.Errorf("id %q", id)
	}
	if state["arn"] != "arn:aws:ec2:us-east-1:123456789012:vpc/vpc" {
		t.Errorf("arn %v", state["arn"])
	}
	if state["cidrBlock"] != "10.1.0.0/16" {
		t.Errorf("inputs are not echoed: %v", state["cidrBlock"])
	}
	if tags, _ := state["tagsAll"].(map[string]any); tags["a"] != "b" {
		t.Errorf("tagsAll %v", state["tagsAll"])
	}
	if _, _, err := c.Resource("aws:ec2:Nope", "x", nil); err == nil {
		t.Error("an unknown type is accepted")
	}
}

func TestCannedInvokes(t *testing.T) {
	c := catalog(t)
	caller, err := c.Invoke("aws:getCallerIdentity", map[string]any{})
	if err != nil {
		t.Fatal(err)
	}
	session, err := c.Invoke("aws:iam:getSessionContext", map[string]any{"arn": caller["arn"]})
	if err != nil {
		t.Fatal(err)
	}
	if session["issuerArn"] != "arn:aws:iam::123456789012:role/tapgen-deployer" {
		t.Errorf("issuerArn %v", session["issuerArn"])
	}
	zones, _ := c.Invoke("aws:index/getAvailabilityZones:getAvailabilityZones", map[string]any{"state": "available"})
	if names, _ := zones["names"].([]any); len(names) < 3 || names[0] != "us-east-1a" {
		t.Errorf("zones %v", zones["names"])
	}
	if zones["state"] != "available" {
		t.Errorf("a filter argument is not echoed: %v", zones["state"])
	}
	for _, token := range []string{"aws:getRegion", "aws:getPartition", "aws:ec2:getManagedPrefixList", "aws:ssm:getParameter"} {
		result, err := c.Invoke(token, map[string]any{})
		if err != nil || result["id"] == nil {
			t.Errorf("%s: %v %v", token, result, err)
		}
	}
}

func TestACMCertificateHasAValidationOptionPerName(t *testing.T) {
	c := catalog(t)
	_, state, err := c.Resource("aws:acm:Certificate", "cert", map[string]any{
		"domainName":              "example.com",
		"subjectAlternativeNames": []any{"example.com", "*.example.com", "shop.example.org"},
	})
	if err != nil {
		t.Fatal(err)
	}
	options := state["domainValidationOptions"].([]any)
	if len(options) != 3 {
		t.Fatalf("want 3 options (apex, wildcard, other host), got %v", options)
	}
	apex, wildcard := options[0].(map[string]any), options[1].(map[string]any)
	if apex["resourceRecordName"] != wildcard["resourceRecordName"] {
		t.Errorf("apex and wildcard share one validation record, as AWS gives them: %v", options)
	}
	if options[2].(map[string]any)["domainName"] != "shop.example.org" {
		t.Errorf("names in order: %v", options)
	}
}
