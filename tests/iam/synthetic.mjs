// The synthetic account, partition, region and stack that rendered programs are resolved in, and
// deterministic ids derived from logical names (the same program always resolves to the same
// values).

import { createHash } from 'node:crypto';

export const ACCOUNT = '111122223333';
export const PARTITION = 'aws';
export const DEFAULT_REGION = 'us-east-1';
export const STACK = 'dev';

export function sha(text) {
  return createHash('sha256').update(text).digest('hex');
}

/** A deterministic UUID-shaped id derived from a logical name. */
export function uuidFor(seed) {
  const h = sha(seed);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** `n` upper-case alphanumerics derived from `seed` (AWS-style unique ids). */
export function upperId(seed, n) {
  const h = sha(seed);
  let out = '';
  for (let i = 0; i < n; i++) out += ALNUM[parseInt(h.slice(i * 2, i * 2 + 2), 16) % ALNUM.length];
  return out;
}
