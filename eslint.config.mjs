import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// Libraries are reached through their root alias, never by deep or relative paths.
const LIB_ALIASES = {
  group: ['@app/*/*', '**/libs/*'],
  message: 'Import a lib through its root alias (@app/name).',
};
// An app's code is its own: what another app, a lib, a bench or a test needs lives in a lib.
const APPS = ['api', 'worker', 'projector', 'mail-catcher', 'dashboard'];
const NO_APP_INTERNALS = {
  group: ['**/apps/**'],
  message: "Nothing imports an app's internals: move what is shared into a lib.",
};
const otherApps = (app) => ({
  group: APPS.filter((other) => other !== app).map((other) => `**/${other}/src/**`),
  message: 'Apps never import each other: move what is shared into a lib.',
});

export default tseslint.config(
  {
    ignores: ['dist/**', 'coverage/**', 'node_modules/**', 'test-output/**', '**/*.js', '**/*.mjs'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: [LIB_ALIASES, NO_APP_INTERNALS] }],
    },
  },
  // Within an app, relative imports stay inside it (the dashboard has rules of its own below).
  ...APPS.filter((app) => app !== 'dashboard').map((app) => ({
    files: [`apps/${app}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [LIB_ALIASES, NO_APP_INTERNALS, otherApps(app)] },
      ],
    },
  })),
  {
    // The domain is pure: no framework, no I/O.
    files: ['libs/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@nestjs/*',
                'pg',
                'pg-*',
                'ioredis',
                'bullmq',
                'nodemailer',
                '@eventstore/*',
                '@kurrent/*',
                'fs',
                'node:*',
                'net',
                'http',
                'https',
                'crypto',
                'child_process',
                '@app/*',
              ],
              message: 'libs/domain is pure: no framework, I/O or other libs.',
            },
            NO_APP_INTERNALS,
          ],
        },
      ],
    },
  },
  {
    // The dashboard runs in browsers: their globals, React's rules of hooks, no Node built-ins.
    files: ['apps/dashboard/src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', '@app/*', '@nestjs/*'],
              message: 'The dashboard talks to the api over HTTP only.',
            },
            NO_APP_INTERNALS,
            otherApps('dashboard'),
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/testing/**/*.ts'],
    rules: { '@typescript-eslint/unbound-method': 'off' },
  },
  prettier,
);
