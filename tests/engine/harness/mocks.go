package harness

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/pulumi/pulumi-yaml/pkg/pulumiyaml/syntax"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"tapgen.local/engine/fabricate"
)

const stackReferenceType = "pulumi:pulumi:StackReference"

// recorder is the mock engine: it answers from the fabricated cloud and records every call.
// One mutex serialises the mock calls, which the SDK makes from many goroutines.
type recorder struct {
	catalog *fabricate.Catalog
	// stacks are the outputs of the stacks already evaluated, by "<org>/<project>/<stack>".
	stacks map[string]map[string]any

	// gate holds every resource's registration until pulumi-yaml's main loop has declared
	// them all. pulumi-yaml reads its evaluator's resource map from Output callbacks while
	// that loop still writes it, for an interpolation of two or more outputs
	// (pulumi/pulumi-yaml#1164, open at v1.38.1): "fatal error: concurrent map read and map
	// write" at random on large programs. With no output resolved before the loop ends, no
	// callback runs during it.
	gate     chan struct{}
	openGate sync.Once

	mu        sync.Mutex
	trace     Trace
	failures  []failure
	providers map[string]string // provider URN → its version option
}

// failure is a problem found by the mocks, attached to a resource or a function.
type failure struct {
	resource string // logical name, when the problem is a resource's
	function string // token as written, when the problem is an invoke's
	message  string
	// diagnostic is pulumi-yaml's own, when the evaluation reported one.
	diagnostic *syntax.Diagnostic
}

func newRecorder(catalog *fabricate.Catalog, stacks map[string]map[string]any) *recorder {
	return &recorder{catalog: catalog, stacks: stacks, providers: map[string]string{}, gate: make(chan struct{})}
}

// open lets registrations complete: pulumi-yaml has declared every resource.
func (r *recorder) open() {
	r.openGate.Do(func() { close(r.gate) })
}

func (r *recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	if !strings.HasPrefix(args.TypeToken, "pulumi:providers:") {
		<-r.gate // providers pass: registering a resource waits for its provider's reference
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	inputs := plainMap(args.Inputs)
	reg := Registration{
		Type:     args.TypeToken,
		Name:     args.Name,
		Custom:   args.Custom,
		Inputs:   inputs,
		Provider: args.Provider,
	}
	if rpc := args.RegisterRPC; rpc != nil {
		reg.Parent = rpc.GetParent()
		reg.Dependencies = sorted(rpc.GetDependencies())
		reg.PropertyDependencies = propertyDependencies(rpc)
		reg.Options = options(rpc)
		if strings.HasPrefix(args.TypeToken, "pulumi:providers:") {
			r.providers[providerURN(rpc)] = rpc.GetVersion()
		}
	}
	if rpc := args.ReadRPC; rpc != nil {
		reg.Read = true
		reg.Parent = rpc.GetParent()
		reg.Dependencies = sorted(rpc.GetDependencies())
	}
	r.trace.Resources = append(r.trace.Resources, reg)

	if args.TypeToken == stackReferenceType {
		return r.stackReference(args)
	}
	id, state, err := r.catalog.Resource(args.TypeToken, args.Name, inputs)
	if err != nil {
		r.failures = append(r.failures, failure{resource: args.Name, message: err.Error()})
		return "", nil, err
	}
	return id, propertyMap(state), nil
}

// stackReference answers a cell's read of the platform stack with the platform's outputs.
func (r *recorder) stackReference(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	name := args.ID
	if v, ok := args.Inputs["name"]; ok && v.IsString() {
		name = v.StringValue()
	}
	outputs, ok := r.stacks[name]
	if !ok {
		known := make([]string, 0, len(r.stacks))
		for k := range r.stacks {
			known = append(known, k)
		}
		sort.Strings(known)
		err := fmt.Errorf("stack reference %q names no stack evaluated before it (have %v)", name, known)
		r.failures = append(r.failures, failure{resource: args.Name, message: err.Error()})
		return "", nil, err
	}
	return name, propertyMap(map[string]any{
		"name":              name,
		"outputs":           outputs,
		"secretOutputNames": []any{},
	}), nil
}

func (r *recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	plainArgs := plainMap(args.Args)
	r.trace.Invokes = append(r.trace.Invokes, Invocation{Token: args.Token, Args: plainArgs, Provider: args.Provider})
	for _, problem := range checkInvokeArgs(r.catalog, args.Token, plainArgs) {
		r.failures = append(r.failures, failure{function: args.Token, message: problem})
	}
	result, err := r.catalog.Invoke(args.Token, plainArgs)
	if err != nil {
		r.failures = append(r.failures, failure{function: args.Token, message: err.Error()})
		return nil, err
	}
	return propertyMap(result), nil
}

// providerURN is the URN a provider resource registers under, as resources name it in their
// provider reference ("<urn>::<id>").
func providerURN(rpc *pulumirpc.RegisterResourceRequest) string {
	return rpc.GetType() + "::" + rpc.GetName()
}

func propertyDependencies(rpc *pulumirpc.RegisterResourceRequest) map[string][]string {
	deps := map[string][]string{}
	for k, v := range rpc.GetPropertyDependencies() {
		if urns := v.GetUrns(); len(urns) > 0 {
			deps[k] = sorted(urns)
		}
	}
	if len(deps) == 0 {
		return nil
	}
	return deps
}

// options are the resource options the request carries, those set only.
func options(rpc *pulumirpc.RegisterResourceRequest) map[string]any {
	o := map[string]any{}
	set := func(key string, value any, isSet bool) {
		if isSet {
			o[key] = value
		}
	}
	set("protect", rpc.GetProtect(), rpc.Protect != nil)
	set("version", rpc.GetVersion(), rpc.GetVersion() != "")
	set("pluginDownloadURL", rpc.GetPluginDownloadURL(), rpc.GetPluginDownloadURL() != "")
	set("deleteBeforeReplace", rpc.GetDeleteBeforeReplace(), rpc.GetDeleteBeforeReplaceDefined())
	set("ignoreChanges", sorted(rpc.GetIgnoreChanges()), len(rpc.GetIgnoreChanges()) > 0)
	set("replaceOnChanges", sorted(rpc.GetReplaceOnChanges()), len(rpc.GetReplaceOnChanges()) > 0)
	set("retainOnDelete", rpc.GetRetainOnDelete(), rpc.RetainOnDelete != nil)
	set("additionalSecretOutputs", sorted(rpc.GetAdditionalSecretOutputs()), len(rpc.GetAdditionalSecretOutputs()) > 0)
	set("importId", rpc.GetImportId(), rpc.GetImportId() != "")
	set("deletedWith", rpc.GetDeletedWith(), rpc.GetDeletedWith() != "")
	if t := rpc.GetCustomTimeouts(); t != nil && t.GetCreate()+t.GetUpdate()+t.GetDelete() != "" {
		o["customTimeouts"] = map[string]any{"create": t.GetCreate(), "update": t.GetUpdate(), "delete": t.GetDelete()}
	}
	if aliases := rpc.GetAliases(); len(aliases) > 0 {
		names := make([]string, 0, len(aliases))
		for _, a := range aliases {
			names = append(names, a.String())
		}
		o["aliases"] = sorted(names)
	}
	if len(o) == 0 {
		return nil
	}
	return o
}

func sorted(items []string) []string {
	if len(items) == 0 {
		return nil
	}
	out := append([]string(nil), items...)
	sort.Strings(out)
	return out
}
