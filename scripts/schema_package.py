"""Turns the model schema_sdk.Sdk derives into a Pulumi package schema (the schema.json format of
pkg/codegen/schema/pulumi.json that pulumi-yaml binds): resources with inputProperties, requiredInputs,
properties (outputs) and required; the provider and its config variables; functions with inputs and
outputs; object types and enums, all under their schema tokens.

What the SDK does not carry is left out rather than guessed: descriptions, per-language settings,
defaults. Object type tokens are rebuilt from the SDK class names the way the Python generator names
them (`aws:ec2/LaunchTemplateMetadataOptions:LaunchTemplateMetadataOptions`, function result types
`aws:ec2/getAmiFilter:getAmiFilter`); enums carry the token their SDK class declares.
"""
from schema_sdk import lower_first

# pulumi-aws and pulumi-random both declare it: the module is the part of `mod/member` before the slash
MODULE_FORMAT = "(.*)(?:/[^/]*)"
PRIMITIVES = {"string": "string", "integer": "integer", "number": "number", "bool": "boolean"}


def type_token(key):
    """`aws:ec2/LaunchTemplateMetadataOptions` -> `aws:ec2/LaunchTemplateMetadataOptions:LaunchTemplateMetadataOptions`."""
    pkg_mod, _, name = key.rpartition("/")
    if name.startswith("Get"):  # types of function arguments and results are named after the function
        name = lower_first(name)
    return f"{pkg_mod}/{name}:{name}"


def type_spec(kind):
    k = kind["kind"]
    if k in PRIMITIVES:
        return {"type": PRIMITIVES[k]}
    if k == "any":
        if "oneOf" in kind:
            return {"oneOf": [type_spec(alt) for alt in kind["oneOf"]]}
        return {"$ref": "pulumi.json#/Any"}
    if k == "list":
        return {"type": "array", "items": type_spec(kind["items"])}
    if k == "map":
        return {"type": "object", "additionalProperties": type_spec(kind["items"])}
    if k == "object":
        return {"$ref": f"#/types/{type_token(kind['ref'])}"}
    if k == "enum":
        enum = {"type": "string", "$ref": f"#/types/{kind['enum']}"}
        # Union[str, Enum] in the SDK: the schema's string-or-enum union
        return {"type": "string", "oneOf": [{"type": "string"}, enum]} if kind["open"] else enum
    if k == "asset":
        return {"$ref": "pulumi.json#/Asset"}  # the schema's AssetOrArchive
    if k == "archive":
        return {"$ref": "pulumi.json#/Archive"}
    raise ValueError(f"unknown kind {k}")


def property_spec(kind):
    spec = type_spec(kind)
    if kind.get("deprecated"):
        spec["deprecationMessage"] = "deprecated in the provider SDK"
    if kind.get("secret"):
        spec["secret"] = True
    if kind.get("replaceOnChanges"):
        spec["willReplaceOnChanges"] = True
    return spec


def properties(props):
    return {name: property_spec(kind) for name, kind in props.items()}


def object_type(props, required):
    return {"type": "object", "properties": properties(props), "required": required}


def resource_spec(entry):
    spec = {"inputProperties": properties(entry["inputs"]), "requiredInputs": entry["required"],
            "properties": properties(entry["outputs"]), "required": entry["requiredOutputs"]}
    if entry.get("schemaAliases"):
        spec["aliases"] = [{"type": t} for t in entry["schemaAliases"]]
    return spec


def merged_type(inputs, outputs):
    """One schema type serves as input and output: the union of both classes' properties (the input
    class wins where both declare one), required as the input class says when there is one."""
    props = dict((outputs or {}).get("properties", {}))
    props.update((inputs or {}).get("properties", {}))
    required = (inputs or outputs)["required"]
    return object_type(props, required)


def render(sdk, doc):
    """-> the package schema for one SDK (`doc` is its derived model, as committed in the subset)."""
    provider_tok = f"pulumi:providers:{sdk.pkg}"
    provider = doc["resources"][provider_tok]
    config = {name: property_spec(provider["inputs"].get(name, kind)) for name, kind in sdk.config().items()}
    types = {}
    for key in sorted(set(sdk.types) | set(sdk.output_types)):
        types[type_token(key)] = merged_type(sdk.types.get(key), sdk.output_types.get(key))
    for token, members in sorted(sdk.enums.items()):
        types[token] = {"type": "string", "enum": [{"name": name, "value": value}
                                                   for name, value in sorted(members.items())]}
    return {
        "name": sdk.pkg,
        "version": sdk.version,
        "meta": {"moduleFormat": MODULE_FORMAT},
        "config": {"variables": config},
        "provider": resource_spec(provider),
        "resources": {tok: resource_spec(e) for tok, e in doc["resources"].items() if tok != provider_tok},
        "functions": {tok: {"inputs": object_type(e["inputs"], e["required"]),
                            "outputs": object_type(e["outputs"], e["requiredOutputs"])}
                      for tok, e in doc["functions"].items()},
        "types": types,
    }
