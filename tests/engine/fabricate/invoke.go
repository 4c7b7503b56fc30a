package fabricate

import (
	"fmt"
	"strings"
)

// Invoke returns the result of calling function token with args: every output the function
// declares, fabricated by type, overlaid by arguments that are also outputs (as AWS echoes
// filters) and by canned values for the functions tapgen calls, so that what a program derives
// from them (an account id in an ARN, availability zones, the deployer's role) looks real.
func (c *Catalog) Invoke(token string, args map[string]any) (map[string]any, error) {
	schema, ok := c.FunctionSchema(token)
	if !ok {
		return nil, fmt.Errorf("no package schema declares function %q", token)
	}
	canonical := c.Canonical(token)
	service, _ := serviceAndKind(canonical)
	f := fabricator{catalog: c, service: service, kind: "result", name: strings.ToLower(functionName(canonical))}
	result := map[string]any{}
	if schema.Outputs != nil {
		for _, prop := range sortedKeys(schema.Outputs.Properties) {
			if v, ok := args[prop]; ok && v != nil {
				result[prop] = v
				continue
			}
			result[prop] = f.value(prop, schema.Outputs.Properties[prop], 0)
		}
	}
	if canned, ok := c.canned()[canonical]; ok {
		for k, v := range canned(args) {
			result[k] = v
		}
	}
	return result, nil
}

// DeployerRole is the role the fabricated deployer assumes.
const DeployerRole = "tapgen-deployer"

func (c *Catalog) canned() map[string]func(map[string]any) map[string]any {
	account, region := c.Account, c.Region
	return map[string]func(map[string]any) map[string]any{
		"aws:index/getCallerIdentity:getCallerIdentity": func(map[string]any) map[string]any {
			return map[string]any{
				"accountId": account,
				"arn":       fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/pulumi", account, DeployerRole),
				"id":        account,
				"userId":    "AROAEXAMPLEDEPLOYER:pulumi",
			}
		},
		"aws:iam/getSessionContext:getSessionContext": func(args map[string]any) map[string]any {
			arn, _ := args["arn"].(string)
			issuer, name, session := arn, "", ""
			if rest, ok := strings.CutPrefix(arn, fmt.Sprintf("arn:aws:sts::%s:assumed-role/", account)); ok {
				name, session, _ = strings.Cut(rest, "/")
				issuer = fmt.Sprintf("arn:aws:iam::%s:role/%s", account, name)
			}
			return map[string]any{
				"arn":         arn,
				"id":          arn,
				"issuerArn":   issuer,
				"issuerId":    "AROAEXAMPLEDEPLOYER",
				"issuerName":  name,
				"sessionName": session,
			}
		},
		"aws:index/getRegion:getRegion": func(map[string]any) map[string]any {
			return map[string]any{
				"id":          region,
				"name":        region,
				"region":      region,
				"endpoint":    fmt.Sprintf("ec2.%s.amazonaws.com", region),
				"description": "US East (N. Virginia)",
			}
		},
		"aws:index/getPartition:getPartition": func(map[string]any) map[string]any {
			return map[string]any{
				"id":               "aws",
				"partition":        "aws",
				"dnsSuffix":        "amazonaws.com",
				"reverseDnsPrefix": "com.amazonaws",
			}
		},
		"aws:index/getAvailabilityZones:getAvailabilityZones": func(map[string]any) map[string]any {
			names, ids, groups := []any{}, []any{}, []any{}
			for i, letter := range []string{"a", "b", "c", "d", "e", "f"} {
				names = append(names, region+letter)
				ids = append(ids, fmt.Sprintf("use1-az%d", i+1))
				groups = append(groups, region)
			}
			return map[string]any{"id": region, "names": names, "zoneIds": ids, "groupNames": groups, "region": region}
		},
		"aws:ec2/getManagedPrefixList:getManagedPrefixList": func(args map[string]any) map[string]any {
			name, _ := args["name"].(string)
			if name == "" {
				name = fmt.Sprintf("com.amazonaws.%s.s3", region)
			}
			id := "pl-" + hash(name)
			return map[string]any{
				"id":            id,
				"name":          name,
				"arn":           fmt.Sprintf("arn:aws:ec2:%s:aws:prefix-list/%s", region, id),
				"addressFamily": "IPv4",
				"maxEntries":    float64(0),
				"ownerId":       "AWS",
				"entries":       []any{map[string]any{"cidr": "52.216.0.0/15", "description": ""}},
			}
		},
		"aws:elb/getServiceAccount:getServiceAccount": func(map[string]any) map[string]any {
			return map[string]any{"id": "127311923021", "arn": "arn:aws:iam::127311923021:root", "region": region}
		},
		"aws:iam/getPolicyDocument:getPolicyDocument": func(map[string]any) map[string]any {
			doc := `{"Version":"2012-10-17","Statement":[]}`
			return map[string]any{"id": hash(doc), "json": doc, "minifiedJson": doc}
		},
	}
}

// functionName is "getRegion" for "aws:index/getRegion:getRegion".
func functionName(canonical string) string {
	parts := strings.Split(canonical, ":")
	return parts[len(parts)-1]
}
