// Shared helpers for the db-init tests: a throw-away database on the local PostgreSQL 15
// (127.0.0.1:5432, trust auth, superuser postgres) and the isolation assertions.
import assert from 'node:assert/strict';
import { randomBytes, createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';

export const PG_HOST = process.env.TEST_PG_HOST ?? '127.0.0.1';
export const PG_PORT = Number(process.env.TEST_PG_PORT ?? 5432);
export const PG_SUPERUSER = process.env.TEST_PG_USER ?? 'postgres';

export const TEMPLATE = readFileSync(new URL('../db-init/tenant.sql', import.meta.url), 'utf8');

export const runSuffix = () => randomBytes(4).toString('hex');

export async function connect(user, database) {
  const client = new pg.Client({ host: PG_HOST, port: PG_PORT, user, database });
  client.on('error', () => {});
  await client.connect();
  return client;
}

// Tenant parameters the way the Pulumi program derives them, made run-unique.
export function makeTenant(baseId, suffix) {
  const tenantId = `${baseId}-${suffix}`;
  const schema = `tenant_${tenantId.replaceAll('-', '_')}`;
  return { tenantId, schema, username: `${schema}_app`, password: randomPassword() };
}

export function randomPassword() {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~';
  return Array.from(randomBytes(32), (b) => alphabet[b % alphabet.length]).join('');
}

// A scratch database (and optionally its owner role) plus cleanup of every role registered.
export async function createScratch(prefix, { owner } = {}) {
  const suffix = runSuffix();
  const database = `${prefix}_${suffix}`;
  const roles = [];
  const admin = await connect(PG_SUPERUSER, 'postgres');
  if (owner) {
    // Like Aurora's master user: CREATEROLE, owner of the database, not a superuser.
    await admin.query(`CREATE ROLE "${owner}" LOGIN NOSUPERUSER CREATEROLE INHERIT`);
  }
  await admin.query(`CREATE DATABASE "${database}"${owner ? ` OWNER "${owner}"` : ''}`);
  return {
    suffix,
    database,
    roles,
    async cleanup() {
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
        for (const role of roles) await admin.query(`DROP ROLE IF EXISTS "${role}"`);
        if (owner) await admin.query(`DROP ROLE IF EXISTS "${owner}"`);
      } finally {
        await admin.end();
      }
    },
  };
}

export async function runStatements(client, statements) {
  for (const sql of statements) await client.query(sql);
}

export async function rejectsWith(promise, code, what) {
  await assert.rejects(promise, (err) => {
    assert.equal(err.code, code, `${what}: expected SQLSTATE ${code}, got ${err.code} (${err.message})`);
    return true;
  }, what);
}

// Verifies a password against the SCRAM-SHA-256 verifier PostgreSQL stored in pg_authid.
export function scramMatches(verifier, password) {
  const m = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(verifier ?? '');
  if (!m) return false;
  const salted = pbkdf2Sync(password, Buffer.from(m[2], 'base64'), Number(m[1]), 32, 'sha256');
  const storedKey = createHash('sha256').update(createHmac('sha256', salted).update('Client Key').digest()).digest('base64');
  const serverKey = createHmac('sha256', salted).update('Server Key').digest('base64');
  return storedKey === m[3] && serverKey === m[4];
}

export async function storedVerifier(superClient, username) {
  const { rows } = await superClient.query('SELECT rolpassword FROM pg_authid WHERE rolname = $1', [username]);
  return rows[0]?.rolpassword;
}

// Tables owned by the superuser in public: one plain, one even granted SELECT to PUBLIC
// (the schema-level revoke must still block it).
export async function seedPublic(superClient, tag) {
  await superClient.query(`CREATE TABLE IF NOT EXISTS public.shared_${tag} (id int)`);
  await superClient.query(`INSERT INTO public.shared_${tag} VALUES (1)`);
  await superClient.query(`CREATE TABLE IF NOT EXISTS public.granted_${tag} (id int)`);
  await superClient.query(`GRANT SELECT ON public.granted_${tag} TO PUBLIC`);
}

