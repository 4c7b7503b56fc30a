// Real IAM evaluation of System B's dynamic tenant IAM (see sessions.mjs): the trust policy of every
// session role, and every tagged and untagged session against every tenant's resources.
//
// Programs evaluated: the identity fixture (crates/check/tests/fixtures/policy/identity, the render
// of `cargo run -p identity --example iam_fixture`, kept current by crates/identity/tests/fixture.rs)
// and examples/enterprise once it is rendered.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { evaluateIsolation } from './evaluate.mjs';
import { buildModel, TENANT_TAG } from './model.mjs';
import { loadProgram } from './program.mjs';
import { dedicatedTenants, evaluateSessions, evaluateTrust, sessionRoles, UNKNOWN_ID } from './sessions.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const programs = [];
if (existsSync(join(ROOT, 'examples', 'enterprise', 'Main.yaml'))) {
  programs.push({ name: 'enterprise', dir: join(ROOT, 'examples', 'enterprise') });
}
programs.push({ name: 'identity fixture', dir: join(ROOT, 'crates', 'check', 'tests', 'fixtures', 'policy', 'identity') });

const show = (d) => Object.entries(d).filter(([k]) => !['blockedBy', 'identityAllowStatements'].includes(k)).map(([k, v]) => `${k}=${v}`).join(' ');

async function check(program) {
  const model = buildModel(program);
  const roles = sessionRoles(model);
  assert.ok(roles.length > 0, `${program.name}: no role's trust policy conditions on the ${TENANT_TAG} request tag`);
  const tag = `iam: ${program.name}:`;
  const totals = { trust: 0, sessions: 0, cross: 0, untagged: 0, own: 0, ownAllowed: 0 };
  for (const role of roles) {
    const trust = await evaluateTrust(model, role);
    totals.trust += trust.decisions.length;
    assert.equal(trust.unexpected.length, 0, `${role.name} trust:\n${trust.unexpected.slice(0, 20).map(show).join('\n')}`);
    const standard = model.tenants.filter((t) => !dedicatedTenants(model).has(t));
    assert.deepEqual(trust.admitted, standard, `${role.name}: the trusted caller may take exactly the standard tenants' tags`);
    assert.ok(trust.admitted.length >= 2, `${role.name}: isolation needs at least 2 tenants it serves`);

    const report = await evaluateSessions(model, role, trust.admitted);
    const cross = report.decisions.filter((d) => d.cross && d.principalTenant !== undefined);
    const untagged = report.decisions.filter((d) => d.principalTenant === undefined);
    const own = report.decisions.filter((d) => !d.cross);
    totals.sessions += report.decisions.length;
    totals.cross += cross.length;
    totals.untagged += untagged.length;
    totals.own += own.length;
    totals.ownAllowed += own.filter((d) => d.result === 'Allowed').length;
    console.log(
      `${tag} ${role.name}: trust ${trust.decisions.length} requests (${trust.decisions.filter((d) => d.result === 'Allowed').length} allowed: ` +
        `${trust.admitted.join(', ')}; unknown id ${UNKNOWN_ID} ${trust.decisions.some((d) => d.request === `${TENANT_TAG}=${UNKNOWN_ID}` && d.result === 'Allowed') ? 'admitted, names nothing' : 'refused'}); ` +
        `${report.pairs} ordered tenant pairs, ${cross.length} cross-tenant decisions denied, ${untagged.length} untagged denied, ` +
        `${own.filter((d) => d.result === 'Allowed').length} of ${own.length} own allowed; actions ${Object.entries(report.actions).map(([s, a]) => `${s} ${a.length}`).join(', ')}` +
        (report.unevaluated.length ? `; granted but no resource in the program to evaluate on: ${report.unevaluated.join(', ')}` : ''),
    );
    assert.ok(cross.length > 0 && untagged.length > 0, `${role.name}: nothing evaluated`);
    assert.equal(report.unexpected.length, 0, `${role.name} sessions:\n${report.unexpected.slice(0, 20).map(show).join('\n')}`);
    assert.deepEqual(report.missing, [], `${role.name}: granted actions a session never gets on its own resources`);
  }

  // Roles of their own (premium tenants): the matrix the other systems pass.
  if (model.tenantRoles.length > 0) {
    const report = await evaluateIsolation(model);
    console.log(`${tag} tenant roles: ${report.counts.total} decisions, ${report.counts.crossDenied} cross-tenant denied, ${report.counts.ownAllowed} own allowed`);
    assert.equal(report.unexpected.length, 0, report.unexpected.slice(0, 20).map(show).join('\n'));
  }
  console.log(`${tag} total ${totals.trust} trust requests, ${totals.sessions} session decisions (${totals.cross} cross-tenant, ${totals.untagged} untagged, ${totals.ownAllowed}/${totals.own} own allowed)`);
  return model;
}

