"""Reads one pinned Pulumi provider SDK wheel with zipfile + ast (never imported, no Pulumi runtime).

The model it produces is the one committed as crates/check/schema/<dist>-<version>.json (see the
derive-schema.py docstring for the property shape) and the one schema_package.py turns into a Pulumi
package schema: resources with inputs/outputs, functions with inputs/outputs, and every object type
and enum they reach, by following the SDK's annotations.
"""
import ast, functools, glob, hashlib, os, re, subprocess, sys, zipfile

# pulumi package name -> (PyPI distribution, pinned version, python package)
PACKAGES = {"aws": ("pulumi-aws", "7.51.1", "pulumi_aws"),
            "random": ("pulumi-random", "4.21.4", "pulumi_random")}
SCALARS = {"str": "string", "int": "integer", "float": "number", "bool": "bool", "Any": "any"}


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


def optional(n):
    """True if an annotation (inside pulumi.Output/Input) is Optional[...]."""
    while isinstance(n, ast.Subscript) and dotted(n.value) in ("pulumi.Output", "pulumi.Input"):
        n = n.slice
    if isinstance(n, ast.Constant) and isinstance(n.value, str) and "[" in n.value:
        return optional(ast.parse(n.value, mode="eval").body)
    return isinstance(n, ast.Subscript) and dotted(n.value) == "Optional"


def required_in_output_variant(n):
    """True if an argument of a function's `<fn>_output` variant is required. The generator
    gives every argument a default of None, so both variants annotate a required one
    `Optional[T]` too; only the output variant adds a second `Optional[...]` for optional ones:
    `pulumi.Input[Optional[str]]` (required) against `pulumi.Input[Optional[Optional[str]]]`."""
    if not (isinstance(n, ast.Subscript) and dotted(n.value) == "pulumi.Input"):
        return False
    inner = n.slice
    return optional(inner) and not optional(inner.slice)


# The provider docs' wording for a ForceNew input, carried into the SDK's docstrings (only where
# the upstream docs say so: most ForceNew inputs are not marked; see docs/design.md)
FORCES_NEW = re.compile(r"forces? (?:a )?new resource|will force a new resource|forces replacement", re.I)
# "If `vpc_endpoint_type` is anything other than `Interface`, changing this value forces ...":
# a schema flag cannot carry the condition, and an update is the safer guess
CONDITIONAL = re.compile(r"^(?:if|when|unless)\b", re.I)


def forces_replacement(doc):
    """True if a docstring says, without a condition, that changing the input replaces the resource."""
    sentences = re.split(r"(?<=\.)\s+", " ".join((doc or "").split()))
    return any(FORCES_NEW.search(s) and not CONDITIONAL.match(s) for s in sentences)


def output_key(pkg, mod, cls):
    """The type key of an output class: function results are GetXResult for the schema type GetX."""
    name = cls[:-len("Result")] if cls.startswith("Get") and cls.endswith("Result") else cls
    return f"{pkg}:{mod}/{name}"


def fetch_wheel(dist, version, cache):
    pat = os.path.join(cache, f"{dist.replace('-', '_')}-{version}-*.whl")
    if not glob.glob(pat):
        os.makedirs(cache, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "--only-binary=:all:", f"{dist}=={version}", "-d", cache], check=True)
    return sorted(glob.glob(pat))[0]


