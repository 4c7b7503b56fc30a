// Package fabricate invents what a cloud would answer, from Pulumi package schemas alone: for
// a resource, an id and every output its schema declares; for a function, a result with every
// declared output (canned, realistic values for the functions tapgen calls). Values are a pure
// function of (token, name, inputs), so two runs of the same program see the same cloud.
//
// Values are plain JSON-shaped Go values (string, float64, bool, []any, map[string]any) so any
// consumer (Go SDK mocks, a gRPC resource provider) converts them its own way.
package fabricate

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Catalog holds the package schemas (schema.json format) of every provider a program uses.
type Catalog struct {
	// Account and Region are the AWS account and region the fabricated cloud lives in.
	Account string
	Region  string

	packages map[string]*Package
	aliases  map[string]string
}

// Package is the part of a Pulumi package schema fabrication reads.
type Package struct {
	Name      string              `json:"name"`
	Version   string              `json:"version"`
	Resources map[string]Resource `json:"resources"`
	Functions map[string]Function `json:"functions"`
	Types     map[string]Type     `json:"types"`
	Provider  Resource            `json:"provider"`
	Meta      struct {
		ModuleFormat string `json:"moduleFormat"`
	} `json:"meta"`
	// Raw is the file as read, for loaders that hand the whole schema to Pulumi.
	Raw json.RawMessage `json:"-"`
}

// Resource is a resource's inputs and outputs.
type Resource struct {
	InputProperties map[string]Property `json:"inputProperties"`
	RequiredInputs  []string            `json:"requiredInputs"`
	Properties      map[string]Property `json:"properties"`
	Required        []string            `json:"required"`
}

// Function is a function's argument and result objects.
type Function struct {
	Inputs  *ObjectShape `json:"inputs"`
	Outputs *ObjectShape `json:"outputs"`
}

// ObjectShape is an object's properties.
type ObjectShape struct {
	Properties map[string]Property `json:"properties"`
	Required   []string            `json:"required"`
}

// Type is an object type or an enum.
type Type struct {
	Type       string              `json:"type"`
	Properties map[string]Property `json:"properties"`
	Required   []string            `json:"required"`
	Enum       []struct {
		Value any `json:"value"`
	} `json:"enum"`
}

// Property is a type expression of the schema.
type Property struct {
	Type                 string    `json:"type"`
	Ref                  string    `json:"$ref"`
	Items                *Property `json:"items"`
	AdditionalProperties *Property `json:"additionalProperties"`
	Secret               bool      `json:"secret"`
	// WillReplaceOnChanges: a change to this input replaces the resource rather than updating it.
	WillReplaceOnChanges bool `json:"willReplaceOnChanges"`
}

// LoadDir reads every `*.package.json` in dir.
func LoadDir(dir string) (*Catalog, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.package.json"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no *.package.json in %s", dir)
	}
	catalog := &Catalog{
		Account:  "123456789012",
		Region:   "us-east-1",
		packages: map[string]*Package{},
		aliases:  map[string]string{},
	}
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		var pkg Package
		if err := json.Unmarshal(raw, &pkg); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		pkg.Raw = raw
		catalog.add(&pkg)
	}
	return catalog, nil
}

func (c *Catalog) add(pkg *Package) {
	c.packages[pkg.Name] = pkg
	for token := range pkg.Resources {
		c.alias(token)
	}
	for token := range pkg.Functions {
		c.alias(token)
	}
}

// alias lets a token be written as Pulumi YAML allows: `aws:ec2:Vpc`, `aws:getRegion`,
// as well as the canonical `aws:ec2/vpc:Vpc`.
func (c *Catalog) alias(canonical string) {
	c.aliases[canonical] = canonical
	parts := strings.Split(canonical, ":")
	if len(parts) != 3 {
		return
	}
	module := parts[1]
	if i := strings.LastIndex(module, "/"); i >= 0 {
		module = module[:i]
	}
	c.aliases[parts[0]+":"+module+":"+parts[2]] = canonical
	if module == "index" {
		c.aliases[parts[0]+":"+parts[2]] = canonical
	}
}

// Canonical is the schema's token for token, or "" when no package declares it.
func (c *Catalog) Canonical(token string) string {
	return c.aliases[token]
}

// Package is the named package (e.g. "aws"), or nil.
func (c *Catalog) Package(name string) *Package {
	return c.packages[name]
}

// PackageNames lists the packages, sorted.
func (c *Catalog) PackageNames() []string {
	names := make([]string, 0, len(c.packages))
	for name := range c.packages {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// ResourceSchema is the schema of a resource type (any accepted spelling), and whether one exists.
func (c *Catalog) ResourceSchema(token string) (Resource, bool) {
	if pkg, ok := strings.CutPrefix(token, "pulumi:providers:"); ok {
		if p := c.packages[pkg]; p != nil {
			return p.Provider, true
		}
		return Resource{}, false
	}
	canonical := c.Canonical(token)
	if canonical == "" {
		return Resource{}, false
	}
	r, ok := c.packages[packageOf(canonical)].Resources[canonical]
	return r, ok
}

// FunctionSchema is the schema of a function (any accepted spelling), and whether one exists.
func (c *Catalog) FunctionSchema(token string) (Function, bool) {
	canonical := c.Canonical(token)
	if canonical == "" {
		return Function{}, false
	}
	f, ok := c.packages[packageOf(canonical)].Functions[canonical]
	return f, ok
}

// Type is the object or enum type a `$ref` names, and whether the catalog has it.
func (c *Catalog) Type(ref string) (Type, bool) {
	token, ok := strings.CutPrefix(ref, "#/types/")
	if !ok {
		return Type{}, false
	}
	pkg := c.packages[packageOf(token)]
	if pkg == nil {
		return Type{}, false
	}
	t, ok := pkg.Types[token]
	return t, ok
}

func packageOf(token string) string {
	pkg, _, _ := strings.Cut(token, ":")
	return pkg
}
