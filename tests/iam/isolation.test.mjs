// Real IAM evaluation of tenant isolation: for every rendered example (examples/*/Main.yaml), every
// tenant role is evaluated by @cloud-copilot/iam-simulate against every other tenant's resources
// (must be denied) and against its own (whatever its identity policies grant must be allowed).
//
// Run: scripts/test-iam.sh   (or: npm ci --prefix tests/iam && node --test tests/iam/*.test.mjs)

import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  decide,
  engineVersions,
  evaluateIsolation,
  evaluatePlatformRoles,
  platformProbe,
} from './evaluate.mjs';
import { buildModel, TENANT_TAG } from './model.mjs';
import { discoverExamples, loadProgram, normalizeType } from './program.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXAMPLES = join(ROOT, 'examples');
const examples = discoverExamples(EXAMPLES);

const line = (d) =>
  `${d.principal} (${d.principalTenant}) ${d.action} ${d.resource} (${d.resourceTenant}): ${d.result}` +
  ` [identity ${d.identity}, resource policy ${d.resourcePolicy ?? 'none'}], expected ${d.expected}`;

/** Unexpected decisions grouped by cause, then the first few in full. */
function summarize(unexpected, max = 20) {
  const groups = new Map();
  for (const d of unexpected) {
    const key =
      `${d.cross ? 'cross-tenant' : 'own'} ${d.action} on ${d.kind}: ${d.result} ` +
      `(identity ${d.identity}, resource policy ${d.resourcePolicy ?? 'none'}; allowed by ${d.identityAllowStatements.join(', ') || '-'})`;
    const g = groups.get(key) ?? { count: 0, principals: new Set() };
    g.count += 1;
    g.principals.add(d.principal);
    groups.set(key, g);
  }
  const lines = [...groups].map(([k, g]) => `  ${g.count} x ${k} [${g.principals.size} principals]`);
  const detail = unexpected.slice(0, max).map((d) => `  ${line(d)}`);
  const more = unexpected.length > max ? [`  ... and ${unexpected.length - max} more`] : [];
  return [...lines, 'first decisions:', ...detail, ...more].join('\n');
}

test('rendered examples are discovered', async () => {
  const versions = await engineVersions();
  console.log(
    `iam: engine ${Object.entries(versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}; examples: ${examples.map((e) => e.name).join(', ')}`,
  );
  assert.ok(examples.length > 0, `no folder with a Main.yaml under ${EXAMPLES}`);
});

for (const example of examples) {
  test(`iam isolation: ${example.name}`, async () => {
    const model = buildModel(loadProgram(example.dir, example.name));
    assert.ok(model.tenants.length >= 2, `${example.name}: ${model.tenants.length} tenant(s); isolation needs at least 2`);
    assert.ok(model.tenantRoles.length > 0, `${example.name}: no IAM role carries a ${TENANT_TAG} tag`);

    const report = await evaluateIsolation(model);
    const c = report.counts;
    const tag = `iam: ${example.name}:`;
    console.log(`${tag} ${c.total} decisions evaluated (${c.crossDenied} cross-tenant denied, ${c.ownAllowed} own allowed)`);
    console.log(
      `${tag} ${model.tenants.length} tenants, ${model.tenantRoles.length} tenant roles, ` +
        `${model.tenantResources.length} tenant resources; cross-tenant ${c.crossExplicit} explicitly + ` +
        `${c.crossImplicit} implicitly denied; own ${c.ownGrantedAllowed} granted and allowed, ${c.ownNotGranted} not granted`,
    );
    console.log(
      `${tag} actions: ${Object.entries(report.actions)
        .map(([svc, acts]) => `${svc} ${acts.length}`)
        .join(', ')}`,
    );
    if (c.crossMasked > 0) {
      console.log(`${tag} WARNING ${c.crossMasked} cross-tenant requests allowed by an identity policy, denied only by a resource policy:`);
      for (const d of report.decisions.filter((x) => x.cross && x.identity === 'Allowed' && x.result !== 'Allowed')) {
        console.log(`  ${line(d)}`);
      }
    }

    const probe = await platformProbe(model);
    if (probe.length) {
      console.log(
        `${tag} untagged platform principal with an s3:GetObject grant: ` +
          probe.map((p) => `${p.bucket} ${p.result}`).join(', '),
      );
    }
    const platform = (await evaluatePlatformRoles(model, report.actions)).filter((d) => d.result === 'Allowed');
    const reach = new Map();
    for (const d of platform) {
      const key = `${d.principal} -> ${d.tenant}`;
      reach.set(key, new Set([...(reach.get(key) ?? []), d.action]));
    }
    for (const [key, acts] of reach) console.log(`${tag} platform role ${key}: ${[...acts].sort().join(', ')}`);

    const conditional = report.unexercised.filter((u) => u.conditional);
    for (const u of conditional) {
      console.log(`${tag} WARNING conditional grant never allowed in the modelled context: ${u.principal} ${u.policy} ${u.action} ${u.pattern}`);
    }

    assert.ok(c.total > 0, `${example.name}: no decisions evaluated`);
    assert.ok(c.cross > 0, `${example.name}: no cross-tenant decisions evaluated`);
    assert.equal(
      report.unexpected.length,
      0,
      `${example.name}: ${report.unexpected.length} unexpected decisions\n${summarize(report.unexpected)}`,
    );
    const ineffective = report.unexercised.filter((u) => !u.conditional);
    assert.equal(
      ineffective.length,
      0,
      `${example.name}: grants on the role's own resources that never evaluate to allowed:\n` +
        ineffective.map((u) => `${u.principal} ${u.policy} ${u.action} ${u.pattern}`).join('\n'),
    );
  });
}

