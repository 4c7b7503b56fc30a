// Package schemas serves our package schemas (crates/check/schema/*.package.json) to
// pulumi-yaml, as the Pulumi engine would serve a provider plugin's schema: no plugin process,
// no network. A program pinning a version other than the one we hold fails to load.
package schemas

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/blang/semver"

	"github.com/pulumi/pulumi-yaml/pkg/pulumiyaml"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"

	"tapgen.local/engine/fabricate"
)

// Loader is a pulumiyaml.PackageLoader over a fabricate.Catalog's packages.
type Loader struct {
	catalog *fabricate.Catalog

	mu    sync.Mutex
	bound map[string]pulumiyaml.Package
}

// NewLoader serves the catalog's packages.
func NewLoader(catalog *fabricate.Catalog) *Loader {
	return &Loader{catalog: catalog, bound: map[string]pulumiyaml.Package{}}
}

// LoadPackage binds (once) and returns the named package; the `pulumi` package is built in.
func (l *Loader) LoadPackage(_ context.Context, descriptor *schema.PackageDescriptor) (pulumiyaml.Package, error) {
	if descriptor.Name == "pulumi" {
		return pulumiyaml.NewResourcePackage(schema.DefaultPulumiPackage.Reference()), nil
	}
	source := l.catalog.Package(descriptor.Name)
	if source == nil {
		return nil, fmt.Errorf("no package schema for %q (have %v)", descriptor.Name, l.catalog.PackageNames())
	}
	if descriptor.Version != nil && descriptor.Version.String() != source.Version {
		return nil, fmt.Errorf("package %s version %s requested, only %s is available",
			descriptor.Name, descriptor.Version, source.Version)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if pkg, ok := l.bound[descriptor.Name]; ok {
		return pkg, nil
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(source.Raw, &spec); err != nil {
		return nil, fmt.Errorf("package %s: %w", descriptor.Name, err)
	}
	bound, diags, err := schema.BindSpec(spec, noReferences{}, schema.ValidationOptions{})
	if err != nil {
		return nil, fmt.Errorf("package %s: %w", descriptor.Name, err)
	}
	if diags.HasErrors() {
		return nil, fmt.Errorf("package %s schema does not bind: %s", descriptor.Name, diags.Error())
	}
	pkg := pulumiyaml.NewResourcePackage(bound.Reference())
	l.bound[descriptor.Name] = pkg
	return pkg, nil
}

// Close releases nothing: there is no plugin host.
func (l *Loader) Close() {}

// noReferences is the schema loader binding uses for cross-package references: our packages
// make none, beyond the built-in `pulumi` package.
type noReferences struct{}

func (noReferences) LoadPackage(pkg string, version *semver.Version) (*schema.Package, error) {
	return noReferences{}.LoadPackageV2(context.Background(), &schema.PackageDescriptor{Name: pkg, Version: version})
}

func (noReferences) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	if d.Name == "pulumi" {
		return schema.DefaultPulumiPackage, nil
	}
	return nil, fmt.Errorf("package schema refers to package %q, which none of ours is", d.Name)
}
