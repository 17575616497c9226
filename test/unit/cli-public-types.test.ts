// The published declarations (src/api/public.ts, src/testing/public.ts) must describe the
// implementation: these assignments fail `npm run typecheck` when they drift apart.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as PublicKumo from '../../src/api/public.ts';
import type * as PublicTesting from '../../src/testing/public.ts';
import * as kumo from '../../src/index.ts';
import * as testing from '../../src/testing/index.ts';

const startKumo: typeof PublicKumo.startKumo = kumo.startKumo;
const withSnapshot: typeof PublicTesting.withSnapshot = testing.withSnapshot;
const onFailureArtifact: typeof PublicTesting.onFailureArtifact = testing.onFailureArtifact;
const saveArtifact: typeof PublicTesting.saveArtifact = testing.saveArtifact;
const inProcess: PublicKumo.Kumo = {} as kumo.Kumo;
const options: PublicKumo.KumoOptions = {} as kumo.KumoOptions;

test('the published entry points export what their declarations name', () => {
  for (const fn of [startKumo, withSnapshot, onFailureArtifact, saveArtifact, testing.waitFor, testing.testNamespace]) assert.equal(typeof fn, 'function');
  assert.equal(typeof kumo.VERSION, 'string');
  assert.ok(inProcess && options);
});
