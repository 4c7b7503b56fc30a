package main

import (
	"context"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"tapgen.local/engine/fabricate"
)

const replicationGroup = "urn:pulumi:dev::p::aws:elasticache/replicationGroup:ReplicationGroup::cache"

// testServer serves the committed aws package schema, as the installed plugin does.
func testServer(t *testing.T) *server {
	t.Helper()
	catalog, err := fabricate.LoadDir("../../../crates/check/schema")
	if err != nil {
		t.Fatal(err)
	}
	record, err := openRecorder("", "aws")
	if err != nil {
		t.Fatal(err)
	}
	return &server{pkg: "aws", schema: catalog.Package("aws"), catalog: catalog, record: record}
}

func diffOf(t *testing.T, s *server, olds, news map[string]any) *pulumirpc.DiffResponse {
	t.Helper()
	oldStruct, err := marshal(resource.NewPropertyMapFromMap(olds))
	if err != nil {
		t.Fatal(err)
	}
	newStruct, err := marshal(resource.NewPropertyMapFromMap(news))
	if err != nil {
		t.Fatal(err)
	}
	response, err := s.Diff(context.Background(), &pulumirpc.DiffRequest{
		Urn: replicationGroup, Id: "cache", OldInputs: oldStruct, News: newStruct,
	})
	if err != nil {
		t.Fatal(err)
	}
	return response
}

// The SDK documents that changing a replication group's snapshotName forces a new resource.
func TestAChangeToAReplacingInputIsAReplace(t *testing.T) {
	response := diffOf(t, testServer(t),
		map[string]any{"description": "cache", "snapshotName": "before"},
		map[string]any{"description": "cache", "snapshotName": "after"})
	if len(response.Replaces) != 1 || response.Replaces[0] != "snapshotName" {
		t.Fatalf("replaces = %v, want [snapshotName]", response.Replaces)
	}
	if kind := response.DetailedDiff["snapshotName"].Kind; kind != pulumirpc.PropertyDiff_UPDATE_REPLACE {
		t.Fatalf("snapshotName diff kind = %v, want UPDATE_REPLACE", kind)
	}
}

func TestAddingAReplacingInputIsAReplace(t *testing.T) {
	response := diffOf(t, testServer(t),
		map[string]any{"description": "cache"},
		map[string]any{"description": "cache", "snapshotName": "after"})
	if kind := response.DetailedDiff["snapshotName"].Kind; kind != pulumirpc.PropertyDiff_ADD_REPLACE {
		t.Fatalf("snapshotName diff kind = %v, want ADD_REPLACE", kind)
	}
}

func TestAChangeToAnyOtherInputIsAnUpdate(t *testing.T) {
	response := diffOf(t, testServer(t),
		map[string]any{"description": "before", "snapshotName": "same"},
		map[string]any{"description": "after", "snapshotName": "same"})
	if len(response.Replaces) != 0 {
		t.Fatalf("replaces = %v, want none", response.Replaces)
	}
	if response.Changes != pulumirpc.DiffResponse_DIFF_SOME || len(response.Diffs) != 1 || response.Diffs[0] != "description" {
		t.Fatalf("changes = %v %v, want an update of description", response.Changes, response.Diffs)
	}
	if kind := response.DetailedDiff["description"].Kind; kind != pulumirpc.PropertyDiff_UPDATE {
		t.Fatalf("description diff kind = %v, want UPDATE", kind)
	}
}
