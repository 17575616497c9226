import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['*.test.mjs'],
    maxWorkers: 2,
    // Files run one after another in a worker and share its kumo (see kumo-test.mjs); with
    // isolation on, every file would get a fresh worker and so a kumo of its own.
    isolate: false,
    // In this repository `kumo` resolves to the package's own dist/, which Vitest would
    // otherwise transform like a source file; from node_modules it is external already.
    server: { deps: { external: [/\/dist\//] } },
  },
});
