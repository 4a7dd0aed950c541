// Tiers by suffix (STYLE.md): *.spec.ts unit, *.int-spec.ts integration on real Postgres/Redis.
// Type checking is `npm run typecheck`'s job; ts-jest only transpiles so the suites start fast.
const shared = {
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, tsconfig: 'tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testEnvironment: 'node',
  moduleNameMapper: {
    '^@app/async$': '<rootDir>/libs/async/src',
    '^@app/caught-mail$': '<rootDir>/libs/caught-mail/src',
    '^@app/domain$': '<rootDir>/libs/domain/src',
    '^@app/email-streams$': '<rootDir>/libs/email-streams/src',
    '^@app/event-store$': '<rootDir>/libs/event-store/src',
    '^@app/platform$': '<rootDir>/libs/platform/src',
    '^@app/read-model$': '<rootDir>/libs/read-model/src',
    '^@app/schema-migrations$': '<rootDir>/libs/schema-migrations/src',
    '^@app/testing$': '<rootDir>/libs/testing/src',
  },
};

module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'integration',
      globalSetup: '<rootDir>/test/build-apps.global-setup.ts',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.int-spec.ts'],
    },
  ],
};
