// System B's dynamic IAM, evaluated with @cloud-copilot/iam-simulate: a *session role* (a role whose
// trust policy conditions on the `tenant_id` request tag, e.g. the pooled tenant-access role) is
// one principal per session tag, so it is evaluated per tag value:
//
// - trust: every role of the program, and every tagged session of the role itself, asks to assume
//   it (sts:AssumeRole and sts:TagSession) with every tenant's tag, an unknown id, a wildcard, an
//   extra tag, a transitive tag and no tag; only the trusted caller with one plain tag of a tenant
//   the role serves may;
// - permissions: for every ordered pair of tenants (A, B), a session tagged A against every
//   resource of B, for every action any session is granted on that kind of resource plus the
//   sensitive ones, directly and through the services a key grant names (kms:ViaService); an
//   untagged session against every tenant's resources; and a session's own resources.
//
// Which tenants a session role serves is read from the program: a tenant that has a role of its own
// (tagged with its id) is a dedicated (premium) tenant, which no pooled session may take the tag of.

import { runSimulation } from '@cloud-copilot/iam-simulate';
import { actionUniverse, candidateArns, decide, globMatch, SESSION } from './evaluate.mjs';
import { TENANT_TAG } from './model.mjs';
import { ACCOUNT, PARTITION } from './program.mjs';

const REQUEST_TAG = `aws:requesttag/${TENANT_TAG}`;
/** Tag values no tenant has: an id that names nothing, and a pattern. */
export const UNKNOWN_ID = 'no-such-tenant';
export const WILDCARD_ID = '*';

/** Roles assumed per tenant: their trust policy conditions on the `tenant_id` request tag. */
export function sessionRoles(model) {
  return model.roles.filter((r) =>
    (r.trust?.Statement ?? []).some(
      (s) =>
        s.Effect === 'Allow' &&
        Object.values(s.Condition ?? {}).some((block) => Object.keys(block).some((k) => k.toLowerCase() === REQUEST_TAG)),
    ),
  );
}

/** Tenants with a role of their own: dedicated, never served by a pooled session role. */
export function dedicatedTenants(model) {
  return new Set(model.tenantRoles.map((r) => r.tenant));
}

/** The role ARNs an Allow statement of `trust` names as AWS principals. */
function trustedArns(trust) {
  return trust.Statement.filter((s) => s.Effect === 'Allow' && s.Principal?.AWS !== undefined).flatMap((s) => [s.Principal.AWS].flat());
}

/** A session of `role` carrying session tags `tags` (they override the role's tags of the same key). */
export function sessionOf(role, tags) {
  return { ...role, label: `${role.name}[${tags[TENANT_TAG] ?? 'untagged'}]`, tags: { ...role.tags, ...tags }, tenant: tags[TENANT_TAG], session: true };
}

