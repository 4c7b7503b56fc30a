// Command pulumi-resource-recording is a resource provider for `aws` and `random` that reaches no
// cloud: it serves the package schema derived from the official SDK, fabricates every output a
// resource or function declares (package tapgen.local/engine/fabricate) and records every call
// it receives. Installed under the plugin name `pulumi-resource-<package>`, it reads the package
// from its own name and the schema from the `*.package.json` next to it, so the real Pulumi CLI
// can preview and deploy a rendered program offline.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"tapgen.local/engine/fabricate"
)

func main() {
	pkg, dir, err := identity()
	if err == nil {
		err = serve(pkg, dir)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-%s: %v\n", pkg, err)
		os.Exit(1)
	}
}

// identity is the package this binary serves (from its name) and the folder holding its schema.
func identity() (string, string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", "", err
	}
	pkg, ok := strings.CutPrefix(filepath.Base(exe), "pulumi-resource-")
	if !ok {
		return "", "", fmt.Errorf("binary %s is not named pulumi-resource-<package>", exe)
	}
	return pkg, filepath.Dir(exe), nil
}

func serve(pkg, dir string) error {
	catalog, err := fabricate.LoadDir(dir)
	if err != nil {
		return err
	}
	schema := catalog.Package(pkg)
	if schema == nil {
		return fmt.Errorf("no %s package schema in %s", pkg, dir)
	}
	recorder, err := openRecorder(os.Getenv("TAPGEN_PROVIDER_LOG"), pkg)
	if err != nil {
		return err
	}
	defer recorder.close()
	return provider.Main(pkg, func(*provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		return &server{pkg: pkg, schema: schema, catalog: catalog, record: recorder}, nil
	})
}
