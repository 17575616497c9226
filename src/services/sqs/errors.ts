import { AwsError } from '../framework/define.ts';

/**
 * SQS's errors. Codes are error shape names of the model (plus two shapes kumo's model overrides
 * add), which the codecs turn into the JSON type and the legacy query code. Messages are AWS's.
 */

export function invalidParameterValue(message: string): AwsError {
  return new AwsError('InvalidParameterValueException', message);
}

/** AWS's wording for one parameter's bad value: `Value X for parameter P is invalid. Reason: R` */
export function invalidValue(value: unknown, parameter: string, reason?: string): AwsError {
  const text = `Value ${String(value)} for parameter ${parameter} is invalid.`;
  return invalidParameterValue(reason === undefined ? text : `${text} Reason: ${reason}`);
}

export function missingParameter(parameter: string): AwsError {
  return new AwsError('MissingRequiredParameterException', `The request must contain the parameter ${parameter}.`);
}

export function invalidAttributeName(message: string): AwsError {
  return new AwsError('InvalidAttributeName', message);
}

export function unknownAttribute(name: string): AwsError {
  return invalidAttributeName(`Unknown Attribute ${name}.`);
}

export function invalidAttributeValue(name: string, reason?: string): AwsError {
  const text = `Invalid value for the parameter ${name}.`;
  return new AwsError('InvalidAttributeValue', reason === undefined ? text : `${text} Reason: ${reason}`);
}

/** AWS words this one differently per protocol: query clients still get the wsdl-era text. */
export function queueDoesNotExist(protocol: string): AwsError {
  return new AwsError(
    'QueueDoesNotExist',
    protocol === 'query' ? 'The specified queue does not exist for this wsdl version.' : 'The specified queue does not exist.',
  );
}

export function receiptHandleIsInvalid(handle: string): AwsError {
  return new AwsError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`);
}

export function receiptHandleExpired(handle: string): AwsError {
  return invalidValue(handle, 'ReceiptHandle', 'The receipt handle has expired.');
}

export function notValidForQueueType(value: unknown, parameter: string): AwsError {
  return invalidValue(value, parameter, 'The request include parameter that is not valid for this queue type.');
}

export function resourceNotFound(message: string): AwsError {
  return new AwsError('ResourceNotFoundException', message);
}
