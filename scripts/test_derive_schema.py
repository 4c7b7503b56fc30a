"""Tests for scripts/derive-schema.py and the committed data in crates/check/schema/.

Run:  python3 -m pytest scripts/test_derive_schema.py     (if pytest is installed)
  or  python3 -m unittest scripts/test_derive_schema.py   (stdlib only)
  or  python3 scripts/test_derive_schema.py
The data tests read the committed JSON (offline). The regeneration test runs only when the wheels are
already in target/schema-cache/ (any earlier `python3 scripts/derive-schema.py` put them there).
"""
import contextlib, glob, importlib.util, io, json, os, tempfile, unittest

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("derive_schema", os.path.join(HERE, "derive-schema.py"))
ds = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ds)

try:
    import yaml  # noqa: F401
    HAVE_YAML = True
except ImportError:
    HAVE_YAML = False


def load(pkg):
    with open(ds.out_path(ds.OUT_DIR, pkg)) as f:
        return json.load(f)


AWS, RANDOM = load("aws"), load("random")


def load_package(pkg):
    with open(ds.out_path(ds.OUT_DIR, pkg, package=True)) as f:
        return json.load(f)


AWS_PKG, RANDOM_PKG = load_package("aws"), load_package("random")


def res(tok):
    return AWS["resources"][ds.canonical(tok)]


def typ(ref_kind):
    return AWS["types"][ref_kind["ref"]]


def quiet(fn, *a):
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return fn(*a)


class TokenRules(unittest.TestCase):
    def test_canonical(self):
        self.assertEqual(ds.canonical("aws:s3:Bucket"), "aws:s3/bucket:Bucket")
        self.assertEqual(ds.canonical("aws:getRegion"), "aws:index/getRegion:getRegion")
        self.assertEqual(ds.canonical("aws:index:getRegion"), "aws:index/getRegion:getRegion")
        self.assertEqual(ds.canonical("random:RandomPassword"), "random:index/randomPassword:RandomPassword")
        self.assertEqual(ds.canonical("aws:ec2/vpc:Vpc"), "aws:ec2/vpc:Vpc")
        self.assertEqual(ds.canonical("pulumi:providers:aws"), "pulumi:providers:aws")

    def test_short_aliases(self):
        self.assertEqual(ds.short_aliases("aws:s3/bucket:Bucket"), ["aws:s3:Bucket"])
        self.assertEqual(sorted(ds.short_aliases("aws:index/getRegion:getRegion")),
                         ["aws:getRegion", "aws:index:getRegion"])


