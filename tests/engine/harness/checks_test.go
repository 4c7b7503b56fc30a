package harness

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"tapgen.local/engine/fabricate"
)

func catalog(t *testing.T) *fabricate.Catalog {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	c, err := fabricate.LoadDir(filepath.Join(filepath.Dir(here), "..", "..", "..", "crates", "check", "schema"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestDuplicateURNsAreFound(t *testing.T) {
	trace := &Trace{Resources: []Registration{
		{Type: "aws:s3/bucket:Bucket", Name: "logs"},
		{Type: "aws:s3/bucket:Bucket", Name: "logs"},
		{Type: "aws:kms/key:Key", Name: "logs"},
	}}
	found := duplicates(trace)
	if len(found) != 1 || !strings.Contains(found[0].message, "2 resources of type aws:s3/bucket:Bucket") {
		t.Fatalf("%+v", found)
	}
}

func TestAVersionOtherThanTheProvidersIsFound(t *testing.T) {
	provider := "urn:pulumi:dev::p::pulumi:providers:aws::aws-provider::id-1"
	trace := &Trace{Resources: []Registration{
		{Type: "aws:ec2/vpc:Vpc", Name: "same", Provider: provider, Options: map[string]any{"version": "7.51.1"}},
		{Type: "aws:ec2/vpc:Vpc", Name: "other", Provider: provider, Options: map[string]any{"version": "7.0.0"}},
	}}
	found := providerVersions(trace, map[string]string{"pulumi:providers:aws::aws-provider": "7.51.1"})
	if len(found) != 1 || found[0].resource != "other" {
		t.Fatalf("%+v", found)
	}
}

func TestInvokeArgumentsAreCheckedAgainstTheFunction(t *testing.T) {
	c := catalog(t)
	if p := checkInvokeArgs(c, "aws:getAvailabilityZones", map[string]any{"state": "available"}); len(p) != 0 {
		t.Fatalf("a valid call is rejected: %v", p)
	}
	p := checkInvokeArgs(c, "aws:getAvailabilityZones", map[string]any{"sttate": "x", "excludeNames": "a"})
	joined := strings.Join(p, "\n")
	if len(p) != 2 || !strings.Contains(joined, `has no input "sttate"`) || !strings.Contains(joined, "excludeNames: want a list") {
		t.Fatalf("%v", p)
	}
	p = checkInvokeArgs(c, "aws:iam:getSessionContext", map[string]any{"arn": []any{"a"}})
	if len(p) != 1 || !strings.Contains(p[0], "arn: want string, got a list") {
		t.Fatalf("%v", p)
	}
	// arn is required (derived from the SDK's getSessionContext_output signature)
	p = checkInvokeArgs(c, "aws:iam:getSessionContext", map[string]any{})
	if len(p) != 1 || !strings.Contains(p[0], `requires input "arn"`) {
		t.Fatalf("%v", p)
	}
}
