/**
 * The published type surface of `kumo` (dist/types): the same names as src/index.ts, declared
 * without the internals so declarations are emitted from a handful of files. `app` and `engine`
 * are internals and typed unknown here. test/unit/cli-public-types.test.ts keeps both in step.
 */
import type { InProcessKumo, KumoInstance, KumoOptions } from './types.ts';

export type * from './types.ts';
export type { Durability, KumoConfig, LogLevel } from '../config.ts';
export { KumoControlError } from './control-client.ts';
export { FixtureError } from '../fixtures/errors.ts';

export type Kumo = InProcessKumo<unknown, unknown>;
export declare const VERSION: string;
export declare function startKumo(options?: KumoOptions & { mode?: 'in-process' }): Promise<Kumo>;
export declare function startKumo(options: KumoOptions & { mode: 'process' }): Promise<KumoInstance>;
export declare function startKumo(options?: KumoOptions & { mode?: 'in-process' | 'process' }): Promise<Kumo | KumoInstance>;