// -- the test can fail ----------------------------------------------------------------------------

const ecsFargate = examples.find((e) => e.name === 'ecs-fargate');
assert.ok(ecsFargate, 'the negative and modelling tests need examples/ecs-fargate');

function findTenantResource(resources, type, tenant) {
  const hit = Object.keys(resources).find(
    (k) => normalizeType(resources[k].type) === type && resources[k].properties?.tags?.[TENANT_TAG] === tenant,
  );
  assert.ok(hit, `no ${type} of ${tenant}`);
  return hit;
}

test('negative: a cross-tenant grant injected into ecs-fargate is reported', async () => {
  const program = loadProgram(ecsFargate.dir, 'ecs-fargate (tampered)');
  const resources = program.main.resources;
  // Secrets have no resource policy: only the identity policy stands between tenants, so a
  // grant naming another tenant's secret must show up as a leak. (Buckets would not: their
  // policy denies principals tagged as another tenant.)
  const acmeSecret = findTenantResource(resources, 'aws:secretsmanager:Secret', 'acme-corp');
  const globexSecret = findTenantResource(resources, 'aws:secretsmanager:Secret', 'globex-inc');
  const acmeRoles = Object.keys(resources).filter(
    (k) => normalizeType(resources[k].type) === 'aws:iam:Role' && resources[k].properties?.tags?.[TENANT_TAG] === 'acme-corp',
  );
  const taskPolicy = Object.keys(resources).find(
    (k) =>
      normalizeType(resources[k].type) === 'aws:iam:RolePolicy' &&
      acmeRoles.some((r) => resources[k].properties.role === `\${${r}.id}`) &&
      JSON.stringify(resources[k].properties.policy).includes(`\${${acmeSecret}.arn}`),
  );
  assert.ok(taskPolicy, 'no acme-corp role policy names the acme-corp secret');
  let injected = 0;
  for (const statement of resources[taskPolicy].properties.policy['fn::toJSON'].Statement) {
    const list = [statement.Resource].flat();
    const foreign = list.filter((r) => r.includes(`\${${acmeSecret}.arn}`)).map((r) => r.replace(acmeSecret, globexSecret));
    if (foreign.length) {
      statement.Resource = [...list, ...foreign];
      injected += foreign.length;
    }
  }
  assert.ok(injected > 0);

  const report = await evaluateIsolation(buildModel(program));
  const leaks = report.unexpected.filter((d) => d.cross && d.result === 'Allowed');
  console.log(
    `iam: negative: ${taskPolicy} + ${globexSecret}: ${report.counts.total} decisions, ${leaks.length} unexpected allows: ` +
      leaks.map((d) => `${d.principal} ${d.action} ${d.resource}`).join('; '),
  );
  console.log(
    `iam: negative: ${report.counts.crossIdentityGranted} cross-tenant requests now granted by the identity policy, ` +
      `${report.decisions.filter((d) => d.cross && d.identity === 'Allowed' && d.result === 'ExplicitlyDenied').length} of them stopped by a resource policy`,
  );
  assert.ok(leaks.length > 0, 'the injected cross-tenant grant produced no unexpected allow');
  for (const d of leaks) {
    assert.equal(d.principalTenant, 'acme-corp');
    assert.equal(d.resourceLogical, globexSecret);
  }
});

test('modelling: a KMS key without a key policy gets the AWS default one', async () => {
  // Without a key policy trusting the account, KMS ignores identity policies; the default key
  // policy (account root: kms:*) is what makes a tenant's own kms:Decrypt grant effective.
  const model = buildModel(loadProgram(ecsFargate.dir, 'ecs-fargate'));
  const key = model.tenantResources.find((r) => r.type === 'aws:kms:Key' && r.tenant === 'acme-corp');
  assert.deepEqual(key.policySources, ['AWS default key policy']);
  const role = model.tenantRoles.find(
    (r) => r.tenant === 'acme-corp' && r.policies.some((p) => JSON.stringify(p.policy).includes(key.arn)),
  );
  assert.equal((await decide(role, 'kms:Decrypt', key.arn, key)).result, 'Allowed');
  assert.notEqual((await decide(role, 'kms:Decrypt', key.arn, { ...key, resourcePolicy: undefined })).result, 'Allowed');
});
