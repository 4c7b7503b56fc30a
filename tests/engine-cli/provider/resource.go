package main

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
)

// Check accepts the inputs as given, as a provider would, except that a required input the
// schema declares must be there (or unknown until apply).
func (s *server) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	s.record.log(call{Method: "Check", URN: req.Urn, Inputs: plain(req.News)})
	token := resource.URN(req.Urn).Type().String()
	schema, ok := s.catalog.ResourceSchema(token)
	if !ok {
		return nil, fmt.Errorf("%s: no %s package schema declares resource type %s", req.Urn, s.pkg, token)
	}
	news, err := unmarshal(req.News)
	if err != nil {
		return nil, err
	}
	var failures []*pulumirpc.CheckFailure
	for _, required := range schema.RequiredInputs {
		if _, given := news[resource.PropertyKey(required)]; !given {
			failures = append(failures, &pulumirpc.CheckFailure{
				Property: required,
				Reason:   fmt.Sprintf("Missing required property '%s'", required),
			})
		}
	}
	return &pulumirpc.CheckResponse{Inputs: req.News, Failures: failures}, nil
}

func (s *server) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return s.diff("Diff", req)
}

// diff compares old and new inputs. A change to an input the schema marks
// `willReplaceOnChanges` is a replacement, as the real provider's ForceNew makes it; any other
// change is an update; an unknown new value counts as a change.
func (s *server) diff(method string, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	oldInputs := req.OldInputs
	if oldInputs == nil {
		oldInputs = req.Olds
	}
	olds, err := unmarshal(oldInputs)
	if err != nil {
		return nil, err
	}
	news, err := unmarshal(req.News)
	if err != nil {
		return nil, err
	}
	ignored := map[resource.PropertyKey]bool{}
	for _, path := range req.IgnoreChanges {
		ignored[resource.PropertyKey(strings.FieldsFunc(path, func(r rune) bool { return r == '.' || r == '[' })[0])] = true
	}
	changes := olds.DiffIncludeUnknowns(news, func(k resource.PropertyKey) bool { return ignored[k] })
	response := &pulumirpc.DiffResponse{
		Changes:         pulumirpc.DiffResponse_DIFF_NONE,
		HasDetailedDiff: true,
		DetailedDiff:    map[string]*pulumirpc.PropertyDiff{},
	}
	replacing := s.replacing(req.Urn, method)
	if changes != nil {
		for _, key := range changes.ChangedKeys() {
			kind := propertyDiff(changes, key, replacing[string(key)])
			response.DetailedDiff[string(key)] = &pulumirpc.PropertyDiff{Kind: kind, InputDiff: true}
			response.Diffs = append(response.Diffs, string(key))
			if replacing[string(key)] {
				response.Replaces = append(response.Replaces, string(key))
			}
		}
	}
	if len(response.Diffs) > 0 {
		sort.Strings(response.Diffs)
		sort.Strings(response.Replaces)
		response.Changes = pulumirpc.DiffResponse_DIFF_SOME
	}
	s.record.log(call{Method: method, URN: req.Urn, ID: req.Id, Olds: plain(oldInputs), Inputs: plain(req.News),
		Changes: response.Diffs, Replaces: response.Replaces})
	return response, nil
}

// replacing is the set of top-level inputs of urn's resource type whose change replaces it (none
// for the provider's own configuration).
func (s *server) replacing(urn, method string) map[string]bool {
	out := map[string]bool{}
	if method != "Diff" {
		return out
	}
	schema, ok := s.catalog.ResourceSchema(resource.URN(urn).Type().String())
	if !ok {
		return out
	}
	for name, property := range schema.InputProperties {
		if property.WillReplaceOnChanges {
			out[name] = true
		}
	}
	return out
}

