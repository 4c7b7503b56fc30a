// Command pulumi-engine-check runs rendered tapgen project folders through the real Pulumi YAML
// engine (pulumi-yaml's loader, type checker and evaluator) under mocks, against the package
// schemas in --schemas. It prints every problem as `file:line:col: severity: message` and exits
// 1 if there is any; --trace writes what each project registered and invoked, as JSON.
//
//	pulumi-engine-check [--schemas DIR] [--stack NAME] [--config KEY=VALUE]... [--trace FILE] DIR...
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"tapgen.local/engine/fabricate"
	"tapgen.local/engine/harness"
	"tapgen.local/engine/schemas"
)

type configFlags map[string]string

func (c configFlags) String() string { return fmt.Sprint(map[string]string(c)) }

func (c configFlags) Set(v string) error {
	key, value, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("want KEY=VALUE, got %q", v)
	}
	c[key] = value
	return nil
}

func main() {
	schemaDir := flag.String("schemas", "crates/check/schema", "folder of *.package.json package schemas")
	stack := flag.String("stack", "dev", "stack name every project runs as")
	tracePath := flag.String("trace", "", "write the traces of every project to this JSON file")
	config := configFlags{}
	flag.Var(config, "config", "a stack config value, KEY=VALUE (key without the project prefix); repeatable")
	flag.Parse()
	stackSet := false
	flag.Visit(func(f *flag.Flag) { stackSet = stackSet || f.Name == "stack" })
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: pulumi-engine-check [flags] DIR...")
		flag.PrintDefaults()
		os.Exit(2)
	}
	catalog, err := fabricate.LoadDir(*schemaDir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	opts := harness.Options{
		Catalog: catalog,
		Loader:  schemas.NewLoader(catalog),
		Stack:   *stack,
		Config:  config,
	}
	var traces []*harness.Trace
	problems := 0
	for _, dir := range flag.Args() {
		projects, err := harness.Projects(dir)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		opts.Stacks = map[string]map[string]any{} // stack references resolve within one folder
		opts.Stack = *stack
		if platform, ok := harness.PlatformStack(projects); ok && !stackSet {
			opts.Stack = platform // the stack the cells' platformStack default names
		}
		start := time.Now()
		resources, invokes := 0, 0
		for _, project := range projects {
			result, err := harness.Run(project, opts)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(2)
			}
			for _, p := range result.Problems {
				fmt.Println(p)
			}
			problems += len(result.Problems)
			if result.Trace != nil {
				traces = append(traces, result.Trace)
				resources += len(result.Trace.Resources)
				invokes += len(result.Trace.Invokes)
			}
		}
		fmt.Fprintf(os.Stderr, "%s: %d projects, %d resources, %d invokes evaluated in %.1fs\n",
			dir, len(projects), resources, invokes, time.Since(start).Seconds())
	}
	if *tracePath != "" {
		raw, err := json.MarshalIndent(map[string]any{"projects": traces}, "", " ")
		if err == nil {
			err = os.WriteFile(*tracePath, raw, 0o644)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
	fmt.Printf("%d problems\n", problems)
	if problems > 0 {
		os.Exit(1)
	}
}
