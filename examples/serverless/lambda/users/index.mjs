// Per-tenant users API (API Gateway REST, AWS_PROXY integration).
// One deployment per tenant: TENANT_ID, TENANT_SUBNET, USERS_TABLE (and DATA_TABLE) in the environment.
// Runtime: nodejs22.x, ESM, node: built-ins + the AWS SDK v3 shipped with the runtime only.
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';

// Module scope: reused across invocations; AWS_ENDPOINT_URL_DYNAMODB redirects it (tests).
export const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));

const REQUIRED_ENV = ['TENANT_ID', 'TENANT_SUBNET', 'USERS_TABLE'];
const TENANT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const COLLECTION = /^\/tenants\/([A-Za-z0-9_-]{1,64})\/users\/?$/;
const ITEM = /^\/tenants\/([A-Za-z0-9_-]{1,64})\/users\/([^/]+)\/?$/;
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 100;
const USER_FIELDS = ['tenantId', 'userId', 'email', 'name', 'createdAt'];

class HttpError extends Error {
  constructor(statusCode, message, headers = {}) {
    super(message);
    this.statusCode = statusCode;
    this.headers = headers;
  }
}

const json = (statusCode, body, headers = {}) => ({
  statusCode,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

const log = (level, msg, extra = {}) => console.log(JSON.stringify({ level, msg, ...extra }));

// Read on every request (not only at import) so a misconfigured deployment refuses each call.
export function readConfig(env) {
  const missing = REQUIRED_ENV.filter((name) => !env[name]);
  if (missing.length) return { missing };
  return { tenantId: env.TENANT_ID, subnet: env.TENANT_SUBNET, usersTable: env.USERS_TABLE, dataTable: env.DATA_TABLE };
}

// Every tenant id the request names: pathParameters.tenantId and the one in event.path.
function requestTenants(event) {
  const found = [];
  const fromParams = event?.pathParameters?.tenantId;
  if (fromParams !== undefined && fromParams !== null) found.push(String(fromParams));
  const m = typeof event?.path === 'string' ? /^\/tenants\/([^/]+)(?:\/|$)/.exec(event.path) : null;
  if (m) found.push(m[1]);
  return found;
}

function route(event) {
  const path = typeof event?.path === 'string' ? event.path : '';
  const method = String(event?.httpMethod ?? '').toUpperCase();
  if (COLLECTION.test(path)) {
    if (method === 'GET') return { action: 'list' };
    if (method === 'POST') return { action: 'create' };
    throw new HttpError(405, 'method not allowed', { allow: 'GET, POST' });
  }
  const m = ITEM.exec(path);
  if (m) {
    if (method !== 'GET') throw new HttpError(405, 'method not allowed', { allow: 'GET' });
    let userId = event?.pathParameters?.userId;
    if (userId === undefined || userId === null) {
      try { userId = decodeURIComponent(m[2]); } catch { throw new HttpError(400, 'invalid userId'); }
    }
    if (typeof userId !== 'string' || userId.length < 1 || userId.length > 128) throw new HttpError(400, 'invalid userId');
    return { action: 'get', userId };
  }
  throw new HttpError(404, 'route not found');
}

function parseBody(event) {
  if (event?.body === undefined || event.body === null || event.body === '') throw new HttpError(400, 'request body is required');
  const text = event.isBase64Encoded ? Buffer.from(String(event.body), 'base64').toString('utf8') : String(event.body);
  let body;
  try { body = JSON.parse(text); } catch { throw new HttpError(400, 'request body must be valid JSON'); }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'request body must be a JSON object');
  return body;
}

export function validateNewUser(body) {
  if (body.email === undefined || body.email === null || body.email === '') throw new HttpError(400, 'email is required');
  if (typeof body.email !== 'string') throw new HttpError(400, 'email must be a string');
  const email = body.email.trim();
  if (email.length > 254 || !EMAIL.test(email)) throw new HttpError(400, 'email is not a valid email address');
  if (body.name === undefined || body.name === null) throw new HttpError(400, 'name is required');
  if (typeof body.name !== 'string') throw new HttpError(400, 'name must be a string');
  const name = body.name.trim();
  if (!name) throw new HttpError(400, 'name must not be empty');
  if (name.length > 200) throw new HttpError(400, 'name must be at most 200 characters');
  return { email, name };
}

function parseLimit(query) {
  const raw = query?.limit;
  if (raw === undefined || raw === null || raw === '') return DEFAULT_LIMIT;
  if (!/^\d{1,3}$/.test(String(raw))) throw new HttpError(400, `limit must be an integer between 1 and ${MAX_LIMIT}`);
  const n = Number(raw);
  if (n < 1 || n > MAX_LIMIT) throw new HttpError(400, `limit must be an integer between 1 and ${MAX_LIMIT}`);
  return n;
}

// nextToken: opaque base64url of the JSON LastEvaluatedKey ({userId}).
const encodeToken = (key) => Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
function decodeToken(raw) {
  if (raw === undefined || raw === null || raw === '') return undefined;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(raw)) throw new Error();
    const key = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    const names = key && typeof key === 'object' && !Array.isArray(key) ? Object.keys(key) : [];
    if (names.length !== 1 || names[0] !== 'userId' || typeof key.userId !== 'string' || !key.userId) throw new Error();
    return { userId: key.userId };
  } catch {
    throw new HttpError(400, 'invalid nextToken');
  }
}

