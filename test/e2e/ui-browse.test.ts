import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DynamoDBClient, CreateTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { Kumo } from '../../src/index.ts';
import { clientConfig, clockNow, startTestKumo } from '../helpers/kumo.ts';
import { makeZip } from '../helpers/zip.ts';
import { buildUiAssets, openBrowser, type Browser } from './ui-browser.ts';

let kumo: Kumo;
let browser: Browser;
let ui: string;
const cfg = () => clientConfig(kumo.endpoint);

before(async () => {
  buildUiAssets();
  kumo = await startTestKumo();
  ui = `${kumo.endpoint}/kumo/ui`;
  browser = await openBrowser();
});
after(async () => {
  await browser?.close();
  await kumo?.stop();
});

test('the overview counts resources per account and region, and picks up new ones live', async () => {
  const { page } = browser;
  const sqs = new SQSClient(cfg());
  await sqs.send(new CreateQueueCommand({ QueueName: 'orders' }));
  await new SQSClient({ ...cfg(), region: 'eu-west-1' }).send(new CreateQueueCommand({ QueueName: 'audit' }));
  await page.goto(ui);
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  const row = (region: string) => page.locator('tr', { has: page.locator('td', { hasText: region }) });
  await row('eu-west-1').locator('[data-count="sqs"]').getByText('1').waitFor();
  // Created after the page loaded: live refresh shows it without a reload.
  await new S3Client({ ...cfg(), forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: 'live-bucket' }));
  await row('us-east-1').locator('[data-count="s3"]').getByText('1').waitFor({ timeout: 10_000 });
  await browser.screenshot('overview');
});

test('S3: buckets, prefixes, object metadata, upload and delete', async () => {
  const { page } = browser;
  const s3 = new S3Client({ ...cfg(), forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'photos' }));
  await s3.send(new PutObjectCommand({ Bucket: 'photos', Key: '2024/cat.txt', Body: 'meow', ContentType: 'text/plain', Metadata: { owner: 'ann' } }));
  await s3.send(new PutObjectCommand({ Bucket: 'photos', Key: 'readme.md', Body: '# hi' }));
  await page.goto(`${ui}#/s3`);
  await page.getByRole('link', { name: 'photos' }).click();
  await page.getByRole('link', { name: '2024/' }).click();
  await page.getByRole('cell', { name: 'cat.txt' }).waitFor();
  assert.equal(await page.getByRole('cell', { name: 'readme.md' }).count(), 0);
  await page.getByRole('button', { name: 'Details' }).click();
  await page.getByText('x-amz-meta-owner').waitFor();
  assert.equal(await page.locator('dd', { hasText: 'ann' }).count(), 1);

  await page.setInputFiles('input[type=file]', { name: 'dog.txt', mimeType: 'text/plain', buffer: Buffer.from('woof') });
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  await page.getByText('Uploaded dog.txt').waitFor();
  const got = await s3.send(new GetObjectCommand({ Bucket: 'photos', Key: '2024/dog.txt' }));
  assert.equal(await got.Body!.transformToString(), 'woof');

  const download = page.waitForEvent('download');
  await page.getByRole('row', { name: /cat\.txt/ }).getByRole('button', { name: 'Download' }).click();
  assert.equal((await download).suggestedFilename(), 'cat.txt');

  await page.getByRole('row', { name: /dog\.txt/ }).getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('cell', { name: 'dog.txt' }).waitFor({ state: 'detached' });
  await browser.screenshot('s3-prefix');
});

test('SQS: peek leaves messages visible; send and purge', async () => {
  const { page } = browser;
  const sqs = new SQSClient(cfg());
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'jobs' }));
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '{"job":42}' }));
  await page.goto(`${ui}#/sqs`);
  await page.getByRole('link', { name: 'jobs' }).click();
  await page.getByText('{"job":42}').first().waitFor();
  await page.getByRole('cell', { name: 'visible' }).first().waitFor();
  await browser.screenshot('sqs-queue');
  const attrs = async () => (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }))).Attributes!;
  assert.equal((await attrs()).ApproximateNumberOfMessages, '1');
  assert.equal((await attrs()).ApproximateNumberOfMessagesNotVisible, '0');

  await page.getByLabel('Body').fill('from the page');
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByText(/^Sent /).waitFor();
  await page.getByText('from the page').first().waitFor();
  assert.equal((await attrs()).ApproximateNumberOfMessages, '2');

  await page.getByRole('button', { name: 'Purge' }).click();
  await page.getByText('The queue is empty.').waitFor();
  assert.equal((await attrs()).ApproximateNumberOfMessages, '0');
});

