#!/usr/bin/env python3
"""Derive tapgen's offline schema data from the official Pulumi Python SDK wheels.

Regenerate the committed data (run from anywhere; paths are relative to the repo root):

    python3 scripts/derive-schema.py

    -> crates/check/schema/pulumi-aws-7.51.1.json, crates/check/schema/pulumi-random-4.21.4.json
       (the subset `tapgen check` embeds), and next to each a .package.json: the same tokens as a
       Pulumi package schema (schema.json format, see scripts/schema_package.py) for pulumi-yaml

Other modes (combinable; exit 1 on any finding, 2 on usage/resolution errors):

    python3 scripts/derive-schema.py --check                  # regenerate in memory, diff vs committed
    python3 scripts/derive-schema.py --types-from DIR [DIR..] # every type/function used by rendered
                                                              # programs (Main.yaml / Main.json) must be
                                                              # covered by the committed JSON
How it works: `pip download --no-deps` fetches the pinned wheels once into target/schema-cache/
(gitignored); the sources are read with zipfile and parsed with `ast` (scripts/schema_sdk.py; never
imported, no Pulumi runtime). Tokens come from scripts/schema-types.txt (full or Pulumi-YAML short
forms, one per line, '#' comments); nested input and output types are followed recursively;
`pulumi:providers:<pkg>` is always included. Stdlib only, except PyYAML for scanning Main.yaml files
(`pip install pyyaml`; Main.json files need nothing).

Subset format: resources {token: {aliases, inputs, required, outputs, requiredOutputs}}, functions
{token: {aliases, inputs, required, outputs, requiredOutputs}}, types {key: {properties, required}}.
Outputs are the resource class's getters (`id`/`urn` are implicit) and the function result's fields;
required = not Optional. A function's required inputs are read from its `<fn>_output` variant (the
generator defaults every argument to None and wraps an optional one in a second Optional there).
An object type's input class (XArgs) and output class (X, or GetXResult for
function types) share one key; where both exist (their properties agree in 7.51.1) the input view is
kept.
Property shape: {"kind": "string"|"integer"|"number"|"bool"|"any"|"list"|"map"|"object"|"enum"|"asset"|
"archive"} with "items" (list/map), "ref" (object -> key of "types"), "values" + "open" + "enum" (enum;
open=true when the SDK annotation is Union[str, Enum], i.e. any plain string is also accepted; "enum"
is the enum's schema token), "oneOf" (on kind "any": the SDK accepts several shapes, e.g. policy =
str | PolicyDocument), "deprecated": true, "secret": true (the SDK marks the value secret),
"replaceOnChanges": true (the input's docstring says, unconditionally, that changing it forces a new
resource; written as `willReplaceOnChanges` in the package schema, which pulumi-yaml turns into the
`replaceOnChanges` option and the recording provider's Diff into a replacement; the docstrings mark
few of the provider's ForceNew inputs, see docs/design.md).
"""
import argparse, json, os, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import schema_package  # noqa: E402
from schema_sdk import PACKAGES, Sdk, Unresolved, canonical, short_aliases  # noqa: E402,F401


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TYPES_FILE = os.path.join(ROOT, "scripts", "schema-types.txt")
OUT_DIR = os.path.join(ROOT, "crates", "check", "schema")
CACHE_DIR = os.path.join(ROOT, "target", "schema-cache")

def read_types_file(path):
    toks = []
    with open(path) as f:
        for line in f:
            toks += line.split("#", 1)[0].split()
    return toks

def generate(tokens, cache):
    """-> ({file name: document}, [unresolved tokens]): per package the subset and the package schema."""
    by_pkg = {pkg: {f"pulumi:providers:{pkg}"} for pkg in PACKAGES}
    bad = []
    for t in tokens:
        pkg = t.split(":")[2] if t.startswith("pulumi:providers:") else t.split(":")[0]
        if pkg in by_pkg:
            by_pkg[pkg].add(canonical(t))
        else:
            bad.append(t)
    docs = {}
    for pkg, toks in sorted(by_pkg.items()):
        sdk = Sdk(pkg, cache)
        doc = {"provider": pkg, "version": sdk.version, "resources": {}, "functions": {}, "types": {},
               "sdk": {"distribution": sdk.dist, "wheel": os.path.basename(sdk.wheel), "sha256": sdk.sha256}}
        for tok in sorted(toks):
            hit = sdk.locate(tok)
            if hit is None:
                bad.append(tok)
            elif hit[0] == "resource":
                doc["resources"][tok] = sdk.resource(tok, hit[1], hit[2])
            else:
                doc["functions"][tok] = sdk.function(tok, hit[1], hit[2])
        sdk.drain()
        # one key space: an output class and its input class (X / XArgs) share a key; the input
        # class's view wins, since inputs are what the checker validates against it
        doc["types"] = {**sdk.output_types, **sdk.types}
        docs[file_name(pkg)] = doc
        docs[file_name(pkg, package=True)] = schema_package.render(sdk, doc)
    return docs, sorted(set(bad))

def dump(doc):
    return json.dumps(doc, indent=2, sort_keys=True) + "\n"

def file_name(pkg, package=False):
    dist, version, _ = PACKAGES[pkg]
    return f"{dist}-{version}{'.package' if package else ''}.json"

