// Turns a rendered program into an IAM model: principals (roles, their identity policies and tags)
// and tenant resources (their ARNs, tags and resource policies).

import { ACCOUNT, normalizeType, PARTITION, Resolver } from './program.mjs';
import { MANAGED_POLICIES } from './managed-policies.mjs';

export const TENANT_TAG = 'tenant_id';

/**
 * Resource types whose tenant-owned instances are checked. `suffixes` are the sub-resource ARN
 * forms evaluated besides the resource's own ARN (objects of a bucket, streams of a log group, ...).
 * `suffixes(prop)` gets the resource's evaluated input properties by name. `sensitive` actions are always evaluated, whether or not any policy grants them.
 */
export const RESOURCE_KINDS = {
  'aws:s3:Bucket': {
    kind: 's3 bucket',
    service: 's3',
    suffixes: () => ['/some/key'],
    sensitive: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket'],
  },
  'aws:dynamodb:Table': {
    kind: 'dynamodb table',
    service: 'dynamodb',
    suffixes: (prop) => [
      ...[...(prop('globalSecondaryIndexes') ?? []), ...(prop('localSecondaryIndexes') ?? [])].map((i) => `/index/${i.name}`),
      ...(prop('streamEnabled') ? ['/stream/2025-01-01T00:00:00.000'] : []),
    ],
    sensitive: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:Scan'],
  },
  'aws:kms:Key': {
    kind: 'kms key',
    service: 'kms',
    suffixes: () => [],
    sensitive: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
  },
  'aws:secretsmanager:Secret': {
    kind: 'secret',
    service: 'secretsmanager',
    suffixes: () => [],
    sensitive: ['secretsmanager:GetSecretValue'],
  },
  'aws:cloudwatch:LogGroup': {
    kind: 'log group',
    service: 'logs',
    suffixes: () => [':log-stream:s'],
    sensitive: ['logs:PutLogEvents', 'logs:GetLogEvents'],
  },
  'aws:lambda:Function': {
    kind: 'lambda function',
    service: 'lambda',
    suffixes: () => [],
    sensitive: ['lambda:InvokeFunction', 'lambda:GetFunction', 'lambda:UpdateFunctionCode'],
  },
  'aws:ssm:Parameter': {
    kind: 'ssm parameter',
    service: 'ssm',
    suffixes: () => [],
    sensitive: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:PutParameter'],
  },
  // IAM authentication to Redis: elasticache:Connect on the replication group and on the user.
  'aws:elasticache:User': {
    kind: 'cache user',
    service: 'elasticache',
    suffixes: () => [],
    sensitive: ['elasticache:Connect'],
  },
  'aws:elasticache:ReplicationGroup': {
    kind: 'cache replication group',
    service: 'elasticache',
    suffixes: () => [],
    sensitive: ['elasticache:Connect'],
  },
};
RESOURCE_KINDS['aws:s3:BucketV2'] = RESOURCE_KINDS['aws:s3:Bucket'];

/** What AWS attaches to a KMS key created without a policy (the account decides via IAM). */
export function defaultKeyPolicy() {
  return {
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:${PARTITION}:iam::${ACCOUNT}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  };
}

/** A policy property value (JSON string or evaluated object) -> a policy document. */
export function policyDocument(value, where) {
  let doc = value;
  if (typeof value === 'string') {
    try {
      doc = JSON.parse(value);
    } catch (e) {
      throw new Error(`${where}: policy is not JSON: ${e.message}`);
    }
  }
  if (doc === null || typeof doc !== 'object' || doc.Statement === undefined) {
    throw new Error(`${where}: not a policy document: ${JSON.stringify(doc)}`);
  }
  const statements = [doc.Statement].flat().map((s) => {
    if (!s.Condition) return s;
    // JSON policies may carry booleans/numbers as condition values; AWS compares them as strings.
    const Condition = Object.fromEntries(
      Object.entries(s.Condition).map(([op, block]) => [
        op,
        Object.fromEntries(
          Object.entries(block).map(([key, v]) => [key, Array.isArray(v) ? v.map(String) : String(v)]),
        ),
      ]),
    );
    return { ...s, Condition };
  });
  return { ...doc, Statement: statements };
}

/** Role property `role` of an attachment: a name, or an ARN. */
function roleNameFrom(value) {
  const v = String(value);
  const m = /^arn:[^:]+:iam::\d{12}:role\/(?:.*\/)?([^/]+)$/.exec(v);
  return m ? m[1] : v;
}

