// Benchmark of row-level security (provision/rls.sql): the same indexed queries, once RLS-scoped
// (the application role under the tenant setting) and once unscoped (a role with the same grants
// plus BYPASSRLS, filtering on tenant_id itself), on the same data. Run by scripts/bench-rls.sh.
//
// Each measurement is one DO block that runs a query for --batch random tenants in a loop on the
// server (PL/pgSQL keeps the plan prepared, as a pooled application does), timed by the server's
// clock: no client or network time, which would hide the difference. Both variants make the same
// set_config call per query, so the only difference is the policy versus WHERE tenant_id = ...
// The variants alternate in --rounds short rounds, and the overhead is the median of the per-round
// ratios RLS / unscoped: the two halves of a round run back to back, so they see the same machine,
// which is shared and whose speed drifts from round to round far more than the difference measured.
// Options: --tenants N (100) --rows N per tenant (10000) --batch N queries per measurement (1000)
//          --rounds R (101)
import { parseArgs } from 'node:util';
import { connect } from '../test/helpers.mjs';
import { rlsScratch } from '../test/rls-setup.mjs';

const { values: opts } = parseArgs({
  options: {
    tenants: { type: 'string', default: '100' },
    rows: { type: 'string', default: '10000' },
    batch: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '101' },
  },
});
const [tenants, rows, batch, rounds] = ['tenants', 'rows', 'batch', 'rounds'].map((k) => {
  const n = Number(opts[k]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${k} must be a positive integer`);
  return n;
});
const PROJECTS = 10;

// t, p, d: a random tenant, project and document (ids are derived from numbers, not looked up).
const tenantExpr = "'tenant-' || t";
const projectExpr = "md5('tenant-' || t || '-' || p)::uuid";
const documentExpr = "md5('d' || t || '-' || d)::uuid";
const queries = {
  'project page (50 newest documents of a project)': {
    rls: `SELECT document_id, title, updated_at FROM app.documents WHERE project_id = ${projectExpr} ORDER BY updated_at DESC LIMIT 50`,
    plain: `SELECT document_id, title, updated_at FROM app.documents WHERE tenant_id = ${tenantExpr} AND project_id = ${projectExpr} ORDER BY updated_at DESC LIMIT 50`,
  },
  'document by id': {
    rls: `SELECT title, body FROM app.documents WHERE document_id = ${documentExpr}`,
    plain: `SELECT title, body FROM app.documents WHERE tenant_id = ${tenantExpr} AND document_id = ${documentExpr}`,
  },
};

// Microseconds per query, measured inside the server; rows counts what the queries returned.
async function measure(client, query) {
  await client.query('BEGIN');
  await client.query(`DO $$
DECLARE
  t int; p int; d int; n bigint := 0; k bigint; started timestamptz := clock_timestamp();
BEGIN
  PERFORM setseed(0.5);
  FOR i IN 1..${batch} LOOP
    t := 1 + floor(random() * ${tenants}); p := 1 + floor(random() * ${PROJECTS}); d := 1 + floor(random() * ${rows});
    PERFORM set_config('app.tenant_id', ${tenantExpr}, true);
    SELECT count(*) INTO k FROM (${query}) q;
    n := n + k;
  END LOOP;
  PERFORM set_config('bench.us', (extract(epoch FROM clock_timestamp() - started) * 1e6 / ${batch})::text, true);
  PERFORM set_config('bench.rows', n::text, true);
END
$$`);
  const { rows: [r] } = await client.query("SELECT current_setting('bench.us')::float8 AS us, current_setting('bench.rows')::bigint AS n");
  await client.query('COMMIT');
  return { us: r.us, rows: Number(r.n) };
}

const s = await rlsScratch('tapgen_bench_rls');
try {
  console.error(`setting up ${tenants} tenants through the provisioning path, ${tenants * rows} documents ...`);
  for (let t = 1; t <= tenants; t++) await s.init({ id: `tenant-${t}` });
  await s.su.query(`INSERT INTO app.users (tenant_id, user_id, email)
    SELECT 'tenant-' || t, md5('u' || t)::uuid, 'owner@tenant-' || t || '.example' FROM generate_series(1, $1) t`, [tenants]);
  await s.su.query(`INSERT INTO app.projects (tenant_id, project_id, owner_id, name)
    SELECT 'tenant-' || t, md5('tenant-' || t || '-' || p)::uuid, md5('u' || t)::uuid, 'project ' || p
      FROM generate_series(1, $1) t, generate_series(1, ${PROJECTS}) p`, [tenants]);
  await s.su.query(`INSERT INTO app.documents (tenant_id, document_id, project_id, title, body, updated_at)
    SELECT 'tenant-' || t, md5('d' || t || '-' || d)::uuid, md5('tenant-' || t || '-' || (d % ${PROJECTS} + 1))::uuid,
           'document ' || d, repeat('x', 200), timestamptz '2026-01-01' + d * interval '1 minute'
      FROM generate_series(1, $1) t, generate_series(1, $2) d`, [tenants, rows]);
  await s.su.query('VACUUM ANALYZE app.documents, app.projects, app.users, app.tenants');
  // The unscoped reader: the application role's grants, and BYPASSRLS (only a superuser can give it).
  const bypass = `${s.database}_bypass`;
  s.roles.push(bypass);
  await s.su.query(`CREATE ROLE "${bypass}" LOGIN BYPASSRLS IN ROLE "${s.role}"`);

  // Plans, as evidence that both variants use the tenant_id-led indexes.
  const app = await connect(s.role, s.database);
  const reader = await connect(bypass, s.database);
  const plans = {};
  for (const [name, q] of Object.entries(queries)) {
    const bind = (sql) => sql.replaceAll(/(?<=\|\| )([tpd])\b/g, (v) => ({ t: '7', p: '3', d: '42' }[v]));
    await app.query('BEGIN');
    await app.query("SELECT set_config('app.tenant_id', 'tenant-7', true)");
    plans[name] = { rls: (await app.query(`EXPLAIN ${bind(q.rls)}`)).rows.map((r) => r['QUERY PLAN']) };
    await app.query('COMMIT');
    plans[name].plain = (await reader.query(`EXPLAIN ${bind(q.plain)}`)).rows.map((r) => r['QUERY PLAN']);
  }

  const results = {};
  for (let r = 0; r < rounds; r++) {
    for (const [name, q] of Object.entries(queries)) {
      results[name] ??= { rls: [], plain: [] };
      // Alternate the order so that neither variant always runs second.
      for (const variant of r % 2 === 0 ? ['rls', 'plain'] : ['plain', 'rls']) {
        results[name][variant].push(await measure(variant === 'rls' ? app : reader, q[variant]));
      }
      const [a, b] = [results[name].rls.at(-1), results[name].plain.at(-1)];
      if (a.rows !== b.rows || a.rows === 0) throw new Error(`${name}: RLS-scoped returned ${a.rows} rows, unscoped ${b.rows}`);
      if ((r + 1) % 10 === 0) console.error(`round ${r + 1}/${rounds} ${name}: RLS ${a.us.toFixed(1)} µs, unscoped ${b.us.toFixed(1)} µs`);
    }
  }
  await app.end();
  await reader.end();

  const pg = (await s.su.query('SHOW server_version')).rows[0].server_version;
  console.log(`Data: ${tenants} tenants × ${rows} documents (${tenants * rows} rows), ${PROJECTS} projects per tenant, PostgreSQL ${pg}.`);
  console.log(`${rounds} alternating rounds of ${batch} queries per variant, random tenants; median server time per query (incl. set_config).\n`);
  console.log('| query | unscoped, WHERE tenant_id = … (µs per query: median, middle half) | RLS-scoped (µs: median, middle half) | RLS overhead: median of paired ratios (middle half) | rounds where RLS was slower |');
  console.log('|---|---|---|---|---|');
  const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * q)];
  const cell = (xs, f = (x) => x.toFixed(1)) => `${f(quantile(xs, 0.5))} (${f(quantile(xs, 0.25))} – ${f(quantile(xs, 0.75))})`;
  const percent = (x) => `${((x - 1) * 100).toFixed(1)}%`;
  for (const [name, r] of Object.entries(results)) {
    const [plain, rls] = [r.plain.map((x) => x.us), r.rls.map((x) => x.us)];
    const ratios = rls.map((us, i) => us / plain[i]);
    const slower = ratios.filter((x) => x > 1).length;
    console.log(`| ${name} | ${cell(plain)} | ${cell(rls)} | ${cell(ratios, percent)} | ${slower}/${rounds} |`);
  }
  console.log('\nPlans (tenant 7):\n\n```text');
  for (const [name, p] of Object.entries(plans)) {
    console.log(`${name}, RLS-scoped:\n${p.rls.join('\n')}\n${name}, unscoped:\n${p.plain.join('\n')}\n`);
  }
  console.log('```');
} finally {
  await s.cleanup();
}
