// Reading JSON arrays: streamed element by element (never read whole), each element's 1-based
// position as its "line" in records and error reports. No database involved.
import { Readable } from 'node:stream';
import { readBatches, readRecords, textInput, type Input, type RawItem } from '../../src/ingest/read';

/** A JSON array of `n` event records produced chunk by chunk, counting the bytes handed out. */
function generatedArray(n: number): Input & { produced: () => number } {
  let produced = 0;
  const chunks = function* () {
    yield '[\n';
    for (let i = 0; i < n; i += 100) {
      const part: string[] = [];
      for (let j = i; j < Math.min(n, i + 100); j += 1) {
        part.push(
          JSON.stringify({
            kind: 'event',
            externalId: `e${j}`,
            type: 'STATEMENT',
            title: `statement ${j} ${'x'.repeat(200)}`,
            date: '2024-01-01',
            confidence: 'REPORTED',
          }),
        );
      }
      yield part.join(',\n') + (i + 100 < n ? ',\n' : '\n');
    }
    yield ']\n';
  };
  return {
    name: 'big.json',
    open: () =>
      Readable.from(
        (function* () {
          for (const c of chunks()) {
            const b = Buffer.from(c);
            produced += b.length;
            yield b;
          }
        })(),
      ),
    produced: () => produced,
  };
}

async function all(input: Input): Promise<RawItem[]> {
  const out: RawItem[] = [];
  for await (const item of readRecords(input, { format: 'json' })) out.push(item);
  return out;
}

describe('JSON arrays', () => {
  it('are streamed: the first records come out long before the input is read whole, and every element is there in order', async () => {
    const n = 30_000;
    const input = generatedArray(n);
    let producedAtFirstBatch = -1;
    let count = 0;
    let ordered = true;
    for await (const batch of readBatches(input, { format: 'auto' })) {
      if (producedAtFirstBatch < 0) producedAtFirstBatch = input.produced();
      for (const item of batch) {
        count += 1;
        if (item.line !== count || (item.raw as { externalId: string }).externalId !== `e${count - 1}`) ordered = false;
      }
    }
    expect(count).toBe(n);
    expect(ordered).toBe(true);
    // About 7 MB in all, in chunks of 27 kB; the first batch is out after a fraction of it, what
    // the streams between buffer (parsed whole, it would be all of it).
    expect(producedAtFirstBatch).toBeLessThan(input.produced() / 4);
  });

  it('an element that is not valid JSON is reported at its position (or the one before), after the good ones before it', async () => {
    const good = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ kind: 'actor', externalId: `a${i}`, name: `Actor ${i}`, actorKind: 'STATE' }));
    const input: Input = { name: 'bad.json', open: () => Readable.from([`[${good.join(',')}`, ', {"kind": "actor", "name": ]']) };
    const items = await all(input);
    const read = items.filter((i) => i.error === undefined);
    // The parser hands an element over at the token after it: the last good one may share the bad one's fate.
    expect([2999, 3000]).toContain(read.length);
    expect(read.map((i) => i.line)).toEqual(Array.from({ length: read.length }, (_, i) => i + 1));
    expect(items.at(-1)).toEqual({
      line: read.length + 1,
      error: expect.stringMatching(new RegExp(`^not valid JSON at element ${read.length + 1} or after it`)),
    });
    expect(items).toHaveLength(read.length + 1);
  });

  it('a file that is not an array is one error at line 1; an empty array is no records', async () => {
    expect(await all(textInput('object.json', '{"kind": "actor"}'))).toEqual([{ line: 1, error: 'a JSON file must hold an array of records' }]);
    expect(await all(textInput('empty.json', '\uFEFF [ ] '))).toEqual([]);
  });
});
