// Debian's Chromium (apt-get install -y chromium), found by jest.config.js (which leaves the
// browser tests out, saying so, when there is none) and by the tests that launch it.
const fs = require('node:fs');

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

module.exports = { CANDIDATES, chromiumPath: CANDIDATES.find((p) => fs.existsSync(p)) };
