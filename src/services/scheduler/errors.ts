import { AwsError } from '../framework/define.ts';

export const notFound = (message: string) => new AwsError('ResourceNotFoundException', message, 404);
export const conflict = (message: string) => new AwsError('ConflictException', message, 409);
export const validation = (message: string) => new AwsError('ValidationException', message, 400);
