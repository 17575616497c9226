import { defineService, type RequestContext } from '../framework/define.ts';
import type { GetCallerIdentityRequest, GetCallerIdentityResponse } from '../../generated/sts.ts';

function GetCallerIdentity(_input: GetCallerIdentityRequest, ctx: RequestContext): GetCallerIdentityResponse {
  // Long-term root credentials: AWS reports the account id as the user id and the root ARN.
  return { UserId: ctx.account, Account: ctx.account, Arn: `arn:aws:iam::${ctx.account}:root` };
}

export default defineService({
  name: 'sts',
  global: true,
  operations: { GetCallerIdentity },
});