test('SQS: a dead-letter queue redrives to its source', async () => {
  const { page } = browser;
  const sqs = new SQSClient(cfg());
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: 'work-dlq' }));
  const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const src = await sqs.send(new CreateQueueCommand({ QueueName: 'work', Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) } }));
  await sqs.send(new SendMessageCommand({ QueueUrl: src.QueueUrl, MessageBody: 'failed once' }));
  // Received once and not deleted: the next receive dead-letters it (maxReceiveCount 1).
  await sqs.send(new ReceiveMessageCommand({ QueueUrl: src.QueueUrl, VisibilityTimeout: 0 }));
  await sqs.send(new ReceiveMessageCommand({ QueueUrl: src.QueueUrl, VisibilityTimeout: 0 }));
  await page.goto(`${ui}#/sqs/work-dlq`);
  await page.getByRole('button', { name: 'Redrive to source' }).click();
  await page.getByText(/Redrive started/).waitFor();
  await page.getByRole('table', { name: 'Redrive tasks' }).getByText('COMPLETED').waitFor();
  for (let i = 0; i < 50; i++) {
    const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: src.QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes!;
    if (a.ApproximateNumberOfMessages === '1') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail('the message did not move back to the source queue');
});

test('DynamoDB: indexes, a key-condition query, and editing an item', async () => {
  const { page } = browser;
  const ddb = new DynamoDBClient(cfg());
  await ddb.send(new CreateTableCommand({
    TableName: 'orders',
    AttributeDefinitions: [{ AttributeName: 'customer', AttributeType: 'S' }, { AttributeName: 'n', AttributeType: 'N' }, { AttributeName: 'status', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }, { AttributeName: 'n', KeyType: 'RANGE' }],
    GlobalSecondaryIndexes: [{ IndexName: 'by-status', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    BillingMode: 'PAY_PER_REQUEST',
  }));
  for (let n = 1; n <= 5; n++) {
    await ddb.send(new PutItemCommand({ TableName: 'orders', Item: { customer: { S: 'ann' }, n: { N: String(n) }, status: { S: n % 2 ? 'open' : 'shipped' } } }));
  }
  await ddb.send(new PutItemCommand({ TableName: 'orders', Item: { customer: { S: 'bob' }, n: { N: '1' }, status: { S: 'open' } } }));
  await page.goto(`${ui}#/dynamodb/orders`);
  await page.getByRole('cell', { name: 'by-status' }).waitFor();

  await page.getByLabel('Partition key').fill('ann');
  await page.getByLabel('Sort condition').selectOption('between');
  await page.getByLabel('Sort value').fill('2');
  await page.getByLabel('Upper bound').fill('4');
  await page.getByRole('button', { name: 'Query' }).click();
  await page.getByText('3 items (3 scanned)').waitFor();
  await browser.screenshot('dynamodb-query');

  // A number sort key refuses text before anything is sent.
  await page.getByLabel('Sort value').fill('two');
  await page.getByRole('button', { name: 'Query' }).click();
  await page.getByRole('alert').getByText(/is a number \(N\)/).waitFor();

  await page.getByLabel('Index', { exact: true }).selectOption('by-status');
  await page.getByLabel('Partition key').fill('open');
  await page.getByRole('button', { name: 'Query' }).click();
  await page.getByText('4 items (4 scanned)').waitFor();

  await page.getByRole('row', { name: /bob/ }).getByRole('button', { name: 'View / edit' }).click();
  const editor = page.getByLabel('Item (DynamoDB JSON)');
  const item = JSON.parse(await editor.inputValue());
  assert.deepEqual(item.customer, { S: 'bob' });
  item.status = { S: 'shipped' };
  await editor.fill(JSON.stringify(item));
  await page.getByRole('button', { name: 'Save item' }).click();
  await page.getByText('Saved').waitFor();
  // The open query refreshes: bob is no longer open.
  await page.getByText('3 items (3 scanned)').waitFor();
});

test('Lambda: invoke with a payload and read the logs', async () => {
  const { page } = browser;
  const lambda = new LambdaClient(cfg());
  await lambda.send(new CreateFunctionCommand({
    FunctionName: 'greeter', Runtime: 'nodejs20.x', Role: 'arn:aws:iam::000000000000:role/r', Handler: 'index.handler',
    Code: { ZipFile: makeZip({ 'index.js': 'exports.handler = async (e) => { console.log("greeting", e.name); return { hello: e.name }; };' }) },
  }));
  await page.goto(`${ui}#/lambda`);
  await page.getByRole('link', { name: 'greeter' }).click();
  await page.getByText('No logs yet: invoke the function.').waitFor();
  await page.getByLabel('Payload (JSON)').fill('{"name":"kumo"}');
  await page.getByRole('button', { name: 'Invoke' }).click();
  await page.getByText('Status 200').waitFor({ timeout: 30_000 });
  await page.locator('pre', { hasText: '"hello": "kumo"' }).waitFor();
  await page.locator('pre', { hasText: /greeting kumo/ }).first().waitFor();
  await page.getByRole('heading', { name: 'Recent logs' }).locator('..').locator('pre', { hasText: 'greeting kumo' }).waitFor({ timeout: 10_000 });
  await browser.screenshot('lambda-invoke');
});

test('Secrets and SSM values stay masked until revealed', async () => {
  const { page } = browser;
  await new SecretsManagerClient(cfg()).send(new CreateSecretCommand({ Name: 'db-password', SecretString: 'hunter2' }));
  await new SSMClient(cfg()).send(new PutParameterCommand({ Name: '/app/token', Value: 's3cr3t', Type: 'SecureString' }));
  await page.goto(`${ui}#/secrets`);
  const row = page.getByRole('row', { name: /db-password/ });
  await row.waitFor();
  assert.equal(await page.getByText('hunter2').count(), 0);
  await row.getByRole('button', { name: 'Reveal' }).click();
  await row.getByText('hunter2').waitFor();
  await browser.screenshot('secrets-revealed');
  await row.getByRole('button', { name: 'Hide' }).click();
  assert.equal(await page.getByText('hunter2').count(), 0);

  await page.goto(`${ui}#/ssm`);
  const param = page.getByRole('row', { name: /\/app\/token/ });
  await param.waitFor();
  assert.equal(await page.getByText('s3cr3t').count(), 0);
  await param.getByRole('button', { name: 'Reveal' }).click();
  await param.getByText('s3cr3t').waitFor();
});

test('controls: advancing the clock moves kumo\'s time', async () => {
  const { page } = browser;
  await page.goto(`${ui}#/controls`);
  const before = await clockNow(kumo.endpoint);
  await page.getByLabel('Advance by').fill('P1D');
  await page.getByRole('button', { name: 'Advance' }).click();
  await page.getByText(/^Advanced: /).waitFor();
  const advanced = await clockNow(kumo.endpoint) - before;
  assert.ok(advanced >= 86_400_000 && advanced < 86_400_000 + 60_000, `advanced ${advanced} ms`);
  const shown = Date.parse(await page.getByTestId('clock-now').innerText());
  assert.ok(Math.abs(shown - (await clockNow(kumo.endpoint))) < 60_000);
  await browser.screenshot('controls');
});

test('keyboard only: skip link, navigation and focus on the new page', async () => {
  const { page } = browser;
  await page.goto(ui);
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate('document.activeElement.textContent'), 'Skip to content');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate('document.activeElement.textContent'), 'S3');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'S3 buckets' }).waitFor();
  assert.equal(await page.evaluate('document.activeElement.tagName'), 'H1');
});

test('narrow screens: nothing overflows the viewport', async () => {
  const { page } = browser;
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto(`${ui}#/sqs/jobs`);
  await page.getByRole('heading', { name: 'Messages' }).waitFor();
  const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
  assert.equal(overflow, 0);
  await browser.screenshot('narrow-sqs');
  await page.setViewportSize({ width: 1280, height: 800 });
});

test('errors are shown, not swallowed', async () => {
  const { page } = browser;
  await page.goto(`${ui}#/dynamodb/no-such-table`);
  await page.getByRole('alert').getByText('ResourceNotFoundException').waitFor();
});
