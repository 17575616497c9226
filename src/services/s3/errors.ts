/**
 * S3's error codes and messages, as Amazon S3 answers them (codes, wording, and the extra
 * elements of the `<Error>` body such as BucketName, Key or ArgumentName).
 */
import { AwsError } from '../framework/define.ts';

export function noSuchBucket(bucket: string): AwsError {
  return new AwsError('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket });
}

export function noSuchKey(key: string, headers?: Record<string, string>): AwsError {
  return new AwsError('NoSuchKey', 'The specified key does not exist.', 404, { Key: key }, { headers });
}

export function noSuchVersion(key: string, versionId: string): AwsError {
  return new AwsError('NoSuchVersion', 'The specified version does not exist.', 404, { Key: key, VersionId: versionId });
}

export function noSuchUpload(uploadId: string): AwsError {
  return new AwsError(
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    404,
    { UploadId: uploadId },
  );
}

export function invalidArgument(message: string, name: string, value: string | number | undefined): AwsError {
  return new AwsError('InvalidArgument', message, 400, { ArgumentName: name, ArgumentValue: value === undefined ? undefined : String(value) });
}

export function invalidRequest(message: string): AwsError {
  return new AwsError('InvalidRequest', message, 400);
}

export function malformedXml(): AwsError {
  return new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
}

export function preconditionFailed(condition: string): AwsError {
  return new AwsError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { Condition: condition });
}

export function notModified(headers: Record<string, string>): AwsError {
  return new AwsError('NotModified', 'Not Modified', 304, {}, { headers });
}

export function methodNotAllowed(method: string, resourceType: string, headers?: Record<string, string>): AwsError {
  return new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, { Method: method, ResourceType: resourceType }, { headers });
}

export function invalidVersionId(versionId: string): AwsError {
  return invalidArgument('Invalid version id specified', 'versionId', versionId);
}

export function accessDenied(message = 'Access Denied', fields: Record<string, unknown> = {}): AwsError {
  return new AwsError('AccessDenied', message, 403, fields);
}

export function entityTooLarge(size: number, max: number): AwsError {
  return new AwsError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed object size.', 400, { ProposedSize: size, MaxSizeAllowed: max });
}

export function missingContentLength(): AwsError {
  return new AwsError('MissingContentLength', 'You must provide the Content-Length HTTP header.', 411);
}

/** A configuration the bucket does not have (NoSuchCORSConfiguration, NoSuchTagSet, ...). */
export function missingConfig(code: string, message: string, bucket: string, status = 404): AwsError {
  return new AwsError(code, message, status, { BucketName: bucket });
}

export function invalidTag(message: string): AwsError {
  return new AwsError('InvalidTag', message, 400);
}

export function notImplemented(what: string): AwsError {
  return new AwsError('NotImplemented', `A header you provided implies functionality that is not implemented: ${what}`, 501);
}
