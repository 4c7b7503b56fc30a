// db-init: creates or updates one tenant's role and schema in the shared Aurora PostgreSQL
// database (tapgen System A). Invoked by the Pulumi program through aws:lambda:Invocation.
//
// Runtime: Node.js 22 (ESM). Only the AWS SDK v3 that the runtime ships is used; nothing is bundled.
//
// Event (JSON):
//   tenantId                  "acme-corp"                 ^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$, echoed back only
//   schema                    "tenant_acme_corp"          ^[a-z_][a-z0-9_]{0,62}$, no pg_/rds/aws_ prefix
//   username                  "tenant_acme_corp_app"      same rule
//   passwordSecretArn         "arn:aws:secretsmanager:…"  the tenant secret rds/tenant/{tenant}/password
//   database                  "saasdb"                    optional; must equal env DATABASE when both are set
//   passwordSecretVersionId   optional: read exactly this secret version (pass the SecretVersion's
//                             versionId so that a new password changes the input and re-invokes)
//   connectionLimit           optional integer 1..1000, default 40
//   tf                        added by lifecycleScope CRUD; on tf.action == "delete" nothing is done
//                             (tenant data is never dropped automatically)
//   Other keys (e.g. a trigger value) are ignored.
// Environment: CLUSTER_ARN, ADMIN_SECRET_ARN (the cluster's managed master user secret), DATABASE.
// Tenant secret: SecretString is JSON {"username": "<username>", "password": "<password>"}; the
//   password must match ^[A-Za-z0-9._~-]{16,128}$; a username, when present, must equal the event's;
//   other keys are ignored.
// Result: {tenantId, schema, statements: <count run>}. The password is never returned or logged.
// IAM needed: secretsmanager:GetSecretValue on ADMIN_SECRET_ARN (used by the Data API on the
//   caller's behalf) and on the tenant secret; rds-data:ExecuteStatement on CLUSTER_ARN.

import { readFileSync } from 'node:fs';
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { ExecuteStatementCommand, RDSDataClient } from '@aws-sdk/client-rds-data';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export const IDENTIFIER_RE = /^[a-z_][a-z0-9_]{0,62}$/;
export const PASSWORD_RE = /^[A-Za-z0-9._~-]{16,128}$/;
export const TENANT_ID_RE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
export const DEFAULT_CONNECTION_LIMIT = 40;
const RESERVED_NAMES = new Set(['public', 'none', 'postgres', 'information_schema', 'rdsadmin']);
const RESERVED_PREFIXES = ['pg_', 'rds', 'aws_'];
const SCRAM_ITERATIONS = 4096;
const RETRYABLE_ERRORS = new Set(['DatabaseResumingException', 'ServiceUnavailableError', 'ThrottlingException']);

export function validateIdentifier(kind, value) {
  if (typeof value !== 'string' || !IDENTIFIER_RE.test(value)) {
    throw new Error(`invalid ${kind}: must match ${IDENTIFIER_RE}`);
  }
  if (RESERVED_NAMES.has(value) || RESERVED_PREFIXES.some((p) => value.startsWith(p))) {
    throw new Error(`invalid ${kind}: ${value} is a reserved name`);
  }
  return value;
}

// Never puts the value into the message.
export function validatePassword(value) {
  if (typeof value !== 'string' || !PASSWORD_RE.test(value)) {
    throw new Error(`invalid password: must be 16 to 128 characters from [A-Za-z0-9._~-]`);
  }
  return value;
}

function validateConnectionLimit(value) {
  if (value === undefined || value === null) return DEFAULT_CONNECTION_LIMIT;
  if (!Number.isInteger(value) || value < 1 || value > 1000) {
    throw new Error('invalid connectionLimit: must be an integer from 1 to 1000');
  }
  return value;
}

// Identifiers are validated first; quoting is still done properly so that the template never has
// to put quotes around a placeholder.
export const quoteIdent = (s) => `"${s.replaceAll('"', '""')}"`;
export const quoteLiteral = (s) => {
  if (s.includes('\\') || s.includes('\0')) throw new Error('refusing to quote a backslash or NUL');
  return `'${s.replaceAll("'", "''")}'`;
};

