import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DescribeAlarmHistoryCommand, PutMetricAlarmCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig } from '../../helpers/kumo.ts';
import { cwKit, type CwKit } from './setup.ts';

let kit: CwKit;
let sns: SNSClient;
let sqs: SQSClient;
before(async () => {
  kit = await cwKit();
  sns = new SNSClient(clientConfig(kit.kumo.endpoint));
  sqs = new SQSClient(clientConfig(kit.kumo.endpoint));
});
after(async () => {
  sns.destroy();
  sqs.destroy();
  await kit.close();
});

test('alarm actions publish AWS\'s notification to SNS; unavailable targets are recorded as failed', async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'alerts' }));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'alerts-q' }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn, Attributes: { RawMessageDelivery: 'true' } }));
  const fn = 'arn:aws:lambda:us-east-1:000000000000:function:on-alarm';
  await kit.cw.send(new PutMetricAlarmCommand({
    AlarmName: 'notify', Namespace: 'N', MetricName: 'm', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1,
    ComparisonOperator: 'GreaterThanThreshold', AlarmActions: [TopicArn!, fn], Dimensions: [{ Name: 'Host', Value: 'a' }],
  }));
  await kit.cw.send(new PutMetricDataCommand({ Namespace: 'N', MetricData: [{ MetricName: 'm', Value: 5, Dimensions: [{ Name: 'Host', Value: 'a' }] }] }));
  await kit.advance(60_000);
  const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
  assert.equal(got.Messages?.length, 1);
  const note = JSON.parse(got.Messages![0]!.Body!);
  assert.equal(note.AlarmName, 'notify');
  assert.equal(note.NewStateValue, 'ALARM');
  assert.equal(note.OldStateValue, 'INSUFFICIENT_DATA');
  assert.equal(note.AWSAccountId, '000000000000');
  assert.deepEqual(note.Trigger.Dimensions, [{ value: 'a', name: 'Host' }]);
  assert.equal(note.Trigger.Statistic, 'SUM');
  const history = await kit.cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'notify', HistoryItemType: 'Action', ScanBy: 'TimestampAscending' }));
  assert.deepEqual(history.AlarmHistoryItems!.map((h) => h.HistorySummary), [
    `Successfully executed action ${TopicArn}`,
    `Failed to execute action ${fn}. Received error: "Function not found: ${fn}"`,
  ]);
});
