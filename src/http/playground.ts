// The browser pages, served by the API itself from web/dist (built by scripts/build-web.js,
// no CDN, so they work offline):
//   GET /graphql (a browser asking for HTML, no query) and GET /  → the self-hosted GraphiQL
//   GET /reports/shipments                                       → the shipments chart page
//   GET /timeline                                                → the timeline page
//   GET /assets/*                                                → their scripts and styles
//                                                                   (source maps outside production)
// PLAYGROUND=sandbox leaves GET /graphql to Apollo's Sandbox landing page (loaded from
// Apollo's CDN) and sends GET / there; PLAYGROUND=off serves no playground. The chart and
// timeline pages are served in every mode: they are clients of the API like any other and
// need a key when the API does.
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import { fromRoot } from '../paths';

export type PlaygroundMode = 'graphiql' | 'sandbox' | 'off';

export const WEB_DIST = fromRoot('web', 'dist');

/** Scripts and styles come from this server only; GraphiQL, Chart.js and the timeline page set inline styles. */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

function sendPage(res: express.Response, page: 'playground' | 'reports' | 'timeline', dist: string): void {
  const file = path.join(dist, `${page}.html`);
  if (!fs.existsSync(file)) {
    res.status(503).type('text/plain').send('The browser pages are not built: run `npm run build:web` (npm install does it).\n');
    return;
  }
  res.set({ 'Cache-Control': 'no-cache', 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' });
  res.sendFile(file);
}

/** A browser navigating to the URL (Accept prefers HTML), not a GraphQL GET request. */
function wantsPage(req: express.Request): boolean {
  if (req.query.query !== undefined || req.query.extensions !== undefined) return false;
  return req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
}

/**
 * `sourceMaps`: serve the bundles' source maps (web/dist/assets/*.map, for the browser's
 * developer tools); off in production, where they would hand out the sources (~7 MB) to anyone.
 */
export function pagesRouter(opts: { mode: PlaygroundMode; dist?: string; sourceMaps?: boolean }): express.Router {
  const dist = opts.dist ?? WEB_DIST;
  const router = express.Router();
  if (!opts.sourceMaps)
    router.use('/assets', (req, res, next) => (req.path.endsWith('.map') ? res.status(404).type('text/plain').send('Not found\n') : next()));
  router.use('/assets', express.static(path.join(dist, 'assets'), { index: false, maxAge: 0 }));
  router.get('/favicon.ico', (_req, res) => res.status(204).end());
  router.get('/reports/shipments', (_req, res) => sendPage(res, 'reports', dist));
  router.get('/timeline', (_req, res) => sendPage(res, 'timeline', dist));
  if (opts.mode === 'graphiql') {
    router.get('/', (_req, res) => sendPage(res, 'playground', dist));
    router.get('/graphql', (req, res, next) => (wantsPage(req) ? sendPage(res, 'playground', dist) : next()));
  } else if (opts.mode === 'sandbox') {
    router.get('/', (_req, res) => res.redirect(302, '/graphql'));
  }
  return router;
}
