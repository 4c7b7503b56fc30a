// Data sources a Pulumi YAML variable may invoke (`fn::invoke`) and a policy may reference,
// emulated with the synthetic account, partition and region.

import { ACCOUNT, PARTITION, sha } from './synthetic.mjs';

/** aws:iam:getPolicyDocument arguments -> the policy JSON it renders. */
function policyDocumentJson(args) {
  const list = (v) => (v === undefined ? undefined : [v].flat());
  const principals = (ps) => {
    if (ps === undefined) return undefined;
    const out = {};
    for (const p of ps) {
      if (p.type === '*') return '*';
      out[p.type] = [...(out[p.type] ?? []), ...list(p.identifiers)];
    }
    return out;
  };
  const statements = (args.statements ?? []).map((st) => {
    const s = { ...(st.sid ? { Sid: st.sid } : {}), Effect: st.effect ?? 'Allow' };
    for (const [from, to] of [
      ['actions', 'Action'],
      ['notActions', 'NotAction'],
      ['resources', 'Resource'],
      ['notResources', 'NotResource'],
    ]) {
      if (st[from] !== undefined) s[to] = list(st[from]);
    }
    if (st.principals) s.Principal = principals(st.principals);
    if (st.notPrincipals) s.NotPrincipal = principals(st.notPrincipals);
    if (st.conditions) {
      s.Condition = {};
      for (const c of st.conditions) {
        s.Condition[c.test] = { ...(s.Condition[c.test] ?? {}), [c.variable]: list(c.values) };
      }
    }
    return s;
  });
  const json = JSON.stringify({ Version: args.version ?? '2012-10-17', Statement: statements });
  return { json, minifiedJson: json, id: sha(json).slice(0, 10) };
}

// Data sources a variable may invoke and a policy may reference.
export const INVOKES = {
  'aws:iam:getPolicyDocument': (_region, args) => policyDocumentJson(args),
  // The deployer runs `pulumi up` as an assumed-role session of a role named tapgen-deployer.
  'aws:getCallerIdentity': () => ({
    accountId: ACCOUNT,
    arn: `arn:${PARTITION}:sts::${ACCOUNT}:assumed-role/tapgen-deployer/pulumi`,
    id: ACCOUNT,
    userId: `AROAEXAMPLE:pulumi`,
  }),
  'aws:iam:getSessionContext': (_region, args) => {
    const match = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(args.arn ?? '');
    if (!match) return { arn: args.arn, issuerArn: args.arn, issuerId: '', issuerName: '', sessionName: '' };
    const [, partition, account, role, session] = match;
    return { arn: args.arn, issuerArn: `arn:${partition}:iam::${account}:role/${role}`, issuerName: role, sessionName: session };
  },
  'aws:getRegion': (r) => ({ name: r, region: r, id: r, endpoint: `ec2.${r}.amazonaws.com` }),
  'aws:getPartition': () => ({ partition: PARTITION, id: PARTITION, dnsSuffix: 'amazonaws.com' }),
  'aws:getAvailabilityZones': (r) => ({ names: ['a', 'b', 'c', 'd'].map((z) => `${r}${z}`) }),
};
