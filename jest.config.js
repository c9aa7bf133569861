// Jest configuration: two projects sharing one TypeScript transform.
//
//   unit  apps/**/*.spec.ts, libs/**/*.spec.ts   no database
//   e2e   test/**/*.e2e-spec.ts                  a fresh PostgreSQL database per run, see test/setup/
//
//   npx jest --selectProjects unit     npx jest --runInBand --selectProjects e2e
//
// Jest only passes options that belong to a project into `projects[]`; run-wide options such as
// `testTimeout` are read from the root (jest-circus takes the timeout from the global config, a
// per-project `testTimeout` is ignored), so the 60 s e2e budget is set here for the whole run.

/**
 * Our TypeScript: ts-jest in transpile-only mode. Every file is compiled on its own (tsconfig
 * `isolatedModules`; ts-jest 29.4 deprecates its own `isolatedModules` option in favour of this
 * compiler option), so tests start fast and type errors are left to `tsc` and ESLint. The rest of
 * tsconfig.json (decorators, decorator metadata, target, module nodenext, which ts-jest compiles to
 * CommonJS because package.json has no "type": "module") is used as is.
 *
 * Dependencies: NestJS 12 (and a few others) ship ES modules only. The built application loads them
 * with Node's require(esm), which Jest's module system cannot do before Node 24.9, so every .js file
 * under node_modules passes through test/setup/esm-to-cjs-transform.js: ES modules are compiled to
 * CommonJS, CommonJS files are returned untouched (and Jest caches both).
 */
const transform = {
  '^.+\\.ts$': [
    'ts-jest',
    {
      tsconfig: { isolatedModules: true },
    },
  ],
  '^.+\\.m?js$': '<rootDir>/test/setup/esm-to-cjs-transform.js',
};

/** The same aliases as tsconfig.json's `paths`: @app/<lib> and @app/<lib>/<file>. */
const moduleNameMapper = {
  '^@app/([a-z-]+)$': '<rootDir>/libs/$1/src',
  '^@app/([a-z-]+)/(.*)$': '<rootDir>/libs/$1/src/$2',
};

/** Options every project repeats (projects do not inherit them from the root). */
const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform,
  // Unlike Jest's default, node_modules is transformed too (see `transform` above).
  transformIgnorePatterns: [],
  moduleNameMapper,
  // Build output and local data (the embedded PostgreSQL's folder belongs to another user) are
  // neither crawled nor resolved.
  modulePathIgnorePatterns: [
    '<rootDir>/dist/',
    '<rootDir>/.data/',
    '<rootDir>/coverage/',
    '<rootDir>/bench/results/',
  ],
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      // Decide the PostgreSQL server once per run and create this run's empty database; the
      // teardown drops it (and any `<runDb>_<suffix>` database a test made) again.
      globalSetup: '<rootDir>/test/setup/global-setup.js',
      globalTeardown: '<rootDir>/test/setup/global-teardown.js',
    },
  ],
};
