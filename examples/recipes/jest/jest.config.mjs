// Run with `node --experimental-vm-modules node_modules/jest/bin/jest.js`: kumo and the AWS
// SDK load as ES modules, which Jest supports behind that flag.
export default {
  testMatch: ['<rootDir>/*.test.mjs'],
  maxWorkers: 2,
  globalSetup: '<rootDir>/global-setup.mjs',
  globalTeardown: '<rootDir>/global-teardown.mjs',
  transform: {},
};
