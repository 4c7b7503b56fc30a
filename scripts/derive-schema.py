#!/usr/bin/env python3
"""Derive tapgen's offline input-schema subset from the official Pulumi Python SDK wheels.

Regenerate the committed data (run from anywhere; paths are relative to the repo root):

    python3 scripts/derive-schema.py

    -> crates/check/schema/pulumi-aws-7.51.1.json, crates/check/schema/pulumi-random-4.21.4.json

Other modes (combinable; exit 1 on any finding, 2 on usage/resolution errors):

    python3 scripts/derive-schema.py --check                  # regenerate in memory, diff vs committed
    python3 scripts/derive-schema.py --types-from DIR [DIR..] # every type/function used by rendered
                                                              # programs (Main.yaml / Main.json) must be
                                                              # covered by the committed JSON
How it works: `pip download --no-deps` fetches the pinned wheels once into target/schema-cache/
(gitignored); the sources are read with zipfile and parsed with `ast` (never imported, no Pulumi
runtime). Tokens come from scripts/schema-types.txt (full or Pulumi-YAML short forms, one per line,
'#' comments); nested input types are followed recursively; `pulumi:providers:<pkg>` is always
included. Stdlib only, except PyYAML for scanning Main.yaml files (`pip install pyyaml`; Main.json
files need nothing).

Property shape: {"kind": "string"|"number"|"bool"|"any"|"list"|"map"|"object"|"enum"|"asset"|"archive"}
with "items" (list/map), "ref" (object -> key of "types"), "values" + "open" (enum; open=true when the
SDK annotation is Union[str, Enum], i.e. any plain string is also accepted), "oneOf" (on kind "any":
the SDK accepts several shapes, e.g. policy = str | PolicyDocument), "deprecated": true.
"""
import argparse, ast, functools, glob, hashlib, json, os, re, subprocess, sys, zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TYPES_FILE = os.path.join(ROOT, "scripts", "schema-types.txt")
OUT_DIR = os.path.join(ROOT, "crates", "check", "schema")
CACHE_DIR = os.path.join(ROOT, "target", "schema-cache")
# pulumi package name -> (PyPI distribution, pinned version, python package)
PACKAGES = {"aws": ("pulumi-aws", "7.51.1", "pulumi_aws"),
            "random": ("pulumi-random", "4.21.4", "pulumi_random")}
SCALARS = {"str": "string", "int": "number", "float": "number", "bool": "bool", "Any": "any"}

class Unresolved(Exception):
    pass

def lower_first(s):
    return s[:1].lower() + s[1:]

def snake(s):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", s).lower()

def canonical(tok):
    """Pulumi YAML token expansion: pkg:Name -> pkg:index:Name -> pkg:mod/name:Name."""
    parts = tok.split(":")
    if parts[0] == "pulumi":
        return tok
    if len(parts) == 2:
        parts = [parts[0], "index", parts[1]]
    if len(parts) == 3 and "/" not in parts[1]:
        return f"{parts[0]}:{parts[1]}/{lower_first(parts[2])}:{parts[2]}"
    return tok

def short_aliases(tok):
    pkg, modpath, name = tok.split(":")
    mod, _, member = modpath.partition("/")
    if member != lower_first(name):
        return []
    return [f"{pkg}:{name}", f"{pkg}:index:{name}"] if mod == "index" else [f"{pkg}:{mod}:{name}"]

def dotted(n):
    if isinstance(n, ast.Name):
        return n.id
    if isinstance(n, ast.Attribute):
        return f"{dotted(n.value)}.{n.attr}"
    return None

def fetch_wheel(dist, version, cache):
    pat = os.path.join(cache, f"{dist.replace('-', '_')}-{version}-*.whl")
    if not glob.glob(pat):
        os.makedirs(cache, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "--only-binary=:all:", f"{dist}=={version}", "-d", cache], check=True)
    return sorted(glob.glob(pat))[0]

