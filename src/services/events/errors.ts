import { AwsError } from '../framework/define.ts';

export const notFound = (message: string) => new AwsError('ResourceNotFoundException', message);
export const alreadyExists = (message: string) => new AwsError('ResourceAlreadyExistsException', message);
export const validation = (message: string) => new AwsError('ValidationException', message);
export const invalidPattern = (reason: string) => new AwsError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${reason}`);
export const limitExceeded = (message: string) => new AwsError('LimitExceededException', message);
export const illegalStatus = (message: string) => new AwsError('IllegalStatusException', message);
