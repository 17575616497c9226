/**
 * Continuous backups: DescribeContinuousBackups, UpdateContinuousBackups (point-in-time recovery
 * on or off, with its recovery period) and RestoreTableToPointInTime, served by the change log
 * in pitr-log.ts. kumo keeps every change, so its latest restorable time is now.
 */
import type {
  ContinuousBackupsDescription, DescribeContinuousBackupsInput, DescribeContinuousBackupsOutput,
  RestoreTableToPointInTimeInput, RestoreTableToPointInTimeOutput, UpdateContinuousBackupsInput,
  UpdateContinuousBackupsOutput,
} from '../../generated/dynamodb.ts';
import { AwsError, type RequestContext } from '../framework/define.ts';
import { validation } from './errors.ts';
import { required, tableName } from './params.ts';
import { dropLog, itemsAt, restorableWindow } from './pitr-log.ts';
import { restoreTable } from './restore.ts';
import type { TableRecord } from './schema.ts';
import { Store } from './store.ts';

function describe(store: Store, rec: TableRecord): ContinuousBackupsDescription {
  if (!rec.pitr?.enabled) return { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } };
  const w = restorableWindow(store, rec);
  return {
    ContinuousBackupsStatus: 'ENABLED',
    PointInTimeRecoveryDescription: {
      PointInTimeRecoveryStatus: 'ENABLED',
      RecoveryPeriodInDays: rec.pitr.days,
      EarliestRestorableDateTime: new Date(w.earliest),
      LatestRestorableDateTime: new Date(w.latest),
    },
  };
}

function requireTable(store: Store, raw: string | undefined): TableRecord {
  const name = tableName(raw);
  const rec = store.tableRecord(name);
  if (!rec) throw new AwsError('TableNotFoundException', `Table not found: ${name}`, 400);
  return rec;
}

export function DescribeContinuousBackups(input: DescribeContinuousBackupsInput, ctx: RequestContext): DescribeContinuousBackupsOutput {
  const store = new Store(ctx);
  return { ContinuousBackupsDescription: describe(store, requireTable(store, input.TableName)) };
}

export function UpdateContinuousBackups(input: UpdateContinuousBackupsInput, ctx: RequestContext): UpdateContinuousBackupsOutput {
  const spec = required(input.PointInTimeRecoverySpecification, 'pointInTimeRecoverySpecification');
  const enabled = required(spec.PointInTimeRecoveryEnabled, 'pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled');
  const days = spec.RecoveryPeriodInDays;
  if (days !== undefined && (days < 1 || days > 35)) {
    throw validation(`1 validation error detected: Value '${days}' at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy constraint: Member must have value ${days < 1 ? 'greater than or equal to 1' : 'less than or equal to 35'}`);
  }
  if (!enabled && days !== undefined) throw validation('Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time recovery.');
  const store = new Store(ctx);
  const rec = requireTable(store, input.TableName);
  let next: TableRecord;
  if (enabled) {
    const since = rec.pitr?.enabled ? rec.pitr.since : ctx.clock.now();
    next = { ...rec, pitr: { enabled: true, since, days: days ?? rec.pitr?.days ?? 35 } };
  } else {
    if (rec.pitr?.enabled) dropLog(store, rec);
    next = { ...rec, pitr: { enabled: false, since: 0, days: rec.pitr?.days ?? 35 } };
  }
  store.tables.put(rec.name, next);
  return { ContinuousBackupsDescription: describe(store, next) };
}

export function RestoreTableToPointInTime(input: RestoreTableToPointInTimeInput, ctx: RequestContext): RestoreTableToPointInTimeOutput {
  if ((input.SourceTableName === undefined) === (input.SourceTableArn === undefined)) {
    throw validation('Invalid Request: Must provide exactly one of: sourceTableArn, sourceTableName');
  }
  const latest = input.UseLatestRestorableTime === true;
  if (latest === (input.RestoreDateTime !== undefined)) {
    throw validation('Invalid Request: Either one of RestoreDateTime or UseLatestRestorableTime must be specified, but not both');
  }
  const store = new Store(ctx);
  const name = tableName(input.SourceTableName ?? input.SourceTableArn, true, input.SourceTableName !== undefined ? 'sourceTableName' : 'sourceTableArn');
  const source = store.tableRecord(name);
  if (!source) throw new AwsError('SourceTableNotFoundException', `Source table not found: ${name}`, 400);
  if (!source.pitr?.enabled) {
    throw new AwsError('PointInTimeRecoveryUnavailableException', `Point in time recovery is not enabled for table '${name}'`, 400);
  }
  const w = restorableWindow(store, source);
  const at = latest ? w.latest : input.RestoreDateTime!.getTime();
  if (at < w.earliest || at > w.latest) {
    throw new AwsError('InvalidRestoreTimeException', `Invalid Request: RestoreDateTime must be between ${new Date(w.earliest).toISOString()} and ${new Date(w.latest).toISOString()}`, 400);
  }
  const items = itemsAt(store, source, at);
  const table = restoreTable(store, ctx, source, input.TargetTableName, items, input, { tableArn: source.arn, at });
  return { TableDescription: table };
}
