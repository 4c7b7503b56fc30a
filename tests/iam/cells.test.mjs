// IAM isolation across cells: the 500-tenant configs of examples/scale (cells of 50) are rendered,
// the platform and a sample of cells merged into one program (cells.mjs), and every tenant role of
// the sample evaluated against every sampled tenant's resources. The sample: the first, middle and
// last cell, and in each its first, middle and last tenant (9 tenants, 72 ordered pairs, 54 of them
// across cells; the first and last tenant of the config are among them).
//
// System B (enterprise-500: every tenth tenant premium) with the same sample: cells 001, 006, 010;
// org-001 (standard, hosted domains and a Cognito custom domain), org-026, org-050 (premium),
// org-251, org-276, org-300 (premium), org-451, org-476, org-500 (premium). The 3 premium tenants
// have roles of their own (fleet and access: 6 roles) evaluated against all 9 tenants' resources
// (24 ordered pairs, 18 across cells); the 6 standard tenants are sessions of the platform's
// shared tenant-access role, one per session tag (sessions.mjs): its trust, asked by every
// platform and sampled role and every sampled session with every sampled tenant's tag (premium
// ones refused), and each session against every other sampled tenant's resources (48 ordered
// pairs, 36 across cells), its own, and untagged.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { cellsOf, mergeCells, sampleTenants } from './cells.mjs';
import { evaluateIsolation } from './evaluate.mjs';
import { dedicatedTenants, evaluateSessions, evaluateTrust, sessionRoles } from './sessions.mjs';
import { buildModel, TENANT_TAG } from './model.mjs';
import { normalizeType } from './program.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = mkdtempSync(join(tmpdir(), 'tapgen-iam-cells-'));
test.after(() => rmSync(work, { recursive: true, force: true }));