// Every tenant: full DML/DDL in its own schema; permission denied (42501) on every other tenant's
// schema and on public. `tag` keeps table names distinct between rounds.
export async function assertIsolation({ database, tenants, superClient, tag, connectionLimit = 40 }) {
  await seedPublic(superClient, tag);
  const clients = new Map();
  try {
    for (const t of tenants) clients.set(t.username, await connect(t.username, database));

    // Own schema: search_path, CREATE TABLE, INSERT, SELECT, UPDATE, DELETE.
    for (const t of tenants) {
      const c = clients.get(t.username);
      const { rows: [sp] } = await c.query('SELECT current_schema() AS s, current_user AS u');
      assert.equal(sp.s, t.schema, `${t.username}: search_path points at its schema`);
      assert.equal(sp.u, t.username);
      await c.query(`CREATE TABLE items_${tag} (id int PRIMARY KEY, v text)`);
      const { rows: [loc] } = await c.query(
        `SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = $1 AND pg_table_is_visible(c.oid)`,
        [`items_${tag}`]);
      assert.equal(loc.nspname, t.schema, 'unqualified CREATE TABLE lands in the tenant schema');
      await c.query(`INSERT INTO "${t.schema}".items_${tag} VALUES (1, 'a'), (2, 'b')`);
      assert.equal((await c.query(`UPDATE items_${tag} SET v = 'c' WHERE id = 2`)).rowCount, 1);
      assert.equal((await c.query(`DELETE FROM items_${tag} WHERE id = 1`)).rowCount, 1);
      const { rows } = await c.query(`SELECT id, v FROM items_${tag} ORDER BY id`);
      assert.deepEqual(rows, [{ id: 2, v: 'c' }]);
      await c.query(`CREATE INDEX ON items_${tag} (v)`);
      await c.query(`CREATE VIEW items_view_${tag} AS SELECT * FROM items_${tag}`);
      assert.equal((await c.query(`SELECT count(*)::int AS n FROM "${t.schema}".items_view_${tag}`)).rows[0].n, 1);
    }

    // Other tenants' schemas.
    for (const t of tenants) {
      const c = clients.get(t.username);
      for (const o of tenants) {
        if (o === t) continue;
        const what = `${t.username} on ${o.schema}`;
        const { rows: [p] } = await c.query(
          `SELECT has_schema_privilege($1, 'USAGE') AS usage, has_schema_privilege($1, 'CREATE') AS create`, [o.schema]);
        assert.deepEqual({ ...p }, { usage: false, create: false }, `${what}: no USAGE/CREATE`);
        await rejectsWith(c.query(`SELECT '"${o.schema}".items_${tag}'::regclass`), '42501', `${what}: USAGE (name lookup)`);
        await rejectsWith(c.query(`SELECT * FROM "${o.schema}".items_${tag}`), '42501', `${what}: SELECT`);
        await rejectsWith(c.query(`INSERT INTO "${o.schema}".items_${tag} VALUES (9, 'x')`), '42501', `${what}: INSERT`);
        await rejectsWith(c.query(`UPDATE "${o.schema}".items_${tag} SET v = 'x'`), '42501', `${what}: UPDATE`);
        await rejectsWith(c.query(`DELETE FROM "${o.schema}".items_${tag}`), '42501', `${what}: DELETE`);
        await rejectsWith(c.query(`CREATE TABLE "${o.schema}".evil_${tag} (id int)`), '42501', `${what}: CREATE TABLE`);
        await rejectsWith(c.query(`SET ROLE "${o.username}"`), '42501', `${what}: SET ROLE to the other tenant`);
        await rejectsWith(c.query(`GRANT "${o.username}" TO "${t.username}"`), '42501', `${what}: grant itself the other tenant`);
      }

      // public.
      const what = `${t.username} on public`;
      const { rows: [p] } = await c.query(
        `SELECT has_schema_privilege('public', 'USAGE') AS usage, has_schema_privilege('public', 'CREATE') AS create`);
      assert.deepEqual({ ...p }, { usage: false, create: false }, `${what}: no USAGE/CREATE`);
      await rejectsWith(c.query(`CREATE TABLE public.evil_${tag} (id int)`), '42501', `${what}: CREATE TABLE`);
      await rejectsWith(c.query(`SELECT * FROM public.shared_${tag}`), '42501', `${what}: SELECT`);
      await rejectsWith(c.query(`SELECT * FROM public.granted_${tag}`), '42501', `${what}: SELECT of a table granted to PUBLIC`);
      await rejectsWith(c.query(`CREATE SCHEMA evil_${tag}`), '42501', `${t.username}: CREATE SCHEMA in the database`);
    }
  } finally {
    for (const c of clients.values()) await c.end();
  }

  // Catalog view, as the superuser: attributes, ownership (TOAST storage of its own tables aside),
  // memberships, the database ACL.
  for (const t of tenants) {
    const { rows: [r] } = await superClient.query(
      `SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolinherit, rolreplication, rolbypassrls, rolconnlimit
         FROM pg_roles WHERE rolname = $1`, [t.username]);
    assert.deepEqual({ ...r }, {
      rolcanlogin: true, rolsuper: false, rolcreatedb: false, rolcreaterole: false, rolinherit: false,
      rolreplication: false, rolbypassrls: false, rolconnlimit: connectionLimit,
    }, `${t.username}: role attributes`);
    const { rows: [s] } = await superClient.query(
      `SELECT pg_get_userbyid(nspowner) AS owner, nspacl::text[] AS acl FROM pg_namespace WHERE nspname = $1`, [t.schema]);
    assert.equal(s.owner, t.username, `${t.schema} is owned by ${t.username}`);
    assert.ok((s.acl ?? []).every((e) => e.startsWith(`${t.username}=`)), `${t.schema} ACL names only its owner: ${s.acl}`);
    const { rows: outside } = await superClient.query(
      `SELECT c.relname, n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relowner = (SELECT oid FROM pg_roles WHERE rolname = $1) AND n.nspname <> $2
          AND NOT (n.nspname = 'pg_toast' AND EXISTS (
                SELECT FROM pg_class o JOIN pg_namespace onsp ON onsp.oid = o.relnamespace
                 WHERE onsp.nspname = $2 AND o.reltoastrelid IN (c.oid, (SELECT indrelid FROM pg_index WHERE indexrelid = c.oid))))
       UNION ALL
       SELECT nspname, '(schema)' FROM pg_namespace
        WHERE nspowner = (SELECT oid FROM pg_roles WHERE rolname = $1) AND nspname <> $2
       UNION ALL
       SELECT datname, '(database)' FROM pg_database WHERE datdba = (SELECT oid FROM pg_roles WHERE rolname = $1)`,
      [t.username, t.schema]);
    assert.deepEqual(outside, [], `${t.username} owns nothing outside its schema`);
    const { rows: memberOf } = await superClient.query(
      `SELECT pg_get_userbyid(roleid) AS r FROM pg_auth_members WHERE member = (SELECT oid FROM pg_roles WHERE rolname = $1)`,
      [t.username]);
    assert.deepEqual(memberOf, [], `${t.username} is a member of no role`);
    const { rows: [cfg] } = await superClient.query(
      `SELECT setconfig FROM pg_db_role_setting WHERE setrole = (SELECT oid FROM pg_roles WHERE rolname = $1) AND setdatabase = 0`,
      [t.username]);
    assert.deepEqual(cfg.setconfig, [`search_path=${t.schema}`]);
  }
  const { rows: [d] } = await superClient.query(
    `SELECT datacl::text[] AS acl FROM pg_database WHERE datname = current_database()`);
  assert.ok(!d.acl.some((e) => e.startsWith('=')), `no privilege for PUBLIC on the database: ${d.acl}`);
  for (const t of tenants) assert.ok(d.acl.some((e) => e.startsWith(`${t.username}=c/`)), `CONNECT for ${t.username}`);
  const { rows: [pub] } = await superClient.query(`SELECT nspacl::text[] AS acl FROM pg_namespace WHERE nspname = 'public'`);
  assert.ok(!(pub.acl ?? []).some((e) => e.startsWith('=')), `no privilege for PUBLIC on schema public: ${pub.acl}`);
}
