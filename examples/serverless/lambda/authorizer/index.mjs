// API Gateway (REST) REQUEST-type Lambda authorizer: validates the tenant's JWT and returns an
// IAM policy scoped to that tenant's own /tenants/<id>/users subtree.
// Runtime: nodejs22.x, ESM, node: built-ins + the AWS SDK v3 shipped with the runtime only.
import { createHmac, createPublicKey, timingSafeEqual, verify as cryptoVerify } from 'node:crypto';

export const LEEWAY_SECONDS = 30;
const MAX_TOKEN_LENGTH = 8192;
const MIN_RSA_BITS = 2048;
const MIN_HS256_SECRET_BYTES = 32;
const B64URL = /^[A-Za-z0-9_-]+$/;
const TENANT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const TENANT_PATH = /^\/tenants\/([A-Za-z0-9_-]{1,64})\/users(?:\/[^/]+)?\/?$/;
const METHOD_ARN = /^(arn:aws[a-z-]*:execute-api:[a-z0-9-]+:\d{12}:[A-Za-z0-9]+\/[^/]+)\/.+$/;

export class AuthError extends Error {}
const fail = (reason) => { throw new AuthError(reason); };

// Configuration, read once at cold start. A broken configuration does not crash the init:
// every request is then denied with the configuration error as the logged reason.
export function loadConfig(env) {
  const issuer = env.JWT_ISSUER, audience = env.JWT_AUDIENCE;
  if (!issuer || !audience) return { error: 'misconfigured: JWT_ISSUER and JWT_AUDIENCE are required' };
  const keys = new Map();
  let jwks;
  try { jwks = JSON.parse(env.JWKS ?? ''); } catch { return { error: 'misconfigured: JWKS is not valid JSON' }; }
  if (!jwks || !Array.isArray(jwks.keys)) return { error: 'misconfigured: JWKS has no "keys" array' };
  for (const jwk of jwks.keys) {
    if (!jwk || jwk.kty !== 'RSA' || typeof jwk.kid !== 'string' || !jwk.kid) continue;
    if ((jwk.use !== undefined && jwk.use !== 'sig') || (jwk.alg !== undefined && jwk.alg !== 'RS256')) continue;
    if (keys.has(jwk.kid)) return { error: `misconfigured: duplicate kid in JWKS` };
    try {
      const key = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
      if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) continue;
      keys.set(jwk.kid, key);
    } catch { /* unusable key entry: skipped */ }
  }
  return {
    issuer,
    audience,
    tenantClaim: env.TENANT_CLAIM || 'tenant_id',
    keys,
    hs256SecretArn: env.JWT_HS256_SECRET_ARN || undefined,
  };
}

function decodeJsonPart(part, what) {
  if (!B64URL.test(part)) fail(`malformed token: ${what} is not base64url`);
  let value;
  try { value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')); } catch { fail(`malformed token: ${what} is not JSON`); }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(`malformed token: ${what} is not a JSON object`);
  return value;
}

const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);

// Verifies signature and registered claims; returns the payload or throws AuthError(reason).
// options: { config, now (seconds since epoch), getHs256Secret: async () => string }
export async function verifyToken(token, { config, now, getHs256Secret }) {
  if (typeof token !== 'string' || token.length === 0) fail('missing token');
  if (token.length > MAX_TOKEN_LENGTH) fail('malformed token: too long');
  const parts = token.split('.');
  if (parts.length !== 3) fail('malformed token: expected 3 parts');
  const [h, p, s] = parts;
  const header = decodeJsonPart(h, 'header');
  if (!B64URL.test(s)) fail('malformed token: signature is not base64url');
  const signature = Buffer.from(s, 'base64url');
  const signingInput = Buffer.from(`${h}.${p}`, 'ascii');
  if (header.crit !== undefined) fail('unsupported critical header');

  if (header.alg === 'RS256') {
    if (typeof header.kid !== 'string' || !header.kid) fail('RS256 token without kid');
    const key = config.keys.get(header.kid);
    if (!key) fail('kid not found in JWKS');
    if (key.asymmetricKeyType !== 'rsa') fail('key type does not match alg');
    if (!cryptoVerify('RSA-SHA256', signingInput, key, signature)) fail('bad signature');
  } else if (header.alg === 'HS256') {
    if (!config.hs256SecretArn || !getHs256Secret) fail('HS256 not enabled');
    const secret = await getHs256Secret();
    if (typeof secret !== 'string' || Buffer.byteLength(secret) < MIN_HS256_SECRET_BYTES) fail('HS256 secret unusable');
    const expected = createHmac('sha256', secret).update(signingInput).digest();
    if (expected.length !== signature.length || !timingSafeEqual(expected, signature)) fail('bad signature');
  } else {
    fail('unsupported alg');
  }

  const claims = decodeJsonPart(p, 'payload');
  if (!isNumber(claims.exp)) fail('exp missing or not a number');
  if (now >= claims.exp + LEEWAY_SECONDS) fail('token expired');
  if (claims.nbf !== undefined && (!isNumber(claims.nbf) || now + LEEWAY_SECONDS < claims.nbf)) fail('token not yet valid');
  if (claims.iat !== undefined && (!isNumber(claims.iat) || claims.iat > now + LEEWAY_SECONDS)) fail('iat in the future');
  if (claims.iss !== config.issuer) fail('wrong issuer');
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.some((a) => a === config.audience)) fail('wrong audience');
  if (typeof claims.sub !== 'string' || !claims.sub) fail('sub missing');
  return claims;
}

