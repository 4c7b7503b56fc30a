// Package harness runs a rendered Pulumi YAML project through pulumi-yaml as the YAML language
// host would (load, type check against the package schemas, evaluate), under the Go SDK's
// mocks answering from a fabricated cloud, and reports every diagnostic as `file:line:col`.
package harness

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pulumi/pulumi-yaml/pkg/pulumiyaml"
	"github.com/pulumi/pulumi-yaml/pkg/pulumiyaml/ast"
	"github.com/pulumi/pulumi-yaml/pkg/pulumiyaml/packages"
	"github.com/pulumi/pulumi-yaml/pkg/pulumiyaml/syntax"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"tapgen.local/engine/fabricate"
	"tapgen.local/engine/schemas"
)

// Organization is the organization stacks run in (a file backend's).
const Organization = "organization"

// Options are what every project of a run shares.
type Options struct {
	Catalog *fabricate.Catalog
	Loader  *schemas.Loader
	Stack   string
	// Config are values a user set, by key without the project prefix.
	Config map[string]string
	// Stacks are the outputs of stacks already evaluated, by "<org>/<project>/<stack>", which
	// stack references resolve to; Run adds the project's own.
	Stacks map[string]map[string]any
}

// Result is one project's run.
type Result struct {
	Dir      string
	Trace    *Trace
	Problems []string
}

// Run evaluates the project in dir. An error is a harness failure (unreadable folder);
// problems with the program are in Result.Problems.
func Run(dir string, opts Options) (*Result, error) {
	proj, err := readProject(dir)
	if err != nil {
		return nil, err
	}
	config, err := proj.stackConfig(opts.Config)
	if err != nil {
		return nil, err
	}
	main := filepath.Join(dir, "Main.yaml")
	source, err := os.ReadFile(main)
	if err != nil {
		return nil, err
	}
	result := &Result{Dir: dir}
	report := reporter{file: main, source: source}

	// The type check, on the program with its stack config declared, reports warnings too
	// (RunTemplate returns errors only).
	checked, diags, err := pulumiyaml.LoadYAMLBytes(main, append(append([]byte{}, source...), proj.configSection(config)...))
	if err != nil && len(diags) == 0 {
		return nil, err
	}
	result.Problems = append(result.Problems, report.diagnostics(diags)...)
	if diags.HasErrors() {
		return result, nil
	}
	if checked.Sdks, err = packages.SearchPackageDecls(dir); err != nil {
		return nil, err
	}
	diags, crash, err := typeCheck(checked, opts.Loader)
	if err != nil {
		return nil, err
	}
	if crash != "" {
		result.Problems = append(result.Problems, fmt.Sprintf("%s:1:1: error: %s", main, crash))
		return result, nil
	}
	result.Problems = append(result.Problems, report.diagnostics(diags)...)
	if diags.HasErrors() {
		return result, nil
	}

	trace, problems, err := evaluate(proj, config, opts)
	if err != nil {
		return nil, err
	}
	result.Trace = trace
	for _, p := range problems {
		result.Problems = append(result.Problems, report.failure(p))
	}
	if len(problems) == 0 {
		opts.Stacks[fmt.Sprintf("%s/%s/%s", Organization, proj.name, opts.Stack)] = trace.Outputs
	}
	return result, nil
}

// typeCheck is pulumi-yaml's type check. Its analyser panics on some wrong programs (an
// `fn::invoke` `return` naming no output, at v1.38.1); the language host would crash the
// same way, so the panic is reported as the program's problem, not the harness's.
func typeCheck(t *ast.TemplateDecl, loader pulumiyaml.PackageLoader) (diags syntax.Diagnostics, crash string, err error) {
	defer func() {
		if p := recover(); p != nil {
			crash = fmt.Sprintf("pulumi-yaml's type checker panicked (`pulumi up` would crash too): %v", p)
		}
	}()
	_, diags, err = pulumiyaml.PrepareTemplate(t, nil, loader)
	return diags, "", err
}

