package fabricate

import (
	"fmt"
	"hash/fnv"
	"sort"
	"strings"
)

// Resource returns the id and the state (every declared output) of a resource of type token
// named name, created from inputs. Inputs that are also outputs are echoed, as providers do;
// `tagsAll` echoes `tags`. A provider resource (`pulumi:providers:<pkg>`) echoes its inputs.
func (c *Catalog) Resource(token, name string, inputs map[string]any) (string, map[string]any, error) {
	schema, ok := c.ResourceSchema(token)
	if !ok {
		return "", nil, fmt.Errorf("no package schema declares resource type %q", token)
	}
	state := map[string]any{}
	if strings.HasPrefix(token, "pulumi:providers:") {
		for k, v := range inputs {
			state[k] = v
		}
		return name + "-provider-id", state, nil
	}
	canonical := c.Canonical(token)
	f := c.forResource(canonical, name)
	for _, prop := range sortedKeys(schema.Properties) {
		if v, ok := inputs[prop]; ok && v != nil {
			state[prop] = v
			continue
		}
		if prop == "tagsAll" {
			if tags, ok := inputs["tags"]; ok && tags != nil {
				state[prop] = tags
				continue
			}
		}
		state[prop] = f.value(prop, schema.Properties[prop], 0)
	}
	if canonical == "aws:acm/certificate:Certificate" {
		state["domainValidationOptions"] = validationOptions(inputs)
	}
	id := f.id()
	if v, ok := state["id"].(string); ok && v != "" {
		id = v
	}
	return id, state, nil
}

// fabricator makes the values of one resource or function result.
type fabricator struct {
	catalog *Catalog
	service string // the AWS service of ARNs, e.g. "ec2"
	kind    string // the ARN resource kind, e.g. "vpc"
	name    string
}

func (c *Catalog) forResource(canonical, name string) fabricator {
	service, kind := serviceAndKind(canonical)
	return fabricator{catalog: c, service: service, kind: kind, name: name}
}

// serviceAndKind reads ("ec2", "vpc") from "aws:ec2/vpc:Vpc".
func serviceAndKind(canonical string) (string, string) {
	parts := strings.Split(canonical, ":")
	if len(parts) != 3 {
		return "aws", "resource"
	}
	module, kind, _ := strings.Cut(parts[1], "/")
	if kind == "" {
		kind = strings.ToLower(parts[2])
	}
	return strings.ToLower(module), strings.ToLower(kind)
}

// id is a provider-style id: a short prefix of the kind and a stable hash, e.g. "vpc-3f2a9c1b".
func (f fabricator) id() string {
	prefix := f.kind
	if len(prefix) > 8 {
		prefix = prefix[:8]
	}
	return fmt.Sprintf("%s-%s", prefix, hash(f.service, f.kind, f.name))
}

func (f fabricator) arn(resource string) string {
	region, account := f.catalog.Region, f.catalog.Account
	switch f.service {
	case "iam", "cloudfront", "route53":
		region = ""
	case "s3":
		region, account = "", ""
	}
	return fmt.Sprintf("arn:aws:%s:%s:%s:%s", f.service, region, account, resource)
}

// value is a plausible value of type p for the property named prop.
func (f fabricator) value(prop string, p Property, depth int) any {
	if p.Ref != "" {
		return f.ref(prop, p.Ref, depth)
	}
	switch p.Type {
	case "string":
		return f.str(prop)
	case "integer":
		return float64(f.integer(prop))
	case "number":
		return float64(f.integer(prop))
	case "boolean":
		return false
	case "array":
		if p.Items == nil {
			return []any{}
		}
		return []any{f.value(singular(prop), *p.Items, depth+1)}
	case "object":
		return map[string]any{}
	}
	return f.str(prop)
}

