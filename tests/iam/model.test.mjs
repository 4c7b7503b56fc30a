// The IAM model on a synthetic two-tenant program using what today's examples do not (yet):
// full type tokens, a region other than us-east-1, DynamoDB tables with an index, Lambda functions,
// secrets with a resource policy given as a JSON string, KMS key policies, customer managed
// policies built with aws:iam:getPolicyDocument, `$${...}` IAM policy variables, config and
// invoke references.

import assert from 'node:assert/strict';
import test from 'node:test';
import { evaluateIsolation } from './evaluate.mjs';
import { buildModel } from './model.mjs';
import { parseInterpolation, parseProgram } from './program.mjs';

const tenant = (t, { leak = false } = {}) => `
  ${t}-key:
    type: aws:kms/key:Key
    properties:
      description: data key of ${t}
      policy:
        fn::toJSON:
          Version: 2012-10-17
          Statement:
          - Sid: Root
            Effect: Allow
            Principal:
              AWS: arn:aws:iam::\${caller.accountId}:root
            Action: kms:*
            Resource: '*'
          - Sid: DenyOtherTenants
            Effect: Deny
            Principal: '*'
            Action: [kms:Decrypt, kms:Encrypt, kms:GenerateDataKey]
            Resource: '*'
            Condition:
              StringNotEquals:
                aws:PrincipalTag/tenant_id: ${t}
              'Null':
                aws:PrincipalTag/tenant_id: 'false'
      tags:
        tenant_id: ${t}
  ${t}-table:
    type: aws:dynamodb/table:Table
    properties:
      name: \${prefix}-${t}-data
      hashKey: pk
      globalSecondaryIndexes:
      - name: byEmail
        hashKey: email
        projectionType: ALL
      tags:
        tenant_id: ${t}
  ${t}-bucket:
    type: aws:s3/bucket:Bucket
    properties:
      bucket: \${prefix}-${t}-files
      tags:
        tenant_id: ${t}
  ${t}-secret:
    type: aws:secretsmanager/secret:Secret
    properties:
      name: ${t}/api-key
      kmsKeyId: \${${t}-key.arn}
      tags:
        tenant_id: ${t}
  ${t}-secret-policy:
    type: aws:secretsmanager/secretPolicy:SecretPolicy
    properties:
      secretArn: \${${t}-secret.id}
      policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"secretsmanager:*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalTag/tenant_id":"${t}"}}}]}'
  ${t}-logs:
    type: aws:cloudwatch/logGroup:LogGroup
    properties:
      name: /aws/lambda/\${prefix}-${t}
      tags:
        tenant_id: ${t}
  ${t}-role:
    type: aws:iam/role:Role
    properties:
      name: \${prefix}-${t}-fn
      assumeRolePolicy:
        fn::toJSON:
          Version: 2012-10-17
          Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
      tags:
        tenant_id: ${t}
  ${t}-inline:
    type: aws:iam/rolePolicy:RolePolicy
    properties:
      role: \${${t}-role.id}
      policy:
        fn::toJSON:
          Version: 2012-10-17
          Statement:
          - Effect: Allow
            Action: [logs:CreateLogStream, logs:PutLogEvents]
            Resource: ['\${${t}-logs.arn}:*']
          - Effect: Allow
            Action: [dynamodb:GetItem, dynamodb:PutItem, dynamodb:Query]
            Resource:
            - ${leak ? 'arn:aws:dynamodb:${region.name}:${caller.accountId}:table/${prefix}-*' : `\${${t}-table.arn}`}
            - \${${t}-table.arn}/index/*
          - Effect: Allow
            Action: [kms:Decrypt, kms:GenerateDataKey]
            Resource: ['\${${t}-key.arn}']
          - Effect: Allow
            Action: secretsmanager:GetSecretValue
            Resource: ['\${${t}-secret.arn}']
  ${t}-files-policy:
    type: aws:iam/policy:Policy
    properties:
      name: \${prefix}-${t}-files
      policy:
        fn::invoke:
          function: aws:iam/getPolicyDocument:getPolicyDocument
          arguments:
            statements:
            - effect: Allow
              actions: [s3:GetObject, s3:PutObject]
              resources: ['\${${t}-bucket.arn}/$\${aws:PrincipalTag/tenant_id}/*']
          return: json
  ${t}-files-attachment:
    type: aws:iam/rolePolicyAttachment:RolePolicyAttachment
    properties:
      role: \${${t}-role.name}
      policyArn: \${${t}-files-policy.arn}
  ${t}-function:
    type: aws:lambda/function:Function
    properties:
      name: \${prefix}-${t}
      role: \${${t}-role.arn}
      code:
        fn::fileArchive: ./lambda
      tags:
        tenant_id: ${t}
  ${t}-invoke:
    type: aws:lambda/permission:Permission
    properties:
      action: lambda:InvokeFunction
      function: \${${t}-function.name}
      principal: apigateway.amazonaws.com
      sourceArn: arn:aws:execute-api:\${region.name}:\${caller.accountId}:abc123/*/*/tenants/${t}/*
`;

