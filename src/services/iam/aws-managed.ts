/**
 * AWS managed policies (`arn:aws:iam::aws:policy/...`). Every such ARN is attachable (kumo does
 * not ship AWS's catalogue of over a thousand); the few below carry their documents so that
 * simulations see what they grant.
 */
const ALL = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

const DOCUMENTS: Record<string, string> = {
  AdministratorAccess: ALL('*'),
  PowerUserAccess: JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
      { Effect: 'Allow', Action: ['iam:CreateServiceLinkedRole', 'iam:DeleteServiceLinkedRole', 'iam:ListRoles', 'organizations:DescribeOrganization', 'account:ListRegions'], Resource: '*' },
    ],
  }),
  ReadOnlyAccess: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['*:Describe*', '*:Get*', '*:List*'], Resource: '*' }] }),
  AmazonS3FullAccess: ALL('s3:*'),
  AmazonS3ReadOnlyAccess: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: '*' }] }),
  AmazonDynamoDBFullAccess: ALL('dynamodb:*'),
  AmazonSQSFullAccess: ALL('sqs:*'),
  AWSLambda_FullAccess: ALL('lambda:*'),
  'service-role/AWSLambdaBasicExecutionRole': JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }],
  }),
};

const PREFIX = 'arn:aws:iam::aws:policy/';

export function isAwsManaged(arn: string): boolean {
  return arn.startsWith(PREFIX) && arn.length > PREFIX.length;
}

/** The policy's name is the last path segment. */
export function awsManagedName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

export function awsManagedDocument(arn: string): string | undefined {
  return DOCUMENTS[arn.slice(PREFIX.length)];
}
