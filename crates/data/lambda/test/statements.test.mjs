// tenantStatements()/splitTemplate(): splitting, quoting, and refusal of unsafe input. No database.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { splitTemplate, tenantStatements } from '../db-init/index.mjs';
import { TEMPLATE, scramMatches } from './helpers.mjs';

const ok = {
  schema: 'tenant_acme_corp',
  username: 'tenant_acme_corp_app',
  password: 'Abc-def_ghi.jkl~mno0123456789',
  database: 'saasdb',
};

describe('tenantStatements', () => {
  test('splits tenant.sql into 8 statements with every placeholder filled', () => {
    const s = tenantStatements(TEMPLATE, ok);
    assert.equal(s.length, 8);
    for (const x of s) {
      assert.ok(!x.includes('{{') && !x.includes('}}'), x);
      assert.ok(!x.trimEnd().endsWith(';'), 'trailing ; removed');
      assert.ok(!x.split('\n').some((l) => l.trimStart().startsWith('--')), 'comments dropped');
    }
    assert.match(s[0], /^DO \$\$\n[\s\S]*\n\$\$$/);
    assert.match(s[0], /CREATE ROLE "tenant_acme_corp_app" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 40;/);
    assert.match(s[1], /^ALTER ROLE "tenant_acme_corp_app" WITH LOGIN NOCREATEDB NOCREATEROLE NOINHERIT CONNECTION LIMIT 40 PASSWORD 'SCRAM-SHA-256\$4096:[^']+'$/);
    assert.ok(s.includes('CREATE SCHEMA IF NOT EXISTS "tenant_acme_corp" AUTHORIZATION "tenant_acme_corp_app"'));
    assert.ok(s.includes('REVOKE ALL ON SCHEMA "tenant_acme_corp" FROM PUBLIC'));
    assert.ok(s.includes('ALTER ROLE "tenant_acme_corp_app" SET search_path = "tenant_acme_corp"'));
    const shared = s.find((x) => x.includes('pg_advisory_xact_lock'));
    assert.match(shared, /REVOKE ALL ON SCHEMA public FROM PUBLIC;/);
    assert.match(shared, /REVOKE ALL ON DATABASE "saasdb" FROM PUBLIC;/);
    assert.match(shared, /GRANT CONNECT ON DATABASE "saasdb" TO "tenant_acme_corp_app";/);
  });

  test('the plaintext password appears in no statement; the verifier matches it', () => {
    const s = tenantStatements(TEMPLATE, ok);
    assert.ok(s.every((x) => !x.includes(ok.password)));
    const verifier = /PASSWORD '([^']+)'/.exec(s[1])[1];
    assert.ok(scramMatches(verifier, ok.password));
  });

  test('connectionLimit is applied and validated', () => {
    assert.match(tenantStatements(TEMPLATE, { ...ok, connectionLimit: 7 })[1], /CONNECTION LIMIT 7 /);
    for (const connectionLimit of [0, -1, 1.5, 1001, '10']) {
      assert.throws(() => tenantStatements(TEMPLATE, { ...ok, connectionLimit }), /connectionLimit/);
    }
  });

  const badIdentifiers = [
    '', 'Tenant', 'tenant-acme', '1tenant', 'a'.repeat(64), 'x"y', "x'y", 'a;drop role postgres', 'a b', 'a\nb',
    'tenant_é', 'pg_tenant', 'rds_superuser', 'rdsadmin', 'public', 'postgres', 'aws_s3', undefined, null, 42, ['a'],
  ];
  for (const field of ['schema', 'username', 'database']) {
    test(`rejects an invalid ${field}`, () => {
      for (const value of badIdentifiers) {
        assert.throws(() => tenantStatements(TEMPLATE, { ...ok, [field]: value }), new RegExp(`invalid ${field}`), `${field}=${JSON.stringify(value)}`);
      }
    });
  }

  test('accepts identifiers at the edges of the rule', () => {
    assert.equal(tenantStatements(TEMPLATE, { ...ok, schema: '_' }).length, 8);
    assert.equal(tenantStatements(TEMPLATE, { ...ok, schema: `t${'a'.repeat(62)}` }).length, 8);
  });

  test('rejects any password outside [A-Za-z0-9._~-]{16,128} without echoing it', () => {
    const bad = [
      "abcdefghijklmnop'", "abcdefgh'; DROP ROLE postgres; --", 'abcdefghijklmnop\\', 'abcdefghijklmnop"', 'abcdefghijklmnop$$',
      'abcdefghijklmnop ', 'abcdefghijklmnop\n', 'abcdefghijklmnopé', 'abcdefghijklmno{{schema}}', 'short', 'a'.repeat(129), '',
      undefined, null, 1234567890123456789,
    ];
    for (const password of bad) {
      assert.throws(() => tenantStatements(TEMPLATE, { ...ok, password }), (e) => {
        assert.match(e.message, /invalid password/);
        if (typeof password === 'string' && password.length > 0) assert.ok(!e.message.includes(password));
        return true;
      }, JSON.stringify(password));
    }
    assert.equal(tenantStatements(TEMPLATE, { ...ok, password: 'a'.repeat(16) }).length, 8);
    assert.equal(tenantStatements(TEMPLATE, { ...ok, password: '~'.repeat(128) }).length, 8);
  });

  test('rejects missing parameters', () => {
    assert.throws(() => tenantStatements(TEMPLATE), /invalid/);
    assert.throws(() => tenantStatements(TEMPLATE, {}), /invalid/);
  });

  test('is pure: same input and salt give the same statements', () => {
    const salt = Buffer.alloc(16, 7);
    assert.deepEqual(tenantStatements(TEMPLATE, { ...ok, salt }), tenantStatements(TEMPLATE, { ...ok, salt }));
  });
});

