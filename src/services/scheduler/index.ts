import { defineService } from '../framework/define.ts';
import { arm } from './firing.ts';
import { CreateScheduleGroup, DeleteScheduleGroup, GetScheduleGroup, ListScheduleGroups } from './groups.ts';
import { CreateSchedule, DeleteSchedule, GetSchedule, ListSchedules, UpdateSchedule } from './schedules.ts';
import { installStore, storeFor } from './store.ts';
import { ListTagsForResource, TagResource, UntagResource } from './tags.ts';

export default defineService({
  name: 'scheduler',
  operations: {
    CreateSchedule, CreateScheduleGroup, DeleteSchedule, DeleteScheduleGroup, GetSchedule, GetScheduleGroup, ListScheduleGroups,
    ListSchedules, ListTagsForResource, TagResource, UntagResource, UpdateSchedule,
  },
  init(rt) {
    const store = installStore(rt);
    for (const [, s] of store.schedules.entries()) arm(store, s);
  },
  close(rt) {
    storeFor(rt).dispose();
  },
  inspect: {
    deliveries: (_q, rt) => ({ pending: storeFor(rt).deliveries.pending, outcomes: storeFor(rt).deliveries.outcomes }),
  },
});
