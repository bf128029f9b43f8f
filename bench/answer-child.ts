// The answer floor of `npm run bench` (issue #7): what serializing and sending one operation's
// answer costs on this machine with no GraphQL and no database. A bare node:http server that
// answers every request with the answer as Apollo writes it (JSON.stringify of the result, a
// newline), measured by the same load as our server.
import fs from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { benchmarkIpc } from './children';

async function main(): Promise<void> {
  // The result as our server answered it, parsed once; stringified again for every request.
  const result = JSON.parse(fs.readFileSync(process.env.ANSWER_FILE!, 'utf8')) as unknown;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(`${JSON.stringify(result)}\n`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  benchmarkIpc(`http://127.0.0.1:${port}/`, () => server.close(() => process.exit(0)));
}

main().catch((err) => {
  process.send?.({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exit(1);
});