function headerValues(event, name) {
  const wanted = name.toLowerCase();
  const out = [];
  for (const [k, v] of Object.entries(event?.multiValueHeaders ?? {})) {
    if (k.toLowerCase() === wanted && Array.isArray(v)) out.push(...v);
  }
  if (out.length === 0) {
    for (const [k, v] of Object.entries(event?.headers ?? {})) {
      if (k.toLowerCase() === wanted && v !== undefined && v !== null) out.push(v);
    }
  }
  return out;
}

// The tenant the request is for: pathParameters.tenantId, else parsed from event.path.
export function tenantFromEvent(event) {
  const fromParams = event?.pathParameters?.tenantId;
  if (fromParams !== undefined && fromParams !== null) return TENANT_ID.test(fromParams) ? fromParams : null;
  const m = typeof event?.path === 'string' ? TENANT_PATH.exec(event.path) : null;
  return m ? m[1] : null;
}

export function denyPolicy(methodArn) {
  return {
    principalId: 'unauthorized',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [typeof methodArn === 'string' && methodArn ? methodArn : '*'] }],
    },
  };
}

export function allowPolicy(methodArn, principalId, tenantId) {
  const prefix = METHOD_ARN.exec(methodArn)[1];
  return {
    principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{
        Action: 'execute-api:Invoke',
        Effect: 'Allow',
        Resource: [`${prefix}/*/tenants/${tenantId}/users`, `${prefix}/*/tenants/${tenantId}/users/*`],
      }],
    },
    context: { tenantId },
  };
}

// The whole decision, with its dependencies passed in (used by the handler and the tests).
export async function authorize(event, { config, now, getHs256Secret }) {
  const methodArn = event?.methodArn;
  try {
    if (config.error) fail(config.error);
    if (typeof methodArn !== 'string' || !METHOD_ARN.test(methodArn)) fail('malformed methodArn');
    const tenantId = tenantFromEvent(event);
    if (!tenantId) fail('no tenant in request path');
    const auth = headerValues(event, 'authorization');
    if (auth.length === 0) fail('missing Authorization header');
    if (auth.length > 1) fail('multiple Authorization headers');
    const m = /^Bearer +(\S+) *$/i.exec(String(auth[0]));
    if (!m) fail('Authorization header is not a Bearer token');
    const claims = await verifyToken(m[1], { config, now, getHs256Secret });
    if (claims[config.tenantClaim] !== tenantId) fail('tenant claim does not match request path');
    return allowPolicy(methodArn, claims.sub, tenantId);
  } catch (err) {
    const reason = err instanceof AuthError ? err.message : 'internal error';
    if (!(err instanceof AuthError)) console.error(JSON.stringify({ msg: 'authorizer error', error: String(err?.name ?? err) }));
    console.log(JSON.stringify({ msg: 'authorizer deny', reason, tenant: tenantFromEvent(event) ?? undefined }));
    return denyPolicy(methodArn);
  }
}

const CONFIG = loadConfig(process.env);
let secretPromise;

// Reads the HS256 secret once per container; a failed read is retried on the next request.
async function getHs256Secret() {
  secretPromise ??= (async () => {
    const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
    const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: CONFIG.hs256SecretArn }));
    return out.SecretString;
  })();
  try {
    return await secretPromise;
  } catch (err) {
    secretPromise = undefined;
    throw new AuthError(`HS256 secret unavailable (${err?.name ?? 'error'})`);
  }
}

export const handler = async (event) =>
  authorize(event, { config: CONFIG, now: Date.now() / 1000, getHs256Secret });
