package harness

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"tapgen.local/engine/fabricate"
)

// The checks here are what the Pulumi engine does and mocks do not (a duplicate URN is an
// error at `pulumi up`, mocks overwrite), or what pulumi-yaml only warns about (invoke
// arguments), or what only shows at deploy time (a resource pinning a provider version its
// provider does not have).

// duplicates names every (type, name) registered twice: two resources with one URN.
func duplicates(trace *Trace) []failure {
	seen := map[string]int{}
	for _, reg := range trace.Resources {
		seen[reg.Type+"::"+reg.Name]++
	}
	var out []failure
	for _, reg := range trace.Resources {
		key := reg.Type + "::" + reg.Name
		if seen[key] > 1 {
			out = append(out, failure{resource: reg.Name, message: fmt.Sprintf(
				"duplicate URN: %d resources of type %s are named %q", seen[key], reg.Type, reg.Name)})
			seen[key] = 0
		}
	}
	return out
}

// providerVersions names every resource whose `version` option differs from the version of
// the provider it is registered with.
func providerVersions(trace *Trace, providers map[string]string) []failure {
	var out []failure
	for _, reg := range trace.Resources {
		version, _ := reg.Options["version"].(string)
		if version == "" || reg.Provider == "" || strings.HasPrefix(reg.Type, "pulumi:providers:") {
			continue
		}
		key := providerKey(reg.Provider)
		if pinned, ok := providers[key]; ok && pinned != version {
			out = append(out, failure{resource: reg.Name, message: fmt.Sprintf(
				"resource pins provider version %s but its provider %s is version %s", version, key, orNone(pinned))})
		}
	}
	return out
}

// providerKey is "type::name" of a provider reference "<urn>::<id>".
func providerKey(ref string) string {
	if i := strings.LastIndex(ref, "::"); i >= 0 {
		ref = ref[:i]
	}
	urn := resource.URN(ref)
	return string(urn.Type()) + "::" + urn.Name()
}

func orNone(version string) string {
	if version == "" {
		return "unpinned"
	}
	return version
}

// checkInvokeArgs checks an invoke's arguments against the function's declared inputs:
// unknown names, missing required inputs, and values of the wrong type.
func checkInvokeArgs(catalog *fabricate.Catalog, token string, args map[string]any) []string {
	fn, ok := catalog.FunctionSchema(token)
	if !ok {
		return []string{fmt.Sprintf("no package schema declares function %q", token)}
	}
	var inputs map[string]fabricate.Property
	var required []string
	if fn.Inputs != nil {
		inputs, required = fn.Inputs.Properties, fn.Inputs.Required
	}
	var problems []string
	for _, name := range sortedKeys(args) {
		p, ok := inputs[name]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s has no input %q (it takes %v)", token, name, sortedKeys(inputs)))
			continue
		}
		for _, problem := range typeProblems(catalog, p, args[name], name) {
			problems = append(problems, fmt.Sprintf("%s argument %s", token, problem))
		}
	}
	for _, name := range required {
		if _, ok := args[name]; !ok {
			problems = append(problems, fmt.Sprintf("%s requires input %q", token, name))
		}
	}
	return problems
}

// typeProblems checks a JSON-shaped value against a schema type.
func typeProblems(catalog *fabricate.Catalog, p fabricate.Property, value any, at string) []string {
	if value == nil || value == "@unknown" {
		return nil
	}
	if secret, ok := value.(map[string]any); ok && len(secret) == 1 && secret["@secret"] != nil {
		return typeProblems(catalog, p, secret["@secret"], at)
	}
	if p.Ref != "" {
		if t, ok := catalog.Type(p.Ref); ok {
			if len(t.Enum) > 0 {
				return want(value, t.Type, at)
			}
			return objectProblems(catalog, t.Properties, value, at)
		}
		return nil
	}
	switch p.Type {
	case "array":
		items, ok := value.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want a list, got %s", at, kind(value))}
		}
		var out []string
		for i, item := range items {
			if p.Items != nil {
				out = append(out, typeProblems(catalog, *p.Items, item, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
		return out
	case "object":
		m, ok := value.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want a map, got %s", at, kind(value))}
		}
		var out []string
		if p.AdditionalProperties != nil {
			for _, k := range sortedKeys(m) {
				out = append(out, typeProblems(catalog, *p.AdditionalProperties, m[k], at+"."+k)...)
			}
		}
		return out
	}
	return want(value, p.Type, at)
}

func objectProblems(catalog *fabricate.Catalog, props map[string]fabricate.Property, value any, at string) []string {
	m, ok := value.(map[string]any)
	if !ok {
		return []string{fmt.Sprintf("%s: want an object, got %s", at, kind(value))}
	}
	var out []string
	for _, k := range sortedKeys(m) {
		p, ok := props[k]
		if !ok {
			out = append(out, fmt.Sprintf("%s: no property %q", at, k))
			continue
		}
		out = append(out, typeProblems(catalog, p, m[k], at+"."+k)...)
	}
	return out
}

// want checks a scalar; Pulumi converts between strings, numbers and booleans, so only a
// list or a map where a scalar is wanted is wrong.
func want(value any, typ, at string) []string {
	switch value.(type) {
	case []any, map[string]any:
		return []string{fmt.Sprintf("%s: want %s, got %s", at, typ, kind(value))}
	}
	return nil
}

func kind(value any) string {
	switch value.(type) {
	case []any:
		return "a list"
	case map[string]any:
		return "a map"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	}
	return fmt.Sprintf("%T", value)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