// evaluate runs the template under mocks, from the project's folder (pulumi-yaml resolves
// asset paths against the working directory, as the language host does).
func evaluate(proj *project, config map[string]any, opts Options) (*Trace, []failure, error) {
	template, diags, err := pulumiyaml.LoadDir(proj.dir)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", proj.dir, err)
	}
	if diags.HasErrors() {
		return nil, nil, diags
	}
	cwd, err := os.Getwd()
	if err != nil {
		return nil, nil, err
	}
	if err := os.Chdir(proj.dir); err != nil {
		return nil, nil, err
	}
	defer os.Chdir(cwd) //nolint:errcheck // restoring the directory the process started in

	rec := newRecorder(opts.Catalog, opts.Stacks)
	runConfig, secretKeys := proj.runInfoConfig(config)
	var outputs map[string]any
	runErr := pulumi.RunErr(func(ctx *pulumi.Context) error {
		err := pulumiyaml.RunTemplate(ctx, template, proj.configPropertyMap(config), opts.Loader)
		rec.open()
		if err != nil {
			return err
		}
		pulumi.Map(ctx.GetCurrentExportMap()).ToMapOutput().ApplyT(func(v map[string]any) error {
			outputs = jsonShaped(v)
			return nil
		})
		return nil
	}, pulumi.WithMocksWithOrganization(Organization, proj.name, opts.Stack, rec), withConfig(runConfig, secretKeys))

	rec.mu.Lock()
	defer rec.mu.Unlock()
	trace := &rec.trace
	trace.Project, trace.Stack, trace.Outputs = proj.name, opts.Stack, outputs
	trace.sort()
	failures := append([]failure{}, rec.failures...)
	failures = append(failures, duplicates(trace)...)
	failures = append(failures, providerVersions(trace, rec.providers)...)
	if runErr != nil {
		if diags, ok := pulumiyaml.HasDiagnostics(runErr); ok {
			for _, d := range diags {
				failures = append(failures, failure{diagnostic: d})
			}
		} else if len(rec.failures) == 0 {
			failures = append(failures, failure{message: runErr.Error()})
		}
	}
	return trace, failures, nil
}

func withConfig(config map[string]string, secretKeys []string) pulumi.RunOption {
	return func(info *pulumi.RunInfo) {
		info.Config, info.ConfigSecretKeys = config, secretKeys
	}
}

// jsonShaped turns resolved output values into plain JSON values.
func jsonShaped(v map[string]any) map[string]any {
	raw, err := json.Marshal(v)
	if err != nil {
		return map[string]any{"@unmarshalable": err.Error()}
	}
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return out
}

// PlatformStack is the stack name the cells' `platformStack` config defaults to
// ("<project>/<stack>"), when the projects are a cell layout.
func PlatformStack(projects []string) (string, bool) {
	if len(projects) < 2 {
		return "", false
	}
	cell, err := readProject(projects[1])
	if err != nil {
		return "", false
	}
	value, _ := cell.config["platformStack"].Default.(string)
	_, stack, ok := strings.Cut(value, "/")
	return stack, ok && stack != ""
}

// Projects lists the projects of a rendered folder in the order they deploy: the folder itself
// (single layout), or its platform then each cell (cell layout).
func Projects(dir string) ([]string, error) {
	if _, err := os.Stat(filepath.Join(dir, "Pulumi.yaml")); err == nil {
		return []string{dir}, nil
	}
	platform := filepath.Join(dir, "platform")
	if _, err := os.Stat(filepath.Join(platform, "Pulumi.yaml")); err != nil {
		return nil, fmt.Errorf("%s: neither a project (Pulumi.yaml) nor a cell layout (platform/Pulumi.yaml)", dir)
	}
	cells, err := filepath.Glob(filepath.Join(dir, "cells", "*", "Pulumi.yaml"))
	if err != nil {
		return nil, err
	}
	sort.Strings(cells)
	out := []string{platform}
	for _, cell := range cells {
		out = append(out, filepath.Dir(cell))
	}
	return out, nil
}
