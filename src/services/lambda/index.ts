/**
 * AWS Lambda: functions, versions, aliases, layers, permissions, tags, concurrency, URL and
 * event invoke configs, event source mappings (configuration), invocation (sync and async) of
 * functions run as local processes by src/lambda/ (the executor and the Runtime API server).
 */
import { loadModel } from '../../protocol/models.ts';
import { validateInput } from '../../protocol/validate.ts';
import { defineService, type Handler } from '../framework/define.ts';
import { CreateAlias, DeleteAlias, GetAlias, ListAliases, UpdateAlias } from './aliases.ts';
import { inspectEvents, resumeEvents } from './async.ts';
import { lambdaInternal } from './internal.ts';
import { invalidParameter } from './errors.ts';
import {
  CreateFunction, DeleteFunction, GetFunction, GetFunctionConfiguration, ListFunctions, UpdateFunctionCode, UpdateFunctionConfiguration,
} from './functions.ts';
import { Invoke, InvokeAsync } from './invoke.ts';
import {
  AddLayerVersionPermission, DeleteLayerVersion, GetLayerVersion, GetLayerVersionByArn, GetLayerVersionPolicy, ListLayers,
  ListLayerVersions, PublishLayerVersion, RemoveLayerVersionPermission,
} from './layers.ts';
import {
  CreateEventSourceMapping, DeleteEventSourceMapping, GetEventSourceMapping, ListEventSourceMappings, UpdateEventSourceMapping,
} from './mappings.ts';
import { AddPermission, GetPolicy, RemovePermission } from './permissions.ts';
import { syncPollers } from './pollers.ts';
import { isRuntime, runtimeMessage } from './runtimes.ts';
import {
  CreateFunctionUrlConfig, DeleteFunctionConcurrency, DeleteFunctionEventInvokeConfig, DeleteFunctionUrlConfig,
  DeleteProvisionedConcurrencyConfig, GetAccountSettings, GetFunctionConcurrency, GetFunctionEventInvokeConfig, GetFunctionUrlConfig,
  GetProvisionedConcurrencyConfig, ListFunctionEventInvokeConfigs, ListFunctionUrlConfigs, ListProvisionedConcurrencyConfigs,
  PutFunctionConcurrency, PutFunctionEventInvokeConfig, PutProvisionedConcurrencyConfig, UpdateFunctionEventInvokeConfig,
  UpdateFunctionUrlConfig,
} from './settings.ts';
import { installRuntime, runtimeOf } from './store.ts';
import { ListTags, TagResource, UntagResource } from './tags.ts';
import { ListVersionsByFunction, PublishVersion } from './versions.ts';

const operations: Record<string, Handler> = {
  CreateFunction, GetFunction, GetFunctionConfiguration, ListFunctions, UpdateFunctionCode, UpdateFunctionConfiguration, DeleteFunction,
  PublishVersion, ListVersionsByFunction,
  CreateAlias, GetAlias, UpdateAlias, DeleteAlias, ListAliases,
  Invoke, InvokeAsync,
  PublishLayerVersion, GetLayerVersion, GetLayerVersionByArn, DeleteLayerVersion, ListLayerVersions, ListLayers,
  AddLayerVersionPermission, RemoveLayerVersionPermission, GetLayerVersionPolicy,
  AddPermission, RemovePermission, GetPolicy,
  TagResource, UntagResource, ListTags,
  PutFunctionConcurrency, GetFunctionConcurrency, DeleteFunctionConcurrency, GetAccountSettings,
  PutProvisionedConcurrencyConfig, GetProvisionedConcurrencyConfig, DeleteProvisionedConcurrencyConfig, ListProvisionedConcurrencyConfigs,
  CreateFunctionUrlConfig, GetFunctionUrlConfig, UpdateFunctionUrlConfig, DeleteFunctionUrlConfig, ListFunctionUrlConfigs,
  PutFunctionEventInvokeConfig, UpdateFunctionEventInvokeConfig, GetFunctionEventInvokeConfig, DeleteFunctionEventInvokeConfig,
  ListFunctionEventInvokeConfigs,
  CreateEventSourceMapping, GetEventSourceMapping, UpdateEventSourceMapping, DeleteEventSourceMapping, ListEventSourceMappings,
};

/**
 * Lambda reports an unknown runtime as InvalidParameterValueException with its own message,
 * before the generic model checks (which would call it a ValidationException).
 */
function validated(name: string, handler: Handler): Handler {
  return (input: Record<string, unknown>, ctx) => {
    const runtimes = [input.Runtime, ...(Array.isArray(input.CompatibleRuntimes) ? input.CompatibleRuntimes : [])];
    for (const r of runtimes) if (typeof r === 'string' && !isRuntime(r)) throw invalidParameter(runtimeMessage(r));
    const model = loadModel('lambda');
    validateInput(model, model.operations[name]!.input, input, 'coral');
    return handler(input, ctx);
  };
}

export default defineService({
  name: 'lambda',
  validation: 'none',
  operations: Object.fromEntries(Object.entries(operations).map(([name, h]) => [name, validated(name, h)])),
  async init(rt) {
    const lr = installRuntime(rt);
    await lr.stop();
    resumeEvents(lr);
    syncPollers(lr);
  },
  inspect: { events: inspectEvents },
  internal: lambdaInternal,
  async close(rt) {
    await runtimeOf(rt).stop();
  },
});
