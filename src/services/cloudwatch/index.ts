/**
 * Amazon CloudWatch (metrics): PutMetricData, GetMetricStatistics, GetMetricData with metric
 * math, ListMetrics; metric and composite alarms evaluated on kumo's clock, with history and
 * recorded actions; dashboards; tags. Served over rpc-v2-cbor, JSON and query alike.
 */
import { defineService } from '../framework/define.ts';
import {
  DeleteAlarms, DescribeAlarmHistory, DescribeAlarms, DescribeAlarmsForMetric, DisableAlarmActions, EnableAlarmActions, PutCompositeAlarm,
  PutMetricAlarm, SetAlarmState,
} from './alarms.ts';
import { DeleteDashboards, GetDashboard, ListDashboards, PutDashboard } from './dashboards.ts';
import { scheduleAll } from './evaluate.ts';
import { ListMetrics, PutMetricData, putMetricData } from './metrics.ts';
import { GetMetricData, GetMetricStatistics } from './query.ts';
import { installStore, storeFor } from './store.ts';
import { ListTagsForResource, TagResource, UntagResource } from './tags.ts';

export default defineService({
  name: 'cloudwatch',
  operations: {
    PutMetricData, GetMetricStatistics, GetMetricData, ListMetrics,
    PutMetricAlarm, PutCompositeAlarm, DescribeAlarms, DescribeAlarmsForMetric, DeleteAlarms, SetAlarmState, EnableAlarmActions,
    DisableAlarmActions, DescribeAlarmHistory,
    PutDashboard, GetDashboard, ListDashboards, DeleteDashboards,
    TagResource, UntagResource, ListTagsForResource,
  },
  internal: { putMetricData },
  init(rt) {
    scheduleAll(installStore(rt));
  },
  close(rt) {
    storeFor(rt).dispose();
  },
});
