/** The published type surface of `kumo/testing` (see src/api/public.ts for why it is separate). */
import type { Kumo, KumoInstance, KumoOptions } from '../api/public.ts';

export * from './wait-for.ts';
export * from './namespace.ts';
export * from '../api/public.ts';

export declare function withSnapshot(dir: string, options?: KumoOptions & { mode?: 'in-process' }): Promise<Kumo>;
export declare function withSnapshot(dir: string, options: KumoOptions & { mode: 'process' }): Promise<KumoInstance>;
export declare function saveArtifact(kumo: KumoInstance, dir: string, label: string): Promise<string>;
export declare function onFailureArtifact<A extends unknown[]>(
  kumo: KumoInstance | (() => KumoInstance | undefined),
  dir: string,
  fn: (...args: A) => unknown,
): (...args: A) => Promise<void>;
