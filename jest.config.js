/** Tests run against a real PostgreSQL: one fresh database (or embedded PGlite instance) per test file. */
const { CANDIDATES, chromiumPath } = require('./test/browser/find-chromium');

// The browser tests need Debian's Chromium; without it they are left out, loudly (.ci/run installs it).
if (!chromiumPath) {
  console.warn(`test/browser left out: no Chromium at ${CANDIDATES.join(', ')}; apt-get install -y chromium to run them`);
}

module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...(chromiumPath ? [] : ['<rootDir>/test/browser/'])],
  testTimeout: 60000,
  // Two cores: two workers keep the wall time low without starving PostgreSQL.
  maxWorkers: 2,
};
