package harness

import (
	"encoding/json"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Trace is what a program registered with the engine, sorted so that two runs compare equal.
type Trace struct {
	Project   string         `json:"project"`
	Stack     string         `json:"stack"`
	Resources []Registration `json:"resources"`
	Invokes   []Invocation   `json:"invokes"`
	Outputs   map[string]any `json:"outputs"`
}

// Registration is one RegisterResource (or ReadResource, for stack references) call.
type Registration struct {
	Type                 string              `json:"type"`
	Name                 string              `json:"name"`
	Custom               bool                `json:"custom"`
	Read                 bool                `json:"read,omitempty"`
	Inputs               map[string]any      `json:"inputs"`
	Parent               string              `json:"parent,omitempty"`
	Provider             string              `json:"provider,omitempty"`
	Dependencies         []string            `json:"dependencies,omitempty"`
	PropertyDependencies map[string][]string `json:"propertyDependencies,omitempty"`
	Options              map[string]any      `json:"options,omitempty"`
}

// Invocation is one Invoke call.
type Invocation struct {
	Token    string         `json:"token"`
	Args     map[string]any `json:"args"`
	Provider string         `json:"provider,omitempty"`
}

func (t *Trace) sort() {
	sort.Slice(t.Resources, func(i, j int) bool {
		a, b := t.Resources[i], t.Resources[j]
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		return a.Name < b.Name
	})
	key := func(i Invocation) string {
		args, _ := json.Marshal(i.Args)
		return i.Token + string(args)
	}
	sort.SliceStable(t.Invokes, func(i, j int) bool { return key(t.Invokes[i]) < key(t.Invokes[j]) })
}

// plainMap is a property map as JSON-shaped values. Secrets become {"@secret": v}, unknowns
// "@unknown", assets and archives {"@asset"|"@archive": path or text}, resource references
// their URN, so a trace shows what would reach the provider.
func plainMap(m resource.PropertyMap) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[string(k)] = plain(v)
	}
	return out
}

func plain(v resource.PropertyValue) any {
	switch {
	case v.IsNull():
		return nil
	case v.IsBool():
		return v.BoolValue()
	case v.IsNumber():
		return v.NumberValue()
	case v.IsString():
		return v.StringValue()
	case v.IsArray():
		items := make([]any, 0, len(v.ArrayValue()))
		for _, item := range v.ArrayValue() {
			items = append(items, plain(item))
		}
		return items
	case v.IsObject():
		return plainMap(v.ObjectValue())
	case v.IsSecret():
		return map[string]any{"@secret": plain(v.SecretValue().Element)}
	case v.IsComputed():
		return "@unknown"
	case v.IsOutput():
		if !v.OutputValue().Known {
			return "@unknown"
		}
		return plain(v.OutputValue().Element)
	case v.IsAsset():
		a := v.AssetValue()
		return map[string]any{"@asset": a.Path + a.Text + a.URI}
	case v.IsArchive():
		a := v.ArchiveValue()
		return map[string]any{"@archive": a.Path + a.URI}
	case v.IsResourceReference():
		return string(v.ResourceReferenceValue().URN)
	}
	return v.String()
}

// propertyMap is the inverse of plainMap for fabricated values.
func propertyMap(m map[string]any) resource.PropertyMap {
	return resource.NewPropertyMapFromMap(m)
}