class CommittedData(unittest.TestCase):
    def test_format_is_canonical(self):
        for pkg in ds.PACKAGES:
            for package in (False, True):
                with open(ds.out_path(ds.OUT_DIR, pkg, package)) as f:
                    text = f.read()
                self.assertEqual(text, ds.dump(json.loads(text)), pkg)
        self.assertEqual((AWS["provider"], AWS["version"]), ("aws", "7.51.1"))
        self.assertEqual(RANDOM["provider"], "random")
        self.assertTrue(RANDOM["version"].startswith("4."))

    def test_every_listed_token_is_present(self):
        for tok in ds.read_types_file(ds.TYPES_FILE):
            doc = RANDOM if tok.startswith("random:") else AWS
            self.assertTrue(ds.canonical(tok) in doc["resources"] or ds.canonical(tok) in doc["functions"], tok)
        self.assertEqual(ds.uncovered({t: ["x"] for t in ds.read_types_file(ds.TYPES_FILE)},
                                      {"aws": AWS, "random": RANDOM}), {})

    def test_refs_are_closed(self):
        refs = []

        def walk(x):
            if isinstance(x, dict):
                if x.get("kind") == "object":
                    refs.append(x["ref"])
                for v in x.values():
                    walk(v)
            elif isinstance(x, list):
                for v in x:
                    walk(v)
        walk(AWS)
        self.assertTrue(refs)
        self.assertEqual([r for r in refs if r not in AWS["types"]], [])
        for key, t in AWS["types"].items():
            self.assertTrue(set(t["required"]) <= set(t["properties"]), key)

    def test_s3_bucket(self):
        b = res("aws:s3:Bucket")
        self.assertEqual(b["inputs"]["forceDestroy"], {"kind": "bool"})
        self.assertEqual(b["required"], [])
        self.assertEqual(b["inputs"]["tags"], {"kind": "map", "items": {"kind": "string"}})
        self.assertIn("aws:s3:Bucket", b["aliases"])

    def test_ecs_task_definition_required(self):
        self.assertEqual(res("aws:ecs:TaskDefinition")["required"], ["containerDefinitions", "family"])

    def test_listener_rule(self):
        rule = res("aws:lb:ListenerRule")
        self.assertEqual(rule["required"], ["actions", "conditions", "listenerArn"])
        cond = rule["inputs"]["conditions"]
        self.assertEqual(cond["kind"], "list")
        host = typ(cond["items"])["properties"]["hostHeader"]
        self.assertEqual(host["kind"], "object")
        self.assertEqual(typ(host)["properties"]["values"], {"kind": "list", "items": {"kind": "string"}})

    def test_rds_cluster(self):
        inputs = res("aws:rds:Cluster")["inputs"]
        self.assertEqual(inputs["manageMasterUserPassword"], {"kind": "bool"})
        self.assertIn("enableHttpEndpoint", inputs)

    def test_apigateway_deployment_has_no_stage_name(self):
        self.assertNotIn("stageName", res("aws:apigateway:Deployment")["inputs"])

    def test_lambda_runtime_enum(self):
        rt = res("aws:lambda:Function")["inputs"]["runtime"]
        self.assertEqual(rt["kind"], "enum")
        self.assertTrue(rt["open"])  # Union[str, Runtime]: any string is accepted too
        self.assertIn("nodejs22.x", rt["values"])
        self.assertIn("nodejs24.x", rt["values"])  # present in pulumi-aws 7.51.1
        self.assertEqual(res("aws:lambda:Function")["inputs"]["code"], {"kind": "archive"})

    def test_provider_and_functions(self):
        p = AWS["resources"]["pulumi:providers:aws"]
        self.assertEqual(p["inputs"]["region"], {"kind": "string"})
        self.assertEqual(typ(p["inputs"]["defaultTags"])["properties"]["tags"]["kind"], "map")
        self.assertIn("aws:getAvailabilityZones",
                      AWS["functions"]["aws:index/getAvailabilityZones:getAvailabilityZones"]["aliases"])
        self.assertIn("aws:getRegion", AWS["functions"]["aws:index/getRegion:getRegion"]["aliases"])
        stmt = AWS["functions"]["aws:iam/getPolicyDocument:getPolicyDocument"]["inputs"]["statements"]
        self.assertIn("actions", typ(stmt["items"])["properties"])

    def test_function_required_inputs_come_from_the_output_variant(self):
        fns = AWS["functions"]
        self.assertEqual(fns["aws:iam/getSessionContext:getSessionContext"]["required"], ["arn"])
        self.assertEqual(fns["aws:ssm/getParameter:getParameter"]["required"], ["name"])
        self.assertEqual(fns["aws:index/getAvailabilityZones:getAvailabilityZones"]["required"], [])

    def test_replacing_inputs_come_from_docstrings(self):
        group = res("aws:elasticache:ReplicationGroup")["inputs"]
        self.assertTrue(group["snapshotName"].get("replaceOnChanges"))
        self.assertNotIn("replaceOnChanges", group["description"])
        # "If `vpc_endpoint_type` is anything other than `Interface`, changing this value forces a
        # new resource": conditional, so not a flag
        self.assertNotIn("replaceOnChanges", res("aws:ec2:VpcEndpoint")["inputs"]["privateDnsEnabled"])

    def test_forces_replacement_wording(self):
        from schema_sdk import forces_replacement  # on the path derive-schema.py sets
        self.assertTrue(forces_replacement("Name of the group. Changing this forces a new resource to be created."))
        self.assertTrue(forces_replacement("Server ID. Forces replacement if modified."))
        self.assertFalse(forces_replacement("Defaults to `false`. If `x` is `Gateway`, changing this forces a new resource."))
        self.assertFalse(forces_replacement("The VPC ID."))

    def test_policy_accepts_string_or_document(self):
        pol = res("aws:iam:Role")["inputs"]["assumeRolePolicy"]
        self.assertEqual(pol["kind"], "any")
        self.assertIn({"kind": "string"}, pol["oneOf"])

    def test_random(self):
        pw = RANDOM["resources"]["random:index/randomPassword:RandomPassword"]
        self.assertIn("random:RandomPassword", pw["aliases"])
        self.assertEqual(pw["required"], ["length"])
        self.assertEqual(pw["inputs"]["length"], {"kind": "integer"})
        self.assertIn("random:RandomId", RANDOM["resources"]["random:index/randomId:RandomId"]["aliases"])


