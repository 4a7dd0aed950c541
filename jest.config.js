// Tiers by suffix (STYLE.md): *.spec.ts unit (no I/O), *.int-spec.ts integration on real Postgres/Redis,
// *.e2e-spec.ts end to end through the built processes. Both of the latter get the apps built first: some
// integration suites spawn a built process too.
// Type checking is `npm run typecheck`'s job; ts-jest only transpiles so the suites start fast.
const shared = {
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, tsconfig: 'tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testEnvironment: 'node',
  moduleNameMapper: {
    '^@app/async$': '<rootDir>/libs/async/src',
    '^@app/attachments$': '<rootDir>/libs/attachments/src',
    '^@app/caught-mail$': '<rootDir>/libs/caught-mail/src',
    '^@app/domain$': '<rootDir>/libs/domain/src',
    '^@app/email-streams$': '<rootDir>/libs/email-streams/src',
    '^@app/event-store$': '<rootDir>/libs/event-store/src',
    '^@app/platform$': '<rootDir>/libs/platform/src',
    '^@app/read-model$': '<rootDir>/libs/read-model/src',
    '^@app/schema-migrations$': '<rootDir>/libs/schema-migrations/src',
    '^@app/tenants$': '<rootDir>/libs/tenants/src',
    '^@app/webhooks$': '<rootDir>/libs/webhooks/src',
    '^@app/testing$': '<rootDir>/libs/testing/src',
  },
};

const buildApps = '<rootDir>/test/build-apps.global-setup.ts';

module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts', '<rootDir>/test/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      globalSetup: buildApps,
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.int-spec.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      globalSetup: buildApps,
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.e2e-spec.ts'],
    },
  ],
};