func propertyDiff(changes *resource.ObjectDiff, key resource.PropertyKey, replaces bool) pulumirpc.PropertyDiff_Kind {
	switch {
	case changes.Added(key) && replaces:
		return pulumirpc.PropertyDiff_ADD_REPLACE
	case changes.Added(key):
		return pulumirpc.PropertyDiff_ADD
	case changes.Deleted(key) && replaces:
		return pulumirpc.PropertyDiff_DELETE_REPLACE
	case changes.Deleted(key):
		return pulumirpc.PropertyDiff_DELETE
	case replaces:
		return pulumirpc.PropertyDiff_UPDATE_REPLACE
	default:
		return pulumirpc.PropertyDiff_UPDATE
	}
}

// Create returns an id and every output the schema declares. In a preview, outputs that are
// not inputs are unknown, as a real provider leaves them until the cloud answers.
func (s *server) Create(_ context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	inputs, err := unmarshal(req.Properties)
	if err != nil {
		return nil, err
	}
	id, state, err := s.state(resource.URN(req.Urn), inputs, req.Preview)
	if err != nil {
		return nil, err
	}
	properties, err := marshal(state)
	if err != nil {
		return nil, err
	}
	s.record.log(call{Method: "Create", URN: req.Urn, ID: id, Preview: req.Preview, Inputs: plain(req.Properties), Outputs: plain(properties)})
	return &pulumirpc.CreateResponse{Id: id, Properties: properties}, nil
}

// Update keeps the resource's id and the outputs it computed, and takes every new input.
func (s *server) Update(_ context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	olds, err := unmarshal(req.Olds)
	if err != nil {
		return nil, err
	}
	news, err := unmarshal(req.News)
	if err != nil {
		return nil, err
	}
	_, state, err := s.state(resource.URN(req.Urn), news, false)
	if err != nil {
		return nil, err
	}
	for key, old := range olds {
		if _, given := news[key]; !given && key != "tagsAll" {
			state[key] = old
		}
	}
	properties, err := marshal(state)
	if err != nil {
		return nil, err
	}
	s.record.log(call{Method: "Update", URN: req.Urn, ID: req.Id, Preview: req.Preview, Olds: plain(req.OldInputs), Inputs: plain(req.News), Outputs: plain(properties)})
	return &pulumirpc.UpdateResponse{Properties: properties}, nil
}

// Read finds the resource as it was last written: the cloud here is the state itself.
func (s *server) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	s.record.log(call{Method: "Read", URN: req.Urn, ID: req.Id})
	return &pulumirpc.ReadResponse{Id: req.Id, Properties: req.Properties, Inputs: req.Inputs}, nil
}

func (s *server) Delete(_ context.Context, req *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	s.record.log(call{Method: "Delete", URN: req.Urn, ID: req.Id})
	return &emptypb.Empty{}, nil
}

// state is the id and outputs of the resource urn given inputs: fabricated from the schema,
// with every declared input kept as sent (secret or unknown) and `tagsAll` following `tags`.
func (s *server) state(urn resource.URN, inputs resource.PropertyMap, preview bool) (string, resource.PropertyMap, error) {
	token := urn.Type().String()
	schema, ok := s.catalog.ResourceSchema(token)
	if !ok {
		return "", nil, fmt.Errorf("%s: no %s package schema declares resource type %s", urn, s.pkg, token)
	}
	id, fabricated, err := s.catalog.Resource(token, urn.Name(), known(inputs))
	if err != nil {
		return "", nil, err
	}
	state := resource.NewPropertyMapFromMap(fabricated)
	for key, value := range inputs {
		if _, declared := schema.Properties[string(key)]; declared {
			state[key] = value
		}
	}
	if tags, ok := inputs["tags"]; ok {
		if _, declared := schema.Properties["tagsAll"]; declared {
			state["tagsAll"] = tags
		}
	}
	if preview {
		for key := range schema.Properties {
			k := resource.PropertyKey(key)
			if !inputs.HasValue(k) && !(key == "tagsAll" && inputs.HasValue("tags")) {
				state[k] = resource.MakeComputed(resource.NewStringProperty(""))
			}
		}
		id = ""
	}
	return id, state, nil
}
