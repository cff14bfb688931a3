/** Projects: fast unit specs beside the code; the admin console's unit tests (components in jsdom, the client);
 *  e2e/integration specs under test/ that talk to real Postgres, Redis and the sandbox org over HTTP (the
 *  console's browser tests among them); and the chaos specs. */
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
      displayName: 'console',
      testEnvironment: 'jsdom',
      // Transpile only: the console's own tsconfig (bundler resolution) is type-checked by `npm run typecheck`.
      transform: {
        '^.+\\.tsx?$': [
          'ts-jest',
          {
            tsconfig: { jsx: 'react-jsx', module: 'commonjs', esModuleInterop: true, isolatedModules: true },
          },
        ],
      },
      moduleNameMapper: { '\\.css$': '<rootDir>/console/test/style-stub.cjs' },
      setupFiles: ['<rootDir>/console/test/setup.ts'],
      testMatch: ['<rootDir>/console/src/**/*.test.ts?(x)'],
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