// The verifier PostgreSQL itself stores for password_encryption = scram-sha-256 (RFC 5802/7677;
// the passwords allowed here are ASCII, which SASLprep leaves unchanged).
export function scramSha256Verifier(password, { salt = randomBytes(16), iterations = SCRAM_ITERATIONS } = {}) {
  const salted = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

// Splits tenant.sql into statement templates by the rule documented at the top of that file.
export function splitTemplate(sqlTemplate) {
  if (typeof sqlTemplate !== 'string') throw new Error('SQL template must be a string');
  const statements = [];
  let current = [];
  let inBody = false;
  for (const line of sqlTemplate.split(/\r?\n/)) {
    if (!inBody && current.length === 0 && line.trim() === '') continue;
    if (!inBody && line.trimStart().startsWith('--')) continue;
    if ((line.split('$$').length - 1) % 2 === 1) inBody = !inBody;
    const trimmed = line.trimEnd();
    if (!inBody && trimmed.endsWith(';')) {
      current.push(trimmed.slice(0, -1));
      const statement = current.join('\n').trim();
      if (statement === '') throw new Error('SQL template has an empty statement');
      statements.push(statement);
      current = [];
    } else {
      current.push(line);
    }
  }
  if (inBody) throw new Error('SQL template ends inside a $$ body');
  if (current.join('').trim() !== '') throw new Error('SQL template has text after its last statement');
  if (statements.length === 0) throw new Error('SQL template has no statements');
  return statements;
}

function placeholderValues({ schema, username, password, database, connectionLimit, salt }) {
  validateIdentifier('schema', schema);
  validateIdentifier('username', username);
  validateIdentifier('database', database);
  validatePassword(password);
  const limit = validateConnectionLimit(connectionLimit);
  return {
    schema: quoteIdent(schema),
    user: quoteIdent(username),
    user_literal: quoteLiteral(username),
    database: quoteIdent(database),
    password: quoteLiteral(scramSha256Verifier(password, salt ? { salt } : {})),
    connection_limit: String(limit),
  };
}

function fill(statement, values) {
  return statement.replace(/\{\{([^{}]*)\}\}/g, (_, name) => {
    if (!Object.hasOwn(values, name)) throw new Error(`SQL template uses unknown placeholder {{${name}}}`);
    return values[name];
  });
}

// Pure: template + tenant parameters -> the SQL statements to run, in order. Throws on any invalid
// input before producing anything. `connectionLimit` and `salt` (a Buffer, for the SCRAM verifier)
// are optional.
export function tenantStatements(sqlTemplate, params) {
  const values = placeholderValues(params ?? {});
  return splitTemplate(sqlTemplate).map((s) => fill(s, values));
}

// A short description of statement i for logs and errors, taken from the template (never holds a value).
function statementLabel(template) {
  return template.split('\n')[0].replace(/\{\{[^{}]*\}\}/g, '…').slice(0, 60);
}

// Removes the secrets, and any run of 8+ token characters that is a piece of one (a database error
// may quote part of a statement), from a message.
function redact(message, secrets) {
  let out = String(message ?? '');
  for (const s of secrets) if (s) out = out.split(s).join('***');
  return out.replace(/[A-Za-z0-9+/=$:._~-]{8,}/g, (run) => (secrets.some((s) => s && s.includes(run)) ? '***' : run));
}

function parseEvent(event) {
  if (typeof event === 'string') {
    try {
      event = JSON.parse(event);
    } catch {
      throw new Error('event is not valid JSON');
    }
  }
  if (event === null || typeof event !== 'object' || Array.isArray(event)) throw new Error('event must be a JSON object');
  const { tenantId, schema, username, passwordSecretArn, passwordSecretVersionId, database, connectionLimit } = event;
  if (typeof tenantId !== 'string' || !TENANT_ID_RE.test(tenantId)) throw new Error(`invalid tenantId: must match ${TENANT_ID_RE}`);
  validateIdentifier('schema', schema);
  validateIdentifier('username', username);
  if (database !== undefined) validateIdentifier('database', database);
  if (typeof passwordSecretArn !== 'string' || passwordSecretArn.length === 0 || passwordSecretArn.length > 2048) {
    throw new Error('invalid passwordSecretArn');
  }
  if (passwordSecretVersionId !== undefined && (typeof passwordSecretVersionId !== 'string' || !/^[A-Za-z0-9-]{32,64}$/.test(passwordSecretVersionId))) {
    throw new Error('invalid passwordSecretVersionId');
  }
  validateConnectionLimit(connectionLimit);
  return { ...event, tenantId, schema, username, database };
}

function readConfig(env, eventDatabase) {
  const clusterArn = env.CLUSTER_ARN;
  const adminSecretArn = env.ADMIN_SECRET_ARN;
  if (!clusterArn) throw new Error('environment variable CLUSTER_ARN is not set');
  if (!adminSecretArn) throw new Error('environment variable ADMIN_SECRET_ARN is not set');
  const envDatabase = env.DATABASE || undefined;
  if (envDatabase !== undefined) validateIdentifier('DATABASE', envDatabase);
  if (envDatabase && eventDatabase && envDatabase !== eventDatabase) {
    throw new Error(`event database ${eventDatabase} differs from DATABASE ${envDatabase}`);
  }
  const database = eventDatabase ?? envDatabase;
  if (!database) throw new Error('no database: set DATABASE or event.database');
  return { clusterArn, adminSecretArn, database };
}

async function readTenantPassword(secrets, { passwordSecretArn, passwordSecretVersionId, username }) {
  const out = await secrets.send(new GetSecretValueCommand({
    SecretId: passwordSecretArn,
    ...(passwordSecretVersionId ? { VersionId: passwordSecretVersionId } : {}),
  }));
  let doc;
  try {
    doc = JSON.parse(out?.SecretString ?? '');
  } catch {
    // JSON.parse messages quote the input: never pass them on.
    throw new Error('tenant secret is not a JSON object {"username": ..., "password": ...}');
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc) || typeof doc.password !== 'string') {
    throw new Error('tenant secret is not a JSON object {"username": ..., "password": ...}');
  }
  if (doc.username !== undefined && doc.username !== username) {
    throw new Error('tenant secret username does not match the event username');
  }
  return validatePassword(doc.password);
}

