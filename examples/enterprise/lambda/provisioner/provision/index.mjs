// provision: records one tenant of tapgen System B in the tenant registry, initialises its
// row-level-security objects in the shared Aurora PostgreSQL database and writes its configuration
// to SSM Parameter Store. Invoked per tenant by the Pulumi program (aws:lambda:Invocation with
// lifecycleScope CRUD); Pulumi itself creates the tenant's AWS resources and passes their ids here.
//
// Runtime: Node.js 22 (ESM), AWS SDK v3 as the runtime ships it; nothing is bundled. The archive
// holds provision/index.mjs, provision/rls.sql and db-init/index.mjs (for its SQL splitter and
// validators), handler provision/index.handler.
//
// Event (JSON), as rendered, plus the `tf` key that lifecycleScope CRUD adds:
//   tenant.id         "acme"                     ^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$
//   tenant.tier       "standard" | "premium"
//   tenant.domains    ["acme.com", "*.acme.com"] host names, optional leading "*."; may be empty
//   tenant.dns        "platform" | "hosted" | "customer"
//   tenant.resources  {"kmsKeyArn": "arn:aws:kms:…", "userPoolId": "…", "cacheGroup": 0, …}:
//                     identifiers of what Pulumi created for the tenant, recorded as given;
//                     kmsKeyArn (the tenant's key) is required, it encrypts the SSM configuration.
//   tf.action         "create" | "update" | "delete" (no tf: create); tf.prev_input is the previous input
// On create/update, in this order (each step converges and changes nothing when already done, the
// registry last, so a tenant is recorded active only once everything else has succeeded):
//   1. one Data API transaction: rls.sql, then the tenant's row in app.tenants (under its setting);
//   2. SSM SecureString {PARAMETER_PREFIX}/{id}/config under tenant.resources.kmsKeyArn, written
//      only when its value differs (PutParameter is throttled at 3 per second per account);
//   3. the registry item, written only when it is missing, offboarded or its config hash differs
//      (a conditional UpdateItem: createdAt is kept, version counts the changes).
// On delete (the tenant removed from tenants.toml) the tenant is marked offboarded in the
// registry and in app.tenants; no data, row or parameter is deleted.
// A malformed event or environment is refused before anything is read or written.
// Environment: REGISTRY_TABLE, CLUSTER_ARN, SECRET_ARN (the cluster's master user secret), DATABASE,
//   PARAMETER_PREFIX (e.g. /tap-enterprise/prod/tenants).
// Result: {tenantId, action, status, configHash, changed: {database, parameter, registry}}.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConditionalCheckFailedException, DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import {
  BeginTransactionCommand, CommitTransactionCommand, ExecuteStatementCommand, RDSDataClient, RollbackTransactionCommand,
} from '@aws-sdk/client-rds-data';
import { GetParameterCommand, ParameterNotFound, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { TENANT_ID_RE, quoteIdent, quoteLiteral, splitTemplate, validateIdentifier } from '../db-init/index.mjs';

export const TIERS = ['standard', 'premium'];
export const DNS_MODES = ['platform', 'hosted', 'customer'];
const ACTIONS = ['create', 'update', 'delete'];
const DOMAIN_RE = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const KMS_KEY_ARN_RE = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]{1,128}$/;
const RESOURCE_NAME_RE = /^[a-z][A-Za-z0-9]{0,63}$/;
const PREFIX_RE = /^(\/[A-Za-z0-9_.-]+)+$/;
const TABLE_RE = /^[A-Za-z0-9_.-]{3,255}$/;
const MAX_DOMAINS = 100;

const fail = (message) => {
  throw new Error(`invalid event: ${message}`);
};

function oneOf(field, value, allowed) {
  if (value === undefined) fail(`${field} is missing: must be one of ${allowed.join(', ')}`);
  if (!allowed.includes(value)) fail(`${field} ${JSON.stringify(value)} is unknown: must be one of ${allowed.join(', ')}`);
  return value;
}

function tenantId(tenant) {
  if (tenant === null || typeof tenant !== 'object' || Array.isArray(tenant)) fail('tenant must be an object');
  if (typeof tenant.id !== 'string' || !TENANT_ID_RE.test(tenant.id)) fail(`tenant.id must match ${TENANT_ID_RE}`);
  return tenant.id;
}

