/** Records -> Lambda's output shapes. */
import type { FunctionConfiguration } from '../../generated/lambda.ts';
import { functionArn, lambdaTime, type Scope } from './names.ts';
import type { VersionRecord } from './records.ts';

export function configuration(scope: Scope, v: VersionRecord): FunctionConfiguration {
  const out: FunctionConfiguration = {
    FunctionName: v.name,
    FunctionArn: functionArn(scope, v.name, v.version === '$LATEST' ? undefined : v.version),
    Runtime: v.runtime as FunctionConfiguration['Runtime'],
    Role: v.role,
    Handler: v.handler,
    CodeSize: v.code.size,
    Description: v.description,
    Timeout: v.timeout,
    MemorySize: v.memorySize,
    LastModified: lambdaTime(v.lastModified),
    CodeSha256: v.code.sha256,
    Version: v.version,
    TracingConfig: { Mode: v.tracingMode as 'PassThrough' },
    RevisionId: v.revisionId,
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: v.architectures as FunctionConfiguration['Architectures'],
    EphemeralStorage: { Size: v.ephemeralStorage },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: {
      LogFormat: v.logFormat as 'Text',
      LogGroup: v.logGroup,
      ...(v.applicationLogLevel ? { ApplicationLogLevel: v.applicationLogLevel as 'INFO' } : {}),
      ...(v.systemLogLevel ? { SystemLogLevel: v.systemLogLevel as 'INFO' } : {}),
    },
  };
  if (v.environment) out.Environment = { Variables: { ...v.environment } };
  if (v.layers.length) out.Layers = v.layers.map((l) => ({ Arn: l.arn, CodeSize: l.codeSize }));
  if (v.deadLetterArn) out.DeadLetterConfig = { TargetArn: v.deadLetterArn };
  if (v.kmsKeyArn) out.KMSKeyArn = v.kmsKeyArn;
  return out;
}
