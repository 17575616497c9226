import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient, DescribeLogGroupsCommand, DescribeLogStreamsCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { clientConfig } from '../../helpers/kumo.ts';
import { createNodeFunction, startLambda } from './setup.ts';

test('function output goes to /aws/lambda/<name>, one stream per process', async () => {
  const env = await startLambda();
  try {
    const logs = new CloudWatchLogsClient(clientConfig(env.kumo.endpoint));
    // Services load on their first request: logs are forwarded once the logs service runs.
    await logs.send(new DescribeLogGroupsCommand({}));
    const { name } = await createNodeFunction(env, 'exports.handler = async (e) => { console.log("hello", e.n); return e.n; };');
    for (const n of [1, 2]) await env.lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify({ n }) }));
    const group = `/aws/lambda/${name}`;
    const streams = (await logs.send(new DescribeLogStreamsCommand({ logGroupName: group }))).logStreams!;
    assert.equal(streams.length, 1);
    assert.match(streams[0]!.logStreamName!, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    const messages = (await logs.send(new FilterLogEventsCommand({ logGroupName: group }))).events!.map((e) => e.message!);
    assert.equal(messages.filter((m) => m.startsWith('START RequestId:')).length, 2);
    assert.equal(messages.filter((m) => m.startsWith('REPORT RequestId:')).length, 2);
    assert.ok(messages.some((m) => /\tINFO\thello 2$/.test(m)));
  } finally {
    await env.kumo.stop();
  }
});
