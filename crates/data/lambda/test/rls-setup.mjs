// A scratch database initialised the way the provisioning function does it (rls.sql and each
// tenant's row through the Data API path, connected as a non-superuser CREATEROLE owner like
// Aurora's master user), and connections as the application role.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { appRole, initialiseDatabase } from '../provision/index.mjs';
import { fakeDataApi } from './data-api.mjs';
import { PG_HOST, PG_PORT, PG_SUPERUSER, connect, createScratch, runSuffix } from './helpers.mjs';

export const RLS_SQL = readFileSync(new URL('../provision/rls.sql', import.meta.url), 'utf8');
export const TENANT_TABLES = ['tenants', 'users', 'projects', 'documents'];

const CLUSTER_ARN = 'arn:aws:rds:us-east-1:123456789012:cluster:tap-enterprise-prod-db';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-0000-AbCdEf';

export async function rlsScratch(prefix) {
  const owner = `tapgen_master_${runSuffix()}`;
  const scratch = await createScratch(prefix, { owner });
  const database = scratch.database;
  const role = appRole(database);
  scratch.roles.push(role);
  const su = await connect(PG_SUPERUSER, database);
  const pool = new pg.Pool({ host: PG_HOST, port: PG_PORT, user: owner, database, max: 3 });
  pool.on('error', () => {});
  const config = { clusterArn: CLUSTER_ARN, secretArn: SECRET_ARN, database };
  const rds = fakeDataApi(pool, config);
  const appPools = [];
  return {
    ...scratch,
    owner,
    role,
    su,
    rds,
    config,
    // The deploy-time step for one tenant, exactly as the handler runs it.
    init: (tenant, sql = RLS_SQL) => initialiseDatabase(rds, config, { tier: 'standard', ...tenant }, sql),
    // A pool of application connections (max 1: every query reuses the same connection).
    appPool(max = 1) {
      const p = new pg.Pool({ host: PG_HOST, port: PG_PORT, user: role, database, max });
      p.on('error', () => {});
      appPools.push(p);
      return p;
    },
    async cleanup() {
      for (const p of appPools) await p.end();
      await pool.end();
      await su.end();
      await scratch.cleanup();
    },
  };
}

// Runs fn(client) in one transaction with the tenant setting made the way the application makes it.
export async function asTenant(pool, tenantId, fn) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    if (tenantId !== undefined) await client.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
    const out = await fn(client);
    await client.query('COMMIT');
    return out;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

// One user, project and document for the tenant, written as the application under its setting.
export async function seedTenant(pool, tenantId, n = 1) {
  return asTenant(pool, tenantId, async (c) => {
    const ids = [];
    for (let i = 0; i < n; i++) {
      const email = `user${i}-${runSuffix()}@${tenantId}.example`;
      const { rows: [u] } = await c.query('INSERT INTO app.users (tenant_id, email) VALUES ($1, $2) RETURNING user_id', [tenantId, email]);
      const { rows: [p] } = await c.query(
        'INSERT INTO app.projects (tenant_id, owner_id, name) VALUES ($1, $2, $3) RETURNING project_id', [tenantId, u.user_id, `p${i}`]);
      const { rows: [d] } = await c.query(
        'INSERT INTO app.documents (tenant_id, project_id, title) VALUES ($1, $2, $3) RETURNING document_id', [tenantId, p.project_id, `d${i}`]);
      ids.push({ email, userId: u.user_id, projectId: p.project_id, documentId: d.document_id });
    }
    return ids;
  });
}

// Every row of the tenant tables, read as the superuser (which RLS does not filter): the ground truth.
export async function allRows(su) {
  const out = {};
  for (const t of TENANT_TABLES) {
    out[t] = (await su.query(`SELECT * FROM app.${t} ORDER BY 1, 2`)).rows;
  }
  return out;
}
