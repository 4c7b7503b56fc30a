// Tests of the users handler against DynamoDB served by moto (scripts/test-lambdas.sh starts it
// and sets AWS_ENDPOINT_URL_DYNAMODB). Without that endpoint these tests fail; they never skip.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';

const ENDPOINT = process.env.AWS_ENDPOINT_URL_DYNAMODB;
const RUN = randomBytes(4).toString('hex');
const USERS_TABLE = `tenant-tenant-001-users-${RUN}`;
const DATA_TABLE = `tenant-tenant-001-data-${RUN}`;
const BASE_ENV = { TENANT_ID: 'tenant-001', TENANT_SUBNET: 'subnet-0123456789abcdef0', USERS_TABLE, DATA_TABLE };

const raw = new DynamoDBClient({});
const doc = DynamoDBDocumentClient.from(raw);
const { handler, ddb } = await import('../users/index.mjs');

// Counts the requests the handler's own DynamoDB client sends (observation, not mocking).
let ddbCalls = 0;
ddb.middlewareStack.add((next) => async (args) => { ddbCalls += 1; return next(args); }, { step: 'initialize', name: 'countCalls' });

function setEnv(overrides = {}) {
  for (const k of Object.keys(BASE_ENV)) delete process.env[k];
  for (const [k, v] of Object.entries({ ...BASE_ENV, ...overrides })) if (v !== undefined) process.env[k] = v;
}
function event({ method = 'GET', tenant = 'tenant-001', userId, body, query = null, authTenant = tenant, pathParameters } = {}) {
  const path = `/tenants/${tenant}/users${userId === undefined ? '' : `/${userId}`}`;
  return {
    resource: userId === undefined ? `/tenants/${tenant}/users` : `/tenants/${tenant}/users/{userId}`,
    path,
    httpMethod: method,
    headers: { 'Content-Type': 'application/json' },
    queryStringParameters: query,
    pathParameters: pathParameters !== undefined ? pathParameters : userId === undefined ? null : { userId },
    requestContext: { requestId: `req-${randomBytes(3).toString('hex')}`, authorizer: authTenant === undefined ? undefined : { tenantId: authTenant, principalId: 'user-42' } },
    body: body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body),
    isBase64Encoded: false,
  };
}
async function call(ev) {
  const res = await handler(ev);
  assert.equal(res.headers['content-type'], 'application/json');
  return { status: res.statusCode, body: JSON.parse(res.body), headers: res.headers };
}
async function countItems() {
  return (await doc.send(new ScanCommand({ TableName: USERS_TABLE, Select: 'COUNT', ConsistentRead: true }))).Count;
}

test('DynamoDB endpoint (moto) is configured', () => {
  assert.ok(ENDPOINT, 'AWS_ENDPOINT_URL_DYNAMODB must point at moto (run scripts/test-lambdas.sh)');
});

before(async () => {
  assert.ok(ENDPOINT, 'AWS_ENDPOINT_URL_DYNAMODB must point at moto (run scripts/test-lambdas.sh)');
  for (const [TableName, key] of [[USERS_TABLE, 'userId'], [DATA_TABLE, 'id']]) {
    await raw.send(new CreateTableCommand({
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
    }));
    await waitUntilTableExists({ client: raw, maxWaitTime: 30 }, { TableName });
  }
});
after(async () => {
  if (!ENDPOINT) return; // never talk to a real AWS endpoint
  for (const TableName of [USERS_TABLE, DATA_TABLE]) {
    try { await raw.send(new DeleteTableCommand({ TableName })); } catch (err) { if (err?.name !== 'ResourceNotFoundException') throw err; }
  }
});
beforeEach(() => setEnv());

