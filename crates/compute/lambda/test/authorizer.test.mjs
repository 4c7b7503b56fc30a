// Tests of the REQUEST authorizer: real RSA keys and real signatures made here, the handler
// imported with its configuration in process.env (as the rendered program sets it).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { CreateSecretCommand, DeleteSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

const ISSUER = 'https://auth.example.com/';
const AUDIENCE = 'tapgen-api';
const KID = 'key-1';
const API = 'arn:aws:execute-api:us-east-1:123456789012:abc123def4/prod';

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
const jwk = (key, kid) => ({ ...key.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' });

process.env.JWT_ISSUER = ISSUER;
process.env.JWT_AUDIENCE = AUDIENCE;
process.env.JWKS = JSON.stringify({ keys: [jwk(publicKey, KID), jwk(weak.publicKey, 'weak')] });
delete process.env.TENANT_CLAIM;
delete process.env.JWT_HS256_SECRET_ARN;
const mod = await import('../authorizer/index.mjs');
const { handler, authorize, loadConfig, verifyToken, AuthError } = mod;

const b64 = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const nowSec = () => Math.floor(Date.now() / 1000);

function claims(extra = {}) {
  const now = nowSec();
  return { iss: ISSUER, aud: AUDIENCE, sub: 'user-42', tenant_id: 'tenant-001', iat: now, exp: now + 300, ...extra };
}
function rs256(payload, { key = privateKey, header = { alg: 'RS256', typ: 'JWT', kid: KID } } = {}) {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign('RSA-SHA256', Buffer.from(input), key).toString('base64url')}`;
}
function hs256(payload, secret, header = { alg: 'HS256', typ: 'JWT' }) {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}
function event({ token, tenant = 'tenant-001', sub = '', method = 'GET', headers, pathParameters = null } = {}) {
  const path = `/tenants/${tenant}/users${sub}`;
  return {
    type: 'REQUEST',
    methodArn: `${API}/${method}${path}`,
    resource: path,
    path,
    httpMethod: method,
    headers: headers ?? (token === undefined ? {} : { Authorization: `Bearer ${token}` }),
    pathParameters,
    requestContext: { requestId: 'req-1', stage: 'prod' },
  };
}
function assertAllow(res, tenant = 'tenant-001', sub = 'user-42') {
  assert.deepEqual(res, {
    principalId: sub,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{
        Action: 'execute-api:Invoke',
        Effect: 'Allow',
        Resource: [`${API}/*/tenants/${tenant}/users`, `${API}/*/tenants/${tenant}/users/*`],
      }],
    },
    context: { tenantId: tenant },
  });
}
function assertDeny(res, ev) {
  assert.deepEqual(res, {
    principalId: 'unauthorized',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [ev.methodArn] }],
    },
  });
}
// Runs the handler and checks the outcome is an explicit Deny for the event's methodArn.
async function denied(ev) {
  const res = await handler(ev);
  assertDeny(res, ev);
  return res;
}

describe('authorizer: accepted tokens', () => {
  test('valid token -> Allow scoped to exactly that tenant\'s users paths', async () => {
    assertAllow(await handler(event({ token: rs256(claims()) })));
  });
  test('valid token on the item path /users/{userId} -> same tenant-scoped Allow', async () => {
    assertAllow(await handler(event({ token: rs256(claims()), sub: '/abc', method: 'DELETE' })));
  });
  test('header name and Bearer scheme are case-insensitive', async () => {
    const token = rs256(claims());
    assertAllow(await handler(event({ headers: { authorization: `bearer ${token}` } })));
    assertAllow(await handler(event({ headers: { AUTHORIZATION: `BEARER ${token}` } })));
  });
  test('tenant from pathParameters.tenantId when present', async () => {
    const ev = event({ token: rs256(claims({ tenant_id: 'tenant-003' })), tenant: 'tenant-003', pathParameters: { tenantId: 'tenant-003' } });
    assertAllow(await handler(ev), 'tenant-003');
  });
  test('array audience containing the configured audience -> Allow', async () => {
    assertAllow(await handler(event({ token: rs256(claims({ aud: ['other-api', AUDIENCE] })) })));
  });
  test('leeway: exp 10 s ago -> Allow', async () => {
    assertAllow(await handler(event({ token: rs256(claims({ exp: nowSec() - 10, iat: nowSec() - 600 })) })));
  });
  test('leeway: nbf 10 s in the future -> Allow', async () => {
    assertAllow(await handler(event({ token: rs256(claims({ nbf: nowSec() + 10 })) })));
  });
  test('Allow for tenant-001 does not cover another tenant\'s resources', async () => {
    const res = await handler(event({ token: rs256(claims()) }));
    for (const r of res.policyDocument.Statement[0].Resource) assert.ok(!r.includes('tenant-002'));
    assert.ok(res.policyDocument.Statement[0].Resource.every((r) => r.includes('/tenants/tenant-001/users')));
  });
});

describe('authorizer: rejected tokens -> explicit Deny', () => {
  test('expired token', () => denied(event({ token: rs256(claims({ exp: nowSec() - 3600, iat: nowSec() - 7200 })) })));
  test('leeway: exp 60 s ago -> Deny', () => denied(event({ token: rs256(claims({ exp: nowSec() - 60, iat: nowSec() - 600 })) })));
  test('not yet valid (nbf in 1 h)', () => denied(event({ token: rs256(claims({ nbf: nowSec() + 3600 })) })));
  test('iat in the future beyond leeway', () => denied(event({ token: rs256(claims({ iat: nowSec() + 3600 })) })));
  test('exp missing', () => {
    const c = claims();
    delete c.exp;
    return denied(event({ token: rs256(c) }));
  });
  test('exp not a number', () => denied(event({ token: rs256(claims({ exp: String(nowSec() + 300) })) })));
  test('wrong signature (signed with another key, same kid)', () => denied(event({ token: rs256(claims(), { key: other.privateKey }) })));
  test('tampered payload (signature of another payload)', () => {
    const [h, , s] = rs256(claims()).split('.');
    return denied(event({ token: `${h}.${b64(claims({ tenant_id: 'tenant-002' }))}.${s}` }));
  });
  test('alg none (empty and non-empty signature)', async () => {
    const input = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}`;
    await denied(event({ token: `${input}.` }));
    await denied(event({ token: `${input}.${b64('x')}` }));
    await denied(event({ token: `${b64({ alg: 'None', kid: KID })}.${b64(claims())}.${b64('x')}` }));
  });
  test('HS256 token while HS256 is not enabled (incl. public key used as HMAC secret)', async () => {
    await denied(event({ token: hs256(claims(), randomBytes(32).toString('hex')) }));
    const pem = publicKey.export({ type: 'spki', format: 'pem' });
    await denied(event({ token: hs256(claims(), pem, { alg: 'HS256', kid: KID }) }));
  });
  test('other algorithms (RS512, PS256, ES256)', async () => {
    for (const alg of ['RS512', 'PS256', 'ES256']) await denied(event({ token: rs256(claims(), { header: { alg, kid: KID } }) }));
  });
  test('wrong issuer', () => denied(event({ token: rs256(claims({ iss: 'https://evil.example.com/' })) })));
  test('missing issuer', () => denied(event({ token: rs256(claims({ iss: undefined })) })));
  test('wrong audience (string and array)', async () => {
    await denied(event({ token: rs256(claims({ aud: 'other-api' })) }));
    await denied(event({ token: rs256(claims({ aud: ['other-api', 'x'] })) }));
    await denied(event({ token: rs256(claims({ aud: undefined })) }));
  });
  test('tenant claim does not match the tenant in the path', () =>
    denied(event({ token: rs256(claims({ tenant_id: 'tenant-002' })), tenant: 'tenant-001' })));
  test('tenant claim missing', () => denied(event({ token: rs256(claims({ tenant_id: undefined })) })));
  test('tenant claim matches path but pathParameters.tenantId names another tenant', () =>
    denied(event({ token: rs256(claims()), pathParameters: { tenantId: 'tenant-002' } })));
  test('no tenant in the request path', async () => {
    const ev = { ...event({ token: rs256(claims()) }), path: '/health', resource: '/health' };
    await denied(ev);
  });
  test('sub missing', () => denied(event({ token: rs256(claims({ sub: undefined })) })));
  test('missing Authorization header (no header, null headers, empty value)', async () => {
    await denied(event({}));
    await denied({ ...event({}), headers: null });
    await denied(event({ headers: { Authorization: '' } }));
  });
  test('two Authorization headers', () => {
    const token = rs256(claims());
    return denied({ ...event({ token }), multiValueHeaders: { Authorization: [`Bearer ${token}`, `Bearer ${token}`] } });
  });
  test('not a Bearer token', async () => {
    const token = rs256(claims());
    await denied(event({ headers: { Authorization: token } }));
    await denied(event({ headers: { Authorization: `Basic ${token}` } }));
    await denied(event({ headers: { Authorization: `Bearer ${token} extra` } }));
  });
  test('malformed token: 2 parts, 4 parts, bad base64, bad JSON', async () => {
    const [h, p, s] = rs256(claims()).split('.');
    await denied(event({ token: `${h}.${p}` }));
    await denied(event({ token: `${h}.${p}.${s}.${s}` }));
    await denied(event({ token: `${h}.${p}*.${s}` }));
    await denied(event({ token: `${h}.${p}.${s}+/=` }));
    await denied(event({ token: `${b64('{not json')}.${p}.${s}` }));
    await denied(event({ token: `${b64('[1,2]')}.${p}.${s}` }));
    // Validly signed, but the payload is not JSON.
    const input = `${h}.${b64('not json')}`;
    await denied(event({ token: `${input}.${sign('RSA-SHA256', Buffer.from(input), privateKey).toString('base64url')}` }));
  });
  test('kid not found in JWKS, kid missing', async () => {
    await denied(event({ token: rs256(claims(), { header: { alg: 'RS256', kid: 'unknown' } }) }));
    await denied(event({ token: rs256(claims(), { header: { alg: 'RS256' } }) }));
  });
  test('key below 2048 bits in JWKS is not used', () =>
    denied(event({ token: rs256(claims(), { key: weak.privateKey, header: { alg: 'RS256', kid: 'weak' } }) })));
  test('malformed methodArn -> Deny', async () => {
    const ev = { ...event({ token: rs256(claims()) }), methodArn: 'arn:aws:s3:::bucket/x' };
    await denied(ev);
  });
  test('the rejection is logged in one line without token contents', async (t) => {
    const logs = t.mock.method(console, 'log', () => {});
    const token = rs256(claims({ exp: nowSec() - 3600 }));
    assertDeny(await handler(event({ token })), event({ token }));
    assert.equal(logs.mock.callCount(), 1);
    const line = logs.mock.calls[0].arguments.join(' ');
    assert.match(line, /token expired/);
    for (const part of token.split('.')) assert.ok(!line.includes(part));
  });
});

describe('authorizer: configuration', () => {
  test('invalid JWKS -> every request denied', async () => {
    const config = loadConfig({ JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWKS: 'not json' });
    assert.match(config.error, /JWKS/);
    const ev = event({ token: rs256(claims()) });
    assertDeny(await authorize(ev, { config, now: nowSec() }), ev);
  });
  test('missing issuer/audience -> every request denied', async () => {
    const config = loadConfig({ JWKS: process.env.JWKS });
    const ev = event({ token: rs256(claims()) });
    assertDeny(await authorize(ev, { config, now: nowSec() }), ev);
  });
  test('TENANT_CLAIM selects the claim compared with the path', async () => {
    const config = loadConfig({ ...process.env, TENANT_CLAIM: 'custom:tenant' });
    const ok = event({ token: rs256(claims({ tenant_id: undefined, 'custom:tenant': 'tenant-001' })) });
    assertAllow(await authorize(ok, { config, now: nowSec() }));
    const bad = event({ token: rs256(claims()) });
    assertDeny(await authorize(bad, { config, now: nowSec() }), bad);
  });
  test('verifyToken rejects with AuthError and a reason', async () => {
    const config = loadConfig(process.env);
    await assert.rejects(verifyToken('a.b', { config, now: nowSec() }), (e) => e instanceof AuthError && /3 parts/.test(e.message));
    const c = await verifyToken(rs256(claims()), { config, now: nowSec() });
    assert.equal(c.sub, 'user-42');
  });
});

describe('authorizer: HS256 enabled (JWT_HS256_SECRET_ARN set)', () => {
  const secret = randomBytes(32).toString('hex');
  const config = loadConfig({ ...process.env, JWT_HS256_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:jwt-x' });
  const opts = () => ({ config, now: nowSec(), getHs256Secret: async () => secret });

  test('valid HS256 token -> Allow', async () => {
    assertAllow(await authorize(event({ token: hs256(claims(), secret) }), opts()));
  });
  test('HS256 signed with another secret -> Deny', async () => {
    const ev = event({ token: hs256(claims(), randomBytes(32).toString('hex')) });
    assertDeny(await authorize(ev, opts()), ev);
  });
  test('HS256 signed with the RSA public key as secret (alg confusion) -> Deny', async () => {
    const pem = publicKey.export({ type: 'spki', format: 'pem' });
    const ev = event({ token: hs256(claims(), pem, { alg: 'HS256', kid: KID }) });
    assertDeny(await authorize(ev, opts()), ev);
  });
  test('RS256 header with an HMAC signature -> Deny; RS256 still works', async () => {
    const ev = event({ token: hs256(claims(), secret, { alg: 'RS256', kid: KID }) });
    assertDeny(await authorize(ev, opts()), ev);
    assertAllow(await authorize(event({ token: rs256(claims()) }), opts()));
  });
  test('HS256 claims are checked like RS256 ones (expired, tenant mismatch)', async () => {
    for (const c of [claims({ exp: nowSec() - 3600 }), claims({ tenant_id: 'tenant-002' })]) {
      const ev = event({ token: hs256(c, secret) });
      assertDeny(await authorize(ev, opts()), ev);
    }
  });
  test('secret shorter than 32 bytes is refused', async () => {
    const ev = event({ token: hs256(claims(), 'short') });
    assertDeny(await authorize(ev, { config, now: nowSec(), getHs256Secret: async () => 'short' }), ev);
  });

  describe('secret read from Secrets Manager (moto)', () => {
    const endpoint = process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
    const sm = new SecretsManagerClient({});
    let arn;
    let hsHandler;
    before(async () => {
      assert.ok(endpoint, 'AWS_ENDPOINT_URL_SECRETS_MANAGER must point at moto (run scripts/test-lambdas.sh)');
      const name = `jwt-hs256-${randomBytes(6).toString('hex')}`;
      arn = (await sm.send(new CreateSecretCommand({ Name: name, SecretString: secret }))).ARN;
      process.env.JWT_HS256_SECRET_ARN = arn;
      try {
        ({ handler: hsHandler } = await import('../authorizer/index.mjs?hs256'));
      } finally {
        delete process.env.JWT_HS256_SECRET_ARN;
      }
    });
    after(async () => {
      if (arn) await sm.send(new DeleteSecretCommand({ SecretId: arn, ForceDeleteWithoutRecovery: true }));
    });
    test('handler verifies HS256 with the secret read once and cached', async () => {
      assertAllow(await hsHandler(event({ token: hs256(claims(), secret) })));
      // Deleting the secret does not matter any more: it was read once and cached.
      await sm.send(new DeleteSecretCommand({ SecretId: arn, ForceDeleteWithoutRecovery: true }));
      arn = undefined;
      assertAllow(await hsHandler(event({ token: hs256(claims(), secret) })));
      const ev = event({ token: hs256(claims(), randomBytes(32).toString('hex')) });
      assertDeny(await hsHandler(ev), ev);
    });
  });
});
