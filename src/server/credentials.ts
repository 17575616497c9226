/** What a SigV4 signature says about the caller: access key, date, region and service. */
export interface CredentialScope {
  accessKeyId: string;
  region: string;
  service: string;
}

const HEADER_SCOPE = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

export function credentialScope(headers: Record<string, string>, query: URLSearchParams | undefined): CredentialScope | undefined {
  const auth = headers['authorization'];
  let m = auth ? HEADER_SCOPE.exec(auth) : null;
  if (!m) {
    const cred = query?.get('X-Amz-Credential');
    if (cred) m = /^([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request$/.exec(cred);
  }
  if (!m) return undefined;
  return { accessKeyId: m[1]!, region: m[2]!, service: m[3]! };
}

/** A 12-digit access key id selects that account (a kumo convention, as in LocalStack). */
export function accountFor(scope: CredentialScope | undefined, fallback: string): string {
  const key = scope?.accessKeyId;
  return key && /^\d{12}$/.test(key) ? key : fallback;
}
