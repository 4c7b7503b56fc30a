// The Lambda handler end to end, with a fake Data API client that runs each statement on a real
// scratch database and a fake Secrets Manager. The scratch database is owned by a NON-superuser
// CREATEROLE role, as Aurora's master user is, and the fake Data API connects as that role: this
// proves the SQL needs nothing an Aurora master user lacks.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import pg from 'pg';
import { makeHandler } from '../db-init/index.mjs';
import { fakeDataApi } from './data-api.mjs';
import {
  PG_HOST, PG_PORT, PG_SUPERUSER, TEMPLATE, assertIsolation, connect, createScratch, makeTenant, randomPassword,
  scramMatches, storedVerifier,
} from './helpers.mjs';

const CLUSTER_ARN = 'arn:aws:rds:us-east-1:123456789012:cluster:saas-platform-db-test';
const ADMIN_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-0000-AbCdEf';
const secretArn = (t) => `arn:aws:secretsmanager:us-east-1:123456789012:secret:rds/tenant/${t.tenantId}/password-AbCdEf`;

function fakeSecrets(store) {
  const calls = [];
  return {
    calls,
    async send(command) {
      assert.ok(command instanceof GetSecretValueCommand);
      calls.push(command.input);
      const value = store.get(command.input.SecretId);
      if (value === undefined) {
        const e = new Error("Secrets Manager can't find the specified secret.");
        e.name = 'ResourceNotFoundException';
        throw e;
      }
      return { ARN: command.input.SecretId, SecretString: value };
    },
  };
}

function capturingLog() {
  const lines = [];
  return { lines, info: (...a) => lines.push(a.join(' ')), error: (...a) => lines.push(a.join(' ')) };
}