func (f fabricator) ref(prop, ref string, depth int) any {
	switch ref {
	case "pulumi.json#/Any", "pulumi.json#/Json":
		return map[string]any{}
	case "pulumi.json#/Archive", "pulumi.json#/Asset":
		return nil
	}
	t, ok := f.catalog.Type(ref)
	if !ok {
		return nil
	}
	if len(t.Enum) > 0 {
		return t.Enum[0].Value
	}
	object := map[string]any{}
	if depth >= 4 { // schemas are recursive in places; four levels are plenty to reference
		return object
	}
	for _, name := range sortedKeys(t.Properties) {
		if v := f.value(name, t.Properties[name], depth+1); v != nil {
			object[name] = v
		}
	}
	return object
}

// str picks a string by the property's name: ARNs for `arn`/`…Arn`, ids for `id`/`…Id`,
// names, regions, accounts, CIDRs, DNS names and URLs look like what AWS returns.
func (f fabricator) str(prop string) string {
	lower := strings.ToLower(prop)
	switch {
	case lower == "arn":
		return f.arn(f.kind + "/" + f.name)
	case strings.HasSuffix(prop, "Arn"):
		return f.arn(strings.ToLower(strings.TrimSuffix(prop, "Arn")) + "/" + f.name)
	case lower == "id":
		return f.id()
	case lower == "ownerid" || lower == "accountid":
		return f.catalog.Account
	case strings.HasSuffix(prop, "Id"):
		return fmt.Sprintf("%s-%s", strings.ToLower(strings.TrimSuffix(prop, "Id")), hash(f.name, prop))
	case lower == "region":
		return f.catalog.Region
	case lower == "name" || strings.HasSuffix(prop, "Name") && !strings.Contains(lower, "dns"):
		return f.name
	case strings.Contains(lower, "cidr"):
		return "10.0.0.0/16"
	case strings.Contains(lower, "dns") || strings.HasSuffix(lower, "endpoint") || strings.HasSuffix(lower, "domain"):
		return fmt.Sprintf("%s.%s.%s.amazonaws.com", f.name, f.service, f.catalog.Region)
	case strings.HasSuffix(lower, "url") || strings.HasSuffix(lower, "uri"):
		return fmt.Sprintf("https://%s.%s.%s.amazonaws.com/", f.name, f.service, f.catalog.Region)
	case strings.Contains(lower, "policy") || strings.HasSuffix(lower, "json"):
		return `{"Version":"2012-10-17","Statement":[]}`
	}
	return f.name + "-" + prop
}

func (f fabricator) integer(prop string) int {
	lower := strings.ToLower(prop)
	switch {
	case strings.Contains(lower, "port"):
		return 443
	case strings.Contains(lower, "version"):
		return 1
	}
	return 1
}

// validationOptions gives an ACM certificate one validation option per name it covers, as AWS
// does (a program indexes them, so a one-element list would not do): the domain name, then
// each subject alternative name.
func validationOptions(inputs map[string]any) []any {
	names := []string{}
	if name, ok := inputs["domainName"].(string); ok {
		names = append(names, name)
	}
	if sans, ok := inputs["subjectAlternativeNames"].([]any); ok {
		for _, san := range sans {
			if name, ok := san.(string); ok && (len(names) == 0 || name != names[0]) {
				names = append(names, name)
			}
		}
	}
	options := make([]any, 0, len(names))
	for _, name := range names {
		record := "_" + hash(strings.TrimPrefix(name, "*.")) + "." + strings.TrimPrefix(name, "*.") + "."
		options = append(options, map[string]any{
			"domainName":          name,
			"resourceRecordName":  record,
			"resourceRecordType":  "CNAME",
			"resourceRecordValue": "_" + hash(record) + ".acm-validations.aws.",
		})
	}
	return options
}

func singular(prop string) string {
	return strings.TrimSuffix(prop, "s")
}

func hash(parts ...string) string {
	h := fnv.New32a()
	for _, part := range parts {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return fmt.Sprintf("%08x", h.Sum32())
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
