/**
 * Amazon CloudWatch Logs: log groups (classes, KMS key ids, retention enforced on the engine
 * clock, tags), streams, events (PutLogEvents batch rules, GetLogEvents tokens, FilterLogEvents
 * with filter patterns), metric filters feeding CloudWatch, subscription filters delivered to Lambda,
 * Logs Insights queries, resource policies, destinations and export tasks to S3.
 */
import { loadModel } from '../../protocol/models.ts';
import { validateInput } from '../../protocol/validate.ts';
import { AwsError, defineService, type Handler } from '../framework/define.ts';
import { FilterLogEvents, GetLogEvents, PutLogEvents } from './events.ts';
import { CancelExportTask, CreateExportTask, DescribeExportTasks, resumeExports, stopExports } from './export-tasks.ts';
import {
  DeleteMetricFilter, DeleteSubscriptionFilter, DescribeMetricFilters, DescribeSubscriptionFilters, PutMetricFilter, PutSubscriptionFilter,
  TestMetricFilter,
} from './filters.ts';
import {
  AssociateKmsKey, CreateLogGroup, DeleteLogGroup, DeleteRetentionPolicy, DescribeLogGroups, DisassociateKmsKey, ListLogGroups,
  PutLogGroupDeletionProtection, PutRetentionPolicy,
} from './groups.ts';
import { putLogEvents } from './internal.ts';
import {
  DeleteDestination, DeleteResourcePolicy, DescribeDestinations, DescribeResourcePolicies, PutDestination, PutDestinationPolicy, PutResourcePolicy,
} from './policies.ts';
import { DescribeQueries, GetLogGroupFields, GetLogRecord, GetQueryResults, StartQuery, StopQuery } from './queries.ts';
import { installStore, storeFor } from './store.ts';
import { CreateLogStream, DeleteLogStream, DescribeLogStreams } from './streams.ts';
import { closeSubscriptionDeliveries, installSubscriptionDeliveries } from './subscription-delivery.ts';
import { ListTagsForResource, ListTagsLogGroup, TagLogGroup, TagResource, UntagLogGroup, UntagResource } from './tags.ts';

const operations: Record<string, Handler> = {
  CreateLogGroup, DeleteLogGroup, DescribeLogGroups, ListLogGroups, PutRetentionPolicy, DeleteRetentionPolicy, AssociateKmsKey,
  DisassociateKmsKey, PutLogGroupDeletionProtection,
  TagResource, UntagResource, ListTagsForResource, TagLogGroup, UntagLogGroup, ListTagsLogGroup,
  CreateLogStream, DeleteLogStream, DescribeLogStreams,
  PutLogEvents, GetLogEvents, FilterLogEvents,
  PutMetricFilter, DescribeMetricFilters, DeleteMetricFilter, TestMetricFilter,
  PutSubscriptionFilter, DescribeSubscriptionFilters, DeleteSubscriptionFilter,
  StartQuery, GetQueryResults, StopQuery, DescribeQueries, GetLogRecord, GetLogGroupFields,
  PutResourcePolicy, DescribeResourcePolicies, DeleteResourcePolicy,
  PutDestination, PutDestinationPolicy, DescribeDestinations, DeleteDestination,
  CreateExportTask, DescribeExportTasks, CancelExportTask,
};

/** CloudWatch Logs reports the generic model checks as InvalidParameterException, not ValidationException. */
function validated(name: string, handler: Handler): Handler {
  return (input: Record<string, unknown>, ctx) => {
    const model = loadModel('logs');
    try {
      validateInput(model, model.operations[name]!.input, input, 'coral');
    } catch (e) {
      if (e instanceof AwsError && (e.code === 'ValidationException' || e.code === 'MissingParameter')) {
        throw new AwsError('InvalidParameterException', e.message);
      }
      throw e;
    }
    return handler(input, ctx);
  };
}

export default defineService({
  name: 'logs',
  validation: 'none',
  operations: Object.fromEntries(Object.entries(operations).map(([name, h]) => [name, validated(name, h)])),
  internal: { putLogEvents },
  init(rt) {
    installStore(rt);
    installSubscriptionDeliveries(rt);
    resumeExports(rt);
  },
  close(rt) {
    storeFor(rt).dispose();
    closeSubscriptionDeliveries(rt);
    stopExports(rt);
  },
});
