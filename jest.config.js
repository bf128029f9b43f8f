/** Tests run against a real PostgreSQL (TEST_DATABASE_URL's, or an embedded one for the run): one fresh database per test file. */
const { CANDIDATES, chromiumPath } = require('./test/browser/find-chromium');
const { clusterToolsMissing } = require('./test/support/cluster-tools');

// Tests that need tools beyond Node and a database are left out, loudly, when the tools are
// missing (.ci/run installs both): the browser tests need Debian's Chromium, the read-replica
// and database-restart tests PostgreSQL's cluster binaries.
const leftOut = [];
if (!chromiumPath) {
  console.warn(`test/browser left out: no Chromium at ${CANDIDATES.join(', ')}; apt-get install -y chromium to run them`);
  leftOut.push('<rootDir>/test/browser/');
}
const noClusters = clusterToolsMissing();
if (noClusters) {
  console.warn(`test/scale/replicas.test.ts and test/scale/db-restart.test.ts left out: ${noClusters}`);
  leftOut.push('<rootDir>/test/scale/replicas.test.ts', '<rootDir>/test/scale/db-restart.test.ts');
}

module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...leftOut],
  testTimeout: 60000,
  // Without TEST_DATABASE_URL: one embedded PostgreSQL for the whole run, started and stopped by pid.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // Two cores: two workers keep the wall time low without starving PostgreSQL.
  maxWorkers: 2,
};
