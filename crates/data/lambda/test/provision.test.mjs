// The provisioning Lambda end to end: DynamoDB, SSM and KMS on moto server (scripts/moto.sh sets
// AWS_ENDPOINT_URL_*), the database side on the local PostgreSQL through the Data API stand-in.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateTableCommand, DeleteTableCommand, DynamoDBClient, GetItemCommand, ScanCommand, waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, KMSClient, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import {
  DeleteParametersCommand, DescribeParametersCommand, GetParameterCommand, GetParametersByPathCommand, SSMClient,
} from '@aws-sdk/client-ssm';
import { configHash, makeHandler, parameterValue, parseTenant } from '../provision/index.mjs';
import { runSuffix } from './helpers.mjs';
import { rlsScratch, seedTenant } from './rls-setup.mjs';

for (const service of ['DYNAMODB', 'SSM', 'KMS']) {
  if (!process.env[`AWS_ENDPOINT_URL_${service}`]) {
    throw new Error(`AWS_ENDPOINT_URL_${service} is not set: run these tests through scripts/test-data-runtime.sh (moto server)`);
  }
}

const dynamodb = new DynamoDBClient({});
const ssm = new SSMClient({});
const kms = new KMSClient({});

const item = async (table, id) => (await dynamodb.send(new GetItemCommand({ TableName: table, Key: { tenantId: { S: id } }, ConsistentRead: true }))).Item;
const itemCount = async (table) => (await dynamodb.send(new ScanCommand({ TableName: table, Select: 'COUNT' }))).Count;
const parameters = async (prefix) => (await ssm.send(new GetParametersByPathCommand({ Path: prefix, Recursive: true, WithDecryption: true }))).Parameters ?? [];
const parameter = async (name) => (await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }))).Parameter;

