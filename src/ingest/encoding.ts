// The character encoding of a CSV input, decided from its bytes rather than assumed: spreadsheets
// and older dataset exports (SIPRI's site among them) write windows-1252, newer tools UTF-8.
// - A UTF-8 byte-order mark: UTF-8. A UTF-16 byte-order mark: UTF-16 (little or big endian).
// - Anything else is UTF-8 until a byte sequence that is not UTF-8 shows it is not. If every byte
//   before it was ASCII (which both readings agree on), the whole file is windows-1252 (a
//   superset of latin-1, the name such files often go by).
// - In a file known to be UTF-8 by then (its byte-order mark, or UTF-8 text before), bytes that
//   are not UTF-8 cannot be read right. Each is passed on as U+FFFD and its place recorded
//   (invalidIn): the reader (read.ts) refuses the row that holds one, naming its line and column
//   (whyNotText says why), and reads on, so no such character is ever imported. The same for
//   UTF-16 that is not (an unpaired surrogate). Marking places rather than passing the bytes on
//   keeps the output UTF-8, which the CSV parser reads into strings (its record size limit counts
//   those) at the speed it reads any UTF-8.
// The output is UTF-8 bytes, the byte-order mark left out.
import { Transform, type TransformCallback } from 'node:stream';
import { isAscii, isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { firstInvalidUtf8, isWellFormed } from '../domain/text';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** Bytes at the end of `buf` that start a UTF-8 sequence the buffer does not complete. */
function incompleteTail(buf: Buffer): number {
  for (let back = 1; back <= Math.min(3, buf.length); back += 1) {
    const b = buf[buf.length - back];
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/** Newlines in `buf` (UTF-8 and windows-1252 alike write them as the byte 0x0a). */
function countLines(buf: Buffer, end = buf.length): number {
  let n = 0;
  for (let i = buf.indexOf(0x0a); i !== -1 && i < end; i = buf.indexOf(0x0a, i + 1)) n += 1;
  return n;
}

/** U+FFFD in UTF-8: what stands in the output for what could not be read. */
const REPLACEMENT = Buffer.from([0xef, 0xbf, 0xbd]);

/** A place in the output where something that is not text was: its offset, and the byte (UTF-8) or code unit (UTF-16). */
export interface Invalid {
  at: number;
  value: number;
}

/**
 * A Transform from an input's bytes to UTF-8 bytes, its encoding decided as above. `encoding()`
 * says which it was (known after the first bytes; windows-1252 only once seen).
 */
export class DecodeText extends Transform {
  private mode: TextEncoding | undefined;
  private pending: Buffer = Buffer.alloc(0);
  /** Where the file showed itself UTF-8: its byte-order mark, or the line of its first UTF-8 character. */
  private utf8Since: 'bom' | number | undefined;
  private lines = 0;
  private decoder: TextDecoder | undefined;
  /** Bytes pushed so far (offsets of the output, as the CSV parser counts them). */
  private out = 0;
  /** The places of what could not be read, in order; those before `done` have been asked for. */
  private invalid: Invalid[] = [];
  private done = 0;

  encoding(): TextEncoding {
    return this.mode ?? 'utf-8';
  }

  /**
   * What could not be read in the output bytes [start, end), given in order, each range after
   * the ones asked for before (a CSV row after another).
   */
  invalidIn(start: number, end: number): Invalid[] {
    while (this.done < this.invalid.length && this.invalid[this.done].at < start) this.done += 1;
    const first = this.done;
    while (this.done < this.invalid.length && this.invalid[this.done].at < end) this.done += 1;
    const found = first === this.done ? [] : this.invalid.slice(first, this.done);
    // Forget what was asked for (a damaged file can hold millions of such places).
    if (this.done >= 1024) {
      this.invalid = this.invalid.slice(this.done);
      this.done = 0;
    }
    return found;
  }

  /** Why a cell holding `what` (at its first U+FFFD) is not text: the reason of its row's refusal. */
  whyNotText(cell: string, what: Invalid): string {
    const at = cell.indexOf('\uFFFD');
    if (this.mode === 'utf-16le' || this.mode === 'utf-16be') {
      return `is not UTF-16 text (an unpaired surrogate at character ${at + 1}, or half a code unit at the file's end), in a file read as UTF-16 (its byte-order mark)`;
    }
    const since = this.utf8Since === 'bom' ? 'its byte-order mark' : `UTF-8 text on line ${this.utf8Since}`;
    return `holds bytes that are not UTF-8 (0x${what.value.toString(16).padStart(2, '0')} at byte ${Buffer.byteLength(cell.slice(0, Math.max(at, 0))) + 1}), in a file read as UTF-8 (${since}): the file mixes encodings or is damaged; save it again as UTF-8`;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.send(this.decode(chunk, false));
    done();
  }

  override _flush(done: TransformCallback): void {
    this.send(this.decode(Buffer.alloc(0), true));
    done();
  }

  private send(buf: Buffer): void {
    if (buf.length === 0) return;
    this.out += buf.length;
    this.push(buf);
  }

  private decode(chunk: Buffer, last: boolean): Buffer {
    let buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    if (this.mode === undefined) {
      if (buf.length < 3 && !last) {
        this.pending = buf;
        return Buffer.alloc(0);
      }
      if (buf[0] === 0xff && buf[1] === 0xfe) this.mode = 'utf-16le';
      else if (buf[0] === 0xfe && buf[1] === 0xff) this.mode = 'utf-16be';
      else this.mode = 'utf-8';
      if (this.mode !== 'utf-8') buf = buf.subarray(2);
      else if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
        this.utf8Since = 'bom';
        buf = buf.subarray(3);
      }
    }
    if (this.mode === 'utf-16le' || this.mode === 'utf-16be') return this.utf16(buf, last);
    if (this.mode === 'windows-1252') return this.cp1252(buf);
    // UTF-8 so far: hold back a sequence cut by the chunk's end, check the rest.
    const tail = last ? 0 : incompleteTail(buf);
    const body = tail ? buf.subarray(0, buf.length - tail) : buf;
    if (tail) this.pending = Buffer.from(buf.subarray(buf.length - tail));
    const valid = isUtf8(body);
    const bad = valid ? body.length : firstInvalidUtf8(body);
    if (this.utf8Since === undefined && !isAscii(body.subarray(0, bad))) {
      let i = 0;
      while (body[i] < 0x80) i += 1;
      this.utf8Since = this.lines + countLines(body, i) + 1;
    }
    this.lines += countLines(body);
    if (valid) return body;
    if (this.utf8Since === undefined) {
      // Everything before was ASCII, which windows-1252 reads the same: the file is windows-1252.
      this.mode = 'windows-1252';
      return this.cp1252(Buffer.concat([body, this.pending]));
    }
    // Each byte that is not UTF-8 becomes U+FFFD, its place recorded.
    const parts: Buffer[] = [];
    let size = 0;
    for (let pos = 0; pos < body.length;) {
      const rest = body.subarray(pos);
      const n = firstInvalidUtf8(rest);
      if (n === -1) {
        parts.push(rest);
        break;
      }
      parts.push(rest.subarray(0, n), REPLACEMENT);
      this.invalid.push({ at: this.out + size + n, value: rest[n] });
      size += n + REPLACEMENT.length;
      pos += n + 1;
    }
    return Buffer.concat(parts);
  }

  private cp1252(buf: Buffer): Buffer {
    this.pending = Buffer.alloc(0);
    this.decoder ??= new TextDecoder('windows-1252');
    return Buffer.from(this.decoder.decode(buf, { stream: true }), 'utf8');
  }

  /** UTF-16 code units to UTF-8, holding back an odd byte and a high surrogate whose pair may come next. */
  private utf16(buf: Buffer, last: boolean): Buffer {
    let keep = buf.length % 2;
    const even = buf.length - keep;
    if (!last && even >= 2) {
      const unit = this.mode === 'utf-16le' ? buf[even - 2] | (buf[even - 1] << 8) : (buf[even - 2] << 8) | buf[even - 1];
      if (unit >= 0xd800 && unit <= 0xdbff) keep += 2;
    }
    if (!last && keep) this.pending = Buffer.from(buf.subarray(buf.length - keep));
    const units = Buffer.from(buf.subarray(0, last ? even : buf.length - keep));
    if (this.mode === 'utf-16be') units.swap16();
    // A last odd byte is half a code unit: read as an unpaired surrogate would be.
    const text = units.toString('utf16le') + (last && buf.length % 2 === 1 ? '\uDFFF' : '');
    if (isWellFormed(text)) return Buffer.from(text, 'utf8');
    const parts: string[] = [];
    let run = 0;
    let size = 0;
    for (let i = 0; i < text.length; i += 1) {
      const c = text.charCodeAt(i);
      if (c < 0xd800 || c > 0xdfff) continue;
      const d = text.charCodeAt(i + 1);
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        i += 1;
        continue;
      }
      const before = text.slice(run, i);
      size += Buffer.byteLength(before);
      parts.push(before, '\uFFFD');
      this.invalid.push({ at: this.out + size, value: c });
      size += REPLACEMENT.length;
      run = i + 1;
    }
    parts.push(text.slice(run));
    return Buffer.from(parts.join(''), 'utf8');
  }
}