class Outputs(unittest.TestCase):
    def test_resource_outputs(self):
        lb = res("aws:lb:LoadBalancer")
        self.assertEqual(lb["outputs"]["dnsName"], {"kind": "string"})
        self.assertIn("arn", lb["requiredOutputs"])
        self.assertNotIn("id", lb["outputs"])  # id and urn belong to every resource, not the schema
        self.assertTrue(set(lb["requiredOutputs"]) <= set(lb["outputs"]))
        cluster = res("aws:rds:Cluster")
        self.assertEqual(cluster["outputs"]["endpoint"], {"kind": "string"})
        self.assertTrue(cluster["outputs"]["masterPassword"]["secret"])
        self.assertTrue(cluster["inputs"]["masterPassword"]["secret"])

    def test_nested_output_types(self):
        mappings = res("aws:lb:LoadBalancer")["outputs"]["subnetMappings"]
        self.assertEqual(mappings["kind"], "list")
        self.assertIn("subnetId", typ(mappings["items"])["properties"])

    def test_function_outputs(self):
        azs = AWS["functions"]["aws:index/getAvailabilityZones:getAvailabilityZones"]
        self.assertEqual(azs["outputs"]["names"], {"kind": "list", "items": {"kind": "string"}})
        self.assertIn("names", azs["requiredOutputs"])
        ami = AWS["functions"]["aws:ec2/getAmi:getAmi"]
        self.assertIn("imageId", ami["outputs"])
        # result-only types (GetAmiBlockDeviceMappingResult) are in the same key space
        self.assertIn("deviceName", typ(ami["outputs"]["blockDeviceMappings"]["items"])["properties"])


def refs_in(node, out):
    if isinstance(node, dict):
        if "$ref" in node:
            out.append(node["$ref"])
        for v in node.values():
            refs_in(v, out)
    elif isinstance(node, list):
        for v in node:
            refs_in(v, out)
    return out