function domains(value) {
  if (!Array.isArray(value)) fail('tenant.domains must be an array of host names');
  if (value.length > MAX_DOMAINS) fail(`tenant.domains has more than ${MAX_DOMAINS} names`);
  for (const d of value) {
    if (typeof d !== 'string' || d.length > 253 || !DOMAIN_RE.test(d)) fail(`tenant.domains: ${JSON.stringify(d)} is not a lower-case host name`);
  }
  if (new Set(value).size !== value.length) fail('tenant.domains lists a name twice');
  return [...value].sort();
}

function resources(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('tenant.resources must be an object');
  const out = {};
  for (const name of Object.keys(value).sort()) {
    const v = value[name];
    if (!RESOURCE_NAME_RE.test(name)) fail(`tenant.resources: ${JSON.stringify(name)} is not a resource name (${RESOURCE_NAME_RE})`);
    const isId = typeof v === 'string' && v.length > 0 && v.length <= 2048 && !/[\u0000-\u001f]/.test(v);
    if (!isId && !(Number.isSafeInteger(v) && v >= 0)) fail(`tenant.resources.${name} must be an identifier string or a non-negative integer`);
    out[name] = v;
  }
  if (typeof out.kmsKeyArn !== 'string' || !KMS_KEY_ARN_RE.test(out.kmsKeyArn)) fail('tenant.resources.kmsKeyArn must be a KMS key ARN');
  return out;
}

// The validated, normalised tenant (domains sorted, resources with sorted keys).
export function parseTenant(tenant) {
  const id = tenantId(tenant);
  return {
    id,
    tier: oneOf('tenant.tier', tenant.tier, TIERS),
    domains: domains(tenant.domains),
    dns: oneOf('tenant.dns', tenant.dns, DNS_MODES),
    resources: resources(tenant.resources),
  };
}

// Refuses a malformed event as a whole. A delete needs only the tenant id, so that a tenant
// recorded by an older, laxer version can always be offboarded.
export function parseEvent(raw) {
  let event = raw;
  if (typeof event === 'string') {
    try {
      event = JSON.parse(event);
    } catch {
      fail('not valid JSON');
    }
  }
  if (event === null || typeof event !== 'object' || Array.isArray(event)) fail('must be a JSON object');
  const tf = event.tf ?? { action: 'create' };
  if (tf === null || typeof tf !== 'object') fail('tf must be an object');
  const action = oneOf('tf.action', tf.action, ACTIONS);
  if (action === 'delete') return { action, tenant: { id: tenantId(event.tenant) } };
  const tenant = parseTenant(event.tenant);
  const previous = tf.prev_input?.tenant?.id;
  if (action === 'update' && previous !== undefined && previous !== tenant.id) {
    fail(`tenant.id changed from ${JSON.stringify(previous)} to ${JSON.stringify(tenant.id)}; a tenant keeps its id`);
  }
  return { action, tenant };
}

export function readConfig(env) {
  const need = (name) => {
    if (!env[name]) throw new Error(`environment variable ${name} is not set`);
    return env[name];
  };
  const config = {
    table: need('REGISTRY_TABLE'),
    clusterArn: need('CLUSTER_ARN'),
    secretArn: need('SECRET_ARN'),
    database: validateIdentifier('DATABASE', need('DATABASE')),
    prefix: need('PARAMETER_PREFIX'),
  };
  if (!TABLE_RE.test(config.table)) throw new Error(`invalid REGISTRY_TABLE: must match ${TABLE_RE}`);
  if (config.database.length > 59) throw new Error('invalid DATABASE: at most 59 characters (the application role is <DATABASE>_app)');
  if (!PREFIX_RE.test(config.prefix) || /^\/(aws|ssm)(\/|$)/i.test(config.prefix)) {
    throw new Error(`invalid PARAMETER_PREFIX: must match ${PREFIX_RE} and not start with /aws or /ssm`);
  }
  return config;
}

export const appRole = (database) => `${database}_app`;

// rls.sql split and filled for one database: the statements the deploy-time transaction runs.
export function rlsStatements(sqlTemplate, database) {
  const role = appRole(validateIdentifier('database', database));
  const values = { app_role: quoteIdent(role), app_role_literal: quoteLiteral(role) };
  return splitTemplate(sqlTemplate).map((s) => s.replace(/\{\{([^{}]*)\}\}/g, (_, name) => {
    if (!Object.hasOwn(values, name)) throw new Error(`rls.sql uses unknown placeholder {{${name}}}`);
    return values[name];
  }));
}

