/**
 * AWS Systems Manager, Parameter Store part: String, StringList and SecureString parameters
 * (encrypted through kumo's KMS, `alias/aws/ssm` by default), versions, labels, history,
 * path queries with filters, tiers and policies (stored), tags. Other SSM operations answer
 * NotImplemented.
 */
import { defineService } from '../framework/define.ts';
import { LabelParameterVersion, UnlabelParameterVersion } from './labels.ts';
import { DescribeParameters, GetParameterHistory, GetParametersByPath } from './listing.ts';
import { DeleteParameter, DeleteParameters, GetParameter, GetParameters, PutParameter } from './parameters.ts';
import { AddTagsToResource, ListTagsForResource, RemoveTagsFromResource } from './tags.ts';

export default defineService({
  name: 'ssm',
  operations: {
    AddTagsToResource, DeleteParameter, DeleteParameters, DescribeParameters, GetParameter, GetParameterHistory, GetParameters,
    GetParametersByPath, LabelParameterVersion, ListTagsForResource, PutParameter, RemoveTagsFromResource, UnlabelParameterVersion,
  },
});