class PackageSchema(unittest.TestCase):
    """The Pulumi package schemas (schema.json format) the engine tests load into pulumi-yaml."""

    def test_header(self):
        self.assertEqual((AWS_PKG["name"], AWS_PKG["version"]), ("aws", "7.51.1"))
        self.assertEqual((RANDOM_PKG["name"], RANDOM_PKG["version"]), ("random", "4.21.4"))
        self.assertEqual(AWS_PKG["meta"], {"moduleFormat": "(.*)(?:/[^/]*)"})

    def test_same_tokens_as_the_subset(self):
        for sub, pkg in ((AWS, AWS_PKG), (RANDOM, RANDOM_PKG)):
            self.assertEqual(set(pkg["resources"]), set(sub["resources"]) - {f"pulumi:providers:{pkg['name']}"})
            self.assertEqual(set(pkg["functions"]), set(sub["functions"]))

    def test_refs_resolve_and_required_names_exist(self):
        builtins = {"pulumi.json#/Any", "pulumi.json#/Asset", "pulumi.json#/Archive"}
        for pkg in (AWS_PKG, RANDOM_PKG):
            refs = refs_in(pkg, [])
            self.assertEqual([r for r in refs if r not in builtins
                              and r.removeprefix("#/types/") not in pkg["types"]], [])
            specs = [("provider", pkg["provider"])] + list(pkg["resources"].items())
            for tok, r in specs:
                self.assertTrue(set(r["requiredInputs"]) <= set(r["inputProperties"]), tok)
                self.assertTrue(set(r["required"]) <= set(r["properties"]), tok)
                self.assertNotIn("id", r["properties"], tok)
            for tok, f in pkg["functions"].items():
                for side in ("inputs", "outputs"):
                    self.assertTrue(set(f[side]["required"]) <= set(f[side]["properties"]), tok)
            for tok, t in pkg["types"].items():
                self.assertRegex(tok, r"^[a-zA-Z][-a-zA-Z0-9_]*:[^0-9][a-zA-Z0-9._/-]*:[^0-9][a-zA-Z0-9._/]*$")
                if t["type"] == "object":
                    self.assertTrue(set(t["required"]) <= set(t["properties"]), tok)
                else:
                    self.assertTrue(t["enum"] and all(isinstance(e["value"], str) for e in t["enum"]), tok)

    def test_resource_inputs_and_outputs(self):
        vpc = AWS_PKG["resources"]["aws:ec2/vpc:Vpc"]
        self.assertEqual(vpc["inputProperties"]["enableDnsSupport"], {"type": "boolean"})
        self.assertEqual(vpc["properties"]["arn"], {"type": "string"})
        self.assertIn("arn", vpc["required"])
        lt = AWS_PKG["resources"]["aws:ec2/launchTemplate:LaunchTemplate"]
        ref = lt["inputProperties"]["metadataOptions"]["$ref"]
        self.assertEqual(ref, "#/types/aws:ec2/LaunchTemplateMetadataOptions:LaunchTemplateMetadataOptions")
        opts = AWS_PKG["types"][ref.removeprefix("#/types/")]
        self.assertEqual(opts["properties"]["httpPutResponseHopLimit"], {"type": "integer"})
        listener = AWS_PKG["resources"]["aws:lb/listener:Listener"]
        self.assertEqual(listener["requiredInputs"], ["defaultActions", "loadBalancerArn"])
        pw = RANDOM_PKG["resources"]["random:index/randomPassword:RandomPassword"]
        self.assertEqual(pw["properties"]["result"], {"type": "string", "secret": True})

    def test_enums_unions_assets(self):
        fn = AWS_PKG["resources"]["aws:lambda/function:Function"]["inputProperties"]
        self.assertEqual(fn["runtime"], {"type": "string", "oneOf": [
            {"type": "string"}, {"type": "string", "$ref": "#/types/aws:lambda/Runtime:Runtime"}]})
        values = [e["value"] for e in AWS_PKG["types"]["aws:lambda/Runtime:Runtime"]["enum"]]
        self.assertIn("nodejs22.x", values)
        self.assertEqual(fn["code"], {"$ref": "pulumi.json#/Archive"})
        policy = AWS_PKG["resources"]["aws:iam/role:Role"]["inputProperties"]["assumeRolePolicy"]
        self.assertIn({"type": "string"}, policy["oneOf"])

    def test_functions_and_provider(self):
        ami = AWS_PKG["functions"]["aws:ec2/getAmi:getAmi"]
        self.assertEqual(ami["inputs"]["properties"]["filters"]["items"],
                         {"$ref": "#/types/aws:ec2/getAmiFilter:getAmiFilter"})
        self.assertIn("imageId", ami["outputs"]["required"])
        self.assertEqual(AWS_PKG["provider"]["inputProperties"]["region"], {"type": "string"})
        self.assertEqual(AWS_PKG["config"]["variables"]["region"], {"type": "string"})
        self.assertEqual(AWS_PKG["config"]["variables"]["defaultTags"],
                         {"$ref": "#/types/aws:index/ProviderDefaultTags:ProviderDefaultTags"})

    def test_replacing_inputs_are_marked_for_pulumi(self):
        group = AWS_PKG["resources"]["aws:elasticache/replicationGroup:ReplicationGroup"]["inputProperties"]
        self.assertEqual(group["snapshotName"], {"type": "string", "willReplaceOnChanges": True})
        session = AWS_PKG["functions"]["aws:iam/getSessionContext:getSessionContext"]
        self.assertEqual(session["inputs"]["required"], ["arn"])

    def test_type_tokens(self):
        self.assertEqual(ds.schema_package.type_token("aws:ec2/LaunchTemplateMetadataOptions"),
                         "aws:ec2/LaunchTemplateMetadataOptions:LaunchTemplateMetadataOptions")
        self.assertEqual(ds.schema_package.type_token("aws:ec2/GetAmiFilter"), "aws:ec2/getAmiFilter:getAmiFilter")

    def test_merged_type_prefers_the_input_class(self):
        merged = ds.schema_package.merged_type(
            {"properties": {"a": {"kind": "string"}}, "required": ["a"]},
            {"properties": {"a": {"kind": "any"}, "b": {"kind": "bool"}}, "required": ["a", "b"]})
        self.assertEqual(merged, {"type": "object", "required": ["a"],
                                  "properties": {"a": {"type": "string"}, "b": {"type": "boolean"}}})


