/** Two projects: fast unit specs beside the code, and e2e/integration specs under test/ that talk to real
 *  Postgres, Redis and the sandbox org over HTTP. */
const transform = { '^.+\\.ts$': 'ts-jest' };
module.exports = {
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      moduleFileExtensions: ['ts', 'js', 'json'],
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/sandbox-org/**/*.spec.ts'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      transform,
      moduleFileExtensions: ['ts', 'js', 'json'],
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
    },
    {
      displayName: 'chaos',
      testEnvironment: 'node',
      transform,
      moduleFileExtensions: ['ts', 'js', 'json'],
      testMatch: ['<rootDir>/test/chaos/**/*.chaos-spec.ts'],
    },
  ],
};
