// What the importer reads, byte for byte (issue #27 item 9, #28 item 5): a byte-order mark is
// skipped in every format; bytes that are not UTF-8 and lone surrogates reject their record on
// the field that holds them (never stored with U+FFFD in their place); CSV's encoding is read
// from its bytes (UTF-8, UTF-16 by its mark, else windows-1252), and in a file read as UTF-8 or
// UTF-16 a row with bytes that are not text is rejected on its column; a record longer than
// MAX_RECORD_BYTES is refused without being held in memory; a CSV cell the export neutralised
// (src/domain/csv.ts) is read back as it was. No database involved: readRecords and normalizeRecord.
import { Readable } from 'node:stream';
import { MAX_RECORD_BYTES, readRecords, textInput, type Input, type RawItem } from '../../src/ingest/read';
import { normalizeRecord } from '../../src/ingest/records';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const NOT_UTF8 = Buffer.from([0xff, 0xfe, 0xc3]); // a stray byte, another, a sequence cut short

async function read(input: Input, format: 'auto' | 'ndjson' | 'json' | 'csv' = 'auto', kind?: 'actor'): Promise<RawItem[]> {
  const out: RawItem[] = [];
  for await (const item of readRecords(input, { format, kind })) out.push(item);
  return out;
}

/** Issues of each record read (its line, then field: reason), or "ok". */
async function verdicts(input: Input, format?: 'auto' | 'ndjson' | 'json' | 'csv', kind?: 'actor'): Promise<string[]> {
  return (await read(input, format, kind)).map((item) => {
    if (item.error !== undefined) return `${item.line}: ${item.error}`;
    if (item.issues !== undefined) return `${item.line}: ${item.issues.map((i) => `${i.field}: ${i.reason}`).join('; ')}`;
    const result = normalizeRecord(item.raw, 'd');
    return result.ok ? `${item.line}: ok ${result.record.row.name}` : `${item.line}: ${result.issues.map((i) => `${i.field}: ${i.reason}`).join('; ')}`;
  });
}