class Sdk:
    """One provider SDK wheel, read lazily with zipfile + ast."""

    def __init__(self, pkg, cache):
        self.pkg, (self.dist, self.version, self.pyroot) = pkg, PACKAGES[pkg]
        self.wheel = fetch_wheel(self.dist, self.version, cache)
        with open(self.wheel, "rb") as f:
            self.sha256 = hashlib.sha256(f.read()).hexdigest()
        self.zip = zipfile.ZipFile(self.wheel)
        self.files = {n for n in self.zip.namelist() if n.endswith(".py")}
        self.types, self.queue = {}, []

    @functools.lru_cache(maxsize=None)
    def src(self, path):
        return self.zip.read(path).decode("utf-8")

    @functools.lru_cache(maxsize=None)
    def tree(self, path):
        return ast.parse(self.src(path), path)

    def moddir(self, mod):
        if mod == "index":
            return self.pyroot
        for d in (f"{self.pyroot}/{mod}", f"{self.pyroot}/{mod}_"):
            if f"{d}/__init__.py" in self.files:
                return d
        return None

    def pulumi_mod(self, d):
        return "index" if d == self.pyroot else d.rsplit("/", 1)[1].rstrip("_")

    # ---- locating resources and functions ------------------------------------------------
    def locate(self, tok):
        """-> ("resource", path, ClassName) | ("function", path, FunctionDef) | None"""
        if tok == f"pulumi:providers:{self.pkg}":
            return ("resource", f"{self.pyroot}/provider.py", "Provider")
        parts = tok.split(":")
        if len(parts) != 3 or parts[0] != self.pkg or "/" not in parts[1]:
            return None
        d = self.moddir(parts[1].split("/")[0])
        if d is None:
            return None
        first = f"{d}/{snake(parts[2])}.py"
        rest = sorted(f for f in self.files if f.rsplit("/", 1)[0] == d and f != first)
        for path in [first] + rest:
            if path not in self.files or f"'{tok}'" not in self.src(path):
                continue
            for top in self.tree(path).body:
                for node in ast.walk(top):
                    if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
                            and node.args[0].value == tok and isinstance(node.func, ast.Attribute)):
                        continue
                    f = node.func
                    if (f.attr == "__init__" and isinstance(f.value, ast.Call) and dotted(f.value.func) == "super"
                            and isinstance(top, ast.ClassDef)):
                        return ("resource", path, top.name)
                    if dotted(f) == "pulumi.runtime.invoke" and isinstance(top, ast.FunctionDef):
                        return ("function", path, top)
        return None

    def resource(self, tok, path, cls):
        klass = self.find_class(path, cls)
        # the args class is `__props__ = XArgs.__new__(XArgs)`; usually <Cls>Args, but <Cls>InitArgs
        # when a nested type already took that name (s3 BucketLogging vs Bucket's `logging` block)
        news = {dotted(n.func.value) for n in ast.walk(klass)
                if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "__new__"
                and not dotted(n.func.value).startswith("_")}
        if len(news) != 1:
            raise Unresolved(f"{path}:{cls}: cannot find its args class ({news})")
        inputs, required = self.props(self.find_class(path, news.pop()), path)
        state = set()
        for node in ast.walk(klass):
            if isinstance(node, ast.Call) and dotted(node.func) == "pulumi.Alias":
                state.update(k.value.value for k in node.keywords
                             if k.arg == "type_" and isinstance(k.value, ast.Constant))
        out = {"aliases": [] if tok.startswith("pulumi:") else sorted(short_aliases(tok)),
               "inputs": inputs, "required": required}
        if state:
            out["schemaAliases"] = sorted(state)
        return out

    def function(self, tok, path, fn):
        wire = {}
        for node in ast.walk(fn):  # __args__['wireName'] = python_name
            if (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Subscript)
                    and dotted(node.targets[0].value) == "__args__" and isinstance(node.value, ast.Name)):
                wire[node.value.id] = node.targets[0].slice.value
        a = fn.args
        defaults = [None] * (len(a.args) - len(a.defaults)) + list(a.defaults)
        inputs, required = {}, []
        for arg, default in zip(a.args, defaults):
            if arg.arg == "opts":
                continue
            name = wire[arg.arg]
            inputs[name] = self.kind(arg.annotation, path)
            if default is None:
                required.append(name)
        return {"aliases": sorted(short_aliases(tok)), "inputs": inputs, "required": sorted(required)}

    # ---- classes, properties, annotations ----------------------------------------------------
    def find_class(self, path, name):
        for node in self.tree(path).body:
            if isinstance(node, ast.ClassDef) and node.name == name:
                return node
        raise Unresolved(f"class {name} not found in {path}")

    def props(self, cls, path):
        init = next(n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "__init__")
        wire, deprecated = {}, set()
        for n in cls.body:
            if not isinstance(n, ast.FunctionDef):
                continue
            for dec in n.decorator_list:
                target = dec.func if isinstance(dec, ast.Call) else dec
                if dotted(target) == "pulumi.getter":
                    kw = [k.value.value for k in getattr(dec, "keywords", []) if k.arg == "name"]
                    wire[n.name] = kw[0] if kw else n.name
                elif dotted(target) == "_utilities.deprecated":
                    deprecated.add(n.name)
        props, required = {}, []
        for arg, default in zip(init.args.kwonlyargs, init.args.kw_defaults):
            if arg.arg not in wire:
                raise Unresolved(f"{path}:{cls.name}.{arg.arg} has no @pulumi.getter")
            name = wire[arg.arg]
            props[name] = self.kind(arg.annotation, path)
            if arg.arg in deprecated:
                props[name]["deprecated"] = True
            if default is None:
                required.append(name)
        return props, sorted(required)

    @functools.lru_cache(maxsize=None)
    def imports(self, path):
        """alias -> package dir for `from .. import iam as _iam` style imports."""
        out, base = {}, path.rsplit("/", 1)[0].split("/")
        for n in self.tree(path).body:
            if isinstance(n, ast.ImportFrom) and n.level:
                pkg = base[:len(base) - n.level + 1] + (n.module.split(".") if n.module else [])
                for a in n.names:
                    d = "/".join(pkg + [a.name])
                    if f"{d}/__init__.py" in self.files:
                        out[a.asname or a.name] = d
        return out

    @functools.lru_cache(maxsize=None)
    def defs(self, d):
        """name -> ("class", ClassDef, path) | ("enum", values) for d/_inputs.py and d/_enums.py."""
        out = {}
        for path in (f"{d}/_inputs.py", f"{d}/_enums.py"):
            for n in self.tree(path).body if path in self.files else []:
                bases = {dotted(b) for b in getattr(n, "bases", [])}
                if isinstance(n, ast.ClassDef) and "Enum" in bases:
                    out[n.name] = ("enum", sorted({s.value.value for s in n.body
                                                  if isinstance(s, ast.Assign) and isinstance(s.value, ast.Constant)}))
                elif isinstance(n, ast.ClassDef) and "TypedDict" not in bases:
                    out[n.name] = ("class", n, path)
        return out

    def named(self, ref, path):
        alias, _, name = ref.rpartition(".")
        d = self.imports(path).get(alias) if alias else path.rsplit("/", 1)[0]
        hit = self.defs(d).get(name) if d else None
        if hit is None:
            raise Unresolved(f"type {ref!r} referenced from {path}")
        if hit[0] == "enum":
            return {"kind": "enum", "values": hit[1], "open": False}
        key = f"{self.pkg}:{self.pulumi_mod(d)}/{re.sub(r'Args$', '', name)}"
        if key not in self.types:
            self.types[key] = None
            self.queue.append((key, hit[1], hit[2]))
        return {"kind": "object", "ref": key}

    def kind(self, n, path):
        if isinstance(n, ast.Constant) and isinstance(n.value, str):
            if "[" in n.value:
                return self.kind(ast.parse(n.value, mode="eval").body, path)
            return self.named(n.value, path)
        if isinstance(n, ast.Subscript):
            base = dotted(n.value)
            args = n.slice.elts if isinstance(n.slice, ast.Tuple) else [n.slice]
            if base in ("pulumi.Input", "Optional"):
                return self.kind(args[0], path)
            if base in ("Sequence", "List"):
                return {"kind": "list", "items": self.kind(args[0], path)}
            if base in ("Mapping", "Dict"):
                return {"kind": "map", "items": self.kind(args[1], path)}
            if base == "Union":
                return self.union(args, path)
        name = dotted(n) or ""
        if name.split(".")[-1] in SCALARS:
            return {"kind": SCALARS[name.split(".")[-1]]}
        if name in ("pulumi.Asset", "pulumi.Archive"):
            return {"kind": name.split(".")[1].lower()}
        raise Unresolved(f"annotation {ast.unparse(n)!r} in {path}")

    def union(self, args, path):
        # resource __init__/invoke signatures repeat each input type as Args | ArgsDict | outputs.X
        args = [a for a in args if not (isinstance(a, ast.Constant) and isinstance(a.value, str)
                                        and (a.value.endswith("ArgsDict") or a.value.startswith("outputs.")))]
        kinds = []
        for a in args:
            k = self.kind(a, path)
            kinds += k["oneOf"] if "oneOf" in k else [k]
        uniq = []
        for k in kinds:
            if k not in uniq:
                uniq.append(k)
        names = [k["kind"] for k in uniq]
        if len(uniq) == 1:
            return uniq[0]
        if sorted(names) == ["enum", "string"]:
            return dict(uniq[names.index("enum")], open=True)
        if sorted(names) == ["archive", "asset"]:
            return {"kind": "asset"}  # pulumi.Asset | pulumi.Archive == the schema's AssetOrArchive
        return {"kind": "any", "oneOf": uniq}

    def drain(self):
        while self.queue:
            key, cls, path = self.queue.pop()
            props, required = self.props(cls, path)
            self.types[key] = {"properties": props, "required": required}

