/** What an SQS event source mapping sends to a function, and which messages it deletes afterwards. */

/** A received message as the sqs service's internal API returns it (ReceiveMessage's Message shape). */
export interface QueueMessage {
  MessageId: string;
  ReceiptHandle: string;
  Body: string;
  MD5OfBody?: string;
  MD5OfMessageAttributes?: string;
  Attributes?: Record<string, string>;
  MessageAttributes?: Record<string, { DataType: string; StringValue?: string; BinaryValue?: Uint8Array; StringListValues?: string[]; BinaryListValues?: Uint8Array[] }>;
}

/** The `{ Records: [...] }` event Lambda builds from a batch of SQS messages. */
export function sqsEvent(messages: QueueMessage[], queueArn: string, region: string): { Records: unknown[] } {
  return {
    Records: messages.map((m) => {
      const messageAttributes: Record<string, unknown> = {};
      for (const [name, a] of Object.entries(m.MessageAttributes ?? {})) {
        const v: Record<string, unknown> = { stringListValues: a.StringListValues ?? [], binaryListValues: (a.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')), dataType: a.DataType };
        if (a.StringValue !== undefined) v.stringValue = a.StringValue;
        if (a.BinaryValue !== undefined) v.binaryValue = Buffer.from(a.BinaryValue).toString('base64');
        messageAttributes[name] = v;
      }
      const record: Record<string, unknown> = {
        messageId: m.MessageId,
        receiptHandle: m.ReceiptHandle,
        body: m.Body,
        attributes: { ...(m.Attributes ?? {}) },
        messageAttributes,
        md5OfBody: m.MD5OfBody,
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn,
        awsRegion: region,
      };
      if (m.MD5OfMessageAttributes) record.md5OfMessageAttributes = m.MD5OfMessageAttributes;
      return record;
    }),
  };
}

/**
 * Receipt handles to delete after the function ran: all of them on success; none on a function
 * error; with ReportBatchItemFailures, all but the reported ones — and none when the report
 * names a message that was not in the batch or is malformed, as AWS then fails the whole batch.
 */
export function handlesToDelete(messages: QueueMessage[], failed: boolean, response: unknown, reportFailures: boolean): string[] {
  if (failed) return [];
  if (!reportFailures || response === null || typeof response !== 'object') return messages.map((m) => m.ReceiptHandle);
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return messages.map((m) => m.ReceiptHandle);
  if (!Array.isArray(failures)) return [];
  const ids = new Set(messages.map((m) => m.MessageId));
  const failedIds = new Set<string>();
  for (const f of failures) {
    const id = (f as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !ids.has(id)) return [];
    failedIds.add(id);
  }
  return messages.filter((m) => !failedIds.has(m.MessageId)).map((m) => m.ReceiptHandle);
}