function render(name) {
  const out = join(work, name);
  execFileSync('cargo', ['run', '-q', '-p', 'tapgen', '--', 'render', join('examples', 'scale', `${name}.toml`), '-o', out], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return out;
}

/** The merged program of the sample, and the sample. */
function sampled(dir, name) {
  const sample = sampleTenants(cellsOf(dir));
  return { sample, program: mergeCells(dir, sample.map((s) => s.cell), name) };
}

function restrict(model, sample) {
  const keep = new Set(sample.flatMap((s) => s.tenants));
  return {
    ...model,
    tenants: model.tenants.filter((t) => keep.has(t)),
    tenantRoles: model.tenantRoles.filter((r) => keep.has(r.tenant)),
    tenantResources: model.tenantResources.filter((r) => keep.has(r.tenant)),
  };
}

/** As `restrict`, and the callers a session role's trust is asked by: platform and sampled roles. */
function restrictCallers(model, sample) {
  const keep = new Set(sample.flatMap((s) => s.tenants));
  return { ...restrict(model, sample), roles: model.roles.filter((r) => r.tenant === undefined || keep.has(r.tenant)) };
}

const acrossCells = (decisions, cellOf) =>
  decisions.filter((d) => d.cross && d.principalTenant !== undefined && cellOf.get(d.principalTenant) !== cellOf.get(d.resourceTenant));

/** System B's sample: premium tenant roles and sessions of the pooled tenant-access role. */
async function checkEnterprise(program, sample) {
  const cellOf = new Map(sample.flatMap((s) => s.tenants.map((t) => [t, s.cell])));
  const model = restrictCallers(buildModel(program), sample);
  assert.equal(model.tenants.length, 9, `sampled tenants with roles or resources: ${model.tenants.join(', ')}`);
  const premium = [...dedicatedTenants(model)].sort();
  const standard = model.tenants.filter((t) => !premium.includes(t));
  assert.ok(premium.length > 0 && standard.length > 0, `premium ${premium}, standard ${standard}`);
  const roles = sessionRoles(model);
  assert.equal(roles.length, 1, `session roles: ${roles.map((r) => r.name)}`);
  const [role] = roles;

  const trust = await evaluateTrust(model, role);
  assert.equal(trust.unexpected.length, 0, trust.unexpected.slice(0, 10).map((d) => JSON.stringify(d)).join('\n'));
  assert.deepEqual(trust.admitted, standard, 'the pool may take exactly the standard tenants\' tags');

  const sessions = await evaluateSessions(model, role, trust.admitted);
  const sessionsAcross = acrossCells(sessions.decisions, cellOf);
  const own = sessions.decisions.filter((d) => !d.cross);
  const untagged = sessions.decisions.filter((d) => d.principalTenant === undefined);

  const isolation = await evaluateIsolation(model);
  const rolesAcross = acrossCells(isolation.decisions, cellOf);
  const c = isolation.counts;
  console.log(
    `iam: enterprise-500: sample ${sample.map((s) => `${s.cell} [${s.tenants.join(', ')}]`).join('; ')}; premium ${premium.join(', ')} ` +
      `(${model.tenantRoles.length} tenant roles), standard ${standard.join(', ')} (sessions of ${role.name}); ${model.tenantResources.length} tenant resources`,
  );
  console.log(
    `iam: enterprise-500: trust ${trust.decisions.length} requests, ${trust.decisions.filter((d) => d.result === 'Allowed').length} allowed; ` +
      `sessions ${sessions.decisions.length} decisions: ${sessions.decisions.filter((d) => d.cross && d.principalTenant !== undefined).length} cross-tenant ` +
      `(${sessionsAcross.length} across cells) denied, ${untagged.length} untagged denied, ${own.filter((d) => d.result === 'Allowed').length} of ${own.length} own allowed; ` +
      `tenant roles ${c.total} decisions: ${c.cross} cross-tenant (${rolesAcross.length} across cells), all denied: ${c.crossDenied === c.cross}; ` +
      `own ${c.ownGrantedAllowed} granted and allowed`,
  );
  assert.ok(sessionsAcross.length > 0 && rolesAcross.length > 0, 'no decision across cells was evaluated');
  assert.equal(sessions.unexpected.length, 0, sessions.unexpected.slice(0, 10).map((d) => JSON.stringify(d)).join('\n'));
  assert.deepEqual(sessions.missing, [], 'granted actions a session never gets on its own resources');
  assert.equal(isolation.unexpected.length, 0, isolation.unexpected.slice(0, 10).map((d) => JSON.stringify(d)).join('\n'));
  assert.deepEqual(isolation.unexercised.filter((u) => !u.conditional), []);
  return { sessionsAcross, rolesAcross };
}

const rendered = {};
for (const name of ['ecs-fargate-500', 'serverless-500']) {
  test(`iam isolation across cells: ${name}`, async () => {
    rendered[name] = render(name);
    const { sample, program } = sampled(rendered[name], name);
    const cellOf = new Map(sample.flatMap((s) => s.tenants.map((t) => [t, s.cell])));
    assert.equal(sample.length, 3);
    const model = restrict(buildModel(program), sample);
    assert.equal(model.tenants.length, 9, `sampled tenants with roles or resources: ${model.tenants.join(', ')}`);

    const report = await evaluateIsolation(model);
    const acrossCells = report.decisions.filter((d) => d.cross && cellOf.get(d.principalTenant) !== cellOf.get(d.resourceTenant));
    const c = report.counts;
    console.log(
      `iam: ${name}: sample ${sample.map((s) => `${s.cell} [${s.tenants.join(', ')}]`).join('; ')}; ` +
        `${model.tenantRoles.length} tenant roles, ${model.tenantResources.length} tenant resources`,
    );
    console.log(
      `iam: ${name}: ${c.total} decisions: ${c.cross} cross-tenant (${acrossCells.length} across cells), all denied: ` +
        `${c.crossDenied === c.cross}; own ${c.ownGrantedAllowed} granted and allowed, ${c.ownNotGranted} not granted`,
    );
    assert.ok(acrossCells.length > 0, 'no decision across cells was evaluated');
    assert.deepEqual(
      acrossCells.filter((d) => d.result === 'Allowed').map((d) => `${d.principal} ${d.action} ${d.resource}`),
      [],
    );
    assert.equal(report.unexpected.length, 0, report.unexpected.slice(0, 10).map((d) => JSON.stringify(d)).join('\n'));
    assert.deepEqual(report.unexercised.filter((u) => !u.conditional), []);
  });
}

test('iam isolation across cells: enterprise-500', async () => {
  rendered['enterprise-500'] = render('enterprise-500');
  const { sample, program } = sampled(rendered['enterprise-500'], 'enterprise-500');
  assert.equal(sample.length, 3);
  await checkEnterprise(program, sample);
});

test('negative: a pooled session granted every tenant\'s objects is caught across cells', async () => {
  const dir = rendered['enterprise-500'] ?? render('enterprise-500');
  const { sample, program } = sampled(dir, 'enterprise-500 (tampered)');
  const policy = Object.values(program.main.resources).find(
    (r) => normalizeType(r.type) === 'aws:iam:RolePolicy' && r.properties.role === '${tenant-access-role.id}',
  );
  // The bucket policies would still refuse; the identity policy alone must already.
  const objects = policy.properties.policy['fn::toJSON'].Statement.find((s) => s.Sid === 'OwnObjects');
  objects.Resource = objects.Resource.map((a) => a.replace('$${aws:PrincipalTag/tenant_id}', '*'));
  const model = restrictCallers(buildModel(program), sample);
  const [role] = sessionRoles(model);
  const standard = model.tenants.filter((t) => !dedicatedTenants(model).has(t));
  const report = await evaluateSessions(model, role, standard);
  const cellOf = new Map(sample.flatMap((s) => s.tenants.map((t) => [t, s.cell])));
  const leaks = acrossCells(report.unexpected, cellOf);
  console.log(`iam: negative across cells: a session granted every tenant's objects: ${leaks.length} identity allows across cells`);
  assert.ok(leaks.length > 0, 'the widened session grant produced no unexpected allow across cells');
  for (const d of leaks) assert.equal(d.service, 's3');
});

test('negative: a grant on a tenant secret of another cell is reported', async () => {
  const dir = rendered['ecs-fargate-500'] ?? render('ecs-fargate-500');
  const { sample, program } = sampled(dir, 'ecs-fargate-500 (tampered)');
  const resources = program.main.resources;
  const [first, last] = [sample[0].tenants[0], sample[2].tenants[0]];
  const secretOf = (tenant) =>
    Object.keys(resources).find(
      (k) => normalizeType(resources[k].type) === 'aws:secretsmanager:Secret' && resources[k].properties?.tags?.[TENANT_TAG] === tenant,
    );
  const [own, foreign] = [secretOf(first), secretOf(last)];
  assert.ok(own && foreign, `secrets of ${first} and ${last}`);
  let injected = 0;
  for (const resource of Object.values(resources)) {
    if (normalizeType(resource.type) !== 'aws:iam:RolePolicy') continue;
    for (const statement of resource.properties.policy['fn::toJSON']?.Statement ?? []) {
      const list = [statement.Resource].flat();
      const extra = list.filter((r) => r.includes(`\${${own}.arn}`)).map((r) => r.replace(own, foreign));
      if (extra.length) {
        statement.Resource = [...list, ...extra];
        injected += extra.length;
      }
    }
  }
  assert.ok(injected > 0, `no role policy of ${first} names its secret`);
  const report = await evaluateIsolation(restrict(buildModel(program), sample));
  const leaks = report.unexpected.filter((d) => d.cross && d.result === 'Allowed');
  console.log(`iam: negative across cells: ${first} granted ${foreign}: ${leaks.length} unexpected allows`);
  assert.ok(leaks.length > 0, 'the injected cross-cell grant produced no unexpected allow');
  for (const d of leaks) {
    assert.equal(d.principalTenant, first);
    assert.equal(d.resourceTenant, last);
  }
});