// Keys sorted at every level: the same tenant always gives the same text and hash.
const canonical = (v) => (Array.isArray(v) ? v.map(canonical)
  : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])])) : v);
export const configHash = (tenant) => createHash('sha256').update(JSON.stringify(canonical(tenant))).digest('hex');

// The tenant's configuration as the application reads it (one parameter).
export const parameterName = (prefix, id) => `${prefix}/${id}/config`;
export const parameterValue = (tenant, hash) => JSON.stringify(canonical({
  tenantId: tenant.id, tier: tenant.tier, domains: tenant.domains, dns: tenant.dns,
  cacheKeyPrefix: `t:${tenant.id}:`, resources: tenant.resources, configHash: hash,
}));

const text = (s) => ({ stringValue: s });
const ddbValue = (v) => (typeof v === 'number' ? { N: String(v) } : { S: v });

async function inTransaction(rds, { clusterArn, secretArn, database }, tenantId, statements) {
  const target = { resourceArn: clusterArn, secretArn };
  const { transactionId } = await rds.send(new BeginTransactionCommand({ ...target, database }));
  let updated = 0;
  try {
    for (let i = 0; i < statements.length; i++) {
      const { sql, parameters } = statements[i];
      try {
        const out = await rds.send(new ExecuteStatementCommand({ ...target, database, transactionId, sql, parameters }));
        updated = out?.numberOfRecordsUpdated ?? 0;
      } catch (err) {
        const label = sql.split('\n')[0].slice(0, 60);
        throw new Error(`provision ${tenantId}: statement ${i + 1}/${statements.length} (${label}) failed: ${err?.name}: ${err?.message}`);
      }
    }
    await rds.send(new CommitTransactionCommand({ ...target, transactionId }));
  } catch (err) {
    await rds.send(new RollbackTransactionCommand({ ...target, transactionId })).catch(() => {});
    throw err;
  }
  return updated;
}

const setTenant = (id) => ({ sql: "SELECT set_config('app.tenant_id', :tenant_id, true)", parameters: [{ name: 'tenant_id', value: text(id) }] });

const upsertTenantRow = (tenant) => ({
  sql: `INSERT INTO app.tenants (tenant_id, tier) VALUES (:tenant_id, :tier)
ON CONFLICT (tenant_id) DO UPDATE SET tier = EXCLUDED.tier, status = 'active', updated_at = now()
WHERE (app.tenants.tier, app.tenants.status) IS DISTINCT FROM (EXCLUDED.tier, 'active')`,
  parameters: [{ name: 'tenant_id', value: text(tenant.id) }, { name: 'tier', value: text(tenant.tier) }],
});

const offboardTenantRow = (id) => ({
  sql: "UPDATE app.tenants SET status = 'offboarded', updated_at = now() WHERE tenant_id = :tenant_id AND status <> 'offboarded'",
  parameters: [{ name: 'tenant_id', value: text(id) }],
});

async function writeParameter(ssm, name, value, keyId) {
  try {
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    if (Parameter?.Value === value) return false;
  } catch (err) {
    if (!(err instanceof ParameterNotFound || err?.name === 'ParameterNotFound')) throw err;
  }
  await ssm.send(new PutParameterCommand({
    Name: name, Value: value, Type: 'SecureString', KeyId: keyId, Overwrite: true, Tier: 'Standard',
    Description: 'tapgen tenant configuration (written by the provisioning function)',
  }));
  return true;
}

// Conditional writes: true when the item changed, false when the condition said there was nothing to do.
async function conditionalUpdate(dynamodb, input) {
  try {
    await dynamodb.send(new UpdateItemCommand(input));
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException || err?.name === 'ConditionalCheckFailedException') return false;
    throw err;
  }
}