describe('users: happy path', () => {
  test('create -> get -> list', async () => {
    const created = await call(event({ method: 'POST', body: { email: 'ada@example.com', name: 'Ada Lovelace' } }));
    assert.equal(created.status, 201);
    assert.equal(created.body.tenantId, 'tenant-001');
    assert.equal(created.body.email, 'ada@example.com');
    assert.equal(created.body.name, 'Ada Lovelace');
    assert.match(created.body.userId, /^[0-9a-f-]{36}$/);
    assert.ok(!Number.isNaN(Date.parse(created.body.createdAt)));

    const got = await call(event({ userId: created.body.userId }));
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, created.body);

    const listed = await call(event());
    assert.equal(listed.status, 200);
    assert.ok(listed.body.items.some((u) => u.userId === created.body.userId));
    assert.ok(listed.body.items.every((u) => u.tenantId === 'tenant-001'));
  });

  test('the item in DynamoDB carries tenantId = TENANT_ID', async () => {
    const created = await call(event({ method: 'POST', body: { email: ' bob@example.org ', name: ' Bob ' } }));
    assert.equal(created.status, 201);
    const { Items } = await doc.send(new ScanCommand({ TableName: USERS_TABLE, ConsistentRead: true }));
    const stored = Items.find((i) => i.userId === created.body.userId);
    assert.deepEqual(stored, { tenantId: 'tenant-001', userId: created.body.userId, email: 'bob@example.org', name: 'Bob', createdAt: created.body.createdAt });
  });

  test('list paginates with limit and an opaque nextToken', async () => {
    for (let i = 0; i < 3; i += 1) {
      assert.equal((await call(event({ method: 'POST', body: { email: `p${i}@example.com`, name: `P ${i}` } }))).status, 201);
    }
    const seen = new Set();
    let nextToken;
    let pages = 0;
    do {
      const page = await call(event({ query: { limit: '2', ...(nextToken ? { nextToken } : {}) } }));
      assert.equal(page.status, 200);
      assert.ok(page.body.items.length <= 2);
      for (const u of page.body.items) { assert.ok(!seen.has(u.userId)); seen.add(u.userId); }
      nextToken = page.body.nextToken;
      if (nextToken) assert.match(nextToken, /^[A-Za-z0-9_-]+$/);
      pages += 1;
    } while (nextToken && pages < 50);
    assert.ok(pages >= 2);
    const all = (await doc.send(new ScanCommand({ TableName: USERS_TABLE, ConsistentRead: true }))).Items.filter((i) => i.tenantId === 'tenant-001');
    assert.deepEqual([...seen].sort(), all.map((i) => i.userId).sort());
  });

  test('base64-encoded body is accepted', async () => {
    const ev = event({ method: 'POST' });
    ev.body = Buffer.from(JSON.stringify({ email: 'b64@example.com', name: 'B64' })).toString('base64');
    ev.isBase64Encoded = true;
    assert.equal((await call(ev)).status, 201);
  });
});

describe('users: tenant isolation', () => {
  test('tenant A created through tenant B\'s deployment -> 403, nothing written', async () => {
    setEnv({ TENANT_ID: 'tenant-002' });
    const before = await countItems();
    const calls = ddbCalls;
    const res = await call(event({ method: 'POST', tenant: 'tenant-001', authTenant: 'tenant-001', body: { email: 'x@example.com', name: 'X' } }));
    assert.equal(res.status, 403);
    assert.match(res.body.error, /another tenant/);
    assert.equal(ddbCalls, calls);
    assert.equal(await countItems(), before);
  });
  test('path tenant from pathParameters.tenantId differs -> 403', async () => {
    const res = await call(event({ pathParameters: { tenantId: 'tenant-002' } }));
    assert.equal(res.status, 403);
  });
  test('authorizer context tenant differs from TENANT_ID -> 403, nothing written', async () => {
    const before = await countItems();
    const res = await call(event({ method: 'POST', authTenant: 'tenant-002', body: { email: 'y@example.com', name: 'Y' } }));
    assert.equal(res.status, 403);
    assert.equal(await countItems(), before);
    assert.equal((await call(event({ authTenant: 'tenant-002' }))).status, 403);
  });
  test('item planted with another tenantId is not returned by get or list', async () => {
    const userId = `planted-${RUN}`;
    await doc.send(new PutCommand({ TableName: USERS_TABLE, Item: { tenantId: 'tenant-002', userId, email: 'evil@example.com', name: 'Planted', createdAt: new Date().toISOString() } }));
    const got = await call(event({ userId }));
    assert.equal(got.status, 404);
    assert.deepEqual(got.body, { error: 'user not found' });
    let nextToken;
    let pages = 0;
    do {
      const page = await call(event({ query: { limit: '100', ...(nextToken ? { nextToken } : {}) } }));
      assert.equal(page.status, 200);
      assert.ok(page.body.items.every((u) => u.userId !== userId && u.tenantId === 'tenant-001'));
      nextToken = page.body.nextToken;
      pages += 1;
    } while (nextToken && pages < 50);
  });
});