describe('provision handler', () => {
  const suffix = runSuffix();
  const table = `tapgen-registry-${suffix}`;
  const prefix = `/tapgen-test-${suffix}/tenants`;
  let s;
  let env;
  const keys = {};
  const logs = [];
  let clock = 0;
  const now = () => new Date(Date.UTC(2026, 0, 1, 0, 0, clock++)).toISOString();
  const build = (overrides = {}) => makeHandler({
    rdsData: s.rds, env, now, log: { info: (m) => logs.push(m), error: (m) => logs.push(m) }, ...overrides,
  });
  const event = (id, over = {}, tf = { action: 'create', prev_input: null }) => ({
    tenant: {
      id, tier: 'standard', domains: [`${id}.com`, `*.${id}.com`], dns: 'hosted',
      resources: { kmsKeyArn: keys[id], userPoolId: `us-east-1_${id}Pool`, distributionTenantId: `dt-${id}`, cacheGroup: 0 },
      ...over,
    },
    tf,
  });

  before(async () => {
    s = await rlsScratch('tapgen_provision');
    env = { REGISTRY_TABLE: table, CLUSTER_ARN: s.config.clusterArn, SECRET_ARN: s.config.secretArn, DATABASE: s.database, PARAMETER_PREFIX: prefix };
    await dynamodb.send(new CreateTableCommand({
      TableName: table, BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'tenantId', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'tenantId', KeyType: 'HASH' }],
    }));
    await waitUntilTableExists({ client: dynamodb, maxWaitTime: 30 }, { TableName: table });
    for (const id of ['acme', 'globex', 'initech', 'umbrella']) {
      keys[id] = (await kms.send(new CreateKeyCommand({ Description: `tenant ${id} (test)` }))).KeyMetadata.Arn;
    }
  });

  after(async () => {
    await dynamodb.send(new DeleteTableCommand({ TableName: table })).catch(() => {});
    const names = (await parameters(prefix)).map((p) => p.Name);
    if (names.length) await ssm.send(new DeleteParametersCommand({ Names: names }));
    for (const arn of Object.values(keys)) await kms.send(new ScheduleKeyDeletionCommand({ KeyId: arn, PendingWindowInDays: 7 })).catch(() => {});
    await s?.cleanup();
  });

  test('create: registry item, SSM SecureString under the tenant key, RLS objects and the tenant row', async () => {
    const e = event('acme', { domains: ['*.acme.com', 'acme.com'] });
    const result = await build()(e);
    const hash = configHash(parseTenant(e.tenant));
    assert.deepEqual(result, { tenantId: 'acme', action: 'create', status: 'active', configHash: hash, changed: { database: true, parameter: true, registry: true } });

    const rec = await item(table, 'acme');
    assert.deepEqual(rec, {
      tenantId: { S: 'acme' }, tier: { S: 'standard' }, dns: { S: 'hosted' }, status: { S: 'active' },
      domains: { L: [{ S: '*.acme.com' }, { S: 'acme.com' }] }, configHash: { S: hash },
      resources: { M: { cacheGroup: { N: '0' }, distributionTenantId: { S: 'dt-acme' }, kmsKeyArn: { S: keys.acme }, userPoolId: { S: 'us-east-1_acmePool' } } },
      parameterName: { S: `${prefix}/acme/config` }, createdAt: rec.createdAt, updatedAt: rec.createdAt, version: { N: '1' },
    });

    const p = await parameter(`${prefix}/acme/config`);
    assert.equal(p.Type, 'SecureString');
    assert.equal(p.Value, parameterValue(parseTenant(e.tenant), hash));
    assert.deepEqual(JSON.parse(p.Value).cacheKeyPrefix, 't:acme:');
    const { Parameters: [meta] } = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: [p.Name] }] }));
    assert.equal(meta.KeyId, keys.acme, 'encrypted under the tenant key');
    assert.equal((await parameters(prefix)).length, 1, 'one parameter per tenant');

    const { rows } = await s.su.query('SELECT tenant_id, tier, status FROM app.tenants');
    assert.deepEqual(rows, [{ tenant_id: 'acme', tier: 'standard', status: 'active' }]);
    assert.equal(s.rds.openTransactions, 0);
    assert.ok(s.rds.inputs.some((i) => i.command === 'CommitTransactionCommand'));
  });

  test('repeat: the same event changes nothing anywhere', async () => {
    const before = { rec: await item(table, 'acme'), p: await parameter(`${prefix}/acme/config`), rows: (await s.su.query('SELECT * FROM app.tenants')).rows };
    const result = await build()(event('acme'));
    assert.deepEqual(result.changed, { database: false, parameter: false, registry: false });
    assert.deepEqual(await item(table, 'acme'), before.rec, 'registry item untouched (updatedAt, version)');
    assert.equal((await parameter(`${prefix}/acme/config`)).Version, before.p.Version, 'no new parameter version');
    assert.deepEqual((await s.su.query('SELECT * FROM app.tenants')).rows, before.rows);
  });

  test('update of tier and domains converges every record; createdAt is kept', async () => {
    const first = await item(table, 'acme');
    const prev = event('acme');
    const next = event('acme', { tier: 'premium', domains: ['acme.com', 'www.acme.com', 'app.acme.io'], resources: { ...prev.tenant.resources, cacheGroup: 'tap-acme-redis' } },
      { action: 'update', prev_input: { tenant: prev.tenant } });
    const result = await build()(next);
    assert.deepEqual(result.changed, { database: true, parameter: true, registry: true });
    const rec = await item(table, 'acme');
    assert.equal(rec.tier.S, 'premium');
    assert.deepEqual(rec.domains.L.map((d) => d.S), ['acme.com', 'app.acme.io', 'www.acme.com']);
    assert.deepEqual(rec.resources.M.cacheGroup, { S: 'tap-acme-redis' });
    assert.equal(rec.createdAt.S, first.createdAt.S);
    assert.notEqual(rec.updatedAt.S, first.updatedAt.S);
    assert.equal(rec.version.N, '2');
    const p = await parameter(`${prefix}/acme/config`);
    assert.deepEqual(JSON.parse(p.Value).domains, ['acme.com', 'app.acme.io', 'www.acme.com']);
    assert.equal(JSON.parse(p.Value).tier, 'premium');
    assert.deepEqual((await s.su.query('SELECT tier FROM app.tenants')).rows, [{ tier: 'premium' }]);

    const domainsOnly = await build()(event('acme', { ...next.tenant, domains: ['acme.com'] }, { action: 'update', prev_input: { tenant: next.tenant } }));
    assert.deepEqual(domainsOnly.changed, { database: false, parameter: true, registry: true }, 'the tenant row holds no domains');
  });

  test("delete: offboarded in the registry and the database, nothing deleted; a repeat changes nothing", async () => {
    await s.init({ id: 'acme', tier: 'premium' });
    const [data] = await seedTenant(s.appPool(1), 'acme', 1);
    const last = event('acme', { tier: 'premium', domains: ['acme.com'] });
    const result = await build()({ ...last, tf: { action: 'delete', prev_input: { tenant: last.tenant } } });
    assert.deepEqual(result, { tenantId: 'acme', action: 'delete', status: 'offboarded', changed: { database: true, parameter: false, registry: true } });
    const rec = await item(table, 'acme');
    assert.equal(rec.status.S, 'offboarded');
    assert.ok(rec.offboardedAt.S);
    assert.equal(rec.tier.S, 'premium', 'the record is kept');
    assert.ok(await parameter(`${prefix}/acme/config`), 'the configuration is kept');
    assert.deepEqual((await s.su.query('SELECT status FROM app.tenants')).rows, [{ status: 'offboarded' }]);
    assert.equal((await s.su.query('SELECT * FROM app.documents WHERE document_id = $1', [data.documentId])).rowCount, 1, 'tenant data kept');
    assert.ok(logs.some((l) => l.includes('offboarded') && l.includes('kept')));

    const again = await build()({ tenant: { id: 'acme' }, tf: { action: 'delete' } });
    assert.deepEqual(again.changed, { database: false, parameter: false, registry: false });
    assert.deepEqual(await item(table, 'acme'), rec);
  });

  test('a tenant added back after offboarding is active again', async () => {
    const result = await build()(event('acme', { tier: 'premium', domains: ['acme.com'] }));
    assert.equal(result.changed.registry, true);
    const rec = await item(table, 'acme');
    assert.equal(rec.status.S, 'active');
    assert.equal(rec.offboardedAt, undefined);
    assert.deepEqual((await s.su.query('SELECT status FROM app.tenants')).rows, [{ status: 'active' }]);
  });

  test('tenants provisioned in parallel', async () => {
    const results = await Promise.all(['globex', 'initech'].map((id) => build()(event(id, id === 'initech' ? { dns: 'customer' } : {}))));
    assert.deepEqual(results.map((r) => r.status), ['active', 'active']);
    assert.equal(await itemCount(table), 3);
    assert.equal((await parameters(prefix)).length, 3);
    assert.equal(s.rds.openTransactions, 0);
  });

  test('bad events are refused with a clear error before anything is read or written', async () => {
    const good = event('umbrella');
    const cases = [
      ['not JSON', '{tenant', /invalid event: not valid JSON/],
      ['an array', [], /invalid event: must be a JSON object/],
      ['no tenant', { tf: good.tf }, /invalid event: tenant must be an object/],
      ['no id', { tenant: { ...good.tenant, id: undefined } }, /tenant\.id must match/],
      ['bad id', { tenant: { ...good.tenant, id: 'Umbrella Corp' } }, /tenant\.id must match/],
      ['unknown tier', { tenant: { ...good.tenant, tier: 'gold' } }, /tenant\.tier "gold" is unknown: must be one of standard, premium/],
      ['no tier', { tenant: { ...good.tenant, tier: undefined } }, /tenant\.tier is missing: must be one of standard, premium/],
      ['no domains', { tenant: { ...good.tenant, domains: undefined } }, /tenant\.domains must be an array/],
      ['bad domain', { tenant: { ...good.tenant, domains: ['Umbrella.com'] } }, /"Umbrella\.com" is not a lower-case host name/],
      ['repeated domain', { tenant: { ...good.tenant, domains: ['u.com', 'u.com'] } }, /lists a name twice/],
      ['unknown dns', { tenant: { ...good.tenant, dns: 'self' } }, /tenant\.dns "self" is unknown/],
      ['no resources', { tenant: { ...good.tenant, resources: undefined } }, /tenant\.resources must be an object/],
      ['no key', { tenant: { ...good.tenant, resources: { userPoolId: 'x' } } }, /kmsKeyArn must be a KMS key ARN/],
      ['bad key', { tenant: { ...good.tenant, resources: { kmsKeyArn: 'alias/aws/ssm' } } }, /kmsKeyArn must be a KMS key ARN/],
      ['bad resource', { tenant: { ...good.tenant, resources: { ...good.tenant.resources, cacheGroup: -1 } } }, /resources\.cacheGroup must be/],
      ['bad resource name', { tenant: { ...good.tenant, resources: { ...good.tenant.resources, 'user-pool': 'x' } } }, /"user-pool" is not a resource name/],
      ['unknown action', { ...good, tf: { action: 'replace' } }, /tf\.action "replace" is unknown/],
      ['no action', { ...good, tf: {} }, /tf\.action is missing/],
      ['tf not an object', { ...good, tf: 'create' }, /tf must be an object/],
      ['renamed tenant', { ...good, tf: { action: 'update', prev_input: { tenant: { id: 'umbrella-old' } } } }, /tenant\.id changed from "umbrella-old" to "umbrella"/],
      ['delete without id', { tenant: {}, tf: { action: 'delete' } }, /tenant\.id must match/],
    ];
    const before = { items: await itemCount(table), params: (await parameters(prefix)).length, calls: s.rds.inputs.length };
    for (const [what, e, message] of cases) await assert.rejects(build()(e), message, what);
    for (const name of ['REGISTRY_TABLE', 'PARAMETER_PREFIX', 'DATABASE']) {
      await assert.rejects(build({ env: { ...env, [name]: undefined } })(good), new RegExp(`${name} is not set`), name);
    }
    await assert.rejects(build({ env: { ...env, PARAMETER_PREFIX: '/aws/tenants' } })(good), /invalid PARAMETER_PREFIX/);
    await assert.rejects(build({ env: { ...env, DATABASE: 'Bad-Name' } })(good), /invalid DATABASE/);
    await assert.rejects(build({ env: { ...env, REGISTRY_TABLE: 'x' } })(good), /invalid REGISTRY_TABLE/);
    await assert.rejects(build({ sql: 'SELECT 1; trailing' })(good), /text after its last statement/, 'a broken rls.sql fails before the transaction');
    assert.deepEqual(
      { items: await itemCount(table), params: (await parameters(prefix)).length, calls: s.rds.inputs.length },
      before, 'no registry item, no parameter, no database call');
  });

  test('a failing database step rolls back and leaves the registry and SSM alone', async () => {
    const failure = new Error('ERROR: could not serialize access');
    failure.name = 'DatabaseErrorException';
    s.rds.failNext.push(undefined, undefined, failure);
    await assert.rejects(build()(event('umbrella')), /provision umbrella: statement 3\/\d+ .* failed: DatabaseErrorException: ERROR: could not serialize access/);
    assert.equal(s.rds.openTransactions, 0, 'rolled back');
    assert.equal(s.rds.inputs.at(-1).command, 'RollbackTransactionCommand');
    assert.equal(await item(table, 'umbrella'), undefined);
    assert.ok(!(await parameters(prefix)).some((p) => p.Name.includes('/umbrella/')));
    assert.deepEqual((await s.su.query("SELECT * FROM app.tenants WHERE tenant_id = 'umbrella'")).rows, []);
    const retried = await build()(event('umbrella'));
    assert.deepEqual(retried.changed, { database: true, parameter: true, registry: true }, 'a retry does it all');
  });
});
