// IAM isolation across cells: the 500-tenant configs of examples/scale (Systems A and C, cells of
// 50) are rendered, the platform and a sample of cells merged into one program (cells.mjs), and
// every tenant role of the sample evaluated against every sampled tenant's resources. The sample:
// the first, middle and last cell, and in each its first, middle and last tenant (9 tenants, 72
// ordered pairs, 54 of them across cells; the first and last tenant of the config are among them).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { cellsOf, mergeCells, sampleTenants } from './cells.mjs';
import { evaluateIsolation } from './evaluate.mjs';
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