/** One sts request by `caller` (a role's session) to assume `target` passing `tags` (and `transitive` keys). */
export async function assume(caller, target, action, { tags = {}, transitive } = {}) {
  const ctx = {
    'aws:SecureTransport': 'true',
    'aws:PrincipalAccount': ACCOUNT,
    'aws:PrincipalArn': caller.arn,
    'aws:PrincipalType': 'AssumedRole',
    'aws:userid': `${caller.uniqueId}:${SESSION}`,
    'aws:ResourceAccount': ACCOUNT,
  };
  for (const [k, v] of Object.entries(caller.tags)) ctx[`aws:PrincipalTag/${k}`] = String(v);
  for (const [k, v] of Object.entries(tags)) ctx[`aws:RequestTag/${k}`] = String(v);
  if (Object.keys(tags).length > 0) ctx['aws:TagKeys'] = Object.keys(tags);
  if (transitive) ctx['sts:TransitiveTagKeys'] = transitive;
  const response = await runSimulation(
    {
      request: {
        principal: `arn:${PARTITION}:sts::${ACCOUNT}:assumed-role/${caller.name}/${SESSION}`,
        action,
        resource: { resource: target.arn, accountId: ACCOUNT },
        contextVariables: ctx,
      },
      identityPolicies: caller.policies.map((p, i) => ({ name: `${p.name}#${i}`, policy: p.policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: target.trust,
    },
    { simulationMode: 'Strict' },
  );
  if (response.resultType !== 'single') {
    throw new Error(`iam-simulate: ${action} on ${target.arn} by ${caller.name}: ${JSON.stringify(response.errors ?? response.resultType)}`);
  }
  return response.overallResult;
}

/**
 * Every caller × tag request against the trust policy of `role`. Returns the decisions and the
 * tenants a trusted caller may take the tag of (both actions allowed).
 */
export async function evaluateTrust(model, role) {
  const trusted = new Set(trustedArns(role.trust));
  const dedicated = dedicatedTenants(model);
  const values = [...model.tenants, UNKNOWN_ID, WILDCARD_ID];
  const callers = [
    ...model.roles.filter((r) => r !== role),
    ...model.tenants.map((t) => sessionOf(role, { [TENANT_TAG]: t })),
  ];
  const decisions = [];
  const record = async (caller, request, expected, options) => {
    for (const action of ['sts:AssumeRole', 'sts:TagSession']) {
      const result = await assume(caller, role, action, options);
      const ok = expected === 'Allowed' ? result === 'Allowed' : result !== 'Allowed';
      decisions.push({ caller: caller.label ?? caller.name, request, action, result, expected, ok });
    }
  };
  for (const caller of callers) {
    const mayAssume = trusted.has(caller.arn) && !caller.session;
    await record(caller, 'no tag', 'Denied', {});
    for (const value of values) {
      const serves = value !== WILDCARD_ID && !dedicated.has(value);
      const tag = { [TENANT_TAG]: value };
      await record(caller, `${TENANT_TAG}=${value}`, mayAssume && serves ? 'Allowed' : 'Denied', { tags: tag });
      await record(caller, `${TENANT_TAG}=${value} + role=admin`, 'Denied', { tags: { ...tag, role: 'admin' } });
      await record(caller, `${TENANT_TAG}=${value} transitive`, 'Denied', { tags: tag, transitive: [TENANT_TAG] });
    }
  }
  const admitted = model.tenants.filter((t) =>
    decisions.some((d) => trusted.has(model.roles.find((r) => r.name === d.caller)?.arn) && d.request === `${TENANT_TAG}=${t}` && d.result === 'Allowed'),
  );
  return { decisions, admitted, unexpected: decisions.filter((d) => !d.ok) };
}

/** Extra request contexts of a KMS action: direct, and through each service a grant names. */
function kmsContexts(role, action) {
  const services = new Set();
  for (const { policy } of role.policies) {
    for (const s of policy.Statement) {
      const via = s.Condition?.StringEquals?.['kms:ViaService'];
      if (s.Effect === 'Allow' && via !== undefined && [s.Action].flat().some((a) => globMatch(a, action, true))) {
        for (const v of [via].flat()) services.add(v);
      }
    }
  }
  return [{}, ...[...services].sort().map((v) => ({ 'kms:ViaService': v, 'aws:ViaAWSService': 'true' }))];
}

/**
 * Sessions of `role` tagged with each admitted tenant, and one untagged, against every tenant
 * resource. Cross-tenant and untagged requests must be denied, by the identity policy already; on its own resources whatever the
 * identity policy grants must be allowed, and every granted action must be allowed at least once
 * where the tenant has a resource of that service.
 */
export async function evaluateSessions(model, role, admitted) {
  const sessions = admitted.map((t) => sessionOf(role, { [TENANT_TAG]: t }));
  const untagged = sessionOf(role, {});
  const actions = await actionUniverse({ ...model, tenantRoles: sessions });
  const decisions = [];
  const resources = [...model.tenantResources].sort((a, b) => a.logical.localeCompare(b.logical));
  for (const principal of [...sessions, untagged]) {
    for (const res of resources) {
      const cross = principal.tenant !== res.tenant;
      for (const action of actions[res.service]) {
        for (const arn of candidateArns(res, model)) {
          for (const extra of action.startsWith('kms:') ? kmsContexts(role, action) : [{}]) {
            const d = await decide(principal, action, arn, res, extra);
            if (!d) continue;
            const expected = cross ? 'Denied' : d.identity === 'Allowed' ? 'Allowed' : 'not granted';
            // Cross-tenant, the identity policy itself must refuse: a resource policy (the bucket's)
            // is a second wall, not the only one.
            const ok = expected === 'Denied' ? d.result !== 'Allowed' && d.identity !== 'Allowed' : expected === 'Allowed' ? d.result === 'Allowed' : true;
            decisions.push({
              principal: principal.label,
              principalTenant: principal.tenant,
              resourceTenant: res.tenant,
              resourceLogical: res.logical,
              service: res.service,
              action,
              resource: arn,
              via: extra['kms:ViaService'],
              cross,
              expected,
              ok,
              ...d,
            });
          }
        }
      }
    }
  }
  // What each session needs on its own: every action its policy grants, on a service the tenant has
  // a resource of, allowed at least once.
  const granted = new Set();
  for (const { policy } of role.policies) {
    for (const s of policy.Statement.filter((x) => x.Effect === 'Allow')) for (const a of [s.Action].flat()) granted.add(a);
  }
  const missing = [];
  const unevaluated = new Set();
  for (const session of sessions) {
    const services = new Set(resources.filter((r) => r.tenant === session.tenant).map((r) => r.service));
    for (const action of [...granted].sort()) {
      const service = action.split(':')[0];
      if (!services.has(service)) {
        unevaluated.add(action);
        continue;
      }
      const allowed = decisions.some((d) => d.principal === session.label && !d.cross && d.action.toLowerCase() === action.toLowerCase() && d.result === 'Allowed');
      if (!allowed) missing.push(`${session.label} ${action}`);
    }
  }
  return {
    actions,
    decisions,
    unexpected: decisions.filter((d) => !d.ok),
    missing,
    unevaluated: [...unevaluated].sort(),
    pairs: sessions.length * (new Set(resources.map((r) => r.tenant)).size - 1),
  };
}
