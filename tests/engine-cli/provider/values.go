package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"google.golang.org/protobuf/types/known/structpb"
)

// wire keeps what the engine sends as it is: unknowns stay unknown, secrets stay secret.
var wire = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, KeepResources: true, SkipNulls: true}

func unmarshal(s *structpb.Struct) (resource.PropertyMap, error) {
	if s == nil {
		return resource.PropertyMap{}, nil
	}
	return plugin.UnmarshalProperties(s, wire)
}

func marshal(props resource.PropertyMap) (*structpb.Struct, error) {
	return plugin.MarshalProperties(props, wire)
}

// known is props as plain JSON values for fabrication: secrets unwrapped, unknowns left out
// (so fabrication treats them as not given).
func known(props resource.PropertyMap) map[string]any {
	out := map[string]any{}
	for k, v := range props {
		if x, ok := knownValue(v); ok {
			out[string(k)] = x
		}
	}
	return out
}

func knownValue(v resource.PropertyValue) (any, bool) {
	switch {
	case v.IsComputed(), v.IsOutput() && !v.OutputValue().Known:
		return nil, false
	case v.IsOutput():
		return knownValue(v.OutputValue().Element)
	case v.IsSecret():
		return knownValue(v.SecretValue().Element)
	case v.IsArray():
		items := []any{}
		for _, item := range v.ArrayValue() {
			x, ok := knownValue(item)
			if !ok {
				return nil, false
			}
			items = append(items, x)
		}
		return items, true
	case v.IsObject():
		return known(v.ObjectValue()), true
	case v.IsResourceReference():
		return string(v.ResourceReferenceValue().URN), true
	}
	return v.Mappable(), true
}
