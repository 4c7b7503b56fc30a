// The statements tenantStatements() produces, run as the superuser postgres on a scratch
// database, give each tenant its own schema and nothing else; re-runs are harmless; a changed
// password is applied; parallel runs for several tenants do not collide.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { tenantStatements } from '../db-init/index.mjs';
import {
  PG_SUPERUSER, TEMPLATE, assertIsolation, connect, createScratch, makeTenant, randomPassword, runStatements,
  scramMatches, storedVerifier,
} from './helpers.mjs';

describe('tenant.sql run as postgres through pg', () => {
  let scratch;
  let su;
  let tenants;

  const statementsFor = (t, database) => tenantStatements(TEMPLATE, {
    schema: t.schema, username: t.username, password: t.password, database,
  });

  before(async () => {
    scratch = await createScratch('tapgen_dbinit');
    tenants = ['acme-corp', 'globex-inc', 'initech-llc'].map((id) => makeTenant(id, scratch.suffix));
    scratch.roles.push(...tenants.map((t) => t.username));
    su = await connect(PG_SUPERUSER, scratch.database);
  });

  after(async () => {
    await su?.end();
    await scratch?.cleanup();
  });

  test('first run provisions three isolated tenants', async () => {
    for (const t of tenants) await runStatements(su, statementsFor(t, scratch.database));
    for (const t of tenants) assert.ok(scramMatches(await storedVerifier(su, t.username), t.password), `${t.username} password set`);
    await assertIsolation({ database: scratch.database, tenants, superClient: su, tag: 'r1' });
  });

  test('second run of the whole statement set is harmless and keeps tenant data', async () => {
    for (const t of tenants) await runStatements(su, statementsFor(t, scratch.database));
    for (const t of tenants) {
      const c = await connect(t.username, scratch.database);
      try {
        const { rows } = await c.query('SELECT id, v FROM items_r1');
        assert.deepEqual(rows, [{ id: 2, v: 'c' }], `${t.username}: data survives a re-run`);
      } finally {
        await c.end();
      }
    }
    await assertIsolation({ database: scratch.database, tenants, superClient: su, tag: 'r2' });
  });

  test('a changed password is applied by a re-run', async () => {
    const t = tenants[1];
    const old = t.password;
    t.password = randomPassword();
    await runStatements(su, statementsFor(t, scratch.database));
    const verifier = await storedVerifier(su, t.username);
    assert.ok(scramMatches(verifier, t.password), 'new password verifies');
    assert.ok(!scramMatches(verifier, old), 'old password no longer verifies');
    for (const o of [tenants[0], tenants[2]]) assert.ok(scramMatches(await storedVerifier(su, o.username), o.password), `${o.username} untouched`);
    await assertIsolation({ database: scratch.database, tenants, superClient: su, tag: 'r3' });
  });

  test('parallel runs for all tenants (as Pulumi invokes them) do not collide', async () => {
    const clients = await Promise.all(tenants.map(() => connect(PG_SUPERUSER, scratch.database)));
    try {
      for (let round = 0; round < 5; round++) {
        await Promise.all(tenants.map((t, i) => runStatements(clients[i], statementsFor(t, scratch.database))));
      }
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    await assertIsolation({ database: scratch.database, tenants, superClient: su, tag: 'r4' });
  });

  test('our SCRAM verifier is the one PostgreSQL computes for the same password and salt', async () => {
    const t = tenants[0];
    const plain = randomPassword();
    await su.query(`SET password_encryption = 'scram-sha-256'`);
    await su.query(`ALTER ROLE "${t.username}" PASSWORD '${plain}'`);
    const pgVerifier = await storedVerifier(su, t.username);
    const [, iterations, salt] = /^SCRAM-SHA-256\$(\d+):([^$]+)\$/.exec(pgVerifier);
    assert.equal(Number(iterations), 4096);
    const ours = tenantStatements(TEMPLATE, {
      schema: t.schema, username: t.username, password: plain, database: scratch.database, salt: Buffer.from(salt, 'base64'),
    });
    assert.ok(ours.some((s) => s.includes(`PASSWORD '${pgVerifier}'`)), 'identical verifier');
    await runStatements(su, statementsFor(t, scratch.database));
  });

  test('an existing role with elevated attributes or memberships is refused, not adopted', async () => {
    const bad = makeTenant('rogue', scratch.suffix);
    scratch.roles.push(bad.username);
    await su.query(`CREATE ROLE "${bad.username}" LOGIN BYPASSRLS`);
    await assert.rejects(runStatements(su, statementsFor(bad, scratch.database)), (e) => e.code === '42501' && /refusing/.test(e.message));
    await su.query(`ALTER ROLE "${bad.username}" NOBYPASSRLS`);
    await su.query(`GRANT pg_read_all_data TO "${bad.username}"`);
    await assert.rejects(runStatements(su, statementsFor(bad, scratch.database)), (e) => e.code === '42501' && /member/.test(e.message));
    const { rows } = await su.query(`SELECT rolpassword FROM pg_authid WHERE rolname = $1`, [bad.username]);
    assert.equal(rows[0].rolpassword, null, 'no password was handed to the refused role');
  });
});
