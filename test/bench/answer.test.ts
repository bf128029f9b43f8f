// The benchmark's answer floor (bench/answer-child.ts), for its structure, never its timings:
// it sends, byte for byte and with the same content type, what our server sent for the same
// request (over the seed's monthly shipment report), and answers the benchmark's IPC.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BenchChild } from '../../bench/children';
import { startTestServer, type TestServer } from '../support/server';

const REPORT = `{ shipmentReport(from: "2023-01-01", to: "2023-12-31", granularity: MONTH, groupBy: [SUPPLIER, RECIPIENT]) {
  start end buckets { period supplier { id name } recipient { id name } unit shipments quantity unknownQuantity } } }`;

let server: TestServer;
let child: BenchChild | undefined;
const file = path.join(os.tmpdir(), `att-answer-test-${process.pid}.json`);

beforeAll(async () => {
  server = await startTestServer({ seedOnStart: true });
});

afterAll(async () => {
  await child?.stop();
  fs.rmSync(file, { force: true });
  await server?.stop();
});

const post = (url: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: REPORT }) });

test("the answer floor's server sends what ours sent, and answers the benchmark's IPC", async () => {
  const ours = await post(server.url);
  const body = await ours.text();
  expect(ours.status).toBe(200);
  const buckets = (JSON.parse(body) as { data: { shipmentReport: { buckets: unknown[] } } }).data.shipmentReport.buckets;
  expect(buckets.length).toBeGreaterThan(0);
  // As the benchmark hands it over: the parsed result, written once.
  fs.writeFileSync(file, JSON.stringify(JSON.parse(body)));

  const started = await BenchChild.start({ ...process.env, ANSWER_FILE: file }, [], path.resolve(__dirname, '../../bench/answer-child.ts'));
  child = started.child;
  const { ready } = started;

  for (let i = 0; i < 2; i++) {
    const bare = await post(ready.url);
    expect(bare.status).toBe(200);
    expect(bare.headers.get('content-type')).toBe(ours.headers.get('content-type'));
    expect(await bare.text()).toBe(body);
  }

  const stats = await child.ask({ type: 'stats' }, 'stats');
  expect(stats).toMatchObject({ type: 'stats', statements: 0 });
  expect(stats.rssBytes).toBeGreaterThan(0);
  expect(await child.ask({ type: 'capture', on: false }, 'captured')).toEqual({ type: 'captured', statements: [] });
});
