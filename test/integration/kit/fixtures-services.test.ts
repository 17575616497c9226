// Fixture kinds beyond storage: topics and subscriptions, secrets, parameters, rules and targets,
// applied through the services and checked through the SDK (and end to end: a published message
// and a put event arrive where the fixture wired them).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { GetQueueUrlCommand, ListQueuesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, ListTopicsCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DescribeSecretCommand, GetSecretValueCommand, ListSecretVersionIdsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DescribeParametersCommand, GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DescribeRuleCommand, EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ControlClient } from '../../../src/api/control-client.ts';
import { loadFixtureFile } from '../../../src/fixtures/load.ts';
import { startKumo, type Kumo } from '../../../src/index.ts';
import { waitFor } from '../../../src/testing/index.ts';
import { makeZip } from '../../helpers/zip.ts';

const SEED = (version: number, ruleDescription: string) => `
version: ${version}
queues:
  - name: orders
  - name: audit
topics:
  - name: order-events
    attributes: { DisplayName: Orders }
    tags: { team: shop }
    subscriptions:
      - { queue: orders, attributes: { RawMessageDelivery: "true" } }
  - name: ledger.fifo
secrets:
  - name: db/password
    value: s3cret
    description: the database password
  - name: api/credentials
    value: { user: app, key: k-123 }
  - name: tls/blob
    valueBase64: AAEC/w==
parameters:
  - { name: /app/stage, value: test }
  - { name: /app/hosts, value: [a.example, b.example] }
  - { name: /app/token, type: SecureString, value: t0ken }
functions:
  - name: audit-fn
    code: { zipFile: ./fn.zip }
rules:
  - name: order-placed
    description: ${ruleDescription}
    eventPattern: { source: [shop], detail-type: [OrderPlaced] }
    targets:
      - { id: to-audit, queue: audit }
      - { function: audit-fn }
  - name: nightly
    schedule: cron(0 3 * * ? *)
    state: DISABLED
`;