const actor = (externalId: string, name: string) => JSON.stringify({ kind: 'actor', externalId, name, actorKind: 'STATE' });
const bytes = (...parts: (string | Buffer)[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
/** An input handed out in chunks of `size` bytes, so that sequences and lines are cut between chunks. */
const chunked = (name: string, data: Buffer, size = 7): Input => ({
  name,
  open: () =>
    Readable.from(
      (function* () {
        for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
      })(),
    ),
  size: data.length,
});

describe('a byte-order mark', () => {
  it.each([
    ['NDJSON', 'a.ndjson', `${actor('a', 'Ростех')}\n${actor('b', 'Second')}\n`],
    ['a JSON array', 'a.json', `[${actor('a', 'Ростех')},${actor('b', 'Second')}]`],
    ['CSV', 'actors.csv', 'externalId,name,actorKind\na,Ростех,STATE\nb,Second,STATE\n'],
  ])('is skipped in %s, in whatever chunks it comes', async (_name, file, text) => {
    for (const input of [textInput(file, bytes(BOM, text)), chunked(file, bytes(BOM, text), 2), textInput(file, text)]) {
      expect(await verdicts(input, 'auto', 'actor')).toEqual(
        ['1: ok Ростех', '2: ok Second'].map((v, i) => (file.endsWith('.csv') ? v.replace(/^\d/, String(i + 2)) : v)),
      );
    }
  });
});

describe('bytes that are not UTF-8, and lone surrogates', () => {
  const reason = 'must be well-formed Unicode text (it holds a lone surrogate, or bytes that are not UTF-8)';

  it('NDJSON: the record is rejected on the field that holds them, the others are read', async () => {
    const data = bytes(
      actor('a', 'Good'),
      '\n',
      '{"kind":"actor","externalId":"b","name":"Bad',
      NOT_UTF8,
      '","actorKind":"STATE"}\n',
      actor('c', 'Sur\ud800rogate'),
      '\n',
      '{"kind":"actor",',
      NOT_UTF8,
      '}\n',
      actor('d', 'Also good'),
      '\n',
    );
    expect(await verdicts(chunked('a.ndjson', data), 'ndjson')).toEqual([
      '1: ok Good',
      `2: name: ${reason}`,
      `3: name: ${reason}`,
      '4: not valid UTF-8 (byte 17 of the line, outside a JSON string)',
      '5: ok Also good',
    ]);
  });

  it('a JSON array: the element is rejected on its field', async () => {
    const data = bytes(
      '[',
      actor('a', 'Good'),
      ',{"kind":"actor","externalId":"b","name":"Bad',
      NOT_UTF8,
      '","actorKind":"STATE"},',
      actor('c', 'Also good'),
      ']',
    );
    expect(await verdicts(chunked('a.json', data, 5), 'json')).toEqual(['1: ok Good', `2: name: ${reason}`, '3: ok Also good']);
  });

  it.each([
    ['its byte-order mark', BOM, 'a,Good,STATE\n', 'its byte-order mark'],
    ['UTF-8 text before', '', 'a,Ростех,STATE\n', 'UTF-8 text on line 2'],
  ])('CSV read as UTF-8 (%s): the row is rejected on the column that holds them, the others are read', async (_name, head, first, since) => {
    const data = bytes(head, 'externalId,name,actorKind\n', first, 'b,Bad', NOT_UTF8, ',STATE\nc,Also good,STATE\n');
    const why = `holds bytes that are not UTF-8 (0xff at byte 4), in a file read as UTF-8 (${since}): the file mixes encodings or is damaged; save it again as UTF-8`;
    for (const size of [3, 1000]) {
      expect(await verdicts(chunked('actors.csv', data, size), 'csv', 'actor')).toEqual([`2: ok ${first.split(',')[1]}`, `3: name: ${why}`, '4: ok Also good']);
    }
  });

  it('CSV read as UTF-8: of thousands of rows, exactly those with such bytes are rejected, each on its own line', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => (i % 3 === 1 ? bytes(`r${i},Bad`, Buffer.from([0xe9]), `,STATE\n`) : bytes(`r${i},Good ${i},STATE\n`)));
    const got = await verdicts(chunked('actors.csv', bytes(BOM, 'externalId,name,actorKind\n', ...rows), 4096), 'csv', 'actor');
    expect(got).toHaveLength(3000);
    expect(
      got.filter((v, i) => (i % 3 === 1 ? !/^\d+: name: holds bytes that are not UTF-8 \(0xe9 at byte 4\)/.test(v) : v !== `${i + 2}: ok Good ${i}`)),
    ).toEqual([]);
    expect(got.filter((v, i) => !v.startsWith(`${i + 2}: `))).toEqual([]);
  });

  it('CSV whose first bytes past ASCII are not UTF-8 is windows-1252, as spreadsheets and older exports write it', async () => {
    const data = bytes('externalId,name,actorKind\na,Good,STATE\nb,Bad', NOT_UTF8, ',STATE\nc,Caf', Buffer.from([0xe9]), ',STATE\n');
    expect(await verdicts(chunked('actors.csv', data, 3), 'csv', 'actor')).toEqual(['2: ok Good', '3: ok Badÿþ\u00c3', '4: ok Café']);
  });

  it('CSV in a dataset layout: the row is rejected on the column as the file names it', async () => {
    const header =
      'event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,inter1,actor2,inter2,country,location,source,notes,fatalities\n';
    const data = bytes(
      BOM,
      header,
      'X1,2023-09-13,2023,1,Battles,Armed clash,Wagner Group,8,,,Ukraine,Kyiv,S,Good,0\n',
      'X2,2023-09-13,2023,1,Battles,Armed clash,Wagner Group,8,,,Ukraine,Kyiv,S,Bad',
      NOT_UTF8,
      ',0\n',
    );
    const got = await read(textInput('acled.csv', data));
    expect(got.filter((i) => i.line === 2 && i.raw).length).toBeGreaterThan(0);
    expect(got.filter((i) => i.line === 3)).toEqual([
      {
        line: 3,
        kind: 'event',
        issues: [
          {
            field: 'notes (column N)',
            reason: expect.stringMatching(/^holds bytes that are not UTF-8 \(0xff at byte 4\), in a file read as UTF-8 \(its byte-order mark\)/),
          },
        ],
      },
    ]);
  });

  it.each([
    ['UTF-16LE', 'utf16le', Buffer.from([0xff, 0xfe])],
    ['UTF-16BE', 'utf16be', Buffer.from([0xfe, 0xff])],
  ])('CSV in %s (by its byte-order mark) is read; an unpaired surrogate rejects its row on its column', async (_name, enc, bom) => {
    const encode = (s: string) => {
      const b = Buffer.from(s, 'utf16le');
      if (enc === 'utf16be') b.swap16();
      return b;
    };
    const data = Buffer.concat([bom, encode('externalId,name,actorKind\na,Ростех 😀,STATE\nb,Bad\ud800x,STATE\nc,Also good,STATE\n')]);
    for (const size of [3, 5, 1000]) {
      const got = await verdicts(chunked('actors.csv', data, size), 'csv', 'actor');
      expect(got[0]).toBe('2: ok Ростех 😀');
      expect(got[1]).toMatch(/^3: name: is not UTF-16 text \(an unpaired surrogate at character 4/);
      expect(got[2]).toBe('4: ok Also good');
    }
  });
});

describe('records longer than MAX_RECORD_BYTES', () => {
  const huge = 'x'.repeat(MAX_RECORD_BYTES + 10);

  it('NDJSON: that line is rejected unread, the lines after it are read', async () => {
    const data = bytes(actor('a', 'Before'), '\n', actor('b', huge), '\n', actor('c', 'After'), '\n', actor('d', huge));
    expect(await verdicts(chunked('a.ndjson', data, 64 * 1024), 'ndjson')).toEqual([
      '1: ok Before',
      `2: longer than ${MAX_RECORD_BYTES} bytes, the longest record read: not read`,
      '3: ok After',
      `4: longer than ${MAX_RECORD_BYTES} bytes, the longest record read: not read`,
    ]);
  });

  it('a JSON array: reading stops at that element, naming it', async () => {
    const data = bytes('[', actor('a', 'Before'), ',', actor('b', huge), ',', actor('c', 'After'), ']');
    const got = await verdicts(chunked('a.json', data, 64 * 1024), 'json');
    expect(got[0]).toBe('1: ok Before');
    expect(got[got.length - 1]).toMatch(/^2: not valid JSON at element 2 or after it \(element 2 is longer than 1048576 bytes/);
  });

  it('CSV: reading stops at that field, naming its line', async () => {
    const data = bytes('externalId,name,actorKind\na,Before,STATE\nb,', huge, ',STATE\nc,After,STATE\n');
    const got = await verdicts(chunked('actors.csv', data, 64 * 1024), 'csv', 'actor');
    expect(got[0]).toBe('2: ok Before');
    expect(got[got.length - 1]).toMatch(/^3: not valid CSV, column B \(name\) \(.*Max Record Size/);
  });

  it('CSV: a record of fields none of which is too long alone stops the reading too', async () => {
    const third = 'y'.repeat(Math.ceil(MAX_RECORD_BYTES / 3) + 10);
    const data = bytes('externalId,name,actorKind,description\na,Before,STATE,\nb,', third, ',', third, ',', third, '\nc,After,STATE,\n');
    const got = await verdicts(chunked('actors.csv', data, 64 * 1024), 'csv', 'actor');
    expect(got[0]).toBe('2: ok Before');
    expect(got[got.length - 1]).toMatch(/^3: not valid CSV, column D \(description\) \(.*Max Record Size/);
  });

  it('a field past its own limit is refused by name, in the importer as in the API', async () => {
    const [item] = await read(
      textInput('a.ndjson', JSON.stringify({ kind: 'actor', externalId: 'a', name: 'n'.repeat(501), actorKind: 'STATE', description: 'd'.repeat(20_001) })),
      'ndjson',
    );
    const result = normalizeRecord(item.raw, 'd');
    expect(result.ok ? [] : result.issues).toEqual([
      { field: 'name', reason: 'must be at most 500 characters (got 501)' },
      { field: 'description', reason: 'must be at most 20000 characters (got 20001)' },
    ]);
  });
});

describe('source URLs', () => {
  it.each(['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'file:///etc/passwd', 'ftp://example.org/x', 'not a url'])(
    '%s is refused',
    async (url) => {
      const result = normalizeRecord({ kind: 'source', externalId: 's', publisher: 'P', title: 'T', url }, 'd');
      expect(result.ok ? [] : result.issues.map((i) => i.field)).toEqual(['url']);
    },
  );

  it('http and https are stored', () => {
    for (const url of ['http://example.org/a?b=<c>', 'https://example.org/ä'])
      expect(normalizeRecord({ kind: 'source', externalId: 's', publisher: 'P', title: 'T', url }, 'd').ok).toBe(true);
  });
});

describe('cells the CSV export neutralised', () => {
  it('are read back as they were, apostrophes included', async () => {
    const data = `externalId,name,actorKind,description\na,"'=HYPERLINK(""x"")",STATE,'+cmd\nb,''=1+1,STATE,'tis\nc,'－1,STATE,'@SUM(1)\n`;
    const got = (await read(textInput('actors.csv', data), 'csv', 'actor')).map((i) => [
      (i.raw as Record<string, string>).name,
      (i.raw as Record<string, string>).description,
    ]);
    expect(got).toEqual([
      ['=HYPERLINK("x")', '+cmd'],
      ["'=1+1", "'tis"],
      ['－1', '@SUM(1)'],
    ]);
  });
});