const lazy = (valueOrFactory) => {
  let v;
  return () => (v ??= typeof valueOrFactory === 'function' ? valueOrFactory() : valueOrFactory);
};

// Dependencies can be injected (tests): rdsData / secrets are clients (anything with send(command))
// or factories returning one; sql is the template text; env defaults to process.env; log has
// info/error; sleep(ms) is used between retries of a resuming or throttled Data API.
export function makeHandler({
  rdsData = () => new RDSDataClient({}),
  secrets = () => new SecretsManagerClient({}),
  sql,
  env = process.env,
  log = console,
  sleep = (ms) => new Promise((r) => setTimeout(r, ms)),
  maxAttempts = 6,
} = {}) {
  const getRds = lazy(rdsData);
  const getSecrets = lazy(secrets);
  const getSql = lazy(sql ?? (() => readFileSync(new URL('./tenant.sql', import.meta.url), 'utf8')));

  return async function handler(rawEvent) {
    const event = parseEvent(rawEvent);
    const { tenantId, schema, username } = event;
    if (event.tf?.action === 'delete') {
      log.info(JSON.stringify({ msg: 'db-init: delete requested, tenant role and schema are kept', tenantId, schema }));
      return { tenantId, schema, statements: 0 };
    }
    const { clusterArn, adminSecretArn, database } = readConfig(env, event.database);
    const templates = splitTemplate(getSql());

    const password = await readTenantPassword(getSecrets(), event);
    const statements = tenantStatements(getSql(), {
      schema, username, password, database, connectionLimit: event.connectionLimit,
    });
    const hidden = [password, ...statements.flatMap((s) => s.match(/SCRAM-SHA-256\$[^']*/g) ?? [])];

    const rds = getRds();
    for (let i = 0; i < statements.length; i++) {
      const label = statementLabel(templates[i]);
      for (let attempt = 1; ; attempt++) {
        try {
          await rds.send(new ExecuteStatementCommand({
            resourceArn: clusterArn,
            secretArn: adminSecretArn,
            database,
            sql: statements[i],
          }));
          break;
        } catch (err) {
          if (RETRYABLE_ERRORS.has(err?.name) && attempt < maxAttempts) {
            log.info(JSON.stringify({ msg: 'db-init: retrying', tenantId, statement: i + 1, error: err.name, attempt }));
            await sleep(Math.min(2000 * attempt, 10000));
            continue;
          }
          const message = `db-init ${tenantId}: statement ${i + 1}/${statements.length} (${label}) failed: ${redact(err?.name, hidden)}: ${redact(err?.message, hidden)}`;
          log.error(JSON.stringify({ msg: message }));
          throw new Error(message);
        }
      }
    }
    log.info(JSON.stringify({ msg: 'db-init: tenant provisioned', tenantId, schema, username, database, statements: statements.length }));
    return { tenantId, schema, statements: statements.length };
  };
}

export const handler = makeHandler();