for (const p of programs) {
  test(`system B dynamic IAM: ${p.name}`, async () => {
    await check(loadProgram(p.dir, p.name));
  });
}

// -- the test can fail ----------------------------------------------------------------------------

const fixture = programs.find((p) => p.name === 'identity fixture');

/** The program with `edit(resources)` applied to a copy. */
function tampered(name, edit) {
  const program = loadProgram(fixture.dir, `${fixture.name} (${name})`);
  edit(program.main.resources);
  return program;
}

const accessRole = (resources) => Object.values(resources).find((r) => r.type === 'aws:iam:Role' && r.properties.name.endsWith('tenant-access-prod'));
const trustCondition = (resources) => accessRole(resources).properties.assumeRolePolicy['fn::toJSON'].Statement[0].Condition;

for (const [name, edit, expect] of [
  ['trust without the TagKeys condition', (r) => delete trustCondition(r)['ForAllValues:StringEquals'], /role=admin/],
  ['trust without the transitive-tag refusal', (r) => delete trustCondition(r)['Null']['sts:TransitiveTagKeys'], /transitive/],
  ['trust without the request-tag condition', (r) => delete trustCondition(r)['Null']['aws:RequestTag/tenant_id'], /no tag/],
  ['trust without the wildcard refusal', (r) => delete trustCondition(r).StringNotLike, /request=tenant_id=\* /],
  ['trust without the premium refusal', (r) => delete trustCondition(r).StringNotEquals, /request=tenant_id=acme /],
  [
    'a session may assume the role again',
    (r) => {
      const statement = accessRole(r).properties.assumeRolePolicy['fn::toJSON'].Statement[0];
      statement.Principal.AWS = [statement.Principal.AWS, `arn:aws:iam::111122223333:role/${accessRole(r).properties.name}`];
    },
    /\[/,
  ],
  [
    'a bucket grant without the principal tag (the bucket policy would still stop it)',
    (r) => {
      const policy = Object.values(r).find((x) => x.type === 'aws:iam:RolePolicy' && x.properties.role === '${tenant-access-role.id}');
      const objects = policy.properties.policy['fn::toJSON'].Statement.find((s) => s.Sid === 'OwnObjects');
      objects.Resource = objects.Resource.map((a) => a.replace('$${aws:PrincipalTag/tenant_id}', '*'));
    },
    /cross=true.*identity=Allowed/,
  ],
  [
    'a parameter grant without the principal tag',
    (r) => {
      const policy = Object.values(r).find((x) => x.type === 'aws:iam:RolePolicy' && x.properties.role === '${tenant-access-role.id}');
      const config = policy.properties.policy['fn::toJSON'].Statement.find((s) => s.Sid === 'OwnConfiguration');
      config.Resource = config.Resource.map((a) => a.replace('$${aws:PrincipalTag/tenant_id}', '*'));
    },
    /ssm:GetParameter .*cross=true.*result=Allowed/,
  ],
  [
    'a key grant without the resource-tag condition',
    (r) => {
      const policy = Object.values(r).find((x) => x.type === 'aws:iam:RolePolicy' && x.properties.role === '${tenant-access-role.id}');
      delete policy.properties.policy['fn::toJSON'].Statement.find((s) => s.Sid === 'OwnKeyThroughItsServices').Condition.StringEquals['aws:ResourceTag/tenant_id'];
    },
    /kms:/,
  ],
]) {
  test(`negative: ${name} is caught`, async () => {
    await assert.rejects(check(tampered(name, edit)), (e) => {
      assert.match(e.message, expect);
      return true;
    });
  });
}
