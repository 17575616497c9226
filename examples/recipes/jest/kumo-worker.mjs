// This worker's kumo (started by global-setup.mjs): client options and kumo's control endpoints.
export const endpoint = process.env[`KUMO_ENDPOINT_${process.env.JEST_WORKER_ID}`];
if (!endpoint) throw new Error(`no kumo for Jest worker ${process.env.JEST_WORKER_ID}: is global-setup.mjs configured?`);

export const clientConfig = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, forcePathStyle: true };

async function control(path, body) {
  const res = await fetch(endpoint + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

export const kumo = {
  endpoint,
  reset: () => control('/kumo/reset', {}),
  advanceClock: (duration) => control('/kumo/clock', { advance: duration }),
};
