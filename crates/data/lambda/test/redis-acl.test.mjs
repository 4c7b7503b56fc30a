// The ElastiCache access strings of System B's shared Redis (crates/data/redis/*.txt, rendered by
// the data crate) applied as ACL users on a real, private Redis 7, then probed: each tenant works in
// its own key and channel prefix and nowhere else, runs no dangerous command, and the disabled
// default user cannot log in. When the golden enterprise example exists, the access strings it
// renders are probed the same way.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { connectAs, startRedis } from './redis-server.mjs';

const REDIS_DIR = new URL('../../redis/', import.meta.url);
const TENANT_TEMPLATE = readFileSync(new URL('tenant-access.txt', REDIS_DIR), 'utf8');
const DEFAULT_ACCESS = readFileSync(new URL('default-access.txt', REDIS_DIR), 'utf8');
const RENDERED = new URL('../../../../examples/enterprise/Main.yaml', import.meta.url);

const oneLine = (text, what) => {
  assert.match(text, /^[^\n]+\n?$/, `${what}: exactly one line`);
  return text.trim();
};
const prefixOf = (id) => `t:${id}:`;
const renderTenant = (id) => oneLine(TENANT_TEMPLATE, 'tenant-access.txt').replaceAll('{prefix}', prefixOf(id));

