package harness

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"gopkg.in/yaml.v3"
)

// project is a rendered Pulumi project folder: Pulumi.yaml (name, declared config) and Main.yaml.
type project struct {
	dir    string
	name   string
	config map[string]configDecl
}

type configDecl struct {
	Type    string `yaml:"type"`
	Default any    `yaml:"default"`
	Secret  bool   `yaml:"secret"`
}

func readProject(dir string) (*project, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "Pulumi.yaml"))
	if err != nil {
		return nil, err
	}
	var file struct {
		Name   string                `yaml:"name"`
		Config map[string]configDecl `yaml:"config"`
	}
	if err := yaml.Unmarshal(raw, &file); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "Pulumi.yaml"), err)
	}
	if file.Name == "" {
		return nil, fmt.Errorf("%s: no project name", filepath.Join(dir, "Pulumi.yaml"))
	}
	return &project{dir: dir, name: file.Name, config: file.Config}, nil
}

// stackConfig is the config a user's stack would hold: every declared default, overridden by
// the values given (keys without the project prefix). A key declared without a default and not
// given is an error, as `pulumi up` would make it.
func (p *project) stackConfig(given map[string]string) (map[string]any, error) {
	values := map[string]any{}
	var missing []string
	for _, key := range sortedKeys(p.config) {
		decl := p.config[key]
		if v, ok := given[key]; ok {
			values[key] = typed(decl.Type, v)
			continue
		}
		if decl.Default == nil {
			missing = append(missing, key)
			continue
		}
		values[key] = decl.Default
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s: config %v has no default; set it with --config KEY=VALUE", p.dir, missing)
	}
	return values, nil
}

// typed reads a config value given on the command line as its declared type.
func typed(typ, value string) any {
	switch typ {
	case "integer", "number", "boolean", "array", "object":
		var v any
		if json.Unmarshal([]byte(value), &v) == nil {
			return v
		}
	}
	return value
}

// runInfoConfig is the config as the CLI hands it to a language host: "<project>:<key>" → text.
func (p *project) runInfoConfig(values map[string]any) (map[string]string, []string) {
	out := map[string]string{}
	var secrets []string
	for k, v := range values {
		key := p.name + ":" + k
		if s, ok := v.(string); ok {
			out[key] = s
		} else {
			text, _ := json.Marshal(v)
			out[key] = string(text)
		}
		if p.config[k].Secret {
			secrets = append(secrets, key)
		}
	}
	sort.Strings(secrets)
	return out, secrets
}

// configPropertyMap is the config as pulumi-yaml's RunTemplate takes it.
func (p *project) configPropertyMap(values map[string]any) resource.PropertyMap {
	m := resource.PropertyMap{}
	for k, v := range values {
		value := resource.NewPropertyValue(v)
		if p.config[k].Secret {
			value = resource.MakeSecret(value)
		}
		m[resource.PropertyKey(p.name+":"+k)] = value
	}
	return m
}

// configSection is the declared config as a one-line `config:` section appended to Main.yaml
// for the type check (which, unlike a run, has no stack config), each with the value the run uses.
func (p *project) configSection(values map[string]any) string {
	section := map[string]map[string]any{}
	for k, v := range values {
		decl := map[string]any{"default": v}
		if t := p.config[k].Type; t != "" {
			decl["type"] = t
		}
		if p.config[k].Secret {
			decl["secret"] = true
		}
		section[k] = decl
	}
	text, _ := json.Marshal(section)
	return "\nconfig: " + string(text) + "\n"
}