def read_types_file(path):
    toks = []
    with open(path) as f:
        for line in f:
            toks += line.split("#", 1)[0].split()
    return toks

def generate(tokens, cache):
    """-> ({pkg: document}, [unresolved tokens])"""
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
        doc["types"] = sdk.types
        docs[pkg] = doc
    return docs, sorted(set(bad))

def dump(doc):
    return json.dumps(doc, indent=2, sort_keys=True) + "\n"

def out_path(out_dir, pkg):
    return os.path.join(out_dir, f"{PACKAGES[pkg][0]}-{PACKAGES[pkg][1]}.json")

def diff_summary(old, new):
    lines = []
    for sect in ("resources", "functions", "types"):
        o, n = old.get(sect, {}), new.get(sect, {})
        for k in sorted(set(o) | set(n)):
            if k not in o:
                lines.append(f"  + {sect} {k}")
            elif k not in n:
                lines.append(f"  - {sect} {k}")
            elif o[k] != n[k]:
                lines.append(f"  ~ {sect} {k}")
    for k in sorted(set(old) | set(new)):
        if k not in ("resources", "functions", "types") and old.get(k) != new.get(k):
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
        for pkg, doc in docs.items():
            with open(out_path(opts.out, pkg), "w") as f:
                f.write(dump(doc))
            print(f"wrote {os.path.relpath(out_path(opts.out, pkg))}: {len(doc['resources'])} resources, "
                  f"{len(doc['functions'])} functions, {len(doc['types'])} types")
    if opts.check:
        for pkg, doc in docs.items():
            path = out_path(opts.out, pkg)
            old = json.load(open(path)) if os.path.exists(path) else {}
            if not os.path.exists(path) or open(path).read() != dump(doc):
                rc = 1
                print(f"{os.path.relpath(path)} is stale (rerun scripts/derive-schema.py):")
                print("\n".join(diff_summary(old, doc) or ["  (formatting only)"]))
    if opts.types_from:
        if docs is None:
            docs = {pkg: json.load(open(out_path(opts.out, pkg))) for pkg in PACKAGES
                    if os.path.exists(out_path(opts.out, pkg))}
        found = scan_programs(opts.types_from)
        missing = uncovered(found, docs)
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