// ElastiCache takes an access string without passwords, `reset`, `nopass` or selectors, and refuses
// renamed or forbidden commands when they are named (categories are fine).
const ELASTICACHE_FORBIDDEN = /(^|\s)(>|<|#|!|reset\b|nopass\b|resetpass\b|\()|[+-](config|debug|shutdown|save|bgsave|bgrewriteaof|replicaof|slaveof|sync|psync|migrate|cluster|acl)(\s|\||$)/i;

const ADMIN = { user: 'tapgen-test-admin', password: 'admin-password-for-this-test-only' };
const passwordOf = (id) => `tenant-${id}-password-0123456789`;

const noperm = (promise, what) => assert.rejects(promise, (err) => {
  assert.match(String(err?.message), /^NOPERM/, `${what}: expected NOPERM, got ${err?.message}`);
  return true;
}, what);

// Sets up users on a fresh server: an admin (for seeding and checking), one user per tenant from its
// access string, and the default user from default-access.txt. ElastiCache creates each user from
// its access string alone, which is `reset` followed by that string here; the default user is
// rendered with authentication mode no-password-required, which is `nopass`: only `off` keeps
// anyone from using it.
async function provision(port, tenants) {
  const admin = await connectAs(port);
  await admin.sendCommand(['ACL', 'SETUSER', ADMIN.user, 'reset', 'on', `>${ADMIN.password}`, '~*', '&*', '+@all']);
  for (const { id, access } of tenants) {
    await admin.sendCommand(['ACL', 'SETUSER', id, 'reset', `>${passwordOf(id)}`, ...access.split(/\s+/)]);
  }
  await admin.close();
  const root = await connectAs(port, ADMIN.user, ADMIN.password);
  await root.sendCommand(['ACL', 'SETUSER', 'default', 'reset', 'nopass', ...oneLine(DEFAULT_ACCESS, 'default-access.txt').split(/\s+/)]);
  return root;
}

function probeIsolation(label, tenantsFn) {
  describe(label, () => {
    let redis;
    let root;
    const clients = new Map();
    let tenants;

    before(async () => {
      tenants = tenantsFn();
      assert.ok(tenants.length >= 2, 'at least two tenants to compare');
      redis = await startRedis();
      root = await provision(redis.port, tenants);
      for (const { id } of tenants) clients.set(id, await connectAs(redis.port, id, passwordOf(id)));
      for (const { id } of tenants) {
        await root.set(`${prefixOf(id)}secret`, `${id}-data`);
        await root.hSet(`${prefixOf(id)}profile`, { owner: id });
      }
    });

    after(async () => {
      for (const c of clients.values()) await c.close().catch(() => {});
      await root?.close().catch(() => {});
      await redis?.stop();
    });

    test('each access string is one ElastiCache-valid rule list, scoped to the tenant prefix', () => {
      for (const { id, access } of tenants) {
        assert.doesNotMatch(access, ELASTICACHE_FORBIDDEN, `${id}: ${access}`);
        assert.match(access, /^on /, `${id}: enabled`);
        const keys = access.split(/\s+/).filter((r) => r.startsWith('~') || r.startsWith('%'));
        const channels = access.split(/\s+/).filter((r) => r.startsWith('&'));
        assert.deepEqual(keys, [`~${prefixOf(id)}*`], `${id}: keys only under its prefix`);
        assert.deepEqual(channels, [`&${prefixOf(id)}*`], `${id}: channels only under its prefix`);
        assert.ok(!/allkeys|allchannels|allcommands|\+@all/.test(access), `${id}: no all-access rule`);
      }
    });

    test('a tenant does its own work: strings, hashes, lists, expiry, transactions, pub/sub', async () => {
      for (const { id } of tenants) {
        const c = clients.get(id);
        const p = prefixOf(id);
        assert.equal(await c.get(`${p}secret`), `${id}-data`);
        await c.set(`${p}k`, 'v', { EX: 60 });
        assert.ok((await c.ttl(`${p}k`)) > 0);
        assert.equal(await c.incr(`${p}n`), 1);
        await c.hSet(`${p}h`, 'f', '1');
        assert.equal(await c.hGet(`${p}h`, 'f'), '1');
        await c.rPush(`${p}l`, ['a', 'b']);
        assert.deepEqual(await c.lRange(`${p}l`, 0, -1), ['a', 'b']);
        assert.deepEqual(await c.multi().set(`${p}m`, '1').get(`${p}m`).exec(), ['OK', '1']);
        assert.equal(await c.rename(`${p}m`, `${p}m2`), 'OK');
        assert.equal(await c.del([`${p}k`, `${p}n`, `${p}h`, `${p}l`, `${p}m2`]), 5);
        const sub = c.duplicate();
        sub.on('error', () => {});
        await sub.connect();
        const got = [];
        await sub.subscribe(`${p}events`, (m) => got.push(m));
        await sub.pSubscribe(`${p}*`, (m) => got.push(`p:${m}`));
        assert.equal(await c.publish(`${p}events`, 'hello'), 2);
        for (let i = 0; i < 50 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
        assert.deepEqual(got.sort(), ['hello', 'p:hello']);
        await sub.close();
      }
    });

    test("no tenant reads, writes, deletes, scans into or publishes/subscribes on another tenant's keys and channels", async () => {
      for (const a of tenants) {
        const c = clients.get(a.id);
        for (const b of tenants) {
          if (a === b) continue;
          const k = `${prefixOf(b.id)}secret`;
          const own = `${prefixOf(a.id)}x`;
          const what = `${a.id} on ${b.id}`;
          for (const cmd of [
            ['GET', k], ['SET', k, 'x'], ['DEL', k], ['UNLINK', k], ['EXISTS', k], ['TYPE', k], ['TTL', k], ['DUMP', k],
            ['EXPIRE', k, '1'], ['HGETALL', `${prefixOf(b.id)}profile`], ['MGET', own, k], ['COPY', k, own], ['RENAME', k, own],
            ['SET', own, '1'], ['RENAME', own, k], ['COPY', own, k], ['OBJECT', 'ENCODING', k], ['MEMORY', 'USAGE', k],
            ['PUBLISH', `${prefixOf(b.id)}events`, 'x'], ['SPUBLISH', `${prefixOf(b.id)}events`, 'x'],
            ['SUBSCRIBE', `${prefixOf(b.id)}events`], ['PSUBSCRIBE', `${prefixOf(b.id)}*`], ['SSUBSCRIBE', `${prefixOf(b.id)}events`],
          ]) {
            if (cmd[0] === 'SET' && cmd[1] === own) {
              await c.sendCommand(cmd);
              continue;
            }
            await noperm(c.sendCommand(cmd), `${what}: ${cmd.join(' ')}`);
          }
        }
        // Key names of other tenants cannot be listed, counted or sampled either.
        for (const cmd of [['SCAN', '0'], ['SCAN', '0', 'MATCH', 't:*'], ['KEYS', '*'], ['RANDOMKEY'], ['DBSIZE'],
          ['PUBSUB', 'CHANNELS'], ['PUBSUB', 'NUMSUB', 't:other:events'], ['PSUBSCRIBE', '*'], ['SUBSCRIBE', 'global'],
          ['CLIENT', 'TRACKING', 'ON', 'BCAST'], ['CLIENT', 'LIST'], ['SORT', `${prefixOf(a.id)}l`, 'BY', 't:*']]) {
          await noperm(c.sendCommand(cmd), `${a.id}: ${cmd.join(' ')}`);
        }
      }
      for (const { id } of tenants) {
        assert.equal(await root.get(`${prefixOf(id)}secret`), `${id}-data`, `${id}'s data untouched`);
        assert.deepEqual({ ...(await root.hGetAll(`${prefixOf(id)}profile`)) }, { owner: id });
      }
    });

    test('no tenant runs FLUSHALL, FLUSHDB, KEYS, CONFIG, ACL, DEBUG, MONITOR, scripts or other admin commands', async () => {
      for (const { id } of tenants) {
        const c = clients.get(id);
        for (const cmd of [['FLUSHALL'], ['FLUSHDB'], ['KEYS', `${prefixOf(id)}*`], ['CONFIG', 'GET', '*'], ['CONFIG', 'SET', 'maxmemory', '1'],
          ['ACL', 'LIST'], ['ACL', 'WHOAMI'], ['ACL', 'SETUSER', id, '+@all'], ['ACL', 'GETUSER', 'default'], ['DEBUG', 'OBJECT', `${prefixOf(id)}secret`],
          ['MONITOR'], ['EVAL', 'return 1', '0'], ['FUNCTION', 'LIST'], ['SWAPDB', '0', '1'], ['INFO'], ['SHUTDOWN'], ['SLOWLOG', 'GET'],
          ['CLIENT', 'KILL', 'USER', 'default'], ['MIGRATE', '127.0.0.1', '1', `${prefixOf(id)}secret`, '0', '1'], ['BGSAVE'], ['REPLICAOF', 'NO', 'ONE']]) {
          await noperm(c.sendCommand(cmd), `${id}: ${cmd.join(' ')}`);
        }
      }
      assert.ok((await root.dbSize()) >= 2 * tenants.length, 'nothing was flushed');
    });

    test('the default user cannot log in', async () => {
      const anon = await connectAs(redis.port).catch((err) => err);
      if (!(anon instanceof Error)) {
        await assert.rejects(anon.ping(), /NOAUTH/, 'an unauthenticated connection runs nothing');
        await assert.rejects(anon.sendCommand(['AUTH', 'default', 'anything']), /WRONGPASS/, 'AUTH default fails');
        await assert.rejects(anon.sendCommand(['HELLO', '3', 'AUTH', 'default', 'anything']), /WRONGPASS/, 'HELLO AUTH default fails');
        await anon.destroy();
      }
      const access = oneLine(DEFAULT_ACCESS, 'default-access.txt').split(/\s+/);
      assert.ok(access.includes('off') && !access.includes('on'), `disabled: ${access.join(' ')}`);
      assert.deepEqual(access.filter((r) => /^[+~&%]/.test(r) || /^all/.test(r)), [], 'and it grants nothing, should it ever be enabled');
      const rules = await root.sendCommand(['ACL', 'GETUSER', 'default']);
      const flags = rules[rules.indexOf('flags') + 1];
      assert.ok(flags.includes('off') && !flags.includes('on'), `default user flags: ${flags}`);
    });
  });
}

const TEMPLATE_TENANTS = ['acme', 'globex', 'acme-eu'];
probeIsolation('tenant-access.txt rendered for acme, globex, acme-eu', () => TEMPLATE_TENANTS.map((id) => ({ id, access: renderTenant(id) })));

// examples/enterprise/Main.yaml: every ElastiCache user that tapgen renders there. The program is
// YAML the emitter writes one property per line: accessString and userName lines are read as such.
function renderedUsers() {
  const yaml = readFileSync(RENDERED, 'utf8');
  const unquote = (v) => (/^(['"]).*\1$/.test(v) ? JSON.parse(v[0] === "'" ? `"${v.slice(1, -1).replaceAll("''", "'").replaceAll('"', '\\"')}"` : v) : v);
  return [...yaml.matchAll(/^\s*accessString:\s*(.+?)\s*$/gm)].map((m) => unquote(m[1]));
}

describe('access strings rendered in examples/enterprise/Main.yaml', { skip: !existsSync(RENDERED) && 'examples/enterprise is not rendered on this branch' }, () => {
  test('each is the template for its prefix, or the default user', () => {
    const strings = renderedUsers();
    assert.ok(strings.length >= 3, `found ${strings.length} access strings`);
    for (const s of strings) {
      const m = /~t:([a-z0-9-]+):\*/.exec(s);
      if (m) assert.equal(s, renderTenant(m[1]), `rendered string for ${m[1]}`);
      else assert.equal(s, DEFAULT_ACCESS.trim(), 'a string without a key prefix is the disabled default user');
    }
  });
});

if (existsSync(RENDERED)) {
  probeIsolation('rendered tenant users of examples/enterprise', () => renderedUsers()
    .map((access) => ({ id: /~t:([a-z0-9-]+):\*/.exec(access)?.[1], access }))
    .filter((t) => t.id));
}
