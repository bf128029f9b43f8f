#!/usr/bin/env node
// Builds the browser pages (web/) into web/dist/ (git-ignored): the self-hosted GraphiQL
// playground, the shipments chart page and the timeline page, with React, GraphiQL,
// Chart.js and d3-scale bundled in, so the server needs no CDN and works offline. Run by `npm install` (postinstall),
// `npm start` and `npm test`; esbuild takes a second or two. `--if-stale` skips the build
// when web/dist is newer than every source file (and the persisted-query manifest, whose
// operations the timeline page sends by hash).
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
const src = path.join(root, 'web');
const out = path.join(src, 'dist');
const stamp = path.join(out, '.built');

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('dist')) continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

async function main() {
  if (process.argv.includes('--if-stale') && fs.existsSync(stamp)) {
    const inputs = Math.max(
      newestSource(src),
      ...['package-lock.json', 'persisted-queries.json'].map((f) => fs.statSync(path.join(root, f)).mtimeMs),
      fs.statSync(__filename).mtimeMs,
    );
    if (fs.statSync(stamp).mtimeMs >= inputs) return;
  }
  const started = Date.now();
  // Build beside web/dist and swap it in, so a server (or a concurrent test run) never sees a half-built folder.
  const tmp = `${out}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { playground: 'web/playground/main.tsx', reports: 'web/reports/main.ts', timeline: 'web/timeline/main.ts' },
    outdir: path.join(tmp, 'assets'),
    bundle: true,
    minify: true,
    sourcemap: true,
    format: 'iife',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    jsx: 'automatic',
    loader: { '.graphql': 'text', '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.svg': 'file', '.png': 'file' },
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'linked',
    logLevel: 'warning',
  });
  for (const page of ['playground', 'reports', 'timeline']) {
    fs.copyFileSync(path.join(src, page, 'index.html'), path.join(tmp, `${page}.html`));
  }
  fs.writeFileSync(path.join(tmp, '.built'), new Date().toISOString());
  const old = `${out}.old-${process.pid}`;
  if (fs.existsSync(out)) fs.renameSync(out, old);
  fs.renameSync(tmp, out);
  fs.rmSync(old, { recursive: true, force: true });
  console.log(`web: built web/dist in ${Date.now() - started} ms`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
