// A private Redis for one test file: redis-server (Debian's package; REDIS_SERVER overrides the
// binary) as a child process on a free loopback port, with its own settings and a throw-away
// directory, stopped and removed afterwards. Never touches a Redis that is already running.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';

const freePort = () => new Promise((resolve, reject) => {
  const srv = net.createServer();
  srv.on('error', reject);
  srv.listen(0, '127.0.0.1', () => {
    const { port } = srv.address();
    srv.close(() => resolve(port));
  });
});

// Settings as on ElastiCache for Redis OSS 7: no persistence, channels closed by default for new
// users (acl-pubsub-default resetchannels, the Redis 7 default). DEBUG is enabled on purpose, so
// that only the ACL stands between a tenant and it.
export async function startRedis() {
  const dir = mkdtempSync(join(tmpdir(), 'tapgen-redis-'));
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
    '--protected-mode', 'yes', '--acl-pubsub-default', 'resetchannels', '--enable-debug-command', 'yes', '--loglevel', 'warning'];
  const child = spawn(process.env.REDIS_SERVER ?? 'redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const spawnError = new Promise((_, reject) => child.once('error', (err) => reject(
    new Error(`cannot start redis-server (${err.message}): install Debian's redis-server package (scripts/services.sh)`))));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; ; i++) {
      const up = await Promise.race([spawnError, ping(port)]);
      if (up) break;
      if (child.exitCode !== null || i > 100) throw new Error(`redis-server did not start on port ${port}: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { port, stop };
}

async function ping(port) {
  const c = createClient({ socket: { host: '127.0.0.1', port, reconnectStrategy: false } });
  c.on('error', () => {});
  try {
    await c.connect();
    await c.ping();
    return true;
  } catch {
    return false;
  } finally {
    if (c.isOpen) await c.close();
  }
}

// A connected client; user and password optional (none = the default user).
export async function connectAs(port, username, password) {
  const c = createClient({ socket: { host: '127.0.0.1', port, reconnectStrategy: false }, username, password });
  c.on('error', () => {});
  await c.connect();
  return c;
}