const program = (tenants, opts) =>
  parseProgram(
    'synthetic',
    `
variables:
  caller:
    fn::invoke:
      function: aws:getCallerIdentity
  region:
    fn::invoke:
      function: aws:index/getRegion:getRegion
resources:
  eu:
    type: pulumi:providers:aws
    defaultProvider: true
    properties:
      region: eu-west-1
      defaultTags:
        tags:
          owner: \${owner}
${tenants.map((t) => tenant(t, opts?.[t])).join('')}`,
    `
name: synthetic
runtime: yaml
config:
  owner:
    type: string
    default: platform-team
  prefix:
    type: string
    default: syn
`,
  );

test('interpolation: $$ is a literal $', () => {
  assert.deepEqual(parseInterpolation('a/$${aws:username}/${x.arn}:*'), [
    { text: 'a/${aws:username}/' },
    { expr: 'x.arn' },
    { text: ':*' },
  ]);
});

test('synthetic program: full type tokens, own region, key and secret policies, policy variables', async () => {
  const model = buildModel(program(['red', 'blue']));
  assert.deepEqual(model.tenants, ['blue', 'red']);
  assert.equal(model.region, 'eu-west-1');
  const table = model.tenantResources.find((r) => r.logical === 'red-table');
  assert.equal(table.arn, 'arn:aws:dynamodb:eu-west-1:111122223333:table/syn-red-data');
  assert.deepEqual(table.suffixes, ['/index/byEmail']);
  const role = model.tenantRoles.find((r) => r.tenant === 'red');
  assert.equal(role.arn, 'arn:aws:iam::111122223333:role/syn-red-fn');
  assert.equal(role.tags.owner, 'platform-team');
  assert.deepEqual(role.policies.map((p) => p.name), ['red-inline', 'red-files-policy']);
  assert.equal(
    role.policies[1].policy.Statement[0].Resource[0],
    'arn:aws:s3:::syn-red-files/${aws:PrincipalTag/tenant_id}/*',
  );
  assert.deepEqual(model.tenantResources.find((r) => r.logical === 'red-secret').policySources, ['red-secret-policy']);
  assert.deepEqual(model.tenantResources.find((r) => r.logical === 'red-function').policySources, ['red-invoke']);

  const report = await evaluateIsolation(model);
  console.log(
    `iam: synthetic: ${report.counts.total} decisions evaluated (${report.counts.crossDenied} cross-tenant denied, ${report.counts.ownAllowed} own allowed)`,
  );
  assert.deepEqual(report.unexpected, []);
  assert.deepEqual(report.unexercised, []);
  // The owner reaches objects under its tenant prefix (the `$${...}` policy variable resolved).
  assert.ok(
    report.decisions.some(
      (d) => !d.cross && d.action === 's3:GetObject' && d.resource === 'arn:aws:s3:::syn-red-files/red/x' && d.result === 'Allowed',
    ),
  );
  // The key and secret policies deny other tenants explicitly.
  assert.ok(report.decisions.some((d) => d.cross && d.kind === 'kms key' && d.result === 'ExplicitlyDenied'));
  assert.ok(report.decisions.some((d) => d.cross && d.kind === 'secret' && d.result === 'ExplicitlyDenied'));
  assert.ok(report.decisions.some((d) => !d.cross && d.resource.endsWith('/index/byEmail') && d.result === 'Allowed'));
});

test('synthetic program: a wildcard table grant reaching the other tenant is reported', async () => {
  const report = await evaluateIsolation(buildModel(program(['red', 'blue'], { red: { leak: true } })));
  const leaks = report.unexpected.filter((d) => d.cross && d.result === 'Allowed');
  assert.ok(leaks.length > 0);
  assert.ok(leaks.every((d) => d.principalTenant === 'red' && d.resourceLogical === 'blue-table'));
});

test('an attribute the model does not know fails loudly, naming the reference', () => {
  const p = program(['red', 'blue']);
  p.main.resources['red-inline'].properties.policy['fn::toJSON'].Statement[0].Resource = ['${red-table.streamViewTypeArn}'];
  assert.throws(() => buildModel(p), /\$\{red-table\.streamViewTypeArn\}/);
});