export function buildModel(program) {
  const R = new Resolver(program);
  const resources = Object.entries(R.resources).map(([logical, r]) => ({
    logical,
    type: normalizeType(r.type),
    props: r.properties ?? {},
  }));
  const ofType = (...types) => resources.filter((r) => types.includes(r.type));

  // -- customer managed policies, by ARN
  const managed = new Map();
  for (const p of ofType('aws:iam:Policy')) {
    managed.set(R.attribute(p.logical, 'arn'), {
      name: p.logical,
      policy: policyDocument(R.evaluate(p.props.policy), p.logical),
    });
  }
  const policyByArn = (arn, where) => {
    if (managed.has(arn)) return managed.get(arn);
    if (MANAGED_POLICIES[arn]) return { name: arn, policy: MANAGED_POLICIES[arn] };
    throw new Error(`${where}: policy ${arn} is neither in the program nor a modelled AWS managed policy`);
  };

  // -- roles and their identity policies
  const roles = [];
  const roleByName = new Map();
  for (const r of ofType('aws:iam:Role')) {
    const tags = R.tagsOf(r.logical);
    const role = {
      logical: r.logical,
      name: R.attribute(r.logical, 'name'),
      arn: R.attribute(r.logical, 'arn'),
      uniqueId: R.attribute(r.logical, 'uniqueId'),
      tags,
      tenant: tags[TENANT_TAG],
      trust: r.props.assumeRolePolicy === undefined ? undefined : policyDocument(R.evaluate(r.props.assumeRolePolicy), r.logical),
      policies: [],
    };
    for (const [i, inline] of (R.evaluate(r.props.inlinePolicies ?? [])).entries()) {
      role.policies.push({ name: inline.name ?? `${r.logical}-inline-${i}`, policy: policyDocument(inline.policy, r.logical) });
    }
    for (const arn of R.evaluate(r.props.managedPolicyArns ?? [])) role.policies.push(policyByArn(arn, r.logical));
    roles.push(role);
    roleByName.set(role.name, role);
  }
  const roleFor = (value, where) => {
    const role = roleByName.get(roleNameFrom(value));
    if (!role) throw new Error(`${where}: role ${value} is not a role of the program`);
    return role;
  };
  for (const p of ofType('aws:iam:RolePolicy')) {
    roleFor(R.evaluate(p.props.role), p.logical).policies.push({
      name: p.logical,
      policy: policyDocument(R.evaluate(p.props.policy), p.logical),
    });
  }
  for (const a of ofType('aws:iam:RolePolicyAttachment')) {
    roleFor(R.evaluate(a.props.role), a.logical).policies.push(policyByArn(R.evaluate(a.props.policyArn), a.logical));
  }
  for (const a of ofType('aws:iam:PolicyAttachment')) {
    const policy = policyByArn(R.evaluate(a.props.policyArn), a.logical);
    for (const role of R.evaluate(a.props.roles ?? [])) roleFor(role, a.logical).policies.push(policy);
  }

  // -- tenant resources
  const tenantResources = [];
  const byArn = new Map();
  const byName = new Map();
  for (const r of resources) {
    const spec = RESOURCE_KINDS[r.type];
    if (!spec) continue;
    const arn = R.attribute(r.logical, 'arn');
    const tags = R.tagsOf(r.logical);
    const res = {
      logical: r.logical,
      type: r.type,
      ...spec,
      arn,
      id: R.attribute(r.logical, 'id'),
      tags,
      tenant: tags[TENANT_TAG],
      region: R.regionOf(r.logical),
      suffixes: spec.suffixes((key) => (key in r.props ? R.evaluate(r.props[key]) : undefined)),
      resourcePolicy: undefined,
      policySources: [],
    };
    byArn.set(arn, res);
    byName.set(`${r.type}|${res.id}`, res);
    if (res.tenant !== undefined) tenantResources.push(res);
  }
  const attachPolicy = (res, source, doc, { merge = false } = {}) => {
    if (res.resourcePolicy && !merge) {
      throw new Error(`${source}: ${res.logical} already has a resource policy from ${res.policySources.join(', ')}`);
    }
    if (res.resourcePolicy && merge) {
      res.resourcePolicy = { ...res.resourcePolicy, Statement: [...res.resourcePolicy.Statement, ...doc.Statement] };
    } else {
      res.resourcePolicy = doc;
    }
    res.policySources.push(source);
  };
  const findRes = (value, types, where) => {
    const v = String(value);
    const hit = byArn.get(v) ?? types.map((t) => byName.get(`${t}|${v}`)).find(Boolean);
    if (!hit) throw new Error(`${where}: ${v} is not a modelled resource of the program`);
    return hit;
  };

  for (const p of ofType('aws:s3:BucketPolicy')) {
    const bucket = findRes(R.evaluate(p.props.bucket), ['aws:s3:Bucket', 'aws:s3:BucketV2'], p.logical);
    attachPolicy(bucket, p.logical, policyDocument(R.evaluate(p.props.policy), p.logical));
  }
  for (const k of ofType('aws:kms:Key')) {
    if (k.props.policy !== undefined) {
      attachPolicy(byArn.get(R.attribute(k.logical, 'arn')), k.logical, policyDocument(R.evaluate(k.props.policy), k.logical));
    }
  }
  for (const p of ofType('aws:kms:KeyPolicy')) {
    const key = findRes(R.evaluate(p.props.keyId), ['aws:kms:Key'], p.logical);
    attachPolicy(key, p.logical, policyDocument(R.evaluate(p.props.policy), p.logical));
  }
  for (const p of ofType('aws:secretsmanager:SecretPolicy')) {
    const secret = findRes(R.evaluate(p.props.secretArn), ['aws:secretsmanager:Secret'], p.logical);
    attachPolicy(secret, p.logical, policyDocument(R.evaluate(p.props.policy), p.logical));
  }
  for (const p of ofType('aws:dynamodb:ResourcePolicy')) {
    const table = findRes(R.evaluate(p.props.resourceArn), ['aws:dynamodb:Table'], p.logical);
    attachPolicy(table, p.logical, policyDocument(R.evaluate(p.props.policy), p.logical));
  }
  for (const p of ofType('aws:lambda:Permission')) {
    // A Lambda permission is one statement of the function's resource policy.
    const fn = findRes(R.evaluate(p.props.function), ['aws:lambda:Function'], p.logical);
    const principal = String(R.evaluate(p.props.principal));
    const condition = {};
    if (p.props.sourceArn !== undefined) condition.ArnLike = { 'AWS:SourceArn': String(R.evaluate(p.props.sourceArn)) };
    if (p.props.sourceAccount !== undefined) {
      condition.StringEquals = { 'AWS:SourceAccount': String(R.evaluate(p.props.sourceAccount)) };
    }
    if (p.props.principalOrgId !== undefined) {
      condition.StringEquals = { ...condition.StringEquals, 'aws:PrincipalOrgID': String(R.evaluate(p.props.principalOrgId)) };
    }
    const statement = {
      Sid: p.logical,
      Effect: 'Allow',
      Principal: principal === '*' ? '*' : principal.endsWith('.amazonaws.com') ? { Service: principal } : { AWS: principal },
      Action: String(R.evaluate(p.props.action)),
      Resource: fn.arn,
      ...(Object.keys(condition).length ? { Condition: condition } : {}),
    };
    attachPolicy(fn, p.logical, { Version: '2012-10-17', Statement: [statement] }, { merge: true });
  }
  for (const g of ofType('aws:kms:Grant')) {
    // A grant lets its grantee use the listed operations; modelled as a key-policy allow.
    const key = findRes(R.evaluate(g.props.keyId), ['aws:kms:Key'], g.logical);
    if (!key.resourcePolicy) attachPolicy(key, 'AWS default key policy', defaultKeyPolicy());
    attachPolicy(
      key,
      g.logical,
      {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: g.logical.replace(/[^A-Za-z0-9]/g, ''),
            Effect: 'Allow',
            Principal: { AWS: String(R.evaluate(g.props.granteePrincipal)) },
            Action: R.evaluate(g.props.operations).map((o) => `kms:${o}`),
            Resource: '*',
          },
        ],
      },
      { merge: true },
    );
  }
  for (const res of tenantResources) {
    if (res.type === 'aws:kms:Key' && !res.resourcePolicy) {
      attachPolicy(res, 'AWS default key policy', defaultKeyPolicy());
    }
  }
  for (const t of ['aws:cloudwatch:LogResourcePolicy', 'aws:iam:UserPolicy', 'aws:iam:GroupPolicy']) {
    if (ofType(t).length) {
      // Account-wide log resource policies grant AWS services, not roles; users and groups are not
      // principals of these systems. Say so loudly if that ever changes.
      throw new Error(`${t} is present in ${program.name}; extend tests/iam/model.mjs to model it`);
    }
  }

  const tenants = [...new Set([...roles, ...tenantResources].map((x) => x.tenant).filter((t) => t !== undefined))].sort();
  return {
    name: program.name,
    account: ACCOUNT,
    region: R.defaultRegion,
    tenants,
    roles,
    tenantRoles: roles.filter((r) => r.tenant !== undefined),
    platformRoles: roles.filter((r) => r.tenant === undefined),
    tenantResources,
  };
}
