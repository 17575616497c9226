/** `kumo/testing`: helpers for test suites that use kumo. */
export { waitFor, WaitForTimeoutError, type Backoff, type WaitForOptions } from './wait-for.ts';
export { testNamespace, workerId } from './namespace.ts';
export { onFailureArtifact, saveArtifact, withSnapshot } from './snapshots.ts';
export { FixtureError, KumoControlError, startKumo, VERSION, type ClientConfig, type ClockState, type FixtureResult, type Kumo, type KumoInstance, type KumoOptions } from '../index.ts';