class ProgramScan(unittest.TestCase):
    @unittest.skipUnless(HAVE_YAML, "PyYAML not installed")
    def test_yaml_and_json_scan(self):
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "a", "b"))
            with open(os.path.join(d, "a", "Main.yaml"), "w") as f:
                f.write("name: t\nruntime: yaml\n"
                        "variables:\n  azs:\n    fn::invoke:\n      function: aws:getAvailabilityZones\n"
                        "resources:\n  bucket:\n    type: aws:s3:Bucket\n"
                        "  pw:\n    type: random:RandomPassword\n"
                        "  nested:\n    type: aws:iam/role:Role\n    properties:\n      name:\n"
                        "        fn::invoke:\n          function: aws:index:getRegion\n          return: name\n")
            with open(os.path.join(d, "a", "b", "Main.json"), "w") as f:
                json.dump({"resources": {"q": {"type": "aws:sqs:Queue"}}}, f)
            found = ds.scan_programs([d])
            self.assertEqual(sorted(found), ["aws:getAvailabilityZones", "aws:iam/role:Role", "aws:index:getRegion",
                                             "aws:s3:Bucket", "aws:sqs:Queue", "random:RandomPassword"])
            self.assertEqual(list(ds.uncovered(found, {"aws": AWS, "random": RANDOM})), ["aws:sqs:Queue"])
            self.assertEqual(quiet(ds.main, ["--types-from", d]), 1)
            os.remove(os.path.join(d, "a", "b", "Main.json"))
            self.assertEqual(quiet(ds.main, ["--types-from", d]), 0)


def wheels_cached():
    return all(glob.glob(os.path.join(ds.CACHE_DIR, f"{dist.replace('-', '_')}-{ver}-*.whl"))
               for dist, ver, _ in ds.PACKAGES.values())


class Regenerate(unittest.TestCase):
    @unittest.skipUnless(wheels_cached(), "wheels not in target/schema-cache (run scripts/derive-schema.py once)")
    def test_committed_json_is_current(self):
        self.assertEqual(quiet(ds.main, ["--check"]), 0)

    def test_check_reports_differences(self):
        old = {"version": "1", "resources": {"a": 1, "b": 1}, "functions": {}, "types": {"t": 1}}
        new = {"version": "2", "resources": {"b": 2, "c": 1}, "functions": {}, "types": {"t": 1}}
        self.assertEqual(ds.diff_summary(old, new), ["  - resources a", "  ~ resources b", "  + resources c",
                                                     "  ~ version: '1' -> '2'"])


if __name__ == "__main__":
    unittest.main()