describe('fixtures for topics, subscriptions, secrets, parameters and rules', () => {
  let kumo: Kumo;
  let dir: string;
  let cfg: ReturnType<Kumo['clientConfig']> & { maxAttempts: number };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kumo-fixtures-services-'));
    await writeFile(join(dir, 'fn.zip'), makeZip({ 'index.mjs': 'export const handler = async () => 1;' }));
    kumo = await startKumo({ port: 0, logLevel: 'warn' });
    cfg = { ...kumo.clientConfig(), maxAttempts: 1 };
  });
  after(async () => {
    await kumo.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('every kind is created, and wired: a publish reaches the subscribed queue, an event the rule target', async () => {
    await writeFile(join(dir, 'seed.yaml'), SEED(1, 'first'));
    const result = await kumo.fixtures.apply(join(dir, 'seed.yaml'));
    assert.equal(result.outcome, 'applied');
    assert.deepEqual(result.created, [
      'queues[0] ("orders")', 'queues[1] ("audit")', 'topics[0] ("order-events")', 'topics[1] ("ledger.fifo")',
      'secrets[0] ("db/password")', 'secrets[1] ("api/credentials")', 'secrets[2] ("tls/blob")',
      'parameters[0] ("/app/stage")', 'parameters[1] ("/app/hosts")', 'parameters[2] ("/app/token")',
      'functions[0] ("audit-fn")', 'rules[0] ("order-placed")', 'rules[1] ("nightly")',
    ]);

    const sns = new SNSClient(cfg);
    const topicArn = 'arn:aws:sns:us-east-1:000000000000:order-events';
    assert.equal((await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }))).Attributes?.DisplayName, 'Orders');
    assert.equal((await sns.send(new GetTopicAttributesCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:ledger.fifo' }))).Attributes?.FifoTopic, 'true');
    const subs = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions ?? [];
    assert.deepEqual(subs.map((s) => [s.Protocol, s.Endpoint]), [['sqs', 'arn:aws:sqs:us-east-1:000000000000:orders']]);
    const sqs = new SQSClient(cfg);
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'order-1' }));
    const orders = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'orders' }))).QueueUrl;
    const delivered = await waitFor(async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl: orders }))).Messages?.[0], { log: false });
    assert.equal(delivered.Body, 'order-1', 'raw message delivery, as the subscription attributes say');

    const secrets = new SecretsManagerClient(cfg);
    const password = await secrets.send(new GetSecretValueCommand({ SecretId: 'db/password' }));
    assert.equal(password.SecretString, 's3cret');
    assert.equal((await secrets.send(new DescribeSecretCommand({ SecretId: 'db/password' }))).Description, 'the database password');
    assert.deepEqual(JSON.parse((await secrets.send(new GetSecretValueCommand({ SecretId: 'api/credentials' }))).SecretString!), { user: 'app', key: 'k-123' });
    assert.deepEqual([...(await secrets.send(new GetSecretValueCommand({ SecretId: 'tls/blob' }))).SecretBinary!], [0, 1, 2, 255]);

    const ssm = new SSMClient(cfg);
    assert.equal((await ssm.send(new GetParameterCommand({ Name: '/app/stage' }))).Parameter?.Value, 'test');
    const hosts = (await ssm.send(new GetParameterCommand({ Name: '/app/hosts' }))).Parameter!;
    assert.deepEqual([hosts.Type, hosts.Value], ['StringList', 'a.example,b.example']);
    const token = (await ssm.send(new GetParameterCommand({ Name: '/app/token', WithDecryption: true }))).Parameter!;
    assert.deepEqual([token.Type, token.Value], ['SecureString', 't0ken']);

    const events = new EventBridgeClient(cfg);
    assert.equal((await events.send(new DescribeRuleCommand({ Name: 'nightly' }))).State, 'DISABLED');
    const targets = (await events.send(new ListTargetsByRuleCommand({ Rule: 'order-placed' }))).Targets ?? [];
    assert.deepEqual(targets.map((t) => [t.Id, t.Arn]).sort(), [
      ['fixture-1', 'arn:aws:lambda:us-east-1:000000000000:function:audit-fn'],
      ['to-audit', 'arn:aws:sqs:us-east-1:000000000000:audit'],
    ]);
    await events.send(new PutEventsCommand({ Entries: [{ Source: 'shop', DetailType: 'OrderPlaced', Detail: '{"id":1}' }] }));
    const audit = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'audit' }))).QueueUrl;
    const event = await waitFor(async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl: audit }))).Messages?.[0], { log: false });
    assert.equal(JSON.parse(event.Body!)['detail-type'], 'OrderPlaced');
  });

  test('re-applying a new version keeps what exists, subscribes once and updates the rule', async () => {
    await writeFile(join(dir, 'seed.yaml'), SEED(2, 'second'));
    const again = await kumo.fixtures.apply(join(dir, 'seed.yaml'));
    assert.equal(again.outcome, 'applied');
    assert.deepEqual(again.created, []);
    const topicArn = 'arn:aws:sns:us-east-1:000000000000:order-events';
    assert.equal(((await new SNSClient(cfg).send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions ?? []).length, 1);
    assert.equal(((await new SecretsManagerClient(cfg).send(new ListSecretVersionIdsCommand({ SecretId: 'db/password' }))).Versions ?? []).length, 1, 'no new secret version');
    assert.equal((await new SSMClient(cfg).send(new GetParameterCommand({ Name: '/app/stage' }))).Parameter?.Version, 1);
    assert.equal((await new EventBridgeClient(cfg).send(new DescribeRuleCommand({ Name: 'order-placed' }))).Description, 'second');
    assert.equal((await kumo.fixtures.apply(join(dir, 'seed.yaml'))).outcome, 'unchanged');
  });

  test('entries AWS would refuse name the file and entry, and nothing of the file is applied', async () => {
    await kumo.reset();
    const cases: [string, RegExp][] = [
      ['{"queues": [{"name": "q1"}], "topics": [{"name": "bad topic!"}]}', /bad\.json: topics\[0\] \("bad topic!"\): CreateTopic refused: InvalidParameter/],
      ['{"queues": [{"name": "q1"}], "topics": [{"name": "t1", "subscriptions": [{"protocol": "carrier-pigeon", "endpoint": "x"}]}]}', /topics\[0\] \("t1"\): Subscribe refused: InvalidParameter/],
      ['{"topics": [{"name": "t1", "subscriptions": [{"endpoint": "x"}]}]}', /topics\[0\] \("t1"\)\.subscriptions\[0\]: "protocol" is required/],
      ['{"queues": [{"name": "q1"}], "secrets": [{"name": "s1", "value": "v"}, {"name": "s1", "value": "w"}]}', /secrets\[1\] \("s1"\): is defined twice/],
      ['{"queues": [{"name": "q1"}], "secrets": [{"name": "s1", "value": "v", "valueBase64": "AA=="}]}', /secrets\[0\] \("s1"\): give "value" or "valueBase64", not both/],
      ['{"queues": [{"name": "q1"}], "parameters": [{"name": "/p", "type": "Number", "value": "1"}]}', /bad\.json: parameters\[0\] \("\/p"\): (PutParameter refused: )?\S*Validation/],
      ['{"queues": [{"name": "q1"}], "parameters": [{"name": "/p"}]}', /parameters\[0\] \("\/p"\): "value" is required/],
      ['{"queues": [{"name": "q1"}], "rules": [{"name": "r1", "eventPattern": "{not json"}]}', /bad\.json: rules\[0\] \("r1"\): PutRule refused: InvalidEventPatternException/],
      ['{"queues": [{"name": "q1"}], "rules": [{"name": "r1", "eventPattern": {"source": ["a"]}, "targets": [{"arn": "arn:aws:sqs:us-east-1:000000000000:q1", "queue": "q1"}]}]}', /rules\[0\] \("r1"\)\.targets\[0\]: needs exactly one of "arn", "queue", "function", "topic"/],
      ['{"queues": [{"name": "q1"}], "rules": [{"name": "r1"}]}', /rules\[0\] \("r1"\): needs "eventPattern" or "schedule"/],
      ['{"queues": [{"name": "q1"}], "rules": [{"name": "r1", "schedule": "rate(5 minutes)", "eventBusName": "no-such-bus"}]}', /rules\[0\] \("r1"\): PutRule refused: ResourceNotFoundException/],
    ];
    for (const [text, message] of cases) {
      await writeFile(join(dir, 'bad.json'), text);
      await assert.rejects(kumo.fixtures.apply(join(dir, 'bad.json')), (err: Error) => {
        assert.equal(err.name, 'FixtureError', err.stack);
        assert.match(err.message, message);
        return true;
      });
    }
    assert.equal((await new SQSClient(cfg).send(new ListQueuesCommand({}))).QueueUrls, undefined, 'q1 was rolled back every time');
    assert.deepEqual((await new SNSClient(cfg).send(new ListTopicsCommand({}))).Topics ?? [], []);
    assert.deepEqual((await new SSMClient(cfg).send(new DescribeParametersCommand({}))).Parameters ?? [], []);
    assert.deepEqual((await new EventBridgeClient(cfg).send(new ListRulesCommand({}))).Rules ?? [], []);
  });

  test('over the control endpoint (kumo fixtures apply), the same file applies the same way', async () => {
    await kumo.reset();
    await writeFile(join(dir, 'remote.yaml'), SEED(7, 'remote'));
    const loaded = await loadFixtureFile(join(dir, 'remote.yaml'));
    const result = await new ControlClient(kumo.endpoint).applyFixtures(loaded.source, loaded.fixture);
    assert.equal(result.outcome, 'applied');
    assert.equal(result.created.length, 13);
    assert.deepEqual([...(await new SecretsManagerClient(cfg).send(new GetSecretValueCommand({ SecretId: 'tls/blob' }))).SecretBinary!], [0, 1, 2, 255]);
    assert.equal((await new EventBridgeClient(cfg).send(new DescribeRuleCommand({ Name: 'order-placed' }))).Description, 'remote');
  });
});
