// Whether this machine can start throwaway PostgreSQL clusters (test/support/cluster.ts):
// asked by jest.config.js, which leaves the read-replica tests out (saying why) when it cannot.
const fs = require('node:fs');
const path = require('node:path');

const BIN = '/usr/lib/postgresql/15/bin';
const TOOLS = ['initdb', 'pg_ctl', 'pg_basebackup'];

/** Why the cluster tools cannot be used here, or undefined when they can. */
function clusterToolsMissing() {
  const missing = TOOLS.filter((t) => !fs.existsSync(path.join(BIN, t)));
  if (missing.length) return `no ${missing.join(', ')} in ${BIN}; install them (apt-get install -y postgresql-15; .ci/run does)`;
  if (process.getuid?.() === 0 && !fs.existsSync('/usr/sbin/runuser')) return 'running as root without runuser to drop to the postgres user';
  return undefined;
}

module.exports = { BIN, clusterToolsMissing };
