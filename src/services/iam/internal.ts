/** What other services (STS) ask IAM in-process. */
import type { ServiceRuntime } from '../framework/define.ts';
import { KEY_INDEX, nameKey, type KeyIndexEntry, type RoleRecord, type UserRecord } from './store.ts';

export interface RoleInfo {
  arn: string;
  roleId: string;
  roleName: string;
  maxSessionDuration: number;
}

export interface UserInfo {
  arn: string;
  userId: string;
}

export interface IamApi {
  role(account: string, roleName: string): RoleInfo | undefined;
  user(account: string, userName: string): UserInfo | undefined;
  /** The account an IAM access key (AKIA...) belongs to. */
  keyAccount(accessKeyId: string): string | undefined;
}

let runtime: ServiceRuntime | undefined;

export function registerRuntime(rt: ServiceRuntime): void {
  runtime = rt;
}

export const iamApi: IamApi = {
  role(account, roleName) {
    const r = runtime?.state.table<RoleRecord>('roles').get(`${account}/${nameKey(roleName)}`);
    return r && { arn: r.Arn, roleId: r.RoleId, roleName: r.RoleName, maxSessionDuration: r.MaxSessionDuration };
  },
  user(account, userName) {
    const u = runtime?.state.table<UserRecord>('users').get(`${account}/${nameKey(userName)}`);
    return u && { arn: u.Arn, userId: u.UserId };
  },
  keyAccount(accessKeyId) {
    return runtime?.state.table<KeyIndexEntry>(KEY_INDEX).get(accessKeyId)?.account;
  },
};