describe('users: client errors', () => {
  const post = (body) => call(event({ method: 'POST', body }));
  test('invalid JSON body -> 400 with message', async () => {
    const res = await post('{"email": ');
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'request body must be valid JSON');
  });
  test('missing body, non-object bodies -> 400', async () => {
    assert.deepEqual(await post(undefined).then((r) => [r.status, r.body.error]), [400, 'request body is required']);
    for (const b of ['[1]', 'null', '42', '"str"']) {
      assert.deepEqual(await post(b).then((r) => [r.status, r.body.error]), [400, 'request body must be a JSON object']);
    }
  });
  test('missing email -> 400', async () => {
    const before = await countItems();
    const res = await post({ name: 'No Mail' });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'email is required');
    assert.equal(await countItems(), before);
  });
  test('invalid email, missing/empty/non-string name -> 400', async () => {
    const cases = [
      [{ email: 'not-an-email', name: 'A' }, 'email is not a valid email address'],
      [{ email: 'a@b', name: 'A' }, 'email is not a valid email address'],
      [{ email: 42, name: 'A' }, 'email must be a string'],
      [{ email: 'a@example.com' }, 'name is required'],
      [{ email: 'a@example.com', name: '   ' }, 'name must not be empty'],
      [{ email: 'a@example.com', name: ['A'] }, 'name must be a string'],
    ];
    for (const [body, message] of cases) {
      const res = await post(body);
      assert.deepEqual([res.status, res.body.error], [400, message], JSON.stringify(body));
    }
  });
  test('bad limit / nextToken -> 400', async () => {
    for (const limit of ['0', '101', 'abc', '-1', '1.5']) {
      assert.equal((await call(event({ query: { limit } }))).status, 400, limit);
    }
    for (const nextToken of ['***', Buffer.from('not json').toString('base64url'), Buffer.from('{"other":"x"}').toString('base64url')]) {
      const res = await call(event({ query: { nextToken } }));
      assert.deepEqual([res.status, res.body.error], [400, 'invalid nextToken']);
    }
  });
  test('unknown user -> 404', async () => {
    const res = await call(event({ userId: '00000000-0000-4000-8000-000000000000' }));
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { error: 'user not found' });
  });
  test('unknown route -> 404, wrong method -> 405', async () => {
    assert.equal((await call({ ...event(), path: '/tenants/tenant-001/orders', resource: '/tenants/tenant-001/orders' })).status, 404);
    assert.equal((await call({ ...event(), path: '/health', resource: '/health' })).status, 404);
    const del = await call(event({ method: 'DELETE' }));
    assert.equal(del.status, 405);
    assert.equal(del.headers.allow, 'GET, POST');
    assert.equal((await call(event({ method: 'PUT', userId: 'abc' }))).status, 405);
  });
});

describe('users: misconfiguration', () => {
  for (const missing of ['TENANT_SUBNET', 'TENANT_ID', 'USERS_TABLE']) {
    test(`missing ${missing} -> 500 misconfigured, logged, no table access`, async (t) => {
      setEnv({ [missing]: undefined });
      const logs = t.mock.method(console, 'log', () => {});
      const calls = ddbCalls;
      const before = await countItems();
      for (const ev of [event(), event({ method: 'POST', body: { email: 'm@example.com', name: 'M' } })]) {
        const res = await call(ev);
        assert.equal(res.status, 500);
        assert.equal(res.body.error, 'misconfigured');
        assert.match(res.body.message, new RegExp(missing));
      }
      assert.equal(ddbCalls, calls);
      assert.equal(await countItems(), before);
      assert.ok(logs.mock.calls.some((c) => /misconfigured/.test(c.arguments.join(' ')) && c.arguments.join(' ').includes(missing)));
    });
  }
});