const recordTenant = (dynamodb, table, tenant, hash, parameter, now) => conditionalUpdate(dynamodb, {
  TableName: table,
  Key: { tenantId: { S: tenant.id } },
  UpdateExpression: 'SET tier = :tier, domains = :domains, dns = :dns, #status = :active, configHash = :hash, '
    + '#resources = :resources, parameterName = :parameter, updatedAt = :now, createdAt = if_not_exists(createdAt, :now), '
    + '#version = if_not_exists(#version, :zero) + :one REMOVE offboardedAt',
  ConditionExpression: 'attribute_not_exists(tenantId) OR configHash <> :hash OR #status <> :active',
  ExpressionAttributeNames: { '#status': 'status', '#resources': 'resources', '#version': 'version' },
  ExpressionAttributeValues: {
    ':tier': { S: tenant.tier },
    ':domains': { L: tenant.domains.map((d) => ({ S: d })) },
    ':dns': { S: tenant.dns },
    ':active': { S: 'active' },
    ':hash': { S: hash },
    ':resources': { M: Object.fromEntries(Object.entries(tenant.resources).map(([k, v]) => [k, ddbValue(v)])) },
    ':parameter': { S: parameter },
    ':now': { S: now },
    ':zero': { N: '0' },
    ':one': { N: '1' },
  },
});

const offboardTenant = (dynamodb, table, id, now) => conditionalUpdate(dynamodb, {
  TableName: table,
  Key: { tenantId: { S: id } },
  UpdateExpression: 'SET #status = :offboarded, offboardedAt = :now, updatedAt = :now, #version = #version + :one',
  ConditionExpression: 'attribute_exists(tenantId) AND #status <> :offboarded',
  ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
  ExpressionAttributeValues: { ':offboarded': { S: 'offboarded' }, ':now': { S: now }, ':one': { N: '1' } },
});

// Step 1 of create/update: rls.sql and the tenant's row, in one transaction. True when the row changed.
export async function initialiseDatabase(rds, config, tenant, sqlTemplate) {
  const statements = rlsStatements(sqlTemplate, config.database).map((sql) => ({ sql }));
  return (await inTransaction(rds, config, tenant.id, [...statements, setTenant(tenant.id), upsertTenantRow(tenant)])) > 0;
}

// The delete counterpart: the row is kept, marked offboarded. True when it changed.
export async function offboardDatabase(rds, config, id) {
  return (await inTransaction(rds, config, id, [setTenant(id), offboardTenantRow(id)])) > 0;
}

const lazy = (valueOrFactory) => {
  let v;
  return () => (v ??= typeof valueOrFactory === 'function' ? valueOrFactory() : valueOrFactory);
};

// Dependencies can be injected (tests): clients (anything with send(command)) or factories of one;
// sql is the rls.sql text; env defaults to process.env; now() gives the ISO timestamp recorded.
export function makeHandler({
  dynamodb = () => new DynamoDBClient({}),
  ssm = () => new SSMClient({ maxAttempts: 10, retryMode: 'adaptive' }),
  rdsData = () => new RDSDataClient({}),
  sql,
  env = process.env,
  log = console,
  now = () => new Date().toISOString(),
} = {}) {
  const getDynamo = lazy(dynamodb);
  const getSsm = lazy(ssm);
  const getRds = lazy(rdsData);
  const getSql = lazy(sql ?? (() => readFileSync(new URL('./rls.sql', import.meta.url), 'utf8')));

  return async function handler(rawEvent) {
    const { action, tenant } = parseEvent(rawEvent);
    const config = readConfig(env);
    const at = now();

    if (action === 'delete') {
      const database = await offboardDatabase(getRds(), config, tenant.id);
      const registry = await offboardTenant(getDynamo(), config.table, tenant.id, at);
      const result = { tenantId: tenant.id, action, status: 'offboarded', changed: { database, parameter: false, registry } };
      log.info(JSON.stringify({ msg: 'provision: tenant offboarded, its data is kept', ...result }));
      return result;
    }

    const hash = configHash(tenant);
    const database = await initialiseDatabase(getRds(), config, tenant, getSql());
    const name = parameterName(config.prefix, tenant.id);
    const parameter = await writeParameter(getSsm(), name, parameterValue(tenant, hash), tenant.resources.kmsKeyArn);
    const registry = await recordTenant(getDynamo(), config.table, tenant, hash, name, at);
    const result = { tenantId: tenant.id, action, status: 'active', configHash: hash, changed: { database, parameter, registry } };
    log.info(JSON.stringify({ msg: 'provision: tenant recorded', ...result }));
    return result;
  };
}

export const handler = makeHandler();