class Sdk:
    """One provider SDK wheel, read lazily. `types` holds each object type as its input class
    declares it; `output_types` as its output class does (function results only have the latter);
    `enums` every enum reached, by its schema token."""

    def __init__(self, pkg, cache):
        self.pkg, (self.dist, self.version, self.pyroot) = pkg, PACKAGES[pkg]
        self.wheel = fetch_wheel(self.dist, self.version, cache)
        with open(self.wheel, "rb") as f:
            self.sha256 = hashlib.sha256(f.read()).hexdigest()
        self.zip = zipfile.ZipFile(self.wheel)
        self.files = {n for n in self.zip.namelist() if n.endswith(".py")}
        self.types, self.output_types, self.enums, self.queue = {}, {}, {}, []

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
        args = self.find_class(path, news.pop())
        inputs, required = self.props(args, path)
        outputs, required_outputs = self.getters(klass, path)
        # secrets: inputs the SDK wraps in pulumi.Output.secret(...), outputs it lists as additional_secret_outputs
        wire = self.wire_names(args)
        for n in ast.walk(klass):
            if isinstance(n, ast.Call) and dotted(n.func) == "pulumi.Output.secret" and isinstance(n.args[0], ast.Name):
                inputs[wire[n.args[0].id]]["secret"] = True
            if isinstance(n, ast.keyword) and n.arg == "additional_secret_outputs":
                for name in n.value.elts:
                    outputs[name.value]["secret"] = True
        state = set()
        for node in ast.walk(klass):
            if isinstance(node, ast.Call) and dotted(node.func) == "pulumi.Alias":
                state.update(k.value.value for k in node.keywords
                             if k.arg == "type_" and isinstance(k.value, ast.Constant))
        out = {"aliases": [] if tok.startswith("pulumi:") else sorted(short_aliases(tok)),
               "inputs": inputs, "required": required, "outputs": outputs, "requiredOutputs": required_outputs}
        if state:
            out["schemaAliases"] = sorted(state)
        return out

    def function(self, tok, path, fn):
        wire = {}
        for node in ast.walk(fn):  # __args__['wireName'] = python_name
            if (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Subscript)
                    and dotted(node.targets[0].value) == "__args__" and isinstance(node.value, ast.Name)):
                wire[node.value.id] = node.targets[0].slice.value
        inputs = {wire[arg.arg]: self.kind(arg.annotation, path) for arg in fn.args.args if arg.arg != "opts"}
        # every argument has a default; the `<fn>_output` variant's annotations tell which are required
        variant = next((n for n in self.tree(path).body
                        if isinstance(n, ast.FunctionDef) and n.name == f"{fn.name}_output"), None)
        if variant is None:
            raise Unresolved(f"{path}: {fn.name} has no {fn.name}_output variant")
        required = [wire[arg.arg] for arg in variant.args.args
                    if arg.arg != "opts" and required_in_output_variant(arg.annotation)]
        # `def get_x(...) -> AwaitableGetXResult`, a subclass of the result class GetXResult
        result = dotted(fn.returns).removeprefix("Awaitable")
        outputs, required_outputs = self.getters(self.find_class(path, result), path)
        return {"aliases": sorted(short_aliases(tok)), "inputs": inputs, "required": sorted(required),
                "outputs": outputs, "requiredOutputs": required_outputs}

    # ---- classes, properties, annotations ----------------------------------------------------
    def find_class(self, path, name):
        for node in self.tree(path).body:
            if isinstance(node, ast.ClassDef) and node.name == name:
                return node
        raise Unresolved(f"class {name} not found in {path}")

    @staticmethod
    def getter_methods(cls):
        """-> [(FunctionDef, wire name, deprecated)] for each @pulumi.getter of a class."""
        out = []
        for n in cls.body:
            if not isinstance(n, ast.FunctionDef):
                continue
            wire, deprecated = None, False
            for dec in n.decorator_list:
                target = dec.func if isinstance(dec, ast.Call) else dec
                if dotted(target) == "pulumi.getter":
                    kw = [k.value.value for k in getattr(dec, "keywords", []) if k.arg == "name"]
                    wire = kw[0] if kw else n.name
                elif dotted(target) == "_utilities.deprecated":
                    deprecated = True
            if wire is not None:
                out.append((n, wire, deprecated))
        return out

    def wire_names(self, cls):
        return {n.name: wire for n, wire, _ in self.getter_methods(cls)}

    def props(self, cls, path):
        """Inputs of an args class: its keyword-only __init__ arguments (no default = required);
        `replaceOnChanges` where the getter's docstring says a change forces a new resource."""
        init = next(n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "__init__")
        wire = self.wire_names(cls)
        getters = self.getter_methods(cls)
        deprecated = {n.name for n, _, dep in getters if dep}
        replaces = {n.name for n, _, _ in getters if forces_replacement(ast.get_docstring(n))}
        props, required = {}, []
        for arg, default in zip(init.args.kwonlyargs, init.args.kw_defaults):
            if arg.arg not in wire:
                raise Unresolved(f"{path}:{cls.name}.{arg.arg} has no @pulumi.getter")
            name = wire[arg.arg]
            props[name] = self.kind(arg.annotation, path)
            if arg.arg in deprecated:
                props[name]["deprecated"] = True
            if arg.arg in replaces:
                props[name]["replaceOnChanges"] = True
            if default is None:
                required.append(name)
        return props, sorted(required)

    def getters(self, cls, path):
        """Outputs of a resource, result or output class: its getters' return annotations
        (not Optional = always present)."""
        props, required = {}, []
        for n, wire, deprecated in self.getter_methods(cls):
            props[wire] = self.kind(n.returns, path)
            if deprecated:
                props[wire]["deprecated"] = True
            if not optional(n.returns):
                required.append(wire)
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
    def defs(self, d, files=("_inputs.py", "_enums.py")):
        """name -> ("class", ClassDef, path) | ("enum", token, {member: value}) in the given files of d."""
        out = {}
        for path in (f"{d}/{f}" for f in files):
            for n in self.tree(path).body if path in self.files else []:
                bases = {dotted(b) for b in getattr(n, "bases", [])}
                if isinstance(n, ast.ClassDef) and "Enum" in bases:
                    token = next(dec.args[0].value for dec in n.decorator_list
                                 if isinstance(dec, ast.Call) and dotted(dec.func) == "pulumi.type_token")
                    out[n.name] = ("enum", token, {t.id: s.value.value for s in n.body if isinstance(s, ast.Assign)
                                                   and isinstance(s.value, ast.Constant) for t in s.targets})
                elif isinstance(n, ast.ClassDef) and "TypedDict" not in bases:
                    out[n.name] = ("class", n, path)
        return out

    def named(self, ref, path):
        alias, _, name = ref.rpartition(".")
        side = "output" if alias == "outputs" or alias.endswith(".outputs") else "input"
        if side == "output":  # 'outputs.X' (own module) or '_iam.outputs.X'
            alias = alias.removesuffix("outputs").rstrip(".")
        d = self.imports(path).get(alias) if alias else path.rsplit("/", 1)[0]
        files = ("outputs.py", "_enums.py") if side == "output" else ("_inputs.py", "_enums.py")
        hit = self.defs(d, files).get(name) if d else None
        if hit is None:
            raise Unresolved(f"type {ref!r} referenced from {path}")
        if hit[0] == "enum":
            self.enums[hit[1]] = hit[2]
            return {"kind": "enum", "values": sorted(set(hit[2].values())), "open": False, "enum": hit[1]}
        mod = self.pulumi_mod(d)
        key = output_key(self.pkg, mod, name) if side == "output" else f"{self.pkg}:{mod}/{re.sub(r'Args$', '', name)}"
        table = self.output_types if side == "output" else self.types
        if key not in table:
            table[key] = None
            self.queue.append((side, key, hit[1], hit[2]))
        return {"kind": "object", "ref": key}

    def kind(self, n, path):
        if isinstance(n, ast.Constant) and isinstance(n.value, str):
            if "[" in n.value:
                return self.kind(ast.parse(n.value, mode="eval").body, path)
            return self.named(n.value, path)
        if isinstance(n, ast.Subscript):
            base = dotted(n.value)
            args = n.slice.elts if isinstance(n.slice, ast.Tuple) else [n.slice]
            if base in ("pulumi.Input", "pulumi.Output", "Optional"):
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
            side, key, cls, path = self.queue.pop()
            if side == "input":
                props, required = self.props(cls, path)
                self.types[key] = {"properties": props, "required": required}
            else:
                props, required = self.getters(cls, path)
                self.output_types[key] = {"properties": props, "required": required}

    def config(self):
        """Config keys (`aws:region`...) from config/vars.py: name -> the Python annotation's kind."""
        path = f"{self.pyroot}/config/vars.py"
        out = {}
        for n in ast.walk(self.tree(path)) if path in self.files else []:
            if isinstance(n, ast.FunctionDef) and n.returns is not None:
                for call in ast.walk(n):
                    if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                            and dotted(call.func.value) == "__config__" and call.args):
                        out[call.args[0].value] = self.kind(n.returns, path)
                        break
        return out