describe('handler with injected clients', () => {
  let scratch;
  let su;
  let pool;
  let tenants;
  let store;
  let rds;
  let secrets;
  let log;
  let owner;

  const eventFor = (t, extra = {}) => ({
    tenantId: t.tenantId, schema: t.schema, username: t.username, passwordSecretArn: secretArn(t),
    database: scratch.database, ...extra,
  });
  const setSecret = (t) => store.set(secretArn(t), JSON.stringify({ username: t.username, password: t.password }));
  const build = (overrides = {}) => makeHandler({
    rdsData: rds, secrets, sql: TEMPLATE, log, sleep: async () => {},
    env: { CLUSTER_ARN, ADMIN_SECRET_ARN, DATABASE: scratch.database }, ...overrides,
  });
  const assertNoSecretsLeaked = (texts) => {
    for (const t of tenants) for (const x of texts) assert.ok(!x.includes(t.password), 'password never logged or returned');
    for (const x of texts) assert.ok(!/SCRAM-SHA-256\$/.test(x), 'verifier never logged or returned');
  };

  before(async () => {
    const suffix = Math.random().toString(36).slice(2, 10);
    owner = `tapgen_master_${suffix}`;
    scratch = await createScratch('tapgen_dbinit_handler', { owner });
    tenants = ['acme-corp', 'globex-inc', 'initech-llc'].map((id) => makeTenant(id, scratch.suffix));
    scratch.roles.push(...tenants.map((t) => t.username));
    su = await connect(PG_SUPERUSER, scratch.database);
    pool = new pg.Pool({ host: PG_HOST, port: PG_PORT, user: owner, database: scratch.database, max: 3 });
    pool.on('error', () => {});
    store = new Map();
    for (const t of tenants) setSecret(t);
  });

  beforeEach(() => {
    rds = fakeDataApi(pool, { clusterArn: CLUSTER_ARN, secretArn: ADMIN_SECRET_ARN, database: scratch.database });
    secrets = fakeSecrets(store);
    log = capturingLog();
  });

  after(async () => {
    await pool?.end();
    await su?.end();
    await scratch?.cleanup();
  });

  test('the Data API user is not a superuser (like the Aurora master user)', async () => {
    const { rows: [r] } = await su.query('SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = $1', [owner]);
    assert.deepEqual({ ...r }, { rolsuper: false, rolcreaterole: true });
  });

  test('provisions three tenants in parallel; isolation holds', async () => {
    const handler = build();
    const results = await Promise.all(tenants.map((t) => handler(eventFor(t))));
    assert.deepEqual(results, tenants.map((t) => ({ tenantId: t.tenantId, schema: t.schema, statements: 8 })));
    assert.equal(rds.calls.length, 24);
    assert.ok(rds.inputs.every((i) => i.command === 'ExecuteStatementCommand' && !i.parameters && !i.transactionId),
      'one plain ExecuteStatement per statement: no parameters, no transaction');
    assert.equal(secrets.calls.length, 3);
    for (const t of tenants) assert.ok(scramMatches(await storedVerifier(su, t.username), t.password));
    await assertIsolation({ database: scratch.database, tenants, superClient: su, tag: 'h1' });
    assertNoSecretsLeaked([...log.lines, JSON.stringify(results)]);
  });

  test('a second invocation is harmless; a changed password is applied', async () => {
    const handler = build();
    for (const t of tenants) await handler(eventFor(t));
    const t = tenants[2];
    const old = t.password;
    t.password = randomPassword();
    setSecret(t);
    const res = await handler(eventFor(t, { passwordSecretVersionId: '01234567-89ab-cdef-0123-456789abcdef', trigger: 'v2' }));
    assert.deepEqual(res, { tenantId: t.tenantId, schema: t.schema, statements: 8 });
    assert.equal(secrets.calls.at(-1).VersionId, '01234567-89ab-cdef-0123-456789abcdef');
    const verifier = await storedVerifier(su, t.username);
    assert.ok(scramMatches(verifier, t.password) && !scramMatches(verifier, old));
    await assertIsolation({ database: scratch.database, tenants, superClient: su, tag: 'h2' });
    assertNoSecretsLeaked(log.lines);
  });

  test('accepts the event as a JSON string and takes the database from the environment', async () => {
    const { database, ...rest } = eventFor(tenants[0]);
    assert.equal(database, scratch.database);
    const res = await build()(JSON.stringify(rest));
    assert.equal(res.statements, 8);
  });

  test('connectionLimit from the event is applied', async () => {
    await build()(eventFor(tenants[0], { connectionLimit: 12 }));
    const { rows: [r] } = await su.query('SELECT rolconnlimit FROM pg_roles WHERE rolname = $1', [tenants[0].username]);
    assert.equal(r.rolconnlimit, 12);
    await build()(eventFor(tenants[0]));
  });

  test('a delete lifecycle event (lifecycleScope CRUD) changes nothing', async () => {
    const res = await build()(eventFor(tenants[0], { tf: { action: 'delete', prev_input: {} } }));
    assert.deepEqual(res, { tenantId: tenants[0].tenantId, schema: tenants[0].schema, statements: 0 });
    assert.equal(rds.calls.length, 0);
    assert.equal(secrets.calls.length, 0);
  });

  test('retries a resuming database, then succeeds', async () => {
    const e = new Error('The database is resuming');
    e.name = 'DatabaseResumingException';
    rds.failNext.push(e, e);
    const res = await build()(eventFor(tenants[1]));
    assert.equal(res.statements, 8);
    assert.equal(rds.calls.length, 10);
  });

  describe('rejects bad input before any statement runs', () => {
    const invalidEvents = {
      'schema with upper case': (t) => ({ schema: 'Tenant_acme' }),
      'schema with a quote': (t) => ({ schema: 'tenant"; DROP SCHEMA public; --' }),
      'schema too long': (t) => ({ schema: `t${'a'.repeat(63)}` }),
      'reserved schema': (t) => ({ schema: 'pg_catalog' }),
      'username with a dash': (t) => ({ username: 'tenant-acme' }),
      'username of the admin': (t) => ({ username: 'postgres' }),
      'username rds_superuser': (t) => ({ username: 'rds_superuser' }),
      'missing username': (t) => ({ username: undefined }),
      'database with a quote': (t) => ({ database: 'saas"db' }),
      'database differing from DATABASE': (t) => ({ database: 'otherdb' }),
      'bad tenantId': (t) => ({ tenantId: 'Acme Corp' }),
      'missing secret ARN': (t) => ({ passwordSecretArn: '' }),
      'bad secret version id': (t) => ({ passwordSecretVersionId: "x'" }),
      'bad connectionLimit': (t) => ({ connectionLimit: 0 }),
    };
    for (const [name, change] of Object.entries(invalidEvents)) {
      test(name, async () => {
        const t = tenants[0];
        await assert.rejects(build()({ ...eventFor(t), ...change(t) }), /invalid|differs/);
        assert.equal(rds.calls.length, 0, 'no statement ran');
        assert.equal(secrets.calls.length, 0, 'secret not even read');
      });
    }

    test('non-object events', async () => {
      for (const ev of [null, 42, [], 'not json', undefined]) {
        await assert.rejects(build()(ev), /event/);
      }
      assert.equal(rds.calls.length, 0);
    });

    test('missing environment', async () => {
      await assert.rejects(build({ env: { ADMIN_SECRET_ARN, DATABASE: 'x' } })(eventFor(tenants[0])), /CLUSTER_ARN/);
      await assert.rejects(build({ env: { CLUSTER_ARN, DATABASE: 'x' } })(eventFor(tenants[0])), /ADMIN_SECRET_ARN/);
      const { database, ...noDb } = eventFor(tenants[0]);
      await assert.rejects(build({ env: { CLUSTER_ARN, ADMIN_SECRET_ARN } })(noDb), /no database/);
      assert.equal(rds.calls.length, 0);
    });

    const badSecrets = {
      'password with a quote': (t) => JSON.stringify({ username: t.username, password: "abcdefgh'; DROP ROLE x; --" }),
      'password with a backslash': (t) => JSON.stringify({ username: t.username, password: 'abcdefghijklmnop\\' }),
      'password too short': (t) => JSON.stringify({ username: t.username, password: 'abc' }),
      'password not a string': (t) => JSON.stringify({ username: t.username, password: 1234567890123456 }),
      'no password': (t) => JSON.stringify({ username: t.username }),
      'plain string secret': () => 'Sup3r-Secret-Value-Not-Json',
      'JSON array': () => '["Sup3r-Secret-Value-In-Array"]',
      'username mismatch': (t) => JSON.stringify({ username: 'someone_else', password: 'Abcdefghijklmnop1234' }),
    };
    for (const [name, secret] of Object.entries(badSecrets)) {
      test(`secret: ${name}`, async () => {
        const t = tenants[0];
        const value = secret(t);
        const handler = build({ secrets: fakeSecrets(new Map([[secretArn(t), value]])) });
        await assert.rejects(handler(eventFor(t)), (e) => {
          assert.match(e.message, /invalid password|tenant secret/);
          for (const piece of ['Sup3r-Secret', "abcdefgh'", 'abcdefghijklmnop\\', '1234567890123456']) {
            assert.ok(!e.message.includes(piece), `error does not echo the secret: ${e.message}`);
          }
          return true;
        });
        assert.equal(rds.calls.length, 0, 'no statement ran');
      });
    }

    test('unreadable secret', async () => {
      const t = tenants[0];
      await assert.rejects(build({ secrets: fakeSecrets(new Map()) })(eventFor(t)), /can't find/);
      assert.equal(rds.calls.length, 0);
    });
  });

  test('a failing statement stops the run with a redacted message naming the statement', async () => {
    const t = tenants[0];
    let tail;
    rds.send = async function send(command) {
      this.calls.push(command.input.sql);
      if (this.calls.length === 2) {
        tail = command.input.sql.slice(-21, -1);
        const err = new Error(`ERROR: syntax error at or near "${tail}'"`);
        err.name = 'DatabaseErrorException';
        throw err;
      }
    };
    await assert.rejects(build()(eventFor(t)), (err) => {
      assert.match(err.message, /statement 2\/8 \(ALTER ROLE … WITH LOGIN/);
      assert.match(err.message, /\*\*\*/);
      assert.ok(!err.message.includes(tail), err.message);
      return true;
    });
    assert.equal(rds.calls.length, 2, 'stopped at the failing statement');
    assertNoSecretsLeaked(log.lines);
  });

  test('default handler creates no client at import time and reads tenant.sql next to index.mjs', async () => {
    const mod = await import('../db-init/index.mjs');
    assert.equal(typeof mod.handler, 'function');
    let created = 0;
    const handler = mod.makeHandler({
      rdsData: () => { created++; return rds; },
      secrets: () => { created++; return secrets; },
      env: { CLUSTER_ARN, ADMIN_SECRET_ARN, DATABASE: scratch.database },
      log,
    });
    assert.equal(created, 0);
    const res = await handler(eventFor(tenants[1]));
    assert.equal(res.statements, 8);
    assert.equal(created, 2);
    await handler(eventFor(tenants[1]));
    assert.equal(created, 2, 'clients are reused across invocations');
  });
});
