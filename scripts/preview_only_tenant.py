#!/usr/bin/env python3
"""Checks that previews (`pulumi preview --json`, one file per stack) touch only one tenant.

Every step must be `same` or `read` (a stack reference is read on every run; a read changes
nothing), or OP (`create` when onboarding, `delete` when removing) of one of
TENANT's resources (logical name `<tenant>-...`), and at least one such step must be there.
A replacement (the provider's diff says a changed input forces a new resource: the steps
`replace`, `create-replacement`, `delete-replaced`) is reported once per resource as
"replaced", with the inputs that force it, apart from an "updated" resource. An update or
replacement the caller declares with `--allow NAME:PROPERTY` (the logical name and the only
property that may change) is accepted and printed, so a known shared change stays visible
rather than hidden. Exit 1 lists every other step: file, what happens, URN and the changed
properties.
"""
import argparse
import json
import sys


def logical_name(urn):
    return urn.rsplit("::", 1)[-1]


# the steps of one replacement: the engine reports the replacement itself and its two halves
REPLACEMENT = {"replace", "create-replacement", "delete-replaced", "discard-replaced"}


def changed_properties(step):
    return sorted(step.get("detailedDiff") or {}) or sorted(step.get("diffReasons") or [])


def what_happens(step):
    """-> (what, properties): ("replaced", the inputs forcing it), ("updated", the changed
    inputs), or the step's own op for anything else."""
    kind = step.get("op")
    if kind in REPLACEMENT:
        return "replaced", sorted(step.get("replaceReasons") or []) or changed_properties(step)
    if kind == "update":
        return "updated", changed_properties(step)
    return kind, changed_properties(step)


def check(path, tenant, op, allowed, touched, problems):
    with open(path) as f:
        preview = json.load(f)
    for d in preview.get("diagnostics", []):
        if d.get("severity") == "error":
            problems.append(f"  {path}: error: {d.get('message', '').strip()}")
    replaced = set()
    for step in preview.get("steps", []):
        kind, urn = step.get("op"), step.get("urn", "")
        name = logical_name(urn)
        if kind in ("same", "read"):
            continue
        if kind == op and name.startswith(tenant + "-"):
            touched.append(name)
            continue
        what, props = what_happens(step)
        if what == "replaced":
            if urn in replaced:
                continue
            replaced.add(urn)
        if what in ("updated", "replaced") and props and set(props) <= allowed.get(name, set()):
            print(f"  allowed shared change in {path}: {what} {name} ({', '.join(props)})")
            continue
        problems.append(f"  {path}: {what} {urn} ({', '.join(props) or 'no property diff'})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tenant", help="id of the tenant added or removed")
    parser.add_argument("previews", nargs="+", help="files holding `pulumi preview --json`")
    parser.add_argument("--op", choices=["create", "delete"], default="create")
    parser.add_argument("--allow", action="append", default=[], metavar="NAME:PROPERTY")
    args = parser.parse_args()
    allowed = {}
    for entry in args.allow:
        name, _, prop = entry.partition(":")
        allowed.setdefault(name, set()).add(prop)

    touched, problems = [], []
    for path in args.previews:
        check(path, args.tenant, args.op, allowed, touched, problems)
    if not touched:
        problems.append(f"  no resource of {args.tenant} is {args.op}d")
    if problems:
        print(f"{args.op} of {args.tenant} does more than {args.op} its resources:")
        print("\n".join(problems))
        return 1
    print(f"  {len(touched)} {args.op}s, all {args.tenant}'s; nothing else changes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
