/**
 * Amazon CloudWatch (metrics): PutMetricData, GetMetricStatistics, GetMetricData with metric
 * math, ListMetrics; metric and composite alarms evaluated on kumo's clock, with history and
 * recorded actions; dashboards; tags. Served over rpc-v2-cbor, JSON and query alike.
 */
import { loadModel } from '../../protocol/models.ts';
import { validateInput } from '../../protocol/validate.ts';
import { defineService, type Handler } from '../framework/define.ts';
import {
  DeleteAlarms, DescribeAlarmHistory, DescribeAlarms, DescribeAlarmsForMetric, DisableAlarmActions, EnableAlarmActions, PutCompositeAlarm,
  PutMetricAlarm, SetAlarmState,
} from './alarms.ts';
import { DeleteDashboards, GetDashboard, ListDashboards, PutDashboard } from './dashboards.ts';
import { scheduleAll } from './evaluate.ts';
import { checkMetricDataShape, ListMetrics, PutMetricData, putMetricData } from './metrics.ts';
import { GetMetricData, GetMetricStatistics } from './query.ts';
import { installStore, storeFor } from './store.ts';
import { ListTagsForResource, TagResource, UntagResource } from './tags.ts';

const operations: Record<string, Handler> = {
    PutMetricData, GetMetricStatistics, GetMetricData, ListMetrics,
    PutMetricAlarm, PutCompositeAlarm, DescribeAlarms, DescribeAlarmsForMetric, DeleteAlarms, SetAlarmState, EnableAlarmActions,
    DisableAlarmActions, DescribeAlarmHistory,
    PutDashboard, GetDashboard, ListDashboards, DeleteDashboards,
    TagResource, UntagResource, ListTagsForResource,
};

/**
 * The model's generic checks, except that PutMetricData's collection sizes come first with
 * CloudWatch's own wording ("The collection MetricData.member.1.Dimensions must not have a size greater than 30.").
 */
function validated(name: string, handler: Handler): Handler {
  return (input: Record<string, unknown>, ctx) => {
    if (name === 'PutMetricData') checkMetricDataShape(input);
    const model = loadModel('cloudwatch');
    validateInput(model, model.operations[name]!.input, input, ctx.protocol === 'query' ? 'query' : 'coral');
    return handler(input, ctx);
  };
}

export default defineService({
  name: 'cloudwatch',
  validation: 'none',
  operations: Object.fromEntries(Object.entries(operations).map(([name, h]) => [name, validated(name, h)])),
  internal: { putMetricData },
  init(rt) {
    scheduleAll(installStore(rt));
  },
  close(rt) {
    storeFor(rt).dispose();
  },
});
