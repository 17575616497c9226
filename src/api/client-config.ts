import type { ClientConfig, ClientConfigOptions } from './types.ts';

export function clientConfigFor(endpoint: string, defaultRegion: string, options: ClientConfigOptions = {}): ClientConfig {
  return {
    endpoint,
    region: options.region ?? defaultRegion,
    credentials: { accessKeyId: options.accessKeyId ?? 'test', secretAccessKey: 'test' },
    forcePathStyle: true,
  };
}

/** Epoch ms of a Date, ISO string or number; throws on anything unparseable. */
export function timeOf(time: Date | string | number): number {
  const ms = time instanceof Date ? time.getTime() : typeof time === 'number' ? time : Date.parse(time);
  if (!Number.isFinite(ms)) throw new RangeError(`not a time: ${String(time)}`);
  return ms;
}
