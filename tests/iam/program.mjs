// Loads a rendered Pulumi YAML program (Main.yaml + Pulumi.yaml) and resolves the parts of it
// that IAM evaluation needs (policy documents, names, tags) to synthetic but realistic values:
// account 111122223333, partition aws, region from the aws provider resource.
//
// Only what a policy can reference is modelled. A reference to an attribute that is not modelled
// throws with the reference text, so a new builder that emits something new gets noticed instead of
// being silently mis-modelled.

// The synthetic account and ids are in synthetic.mjs, the per-type output models in
// resource-models.mjs and the data-source emulation in invokes.mjs.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { INVOKES } from './invokes.mjs';
import { TYPES } from './resource-models.mjs';
import { DEFAULT_REGION, sha, STACK } from './synthetic.mjs';

export { ACCOUNT, DEFAULT_REGION, PARTITION, STACK, uuidFor } from './synthetic.mjs';

/** Every folder directly under `examplesDir` that holds a Main.yaml, sorted by name. */
export function discoverExamples(examplesDir) {
  return readdirSync(examplesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(examplesDir, d.name, 'Main.yaml')))
    .map((d) => ({ name: d.name, dir: join(examplesDir, d.name) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Parses Main.yaml (and Pulumi.yaml when present) of one rendered example. */
export function loadProgram(dir, name = dir) {
  const projectFile = join(dir, 'Pulumi.yaml');
  return parseProgram(
    name,
    readFileSync(join(dir, 'Main.yaml'), 'utf8'),
    existsSync(projectFile) ? readFileSync(projectFile, 'utf8') : undefined,
  );
}

/** A program from YAML text (Main.yaml, optionally Pulumi.yaml). */
export function parseProgram(name, mainText, projectText) {
  return { name, main: YAML.parse(mainText), project: projectText === undefined ? {} : YAML.parse(projectText) ?? {} };
}

/** `aws:iam/role:Role` -> `aws:iam:Role`; short tokens are returned unchanged. */
export function normalizeType(token) {
  const parts = String(token).split(':');
  if (parts.length !== 3) return token;
  const [pkg, mod, member] = parts;
  return `${pkg}:${mod.split('/')[0]}:${member}`;
}

// ---------------------------------------------------------------------------------------------
// `${...}` interpolation

/** Splits a Pulumi YAML string into literal text and `${...}` expressions (`$$` is a literal `$`). */
export function parseInterpolation(str) {
  const parts = [];
  let buf = '';
  let i = 0;
  while (i < str.length) {
    const c = str[i];
    if (c === '$' && str[i + 1] === '$') {
      buf += '$';
      i += 2;
    } else if (c === '$' && str[i + 1] === '{') {
      const end = str.indexOf('}', i + 2);
      if (end < 0) throw new Error(`unterminated \${ in ${JSON.stringify(str)}`);
      if (buf) parts.push({ text: buf });
      buf = '';
      parts.push({ expr: str.slice(i + 2, end).trim() });
      i = end + 1;
    } else {
      buf += c;
      i += 1;
    }
  }
  if (buf) parts.push({ text: buf });
  return parts;
}

/** `a-b.c[0].d["e"]` -> { root: 'a-b', path: ['c', 0, 'd', 'e'] } */
export function parseAccess(expr) {
  const m = /^([^.[\]]+)(.*)$/.exec(expr);
  if (!m) throw new Error(`cannot parse reference \${${expr}}`);
  const root = m[1];
  let rest = m[2];
  const path = [];
  while (rest.length > 0) {
    let n;
    if ((n = /^\.([^.[\]]+)/.exec(rest))) path.push(n[1]);
    else if ((n = /^\[(\d+)\]/.exec(rest))) path.push(Number(n[1]));
    else if ((n = /^\["([^"]*)"\]/.exec(rest))) path.push(n[1]);
    else throw new Error(`cannot parse reference \${${expr}} at ${JSON.stringify(rest)}`);
    rest = rest.slice(n[0].length);
  }
  return { root, path };
}

function walk(value, path, expr) {
  let v = value;
  for (const key of path) {
    if (v === null || v === undefined || typeof v !== 'object' || !(key in v)) {
      throw new Error(`cannot resolve \${${expr}}: no ${JSON.stringify(key)} in the modelled value`);
    }
    v = v[key];
  }
  return v;
}

// ---------------------------------------------------------------------------------------------

export class Resolver {
  constructor(program) {
    this.program = program;
    this.resources = program.main.resources ?? {};
    this.variables = program.main.variables ?? {};
    this.config = {};
    for (const source of [program.project?.config, program.main.config]) {
      for (const [key, spec] of Object.entries(source ?? {})) {
        if (spec && typeof spec === 'object' && 'default' in spec) this.config[key] = spec.default;
        else if (spec !== null && typeof spec !== 'object') this.config[key] = spec;
      }
    }
    this.variableCache = new Map();
    this.nameCache = new Map();
    this.defaultRegion = this.#defaultRegion();
  }

  typeOf(logical) {
    const r = this.resources[logical];
    if (!r) throw new Error(`no resource ${logical}`);
    return normalizeType(r.type);
  }

  #defaultRegion() {
    const providers = Object.entries(this.resources).filter(([, r]) => normalizeType(r.type) === 'pulumi:providers:aws');
    const chosen = providers.find(([, r]) => r.defaultProvider === true) ?? providers[0];
    if (!chosen) return DEFAULT_REGION;
    const region = chosen[1].properties?.region;
    return region === undefined ? DEFAULT_REGION : String(this.evaluate(region));
  }

  /** Region of a resource: its explicit provider's region, else the default provider's. */
  regionOf(logical) {
    const provider = this.resources[logical]?.options?.provider;
    if (provider === undefined) return this.defaultRegion;
    const parts = typeof provider === 'string' ? parseInterpolation(provider) : [];
    if (parts.length !== 1 || !parts[0].expr) throw new Error(`${logical}: cannot read options.provider`);
    const { root } = parseAccess(parts[0].expr);
    const p = this.resources[root];
    if (!p || normalizeType(p.type) !== 'pulumi:providers:aws') return this.defaultRegion;
    const region = p.properties?.region;
    return region === undefined ? DEFAULT_REGION : String(this.evaluate(region));
  }

  /** Evaluates a property value: interpolations, `fn::` calls, nested data. */
  evaluate(node) {
    if (typeof node === 'string') return this.interpolate(node);
    if (Array.isArray(node)) return node.map((n) => this.evaluate(n));
    if (node !== null && typeof node === 'object') {
      const keys = Object.keys(node);
      if (keys.length === 1 && keys[0].startsWith('fn::')) return this.#call(keys[0], node[keys[0]]);
      return Object.fromEntries(keys.map((k) => [k, this.evaluate(node[k])]));
    }
    return node;
  }

  #call(fn, arg) {
    switch (fn) {
      case 'fn::toJSON':
        return JSON.stringify(this.evaluate(arg));
      case 'fn::secret':
        return this.evaluate(arg);
      case 'fn::join': {
        const [delimiter, items] = this.evaluate(arg);
        return items.join(delimiter);
      }
      case 'fn::select': {
        const [index, items] = this.evaluate(arg);
        return items[index];
      }
      case 'fn::split': {
        const [delimiter, source] = this.evaluate(arg);
        return String(source).split(delimiter);
      }
      case 'fn::invoke': {
        const token = normalizeType(arg.function);
        const fnToken = token.startsWith('aws:index:') ? token.replace(':index:', ':') : token;
        const impl = INVOKES[fnToken];
        if (!impl) throw new Error(`fn::invoke of ${arg.function} is not modelled`);
        const result = impl(this.defaultRegion, this.evaluate(arg.arguments ?? {}));
        return arg.return ? walk(result, [arg.return], `${arg.function}.${arg.return}`) : result;
      }
      default:
        throw new Error(`${fn} is not modelled by the IAM test`);
    }
  }

  interpolate(str) {
    const parts = parseInterpolation(str);
    if (parts.length === 1 && parts[0].expr !== undefined) return this.resolve(parts[0].expr);
    return parts
      .map((p) => {
        if (p.text !== undefined) return p.text;
        const v = this.resolve(p.expr);
        if (v !== null && typeof v === 'object') throw new Error(`\${${p.expr}} is not a string inside ${JSON.stringify(str)}`);
        return String(v);
      })
      .join('');
  }

  resolve(expr) {
    const { root, path } = parseAccess(expr);
    if (root in this.resources) {
      if (path.length === 0) throw new Error(`\${${expr}} references a whole resource; not usable in a policy`);
      return walk(this.attribute(root, String(path[0]), expr), path.slice(1), expr);
    }
    if (root in this.variables) {
      if (!this.variableCache.has(root)) this.variableCache.set(root, this.evaluate(this.variables[root]));
      return walk(this.variableCache.get(root), path, expr);
    }
    if (root === 'pulumi') {
      const name = this.program.project?.name ?? 'project';
      return walk({ project: name, stack: STACK, organization: 'organization' }, path, expr);
    }
    if (root in this.config) return walk(this.evaluate(this.config[root]), path, expr);
    throw new Error(`cannot resolve \${${expr}}: ${root} is neither a resource, a variable nor config`);
  }

  #context(logical) {
    const resolver = this;
    const r = this.resources[logical];
    const type = normalizeType(r.type);
    const spec = TYPES[type];
    const ctx = {
      logical,
      type,
      region: this.regionOf(logical),
      prop: (key) => (r.properties && key in r.properties ? resolver.evaluate(r.properties[key]) : undefined),
      nameFrom: (key, { lower = false } = {}) => {
        const v = ctx.prop(key);
        if (v !== undefined) return String(v);
        const auto = `${logical}-${sha(`autoname:${logical}`).slice(0, 7)}`;
        return lower ? auto.toLowerCase() : auto;
      },
      attr: (a) => resolver.attribute(logical, a, `${logical}.${a}`),
    };
    Object.defineProperty(ctx, 'name', {
      get: () => {
        if (!resolver.nameCache.has(logical)) resolver.nameCache.set(logical, spec.name(ctx));
        return resolver.nameCache.get(logical);
      },
    });
    return { r, type, spec, ctx };
  }

  /** One output attribute of a resource, e.g. attribute('acme-bucket', 'arn'). */
  attribute(logical, attr, expr = `${logical}.${attr}`) {
    const { r, type, spec, ctx } = this.#context(logical);
    if (spec && attr in spec.attrs) return spec.attrs[attr](ctx);
    if (spec && r.properties && attr in r.properties) return this.evaluate(r.properties[attr]);
    throw new Error(
      `cannot resolve \${${expr}}: attribute '${attr}' of ${type} is not modelled by tests/iam/resource-models.mjs`,
    );
  }

  /** Evaluated `properties.tags` of a resource merged over the aws provider's default tags. */
  tagsOf(logical) {
    const r = this.resources[logical];
    const own = r.properties?.tags === undefined ? {} : this.evaluate(r.properties.tags);
    return { ...this.defaultTags(), ...own };
  }

  defaultTags() {
    if (this.defaultTagsCache === undefined) {
      const provider = Object.values(this.resources).find(
        (r) => normalizeType(r.type) === 'pulumi:providers:aws' && r.defaultProvider === true,
      );
      const tags = provider?.properties?.defaultTags?.tags;
      this.defaultTagsCache = tags === undefined ? {} : this.evaluate(tags);
    }
    return this.defaultTagsCache;
  }
}