const present = (item) => Object.fromEntries(USER_FIELDS.filter((f) => item[f] !== undefined).map((f) => [f, item[f]]));

async function listUsers(cfg, event) {
  const limit = parseLimit(event?.queryStringParameters);
  const start = decodeToken(event?.queryStringParameters?.nextToken);
  const out = await ddb.send(new ScanCommand({
    TableName: cfg.usersTable,
    Limit: limit,
    ExclusiveStartKey: start,
    FilterExpression: 'tenantId = :t',
    ExpressionAttributeValues: { ':t': cfg.tenantId },
  }));
  const items = (out.Items ?? []).filter((i) => i.tenantId === cfg.tenantId).map(present);
  const body = { items };
  if (out.LastEvaluatedKey) body.nextToken = encodeToken({ userId: out.LastEvaluatedKey.userId });
  return json(200, body);
}

async function createUser(cfg, event) {
  const { email, name } = validateNewUser(parseBody(event));
  const item = { tenantId: cfg.tenantId, userId: randomUUID(), email, name, createdAt: new Date().toISOString() };
  try {
    await ddb.send(new PutCommand({
      TableName: cfg.usersTable,
      Item: item,
      ConditionExpression: 'attribute_not_exists(userId)',
    }));
  } catch (err) {
    if (err?.name === 'ConditionalCheckFailedException') throw new HttpError(409, 'user already exists');
    throw err;
  }
  return json(201, item);
}

async function getUser(cfg, userId) {
  const out = await ddb.send(new GetCommand({ TableName: cfg.usersTable, Key: { userId } }));
  // Defence in depth: an item of another tenant is reported exactly like a missing one.
  if (!out.Item || out.Item.tenantId !== cfg.tenantId) return json(404, { error: 'user not found' });
  return json(200, present(out.Item));
}

export const handler = async (event) => {
  const cfg = readConfig(process.env);
  if (cfg.missing) {
    log('error', 'misconfigured: missing environment variables', { missing: cfg.missing });
    return json(500, { error: 'misconfigured', message: `function is missing configuration: ${cfg.missing.join(', ')}` });
  }
  if (!TENANT_ID.test(cfg.tenantId)) {
    log('error', 'misconfigured: TENANT_ID is not a valid tenant id');
    return json(500, { error: 'misconfigured', message: 'function has an invalid TENANT_ID' });
  }
  const requestId = event?.requestContext?.requestId;
  try {
    // Tenant isolation: this deployment serves TENANT_ID only.
    const named = requestTenants(event);
    if (named.some((t) => t !== cfg.tenantId)) {
      log('warn', 'refused: request path names another tenant', { tenant: cfg.tenantId, requestId });
      throw new HttpError(403, 'forbidden: request is for another tenant');
    }
    const authTenant = event?.requestContext?.authorizer?.tenantId;
    if (authTenant !== undefined && authTenant !== null && authTenant !== cfg.tenantId) {
      log('warn', 'refused: authorizer tenant differs', { tenant: cfg.tenantId, requestId });
      throw new HttpError(403, 'forbidden: token is for another tenant');
    }
    const r = route(event);
    if (r.action === 'list') return await listUsers(cfg, event);
    if (r.action === 'create') return await createUser(cfg, event);
    return await getUser(cfg, r.userId);
  } catch (err) {
    if (err instanceof HttpError) return json(err.statusCode, { error: err.message }, err.headers);
    log('error', 'internal error', { error: String(err?.name ?? 'Error'), message: String(err?.message ?? ''), requestId });
    return json(500, { error: 'internal error' });
  }
};
