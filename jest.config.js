/** Tests run against a real PostgreSQL: one fresh database (or embedded PGlite instance) per test file. */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testTimeout: 60000,
  // Two cores: two workers keep the wall time low without starving PostgreSQL.
  maxWorkers: 2,
};