def out_path(out_dir, pkg, package=False):
    return os.path.join(out_dir, file_name(pkg, package))

def diff_summary(old, new):
    lines = []
    sections = ("resources", "functions", "types")
    for sect in sections:
        o, n = old.get(sect, {}), new.get(sect, {})
        for k in sorted(set(o) | set(n)):
            if k not in o:
                lines.append(f"  + {sect} {k}")
            elif k not in n:
                lines.append(f"  - {sect} {k}")
            elif o[k] != n[k]:
                lines.append(f"  ~ {sect} {k}")
    for k in sorted(set(old) | set(new)):
        if k not in sections and old.get(k) != new.get(k):
            lines.append(f"  ~ {k}: {old.get(k)!r} -> {new.get(k)!r}")
    return lines

def scan_programs(dirs):
    """-> {token: [files]} for resources.*.type and every fn::invoke function in Main.yaml/Main.json."""
    found = {}

    def walk(node, path):
        if isinstance(node, dict):
            for k, v in node.items():
                if isinstance(k, str) and k.lower() == "fn::invoke" and isinstance(v, dict):
                    fn = v.get("function", v.get("Function"))
                    if isinstance(fn, str):
                        found.setdefault(fn, []).append(path)
                walk(v, path)
        elif isinstance(node, list):
            for v in node:
                walk(v, path)

    for d in dirs:
        for root, _, files in os.walk(d):
            for name in sorted(files):
                if name not in ("Main.yaml", "Main.yml", "Main.json"):
                    continue
                path = os.path.join(root, name)
                with open(path) as f:
                    if name.endswith(".json"):
                        doc = json.load(f)
                    else:
                        try:
                            import yaml
                        except ImportError:
                            sys.exit("derive-schema: PyYAML is needed to scan Main.yaml (pip install pyyaml)")
                        doc = yaml.safe_load(f)
                for res in ((doc or {}).get("resources") or {}).values():
                    if isinstance(res, dict) and isinstance(res.get("type"), str):
                        found.setdefault(res["type"], []).append(path)
                walk(doc, path)
    return found

def uncovered(found, docs):
    """Tokens used by programs that no resource/function (or alias) in docs covers."""
    known = set()
    for doc in docs.values():
        for sect in ("resources", "functions"):
            for tok, entry in doc[sect].items():
                known.add(tok)
                known.update(entry.get("aliases", []))
    return {t: files for t, files in found.items() if t not in known and canonical(t) not in known}

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="regenerate in memory; exit 1 if committed JSON differs")
    ap.add_argument("--types-from", nargs="+", metavar="DIR", help="exit 1 if rendered programs use uncovered types")
    ap.add_argument("--types", default=TYPES_FILE, help="token list (default scripts/schema-types.txt)")
    ap.add_argument("--out", default=OUT_DIR, help="output dir (default crates/check/schema)")
    ap.add_argument("--cache", default=CACHE_DIR, help="wheel cache (default target/schema-cache)")
    opts = ap.parse_args(argv)
    rc = 0
    docs = None
    if opts.check or not opts.types_from:
        try:
            docs, bad = generate(read_types_file(opts.types), opts.cache)
        except (Unresolved, subprocess.CalledProcessError) as e:
            print(f"derive-schema: {e}", file=sys.stderr)
            return 2
        if bad:
            print("derive-schema: tokens not found in the SDKs:\n  " + "\n  ".join(bad), file=sys.stderr)
            return 2
    if docs and not opts.check:
        os.makedirs(opts.out, exist_ok=True)
        for name, doc in docs.items():
            with open(os.path.join(opts.out, name), "w") as f:
                f.write(dump(doc))
            print(f"wrote {os.path.relpath(os.path.join(opts.out, name))}: {len(doc['resources'])} resources, "
                  f"{len(doc['functions'])} functions, {len(doc['types'])} types")
    if opts.check:
        for name, doc in docs.items():
            path = os.path.join(opts.out, name)
            old = json.load(open(path)) if os.path.exists(path) else {}
            if not os.path.exists(path) or open(path).read() != dump(doc):
                rc = 1
                print(f"{os.path.relpath(path)} is stale (rerun scripts/derive-schema.py):")
                print("\n".join(diff_summary(old, doc) or ["  (formatting only)"]))
    if opts.types_from:
        if docs is None:
            subsets = {pkg: json.load(open(out_path(opts.out, pkg))) for pkg in PACKAGES
                       if os.path.exists(out_path(opts.out, pkg))}
        else:
            subsets = {pkg: docs[file_name(pkg)] for pkg in PACKAGES}
        found = scan_programs(opts.types_from)
        missing = uncovered(found, subsets)
        print(f"scanned programs: {len(found)} distinct type/function tokens, {len(missing)} not covered")
        for tok, files in sorted(missing.items()):
            print(f"  {tok}  (used in {len(files)} place(s), e.g. {files[0]})")
        if missing:
            print("add them to scripts/schema-types.txt and rerun scripts/derive-schema.py "
                  "(a token the SDK lacks will then be reported as not found)")
            rc = 1
    return rc

if __name__ == "__main__":
    sys.exit(main())