describe('splitTemplate', () => {
  test('keeps DO bodies whole and drops comments and blank lines', () => {
    const t = [
      '-- header; with a semicolon',
      '',
      'SELECT 1;',
      '-- between',
      'DO $$',
      'BEGIN',
      '  -- inside the body; kept',
      '  PERFORM 1;',
      'END',
      '$$;',
      '',
      'SELECT',
      '  2;',
      '',
    ].join('\n');
    assert.deepEqual(splitTemplate(t), [
      'SELECT 1',
      'DO $$\nBEGIN\n  -- inside the body; kept\n  PERFORM 1;\nEND\n$$',
      'SELECT\n  2',
    ]);
  });

  test('handles CRLF line ends', () => {
    assert.deepEqual(splitTemplate('SELECT 1;\r\nSELECT 2;\r\n'), ['SELECT 1', 'SELECT 2']);
  });

  test('rejects malformed templates', () => {
    assert.throws(() => splitTemplate('SELECT 1;\nSELECT 2'), /after its last statement/);
    assert.throws(() => splitTemplate('DO $$\nBEGIN PERFORM 1;\nEND;'), /inside a \$\$ body/);
    assert.throws(() => splitTemplate('-- nothing\n'), /no statements/);
    assert.throws(() => splitTemplate(';'), /empty statement/);
    assert.throws(() => splitTemplate(undefined), /must be a string/);
  });

  test('unknown placeholders are an error, not left in the SQL', () => {
    assert.throws(() => tenantStatements('SELECT {{nope}};', ok), /unknown placeholder \{\{nope\}\}/);
    assert.throws(() => tenantStatements('SELECT {{__proto__}};', ok), /unknown placeholder/);
  });

  test('a value can never move a statement boundary (split happens before substitution)', () => {
    const s = tenantStatements('SELECT {{user_literal}},\n{{schema}};\nSELECT 2;', ok);
    assert.deepEqual(s, [`SELECT 'tenant_acme_corp_app',\n"tenant_acme_corp"`, 'SELECT 2']);
  });
});
