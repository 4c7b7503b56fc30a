"""preview_only_tenant.py accepts a preview that only touches the tenant and rejects others."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

SCRIPT = os.path.join(os.path.dirname(__file__), "preview_only_tenant.py")
PREFIX = "urn:pulumi:production::p::"


def step(op, name, kind="aws:s3/bucket:Bucket", diff=None, replace=None):
    s = {"op": op, "urn": f"{PREFIX}{kind}::{name}"}
    if diff:
        s["detailedDiff"] = {prop: {"kind": "update"} for prop in diff}
    if replace:
        s["replaceReasons"] = replace
        s["detailedDiff"] = {prop: {"kind": "update-replace"} for prop in replace}
    return s


def replacement(name, props):
    """The three steps `pulumi preview --json` lists for one replacement."""
    return [step(op, name, replace=props) for op in ("create-replacement", "replace", "delete-replaced")]


class PreviewOnlyTenant(unittest.TestCase):
    def run_check(self, steps, *args):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump({"steps": steps}, f)
        try:
            return subprocess.run([sys.executable, SCRIPT, *args, "acme", f.name],
                                  capture_output=True, text=True)
        finally:
            os.unlink(f.name)

    def test_only_the_tenants_creates_pass(self):
        steps = [step("same", "vpc"), step("create", "acme-bucket"),
                 step("read", "platform", "pulumi:pulumi:StackReference")]
        self.assertEqual(self.run_check(steps).returncode, 0)

    def test_a_shared_update_fails(self):
        result = self.run_check([step("create", "acme-bucket"), step("update", "api", diff=["x"])])
        self.assertEqual(result.returncode, 1)
        self.assertIn("update", result.stdout)

    def test_another_tenants_create_fails(self):
        result = self.run_check([step("create", "acme-bucket"), step("create", "globex-bucket")])
        self.assertEqual(result.returncode, 1)

    def test_an_allowed_property_passes_and_is_printed(self):
        steps = [step("create", "acme-bucket"), step("update", "api", diff=["triggers"])]
        result = self.run_check(steps, "--allow", "api:triggers")
        self.assertEqual(result.returncode, 0)
        self.assertIn("allowed shared change", result.stdout)

    def test_an_allowance_covers_only_its_property(self):
        steps = [step("create", "acme-bucket"), step("update", "api", diff=["triggers", "name"])]
        self.assertEqual(self.run_check(steps, "--allow", "api:triggers").returncode, 1)

    def test_a_replacement_is_reported_once_as_replaced(self):
        steps = [step("create", "acme-bucket"), *replacement("cache", ["snapshotName"]),
                 step("update", "api", diff=["name"])]
        result = self.run_check(steps)
        self.assertEqual(result.returncode, 1)
        lines = result.stdout.splitlines()
        replaced = [line for line in lines if "replaced" in line]
        self.assertEqual(len(replaced), 1, result.stdout)
        self.assertTrue(replaced[0].endswith(f": replaced {PREFIX}aws:s3/bucket:Bucket::cache (snapshotName)"))
        self.assertEqual(len([line for line in lines if ": updated " in line]), 1, result.stdout)

    def test_an_allowed_replacement_is_printed_as_replaced(self):
        steps = [step("create", "acme-bucket"), *replacement("api-deployment", ["triggers"])]
        result = self.run_check(steps, "--allow", "api-deployment:triggers")
        self.assertEqual(result.returncode, 0)
        self.assertIn("allowed shared change", result.stdout)
        self.assertIn("replaced api-deployment (triggers)", result.stdout)

    def test_nothing_created_fails(self):
        self.assertEqual(self.run_check([step("same", "vpc")]).returncode, 1)

    def test_removal_expects_deletes(self):
        steps = [step("delete", "acme-bucket")]
        self.assertEqual(self.run_check(steps, "--op", "delete").returncode, 0)
        self.assertEqual(self.run_check(steps).returncode, 1)


if __name__ == "__main__":
    unittest.main()
