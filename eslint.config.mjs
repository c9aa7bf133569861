// ESLint flat config for the Knooppunt monorepo (ESLint 10, typescript-eslint 8).
//
// TypeScript sources under apps/, libs/, test/, scripts/ and bench/ are linted with the type-checked
// rule set; the project service reads tsconfig.json (which includes exactly those folders).
// eslint-config-prettier comes last so that no rule fights Prettier over formatting; Prettier itself
// runs separately in `npm run lint`.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** Node's globals for the few plain JavaScript files (configuration, jest global setup/teardown). */
const nodeGlobals = {
  require: 'readonly',
  module: 'writable',
  exports: 'writable',
  __dirname: 'readonly',
  __filename: 'readonly',
  process: 'readonly',
  console: 'readonly',
  Buffer: 'readonly',
  URL: 'readonly',
  globalThis: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
  fetch: 'readonly',
};

/**
 * Libraries and apps import each other only through the `@app/<lib>` path aliases, never by climbing
 * out of their own folder with a relative path or by reaching into another package's src/.
 * (Tests may import the application itself, e.g. `../apps/api/src/app.module`: apps have no alias.)
 */
const crossLibPatterns = [
  {
    group: [
      '../libs/*',
      '../../libs/*',
      '../../../libs/*',
      '../../../../libs/*',
      '../../../../../libs/*',
      '**/libs/*/src',
      '**/libs/*/src/*',
    ],
    message: 'Import other libraries through their @app/<lib> alias, not by a relative path into libs/.',
  },
  {
    // e.g. `../../needs/src/x` from libs/blockers/src/…: climbs out of one lib into a sibling one.
    regex: '^(\\.\\./)+[a-z][a-z0-9-]*/src(/|$)',
    message: 'Import other libraries through their @app/<lib> alias, not by a relative path.',
  },
];

/** Libraries additionally never depend on an application. */
const appFromLibPatterns = [
  {
    group: ['**/apps/*', '**/apps/*/**'],
    message: 'Libraries must not import from an application; move the shared code into a library.',
  },
];

export default defineConfig(
  globalIgnores(
    ['dist/', 'node_modules/', 'coverage/', '.data/', 'bench/results/', '**/*.d.ts'],
    'Knooppunt: build output, dependencies and local data',
  ),

  {
    name: 'knooppunt/linter-options',
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },

  // --- TypeScript: everything tsconfig.json includes -------------------------------------------
  {
    name: 'knooppunt/typescript',
    files: ['{apps,libs,test,scripts,bench}/**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Promises: every promise is awaited, returned or explicitly voided; none is passed where a
      // callback's return value is ignored (event handlers, Array#forEach, …).
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',

      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],

      // Static factories such as `.map(ProviderNode.from)` are passed unbound on purpose.
      '@typescript-eslint/unbound-method': ['error', { ignoreStatic: true }],

      // NestJS: resolvers, guards and lifecycle hooks are commonly `async` to satisfy an interface or
      // to return a promise type without awaiting anything themselves.
      '@typescript-eslint/require-await': 'off',
      // NestJS: `constructor(private readonly service: Service) {}` and empty decorated module classes
      // are the framework's idiom (neither rule is in the recommended sets; kept off explicitly).
      '@typescript-eslint/no-empty-function': 'off',
      '@typescript-eslint/no-extraneous-class': 'off',
      // Decorator metadata needs the runtime import of injected classes; do not force `import type`.
      '@typescript-eslint/consistent-type-imports': 'off',

      'no-restricted-imports': ['error', { patterns: crossLibPatterns }],
    },
  },

  {
    name: 'knooppunt/libs',
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...crossLibPatterns, ...appFromLibPatterns] }],
    },
  },

  // --- Tests: jest idioms -----------------------------------------------------------------------
  {
    name: 'knooppunt/tests',
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    rules: {
      // `expect(service.method).toHaveBeenCalled()` passes methods unbound on purpose.
      '@typescript-eslint/unbound-method': 'off',
      // HTTP/GraphQL response bodies in tests are untyped JSON; `any` itself stays forbidden.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },

  // --- Migrations: generated SQL, statements are long by nature --------------------------------
  {
    name: 'knooppunt/migrations',
    files: ['libs/database/src/migrations/**/*.ts'],
    rules: {
      'max-len': 'off',
      'max-lines': 'off',
      'max-statements': 'off',
    },
  },

  // --- Plain JavaScript: config files and the jest global setup/teardown (CommonJS) ------------
  {
    name: 'knooppunt/javascript',
    files: ['**/*.{js,cjs}'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'commonjs', ecmaVersion: 'latest', globals: nodeGlobals },
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    name: 'knooppunt/javascript-modules',
    files: ['**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'module', ecmaVersion: 'latest', globals: nodeGlobals },
  },

  // Last: switch off every stylistic rule that Prettier owns.
  prettier,
);
