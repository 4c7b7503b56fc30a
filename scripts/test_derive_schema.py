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
            with open(ds.out_path(ds.OUT_DIR, pkg)) as f:
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

    def test_policy_accepts_string_or_document(self):
        pol = res("aws:iam:Role")["inputs"]["assumeRolePolicy"]
        self.assertEqual(pol["kind"], "any")
        self.assertIn({"kind": "string"}, pol["oneOf"])

    def test_random(self):
        pw = RANDOM["resources"]["random:index/randomPassword:RandomPassword"]
        self.assertIn("random:RandomPassword", pw["aliases"])
        self.assertEqual(pw["required"], ["length"])
        self.assertEqual(pw["inputs"]["length"], {"kind": "number"})
        self.assertIn("random:RandomId", RANDOM["resources"]["random:index/randomId:RandomId"]["aliases"])


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
