// Synthetic outputs of the resource types a policy may name.
//
// Each entry: name(ctx) -> the physical name (from the naming property or Pulumi-style autoname),
// attrs: { attr: (ctx) -> value }. Attributes not listed fall back to the resource's own input
// property of the same name (Pulumi outputs mirror inputs); anything else throws.
//
// `ctx` is built by Resolver (program.mjs): { logical, type, region, name, prop(key),
// nameFrom(key, { lower }), attr(name) }.

import { ACCOUNT, PARTITION, sha, upperId, uuidFor } from './synthetic.mjs';

const arnIn = (ctx, service, rest) => `arn:${PARTITION}:${service}:${ctx.region}:${ACCOUNT}:${rest}`;

export const TYPES = {
  'aws:s3:Bucket': {
    name: (c) => c.nameFrom('bucket', { lower: true }),
    attrs: {
      id: (c) => c.name,
      bucket: (c) => c.name,
      arn: (c) => `arn:${PARTITION}:s3:::${c.name}`,
      bucketDomainName: (c) => `${c.name}.s3.amazonaws.com`,
      bucketRegionalDomainName: (c) => `${c.name}.s3.${c.region}.amazonaws.com`,
      region: (c) => c.region,
    },
  },
  'aws:iam:Role': {
    name: (c) => c.nameFrom('name'),
    attrs: {
      id: (c) => c.name,
      name: (c) => c.name,
      arn: (c) => `arn:${PARTITION}:iam::${ACCOUNT}:role${c.prop('path') ?? '/'}${c.name}`,
      uniqueId: (c) => `AROA${upperId(`role:${c.logical}`, 17)}`,
    },
  },
  'aws:iam:Policy': {
    name: (c) => c.nameFrom('name'),
    attrs: {
      id: (c) => c.attr('arn'),
      name: (c) => c.name,
      arn: (c) => `arn:${PARTITION}:iam::${ACCOUNT}:policy${c.prop('path') ?? '/'}${c.name}`,
      policyId: (c) => `ANPA${upperId(`policy:${c.logical}`, 17)}`,
    },
  },
  'aws:kms:Key': {
    name: (c) => uuidFor(`kms-key:${c.logical}`),
    attrs: {
      id: (c) => c.name,
      keyId: (c) => c.name,
      arn: (c) => arnIn(c, 'kms', `key/${c.name}`),
    },
  },
  'aws:kms:Alias': {
    name: (c) => c.nameFrom('name'),
    attrs: {
      id: (c) => c.name,
      name: (c) => c.name,
      arn: (c) => arnIn(c, 'kms', c.name),
      targetKeyArn: (c) => {
        const target = String(c.prop('targetKeyId'));
        return target.startsWith('arn:') ? target : arnIn(c, 'kms', `key/${target}`);
      },
    },
  },
  'aws:secretsmanager:Secret': {
    name: (c) => c.nameFrom('name'),
    attrs: {
      id: (c) => c.attr('arn'),
      name: (c) => c.name,
      arn: (c) => arnIn(c, 'secretsmanager', `secret:${c.name}-AbCdEf`),
    },
  },
  'aws:cloudwatch:LogGroup': {
    name: (c) => c.nameFrom('name'),
    attrs: {
      id: (c) => c.name,
      name: (c) => c.name,
      // The provider reports the ARN without the trailing `:*`.
      arn: (c) => arnIn(c, 'logs', `log-group:${c.name}`),
    },
  },
  'aws:dynamodb:Table': {
    name: (c) => c.nameFrom('name'),
    attrs: {
      id: (c) => c.name,
      name: (c) => c.name,
      arn: (c) => arnIn(c, 'dynamodb', `table/${c.name}`),
      streamArn: (c) => `${c.attr('arn')}/stream/2025-01-01T00:00:00.000`,
      streamLabel: () => '2025-01-01T00:00:00.000',
    },
  },
  'aws:lambda:Function': {
    name: (c) => c.nameFrom('name'),
    attrs: {
      id: (c) => c.name,
      name: (c) => c.name,
      functionName: (c) => c.name,
      arn: (c) => arnIn(c, 'lambda', `function:${c.name}`),
      qualifiedArn: (c) => `${c.attr('arn')}:$LATEST`,
      version: () => '$LATEST',
      invokeArn: (c) =>
        `arn:${PARTITION}:apigateway:${c.region}:lambda:path/2015-03-31/functions/${c.attr('arn')}/invocations`,
    },
  },
  'aws:rds:Cluster': {
    name: (c) => c.nameFrom('clusterIdentifier', { lower: true }),
    attrs: {
      id: (c) => c.name,
      clusterIdentifier: (c) => c.name,
      arn: (c) => arnIn(c, 'rds', `cluster:${c.name}`),
      clusterResourceId: (c) => `cluster-${upperId(`rds:${c.logical}`, 26)}`,
      masterUserSecrets: (c) => [
        {
          secretArn: arnIn(c, 'secretsmanager', `secret:rds!cluster-${uuidFor(`rds-secret:${c.logical}`)}-AbCdEf`),
          kmsKeyId: arnIn(c, 'kms', `key/${uuidFor(`rds-secret-key:${c.logical}`)}`),
          secretStatus: 'active',
        },
      ],
    },
  },
  'aws:ssm:Parameter': {
    name: (c) => c.nameFrom('name'),
    attrs: {
      id: (c) => c.name,
      name: (c) => c.name,
      arn: (c) => arnIn(c, 'ssm', `parameter/${c.name.replace(/^\//, '')}`),
    },
  },
  'aws:sqs:Queue': {
    name: (c) => c.nameFrom('name'),
    attrs: {
      arn: (c) => arnIn(c, 'sqs', c.name),
      id: (c) => `https://sqs.${c.region}.amazonaws.com/${ACCOUNT}/${c.name}`,
      url: (c) => `https://sqs.${c.region}.amazonaws.com/${ACCOUNT}/${c.name}`,
      name: (c) => c.name,
    },
  },
  'aws:sns:Topic': {
    name: (c) => c.nameFrom('name'),
    attrs: {
      arn: (c) => arnIn(c, 'sns', c.name),
      id: (c) => c.attr('arn'),
      name: (c) => c.name,
    },
  },
  'aws:cognito:UserPool': {
    name: (c) => `${c.region}_${upperId(`userpool:${c.logical}`, 9)}`,
    attrs: {
      id: (c) => c.name,
      arn: (c) => arnIn(c, 'cognito-idp', `userpool/${c.name}`),
    },
  },
  'aws:apigateway:RestApi': {
    name: (c) => upperId(`restapi:${c.logical}`, 10).toLowerCase(),
    attrs: {
      id: (c) => c.name,
      rootResourceId: (c) => upperId(`restapi-root:${c.logical}`, 10).toLowerCase(),
      arn: (c) => `arn:${PARTITION}:apigateway:${c.region}::/restapis/${c.name}`,
      executionArn: (c) => arnIn(c, 'execute-api', c.name),
    },
  },
  'aws:apigateway:Authorizer': {
    name: (c) => upperId(`authorizer:${c.logical}`, 6).toLowerCase(),
    attrs: {
      id: (c) => c.name,
      arn: (c) => `arn:${PARTITION}:apigateway:${c.region}::/restapis/${c.prop('restApi')}/authorizers/${c.name}`,
    },
  },
  'aws:apigateway:Stage': {
    name: (c) => c.nameFrom('stageName'),
    attrs: {
      id: (c) => `ags-${c.prop('restApi')}-${c.name}`,
      stageName: (c) => c.name,
      arn: (c) => `arn:${PARTITION}:apigateway:${c.region}::/restapis/${c.prop('restApi')}/stages/${c.name}`,
      executionArn: (c) => arnIn(c, 'execute-api', `${c.prop('restApi')}/${c.name}`),
      invokeUrl: (c) => `https://${c.prop('restApi')}.execute-api.${c.region}.amazonaws.com/${c.name}`,
    },
  },
  'aws:cloudfront:Distribution': {
    name: (c) => `E${upperId(`distribution:${c.logical}`, 13)}`,
    attrs: {
      id: (c) => c.name,
      arn: (c) => `arn:${PARTITION}:cloudfront::${ACCOUNT}:distribution/${c.name}`,
      domainName: (c) => `${c.name.toLowerCase()}.cloudfront.net`,
    },
  },
  // CloudFront SaaS Manager's distribution (the static bucket's policy names it).
  'aws:cloudfront:MultitenantDistribution': {
    name: (c) => `E${upperId(`distribution:${c.logical}`, 13)}`,
    attrs: {
      id: (c) => c.name,
      arn: (c) => `arn:${PARTITION}:cloudfront::${ACCOUNT}:distribution/${c.name}`,
    },
  },
  'aws:ec2:VpcEndpoint': {
    name: (c) => `vpce-${sha(`vpce:${c.logical}`).slice(0, 17)}`,
    attrs: {
      id: (c) => c.name,
      arn: (c) => arnIn(c, 'ec2', `vpc-endpoint/${c.name}`),
    },
  },
  'aws:ec2:Subnet': {
    name: (c) => `subnet-${sha(`subnet:${c.logical}`).slice(0, 17)}`,
    attrs: {
      id: (c) => c.name,
      arn: (c) => arnIn(c, 'ec2', `subnet/${c.name}`),
    },
  },
  'aws:ec2:SecurityGroup': {
    name: (c) => `sg-${sha(`sg:${c.logical}`).slice(0, 17)}`,
    attrs: {
      id: (c) => c.name,
      arn: (c) => arnIn(c, 'ec2', `security-group/${c.name}`),
    },
  },
  'aws:ec2:Vpc': {
    name: (c) => `vpc-${sha(`vpc:${c.logical}`).slice(0, 17)}`,
    attrs: {
      id: (c) => c.name,
      arn: (c) => arnIn(c, 'ec2', `vpc/${c.name}`),
    },
  },
  'aws:ecs:Cluster': {
    name: (c) => c.nameFrom('name'),
    attrs: {
      id: (c) => c.attr('arn'),
      name: (c) => c.name,
      arn: (c) => arnIn(c, 'ecs', `cluster/${c.name}`),
    },
  },
  'aws:ecs:TaskDefinition': {
    name: (c) => c.nameFrom('family'),
    attrs: {
      arn: (c) => arnIn(c, 'ecs', `task-definition/${c.name}:1`),
      arnWithoutRevision: (c) => arnIn(c, 'ecs', `task-definition/${c.name}`),
      id: (c) => c.name,
      family: (c) => c.name,
      revision: () => 1,
    },
  },
  'aws:elasticache:ReplicationGroup': {
    name: (c) => c.nameFrom('replicationGroupId', { lower: true }),
    attrs: {
      id: (c) => c.name,
      arn: (c) => arnIn(c, 'elasticache', `replicationgroup:${c.name}`),
    },
  },
  'aws:elasticache:User': {
    name: (c) => c.nameFrom('userId', { lower: true }),
    attrs: {
      id: (c) => c.name,
      userId: (c) => c.name,
      arn: (c) => arnIn(c, 'elasticache', `user:${c.name}`),
    },
  },
  'aws:acm:Certificate': {
    name: (c) => uuidFor(`acm:${c.logical}`),
    attrs: {
      id: (c) => c.attr('arn'),
      arn: (c) => arnIn(c, 'acm', `certificate/${c.name}`),
    },
  },
  'aws:route53:Zone': {
    name: (c) => `Z${upperId(`zone:${c.logical}`, 20)}`,
    attrs: {
      id: (c) => c.name,
      zoneId: (c) => c.name,
      arn: (c) => `arn:${PARTITION}:route53:::hostedzone/${c.name}`,
    },
  },
};
TYPES['aws:s3:BucketV2'] = TYPES['aws:s3:Bucket'];
