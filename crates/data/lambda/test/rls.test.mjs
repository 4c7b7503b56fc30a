// Row-level security of the pooled tenants' tables (provision/rls.sql) on the local PostgreSQL,
// set up through the provisioning function's own Data API path, probed as the application role.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { rejectsWith } from './helpers.mjs';
import { rlsStatements } from '../provision/index.mjs';
import { RLS_SQL, TENANT_TABLES, allRows, asTenant, rlsScratch, seedTenant } from './rls-setup.mjs';

// The catalog state rls.sql is responsible for, in a comparable form.
async function catalogState(su, role) {
  const q = async (sql, params = []) => (await su.query(sql, params)).rows;
  return {
    tables: await q(`SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, pg_get_userbyid(c.relowner) AS owner,
                            c.relacl::text[] AS acl
                       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                      WHERE n.nspname = 'app' AND c.relkind = 'r' ORDER BY 1`),
    policies: await q(`SELECT tablename, policyname, permissive, roles::text[], cmd, qual, with_check
                         FROM pg_policies WHERE schemaname = 'app' ORDER BY 1, 2`),
    indexes: await q(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'app' ORDER BY 1`),
    schema: await q(`SELECT pg_get_userbyid(nspowner) AS owner, nspacl::text[] AS acl FROM pg_namespace WHERE nspname = 'app'`),
    role: await q(`SELECT rolcanlogin, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolreplication, rolinherit
                     FROM pg_roles WHERE rolname = $1`, [role]),
  };
}

describe('rls.sql', () => {
  let s;
  let app;
  const A = 'acme';
  const B = 'globex';
  let seeded;

  before(async () => {
    s = await rlsScratch('tapgen_rls');
    assert.equal(await s.init({ id: A, tier: 'premium' }), true, 'tenant row A written');
    assert.equal(await s.init({ id: B }), true, 'tenant row B written');
    app = s.appPool(1);
    seeded = { [A]: await seedTenant(app, A, 2), [B]: await seedTenant(app, B, 2) };
  });

  after(async () => {
    await s?.cleanup();
  });

  test('every tenant table has tenant_id, ENABLE + FORCE RLS, one USING + WITH CHECK policy on the setting, a tenant_id-led index', async () => {
    const state = await catalogState(s.su, s.role);
    assert.deepEqual(state.tables.map((t) => t.relname).sort(), [...TENANT_TABLES].sort());
    for (const t of state.tables) {
      assert.equal(t.relrowsecurity, true, `${t.relname}: RLS enabled`);
      assert.equal(t.relforcerowsecurity, true, `${t.relname}: RLS forced on the owner`);
      assert.equal(t.owner, s.owner, `${t.relname}: owned by the deploying user`);
      const policies = state.policies.filter((p) => p.tablename === t.relname);
      assert.equal(policies.length, 1, `${t.relname}: one policy`);
      const [p] = policies;
      assert.equal(p.cmd, 'ALL');
      assert.equal(p.permissive, 'PERMISSIVE');
      for (const expr of [p.qual, p.with_check]) {
        assert.match(expr, /^\(tenant_id = NULLIF\(current_setting\('app\.tenant_id'::text, true\), ''::text\)\)$/, `${t.relname}: ${expr}`);
      }
      const { rows: [col] } = await s.su.query(
        `SELECT attnotnull FROM pg_attribute WHERE attrelid = $1::regclass AND attname = 'tenant_id'`, [`app.${t.relname}`]);
      assert.equal(col?.attnotnull, true, `${t.relname}: tenant_id NOT NULL`);
      const led = state.indexes.filter((i) => i.indexdef.includes(`ON app.${t.relname} USING btree (tenant_id`));
      assert.ok(led.length >= 1, `${t.relname}: an index leads with tenant_id`);
    }
    assert.deepEqual(state.role, [{
      rolcanlogin: true, rolsuper: false, rolbypassrls: false, rolcreaterole: false, rolcreatedb: false, rolreplication: false, rolinherit: true,
    }]);
    assert.equal(state.schema[0].owner, s.owner);
    assert.ok(!state.schema[0].acl.some((e) => e.startsWith('=')), `no PUBLIC privilege on schema app: ${state.schema[0].acl}`);
  });

  test('the application role owns nothing and belongs to no role', async () => {
    const { rows } = await s.su.query(
      `SELECT 'class' AS kind, relname AS name FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = $1)
       UNION ALL SELECT 'schema', nspname FROM pg_namespace WHERE nspowner = (SELECT oid FROM pg_roles WHERE rolname = $1)
       UNION ALL SELECT 'function', proname FROM pg_proc WHERE proowner = (SELECT oid FROM pg_roles WHERE rolname = $1)
       UNION ALL SELECT 'type', typname FROM pg_type WHERE typowner = (SELECT oid FROM pg_roles WHERE rolname = $1)
       UNION ALL SELECT 'database', datname FROM pg_database WHERE datdba = (SELECT oid FROM pg_roles WHERE rolname = $1)
       UNION ALL SELECT 'member of', pg_get_userbyid(roleid) FROM pg_auth_members WHERE member = (SELECT oid FROM pg_roles WHERE rolname = $1)`,
      [s.role]);
    assert.deepEqual(rows, []);
  });

  test("with tenant A's setting, B's rows are invisible and every write to them fails or touches nothing", async () => {
    const before = await allRows(s.su);
    const b = seeded[B][0];
    const a = seeded[A][0];
    await asTenant(app, A, async (c) => {
      for (const t of TENANT_TABLES) {
        const { rows } = await c.query(`SELECT DISTINCT tenant_id FROM app.${t}`);
        assert.deepEqual(rows, [{ tenant_id: A }], `${t}: A sees only its own rows`);
        assert.equal((await c.query(`SELECT * FROM app.${t} WHERE tenant_id = $1`, [B])).rowCount, 0, `${t}: no B row by filter`);
        if (t !== 'tenants') {
          assert.equal((await c.query(`SELECT * FROM app.${t} WHERE tenant_id = $1 FOR UPDATE`, [B])).rowCount, 0, `${t}: no B row to lock`);
        }
      }
      assert.equal((await c.query('SELECT * FROM app.documents WHERE document_id = $1', [b.documentId])).rowCount, 0, 'B document by its id');
      assert.equal((await c.query("UPDATE app.users SET display_name = 'x' WHERE tenant_id = $1", [B])).rowCount, 0, 'UPDATE B users');
      assert.equal((await c.query("UPDATE app.documents SET title = 'x' WHERE document_id = $1", [b.documentId])).rowCount, 0, 'UPDATE B document');
      assert.equal((await c.query('DELETE FROM app.documents WHERE tenant_id = $1', [B])).rowCount, 0, 'DELETE B documents');
      assert.equal((await c.query('DELETE FROM app.projects WHERE project_id = $1', [b.projectId])).rowCount, 0, 'DELETE B project');
      assert.equal((await c.query('DELETE FROM app.users WHERE tenant_id = $1', [B])).rowCount, 0, 'DELETE B users');
      for (const t of ['users', 'projects', 'documents']) {
        assert.equal((await c.query(`UPDATE app.${t} SET tenant_id = tenant_id WHERE tenant_id = $1`, [B])).rowCount, 0, `UPDATE B ${t}`);
        assert.equal((await c.query(`DELETE FROM app.${t} WHERE tenant_id <> $1`, [A])).rowCount, 0, `DELETE non-A ${t}`);
      }
    });
    for (const [sql, params, what] of [
      ['INSERT INTO app.users (tenant_id, email) VALUES ($1, $2)', [B, 'evil@globex.example'], 'INSERT a B user'],
      ['INSERT INTO app.tenants (tenant_id, tier) VALUES ($1, $2)', ['initech', 'standard'], 'INSERT a tenant'],
      ['INSERT INTO app.projects (tenant_id, owner_id, name) VALUES ($1, $2, $3)', [B, b.userId, 'evil'], 'INSERT a B project'],
      ['INSERT INTO app.documents (tenant_id, project_id, title) VALUES ($1, $2, $3)', [B, b.projectId, 'evil'], 'INSERT a B document'],
      ['UPDATE app.documents SET tenant_id = $1 WHERE document_id = $2', [B, a.documentId], 'move an A document to B'],
      ['DELETE FROM app.tenants WHERE tenant_id = $1', [B], 'DELETE the B tenant row'],
      ['UPDATE app.users SET tenant_id = $1 WHERE user_id = $2', [B, a.userId], 'move an A row to B'],
      ['INSERT INTO app.users (tenant_id, email) VALUES ($1, $2) ON CONFLICT (tenant_id, email) DO UPDATE SET display_name = $3',
        [B, b.email, 'x'], 'upsert onto a B row'],
    ]) {
      await rejectsWith(asTenant(app, A, (c) => c.query(sql, params)), '42501', `${what} as A`);
    }
    await rejectsWith(asTenant(app, A, (c) => c.query(
      'INSERT INTO app.documents (tenant_id, project_id, title) VALUES ($1, $2, $3)', [A, b.projectId, 'x'])),
    '23503', "A's document cannot point at B's project");
    await rejectsWith(asTenant(app, A, (c) => c.query('UPDATE app.tenants SET tier = $1', ['premium'])), '42501', 'A cannot change its tenant row');
    assert.deepEqual(await allRows(s.su), before, 'nothing changed');
  });

  test('A does its own work: insert, read, update, delete', async () => {
    const [mine] = await seedTenant(app, A, 1);
    await asTenant(app, A, async (c) => {
      assert.equal((await c.query("UPDATE app.documents SET title = 'renamed' WHERE document_id = $1", [mine.documentId])).rowCount, 1);
      const { rows } = await c.query('SELECT title FROM app.documents WHERE document_id = $1', [mine.documentId]);
      assert.deepEqual(rows, [{ title: 'renamed' }]);
      assert.equal((await c.query('DELETE FROM app.projects WHERE project_id = $1', [mine.projectId])).rowCount, 1);
      assert.equal((await c.query('SELECT * FROM app.documents WHERE document_id = $1', [mine.documentId])).rowCount, 0, 'cascaded');
      assert.equal((await c.query('DELETE FROM app.users WHERE user_id = $1', [mine.userId])).rowCount, 1);
      assert.deepEqual((await c.query('SELECT tenant_id, tier, status FROM app.tenants')).rows, [{ tenant_id: A, tier: 'premium', status: 'active' }]);
    });
  });

  test('no setting (or an empty one): nothing visible, nothing writable', async () => {
    const before = await allRows(s.su);
    for (const setting of [undefined, '']) {
      await asTenant(app, setting, async (c) => {
        for (const t of TENANT_TABLES) assert.equal((await c.query(`SELECT * FROM app.${t}`)).rowCount, 0, `${t}: nothing visible`);
        assert.equal((await c.query("UPDATE app.documents SET title = 'x'")).rowCount, 0);
        assert.equal((await c.query('DELETE FROM app.documents')).rowCount, 0);
      });
      for (const tenant of [A, B]) {
        await rejectsWith(asTenant(app, setting, (c) => c.query('INSERT INTO app.users (tenant_id, email) VALUES ($1, $2)', [tenant, 'x@y.example'])),
          '42501', `INSERT for ${tenant} without a setting`);
      }
    }
    assert.deepEqual(await allRows(s.su), before);
  });

  test('a setting lasts one transaction: the next one on the same pooled connection sees nothing', async () => {
    const client = await app.connect();
    try {
      const { rows: [{ pid }] } = await client.query('SELECT pg_backend_pid() AS pid');
      for (const end of ['COMMIT', 'ROLLBACK']) {
        await client.query('BEGIN');
        await client.query("SELECT set_config('app.tenant_id', $1, true)", [A]);
        assert.ok((await client.query('SELECT * FROM app.users')).rowCount > 0);
        await client.query(end);
        const { rows: [after] } = await client.query("SELECT pg_backend_pid() AS pid, current_setting('app.tenant_id', true) AS setting");
        assert.equal(after.pid, pid, 'same connection');
        assert.ok(!after.setting, `setting gone after ${end}: ${JSON.stringify(after.setting)}`);
        assert.equal((await client.query('SELECT * FROM app.users')).rowCount, 0, `nothing visible after ${end}`);
      }
      await client.query('BEGIN');
      await client.query(`SET LOCAL app.tenant_id = '${B}'`);
      assert.deepEqual((await client.query('SELECT DISTINCT tenant_id FROM app.users')).rows, [{ tenant_id: B }], 'SET LOCAL works alike');
      await client.query('COMMIT');
      assert.equal((await client.query('SELECT * FROM app.users')).rowCount, 0);
    } finally {
      client.release();
    }
    // Through the pool (max 1): a transaction for A, then a query for nobody, on one connection.
    await asTenant(app, A, (c) => c.query('SELECT 1'));
    assert.equal((await app.query('SELECT * FROM app.documents')).rowCount, 0);
  });

  test('the application role cannot disable RLS, alter the tables, take ownership or escape the policies', async () => {
    const probes = [
      'ALTER TABLE app.users DISABLE ROW LEVEL SECURITY',
      'ALTER TABLE app.users NO FORCE ROW LEVEL SECURITY',
      `ALTER TABLE app.users OWNER TO ${s.role}`,
      'ALTER TABLE app.users ADD COLUMN evil text',
      'ALTER TABLE app.users DROP CONSTRAINT users_pkey',
      'DROP POLICY tenant_isolation ON app.documents',
      'ALTER POLICY tenant_isolation ON app.documents USING (true)',
      'CREATE POLICY evil ON app.documents USING (true)',
      'DROP TABLE app.documents',
      'TRUNCATE app.documents',
      'CREATE TABLE app.evil (id int)',
      'CREATE FUNCTION app.evil() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$',
      `SET ROLE ${s.owner}`,
      `SET SESSION AUTHORIZATION ${s.owner}`,
      `GRANT ${s.owner} TO ${s.role}`,
      `ALTER ROLE ${s.role} BYPASSRLS`,
      `REASSIGN OWNED BY ${s.owner} TO ${s.role}`,
    ];
    for (const sql of probes) await rejectsWith(asTenant(app, A, (c) => c.query(sql)), '42501', sql);
    // A grant by a non-owner only warns; it must still grant nothing.
    await asTenant(app, A, (c) => c.query(`GRANT ALL ON app.documents, app.tenants TO ${s.role}`));
    const { rows: [priv] } = await s.su.query(
      `SELECT has_table_privilege($1, 'app.documents', 'TRUNCATE') AS truncate, has_table_privilege($1, 'app.tenants', 'UPDATE') AS update`, [s.role]);
    assert.deepEqual({ ...priv }, { truncate: false, update: false }, 'self-granting gave nothing');
    // row_security = off does not switch the policies off for a role without BYPASSRLS: it errors.
    await rejectsWith(asTenant(app, A, async (c) => {
      await c.query('SET LOCAL row_security = off');
      return c.query('SELECT * FROM app.documents');
    }), '42501', 'row_security = off');
    const state = await catalogState(s.su, s.role);
    assert.ok(state.tables.every((t) => t.relrowsecurity && t.relforcerowsecurity && t.owner === s.owner));
  });

  test('running it again, for every tenant at once, is harmless and changes nothing', async () => {
    const catalogBefore = await catalogState(s.su, s.role);
    const rowsBefore = await allRows(s.su);
    const changed = await Promise.all([s.init({ id: A, tier: 'premium' }), s.init({ id: B }), s.init({ id: A, tier: 'premium' })]);
    assert.deepEqual(changed, [false, false, false], 'tenant rows already as wanted');
    assert.deepEqual(await catalogState(s.su, s.role), catalogBefore);
    assert.deepEqual(await allRows(s.su), rowsBefore);
    assert.equal(s.rds.openTransactions, 0);
  });

  test('one invocation runs every statement of rls.sql, then the tenant row, in one transaction', async () => {
    const from = s.rds.inputs.length;
    await s.init({ id: A, tier: 'premium' });
    const commands = s.rds.inputs.slice(from).map((i) => i.command);
    const statements = rlsStatements(RLS_SQL, s.database).length;
    assert.ok(statements >= 15, `${statements} statements`);
    assert.deepEqual(commands, ['BeginTransactionCommand', ...Array(statements + 2).fill('ExecuteStatementCommand'), 'CommitTransactionCommand']);
    assert.ok(s.rds.inputs.slice(from + 1, -1).every((i) => i.transactionId === s.rds.inputs[from + 1].transactionId));
  });

  test('a new tier converges the tenant row only', async () => {
    assert.equal(await s.init({ id: B, tier: 'premium' }), true);
    const { rows } = await s.su.query('SELECT tenant_id, tier, status FROM app.tenants ORDER BY 1');
    assert.deepEqual(rows, [{ tenant_id: A, tier: 'premium', status: 'active' }, { tenant_id: B, tier: 'premium', status: 'active' }]);
  });
});

describe('rls.sql refuses a pre-existing application role with more power, and changes nothing', () => {
  let s;
  before(async () => {
    s = await rlsScratch('tapgen_rls_refuse');
  });
  after(async () => {
    await s?.cleanup();
  });

  test('BYPASSRLS role', async () => {
    await s.su.query(`CREATE ROLE "${s.role}" LOGIN BYPASSRLS`);
    await assert.rejects(s.init({ id: 'acme' }), /statement 2\/\d+ .*refusing to use it/);
    const { rows } = await s.su.query("SELECT nspname FROM pg_namespace WHERE nspname = 'app'");
    assert.deepEqual(rows, [], 'the transaction rolled back: no schema app');
    assert.equal(s.rds.openTransactions, 0);
  });
});
