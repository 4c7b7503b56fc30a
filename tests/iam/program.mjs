// Loads a rendered Pulumi YAML program (Main.yaml + Pulumi.yaml) and resolves the parts of it
// that IAM evaluation needs (policy documents, names, tags) to synthetic but realistic values:
// account 111122223333, partition aws, region from the aws provider resource.
//
// Only what a policy can reference is modelled. A reference to an attribute that is not modelled
// throws with the reference text, so a new builder that emits something new gets noticed instead of
// being silently mis-modelled.

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';

export const ACCOUNT = '111122223333';
export const PARTITION = 'aws';
export const DEFAULT_REGION = 'us-east-1';
export const STACK = 'dev';

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

function sha(text) {
  return createHash('sha256').update(text).digest('hex');
}

/** A deterministic UUID-shaped id derived from a logical name. */
export function uuidFor(seed) {
  const h = sha(seed);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
function upperId(seed, n) {
  const h = sha(seed);
  let out = '';
  for (let i = 0; i < n; i++) out += ALNUM[parseInt(h.slice(i * 2, i * 2 + 2), 16) % ALNUM.length];
  return out;
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
// Synthetic outputs of the resource types a policy may name.
//
// Each entry: name(ctx) -> the physical name (from the naming property or Pulumi-style autoname),
// attrs: { attr: (ctx) -> value }. Attributes not listed fall back to the resource's own input
// property of the same name (Pulumi outputs mirror inputs); anything else throws.

const arnIn = (ctx, service, rest) => `arn:${PARTITION}:${service}:${ctx.region}:${ACCOUNT}:${rest}`;

const TYPES = {
  'aws:s3:Bucket': {
    name: (c) => c.nameFrom('bucket', { lower: true }),
    attrs: {
      id: (c) => c.name,
      bucket: (c) => c.name,
      arn: (c) => `arn:${PARTITION}:s3:::${c.name}`,
      bucketDomainName: (c) => `${c.name}.s3.amazonaws.com`,
      bucketRegionalDomainName: (c) => `${c.name}.s3.${c.region}.amazonaws.com`,
      region: (c) => c.region,
    },
  },
  'aws:iam:Role': {
    name: (c) => c.nameFrom('name'),
    attrs: {
      id: (c) => c.name,
      name: (c) => c.name,
      arn: (c) => `arn:${PARTITION}:iam::${ACCOUNT}:role${c.prop('path') ?? '/'}${c.name}`,
      uniqueId: (c) => `AROA${upperId(`role:${c.logical}`, 17)}`,
    },
  },
  'aws:iam:Policy': {
    name: (c) => c.nameFrom('name'),
    attrs: {
      id: (c) => c.attr('arn'),
      name: (c) => c.name,
      arn: (c) => `arn:${PARTITION}:iam::${ACCOUNT}:policy${c.prop('path') ?? '/'}${c.name}`,
      policyId: (c) => `ANPA${upperId(`policy:${c.logical}`, 17)}`,
    },
  },
  'aws:kms:Key': {
    name: (c) => uuidFor(`kms-key:${c.logical}`),
    attrs: {
      id: (c) => c.name,
      keyId: (c) => c.name,
      arn: (c) => arnIn(c, 'kms', `key/${c.name}`),
    },
  },
  'aws:kms:Alias': {
    name: (c) => c.nameFrom('name'),
    attrs: {
      id: (c) => c.name,
      name: (c) => c.name,
      arn: (c) => arnIn(c, 'kms', c.name),
      targetKeyArn: (c) => {
        const target = String(c.prop('targetKeyId'));
        return target.startsWith('arn:') ? target : arnIn(c, 'kms', `key/${target}`);
      },
    },
  },
  'aws:secretsmanager:Secret': {
    name: (c) => c.nameFrom('name'),
    attrs: {
      id: (c) => c.attr('arn'),
      name: (c) => c.name,
      arn: (c) => arnIn(c, 'secretsmanager', `secret:${c.name}-AbCdEf`),
    },
  },
  'aws:cloudwatch:LogGroup': {
    name: (c) => c.nameFrom('name'),
    attrs: {
      id: (c) => c.name,
      name: (c) => c.name,
      // The provider reports the ARN without the trailing `:*`.
      arn: (c) => arnIn(c, 'logs', `log-group:${c.name}`),
    },
  },
  'aws:dynamodb:Table': {
    name: (c) => c.nameFrom('name'),
    attrs: {
      id: (c) => c.name,
      name: (c) => c.name,
      arn: (c) => arnIn(c, 'dynamodb', `table/${c.name}`),
      streamArn: (c) => `${c.attr('arn')}/stream/2025-01-01T00:00:00.000`,
      streamLabel: () => '2025-01-01T00:00:00.000',
    },
  },
  'aws:lambda:Function': {
    name: (c) => c.nameFrom('name'),
    attrs: {
      id: (c) => c.name,
      name: (c) => c.name,
      functionName: (c) => c.name,
      arn: (c) => arnIn(c, 'lambda', `function:${c.name}`),
      qualifiedArn: (c) => `${c.attr('arn')}:$LATEST`,
      version: () => '$LATEST',
      invokeArn: (c) =>
        `arn:${PARTITION}:apigateway:${c.region}:lambda:path/2015-03-31/functions/${c.attr('arn')}/invocations`,
    },
  },
  'aws:rds:Cluster': {
    name: (c) => c.nameFrom('clusterIdentifier', { lower: true }),
    attrs: {
      id: (c) => c.name,
      clusterIdentifier: (c) => c.name,
      arn: (c) => arnIn(c, 'rds', `cluster:${c.name}`),
      clusterResourceId: (c) => `cluster-${upperId(`rds:${c.logical}`, 26)}`,
      masterUserSecrets: (c) => [
        {
          secretArn: arnIn(c, 'secretsmanager', `secret:rds!cluster-${uuidFor(`rds-secret:${c.logical}`)}-AbCdEf`),
          kmsKeyId: arnIn(c, 'kms', `key/${uuidFor(`rds-secret-key:${c.logical}`)}`),
          secretStatus: 'active',
        },
      ],
    },
  },
  'aws:ssm:Parameter': {
    name: (c) => c.nameFrom('name'),
    attrs: {
      id: (c) => c.name,
      name: (c) => c.name,
      arn: (c) => arnIn(c, 'ssm', `parameter/${c.name.replace(/^\//, '')}`),
    },
  },
  'aws:sqs:Queue': {
    name: (c) => c.nameFrom('name'),
    attrs: {
      arn: (c) => arnIn(c, 'sqs', c.name),
      id: (c) => `https://sqs.${c.region}.amazonaws.com/${ACCOUNT}/${c.name}`,
      url: (c) => `https://sqs.${c.region}.amazonaws.com/${ACCOUNT}/${c.name}`,
      name: (c) => c.name,
    },
  },
  'aws:sns:Topic': {
    name: (c) => c.nameFrom('name'),
    attrs: {
      arn: (c) => arnIn(c, 'sns', c.name),
      id: (c) => c.attr('arn'),
      name: (c) => c.name,
    },
  },
  'aws:cognito:UserPool': {
    name: (c) => `${c.region}_${upperId(`userpool:${c.logical}`, 9)}`,
    attrs: {
      id: (c) => c.name,
      arn: (c) => arnIn(c, 'cognito-idp', `userpool/${c.name}`),
    },
  },
  'aws:apigateway:RestApi': {
    name: (c) => upperId(`restapi:${c.logical}`, 10).toLowerCase(),
    attrs: {
      id: (c) => c.name,
      rootResourceId: (c) => upperId(`restapi-root:${c.logical}`, 10).toLowerCase(),
      arn: (c) => `arn:${PARTITION}:apigateway:${c.region}::/restapis/${c.name}`,
      executionArn: (c) => arnIn(c, 'execute-api', c.name),
    },
  },
  'aws:apigateway:Authorizer': {
    name: (c) => upperId(`authorizer:${c.logical}`, 6).toLowerCase(),
    attrs: {
      id: (c) => c.name,
      arn: (c) => `arn:${PARTITION}:apigateway:${c.region}::/restapis/${c.prop('restApi')}/authorizers/${c.name}`,
    },
  },
  'aws:apigateway:Stage': {
    name: (c) => c.nameFrom('stageName'),
    attrs: {
      id: (c) => `ags-${c.prop('restApi')}-${c.name}`,
      stageName: (c) => c.name,
      arn: (c) => `arn:${PARTITION}:apigateway:${c.region}::/restapis/${c.prop('restApi')}/stages/${c.name}`,
      executionArn: (c) => arnIn(c, 'execute-api', `${c.prop('restApi')}/${c.name}`),
      invokeUrl: (c) => `https://${c.prop('restApi')}.execute-api.${c.region}.amazonaws.com/${c.name}`,
    },
  },
  'aws:cloudfront:Distribution': {
    name: (c) => `E${upperId(`distribution:${c.logical}`, 13)}`,
    attrs: {
      id: (c) => c.name,
      arn: (c) => `arn:${PARTITION}:cloudfront::${ACCOUNT}:distribution/${c.name}`,
      domainName: (c) => `${c.name.toLowerCase()}.cloudfront.net`,
    },
  },
  'aws:ec2:VpcEndpoint': {
    name: (c) => `vpce-${sha(`vpce:${c.logical}`).slice(0, 17)}`,
    attrs: {
      id: (c) => c.name,
      arn: (c) => arnIn(c, 'ec2', `vpc-endpoint/${c.name}`),
    },
  },
  'aws:ec2:Subnet': {
    name: (c) => `subnet-${sha(`subnet:${c.logical}`).slice(0, 17)}`,
    attrs: {
      id: (c) => c.name,
      arn: (c) => arnIn(c, 'ec2', `subnet/${c.name}`),
    },
  },
  'aws:ec2:SecurityGroup': {
    name: (c) => `sg-${sha(`sg:${c.logical}`).slice(0, 17)}`,
    attrs: {
      id: (c) => c.name,
      arn: (c) => arnIn(c, 'ec2', `security-group/${c.name}`),
    },
  },
  'aws:ec2:Vpc': {
    name: (c) => `vpc-${sha(`vpc:${c.logical}`).slice(0, 17)}`,
    attrs: {
      id: (c) => c.name,
      arn: (c) => arnIn(c, 'ec2', `vpc/${c.name}`),
    },
  },
  'aws:ecs:Cluster': {
    name: (c) => c.nameFrom('name'),
    attrs: {
      id: (c) => c.attr('arn'),
      name: (c) => c.name,
      arn: (c) => arnIn(c, 'ecs', `cluster/${c.name}`),
    },
  },
  'aws:ecs:TaskDefinition': {
    name: (c) => c.nameFrom('family'),
    attrs: {
      arn: (c) => arnIn(c, 'ecs', `task-definition/${c.name}:1`),
      arnWithoutRevision: (c) => arnIn(c, 'ecs', `task-definition/${c.name}`),
      id: (c) => c.name,
      family: (c) => c.name,
      revision: () => 1,
    },
  },
  'aws:elasticache:ReplicationGroup': {
    name: (c) => c.nameFrom('replicationGroupId', { lower: true }),
    attrs: {
      id: (c) => c.name,
      arn: (c) => arnIn(c, 'elasticache', `replicationgroup:${c.name}`),
    },
  },
  'aws:acm:Certificate': {
    name: (c) => uuidFor(`acm:${c.logical}`),
    attrs: {
      id: (c) => c.attr('arn'),
      arn: (c) => arnIn(c, 'acm', `certificate/${c.name}`),
    },
  },
  'aws:route53:Zone': {
    name: (c) => `Z${upperId(`zone:${c.logical}`, 20)}`,
    attrs: {
      id: (c) => c.name,
      zoneId: (c) => c.name,
      arn: (c) => `arn:${PARTITION}:route53:::hostedzone/${c.name}`,
    },
  },
};
TYPES['aws:s3:BucketV2'] = TYPES['aws:s3:Bucket'];

/** aws:iam:getPolicyDocument arguments -> the policy JSON it renders. */
function policyDocumentJson(args) {
  const list = (v) => (v === undefined ? undefined : [v].flat());
  const principals = (ps) => {
    if (ps === undefined) return undefined;
    const out = {};
    for (const p of ps) {
      if (p.type === '*') return '*';
      out[p.type] = [...(out[p.type] ?? []), ...list(p.identifiers)];
    }
    return out;
  };
  const statements = (args.statements ?? []).map((st) => {
    const s = { ...(st.sid ? { Sid: st.sid } : {}), Effect: st.effect ?? 'Allow' };
    for (const [from, to] of [
      ['actions', 'Action'],
      ['notActions', 'NotAction'],
      ['resources', 'Resource'],
      ['notResources', 'NotResource'],
    ]) {
      if (st[from] !== undefined) s[to] = list(st[from]);
    }
    if (st.principals) s.Principal = principals(st.principals);
    if (st.notPrincipals) s.NotPrincipal = principals(st.notPrincipals);
    if (st.conditions) {
      s.Condition = {};
      for (const c of st.conditions) {
        s.Condition[c.test] = { ...(s.Condition[c.test] ?? {}), [c.variable]: list(c.values) };
      }
    }
    return s;
  });
  const json = JSON.stringify({ Version: args.version ?? '2012-10-17', Statement: statements });
  return { json, minifiedJson: json, id: sha(json).slice(0, 10) };
}

// Data sources a variable may invoke and a policy may reference.
const INVOKES = {
  'aws:iam:getPolicyDocument': (_region, args) => policyDocumentJson(args),
  // The deployer runs `pulumi up` as an assumed-role session of a role named tapgen-deployer.
  'aws:getCallerIdentity': () => ({
    accountId: ACCOUNT,
    arn: `arn:${PARTITION}:sts::${ACCOUNT}:assumed-role/tapgen-deployer/pulumi`,
    id: ACCOUNT,
    userId: `AROAEXAMPLE:pulumi`,
  }),
  'aws:iam:getSessionContext': (_region, args) => {
    const match = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(args.arn ?? '');
    if (!match) return { arn: args.arn, issuerArn: args.arn, issuerId: '', issuerName: '', sessionName: '' };
    const [, partition, account, role, session] = match;
    return { arn: args.arn, issuerArn: `arn:${partition}:iam::${account}:role/${role}`, issuerName: role, sessionName: session };
  },
  'aws:getRegion': (r) => ({ name: r, region: r, id: r, endpoint: `ec2.${r}.amazonaws.com` }),
  'aws:getPartition': () => ({ partition: PARTITION, id: PARTITION, dnsSuffix: 'amazonaws.com' }),
  'aws:getAvailabilityZones': (r) => ({ names: ['a', 'b', 'c', 'd'].map((z) => `${r}${z}`) }),
};

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
      `cannot resolve \${${expr}}: attribute '${attr}' of ${type} is not modelled by tests/iam/program.mjs`,
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
