import { Observable, type OperatorFunction } from 'rxjs';
import { endOfTag } from './end-of-tag.js';
import { IndiProtocolError, excerptOf } from './errors.js';
import type { LineLease, LinePool } from './line-pool.js';

/**
 * One complete top-level element, as the bytes that arrived: what
 * {@link frameIndi} emits.
 *
 * @example
 * ```ts
 * streamBytes(socket).pipe(frameIndi()).subscribe((frame: IndiFrame) => console.log(`element at byte ${frame.offset}`));
 * ```
 */
export interface IndiFrame {
  /** Byte offset of the element's `<` in the connection's stream. */
  readonly offset: number;
  readonly bytes: Buffer;
  /** The same bytes followed by a newline, in the same memory: ready to forward. */
  readonly line: Buffer;
  /**
   * When `line` is pooled memory ({@link FrameIndiOptions.linePool}): it is
   * valid while the frame is handed on, and after that only for whoever
   * held the lease ({@link LineLease.hold}) or kept it.
   */
  readonly lease?: LineLease | undefined;
}

/**
 * Limits of the framer; each one ends the stream with an {@link IndiProtocolError}.
 *
 * @example
 * ```ts
 * const options: FrameIndiOptions = { maxMessageBytes: 64 * 1024 * 1024, onProblem: (problem) => console.warn(problem.message) };
 * streamBytes(socket).pipe(frameIndi(options));
 * ```
 */
export interface FrameIndiOptions {
  /** Largest top-level element, in bytes. Default 512 MiB, room for 100+ MB BLOBs in base64. */
  readonly maxMessageBytes?: number;
  /** Largest start tag (element name and all its attributes), in bytes. Default 1 MiB. */
  readonly maxTagBytes?: number;
  /** Deepest element nesting. INDI needs 2 (vector, member); default 2. */
  readonly maxDepth?: number;
  /** Non-fatal problems (text between elements) are reported here. */
  readonly onProblem?: (problem: IndiProtocolError) => void;
  /**
   * Large elements go into reusable memory from this pool, lent to each
   * frame ({@link IndiFrame.lease}) instead of fresh memory. Only for
   * consumers that hold what they keep past the frame's hand-over, as
   * {@link serve} does; without it every frame owns its memory.
   */
  readonly linePool?: LinePool;
}

const LT = 0x3c;
const SLASH = 0x2f;
const QUESTION = 0x3f;
const NEWLINE = 0x0a;
const BANG = 0x21;

const isSpace = (byte: number | undefined): boolean =>
  byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/**
 * Splits a byte stream into top-level XML elements without decoding it: the
 * scanner jumps from `<` to `<` with `Buffer.indexOf`, so BLOB text costs one
 * memchr. Handles any chunking (a multi-byte character split across chunks is
 * never cut, since `<` and `>` never occur inside one), skips `<?xml …?>`
 * declarations and comments between elements (libindi drivers print a
 * declaration before some messages), and ends with an `IndiProtocolError` when
 * the framing itself breaks.
 *
 * @example
 * ```ts
 * streamBytes(socket).pipe(frameIndi()).subscribe((frame) => console.log(frame.bytes.length));
 * ```
 */
export function frameIndi(options: FrameIndiOptions = {}): OperatorFunction<Uint8Array | string, IndiFrame> {
  return (source) =>
    new Observable<IndiFrame>((subscriber) => {
      const framer = new Framer(options, (frame) => subscriber.next(frame));
      return source.subscribe({
        next: (chunk) => {
          const failure = framer.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
          if (failure) subscriber.error(failure);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          const failure = framer.end();
          if (failure) subscriber.error(failure);
          else subscriber.complete();
        },
      });
    });
}

class Framer {
  private data = Buffer.allocUnsafe(64 * 1024);
  private length = 0;
  /** `data` up to `length`, kept for `indexOf`: searching past `length` would scan stale bytes. */
  private view = this.data.subarray(0, 0);
  /** Stream offset of data[0]. */
  private base = 0;
  private pos = 0;
  private depth = 0;
  /** Start of the element being framed, or -1 between elements. */
  private start = -1;
  /** Inside a run of text between elements that was already reported. */
  private inTextRun = false;
  private readonly maxMessageBytes: number;
  private readonly maxTagBytes: number;
  private readonly maxDepth: number;

  constructor(
    private readonly options: FrameIndiOptions,
    private readonly emit: (frame: IndiFrame) => void,
  ) {
    this.maxMessageBytes = options.maxMessageBytes ?? 512 * 1024 * 1024;
    this.maxTagBytes = options.maxTagBytes ?? 1024 * 1024;
    this.maxDepth = options.maxDepth ?? 2;
  }

  push(chunk: Uint8Array): IndiProtocolError | undefined {
    this.append(chunk);
    const failure = this.scan();
    this.compact();
    return failure;
  }

  end(): IndiProtocolError | undefined {
    if (this.start >= 0)
      return this.failure('malformed-xml', 'the connection ended inside an element', this.start);
    if (this.pos < this.length)
      return this.failure('malformed-xml', 'the connection ended inside a tag', this.pos);
    return undefined;
  }

  private append(chunk: Uint8Array): void {
    const needed = this.length + chunk.length;
    if (needed > this.data.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.data.length * 2));
      this.data.copy(grown, 0, 0, this.length);
      this.data = grown;
    }
    this.data.set(chunk, this.length);
    this.length = needed;
    this.view = this.data.subarray(0, this.length);
  }

  private compact(): void {
    const keep = this.start >= 0 ? this.start : this.pos;
    if (keep === 0) return;
    this.data.copy(this.data, 0, keep, this.length);
    this.length -= keep;
    this.pos -= keep;
    this.base += keep;
    this.view = this.data.subarray(0, this.length);
    if (this.start >= 0) this.start = 0;
  }

  private indexOf(needle: number | string, from: number): number {
    return this.view.indexOf(needle, from);
  }

  private scan(): IndiProtocolError | undefined {
    for (;;) {
      const outside = this.depth === 0 && this.start < 0;
      if (outside || this.data[this.pos] !== LT) {
        const lt = this.indexOf(LT, this.pos);
        if (outside) this.checkOutsideText(lt < 0 ? this.length : lt, lt >= 0);
        if (lt < 0) {
          this.pos = this.length;
          return this.checkSize();
        }
        this.pos = lt;
      }
      if (this.pos + 1 >= this.length) return this.checkSize();
      const step = this.step();
      if (step === 'wait') return this.checkSize();
      if (step instanceof IndiProtocolError) return step;
    }
  }

  /** Consumes the markup at `pos` (a `<`); 'wait' when it is not all here yet. */
  private step(): 'wait' | 'done' | IndiProtocolError {
    const at = this.pos;
    const next = this.data[at + 1];
    if (next === QUESTION) return this.skipTo('?>', at);
    if (next === BANG) {
      if (this.length - at < 9) return 'wait';
      if (this.data.toString('latin1', at, at + 4) === '<!--') return this.skipTo('-->', at);
      if (this.depth > 0 && this.data.toString('latin1', at, at + 9) === '<![CDATA[')
        return this.skipTo(']]>', at);
      return this.failure('malformed-xml', 'INDI does not allow DOCTYPE or CDATA here', at);
    }
    if (next === SLASH) {
      const gt = endOfTag(this.data, at + 1, this.length);
      if (gt < 0) return this.tagNotYetEnded(at);
      this.depth -= 1;
      if (this.depth < 0) return this.failure('malformed-xml', 'a closing tag without an opening tag', at);
      this.pos = gt + 1;
      return this.depth === 0 ? this.finishElement() : 'done';
    }
    const gt = endOfTag(this.data, at + 1, this.length);
    if (gt < 0) return this.tagNotYetEnded(at);
    if (gt - at > this.maxTagBytes)
      return this.failure('too-large', `a tag longer than ${this.maxTagBytes} bytes`, at);
    if (this.start < 0) this.start = at;
    this.pos = gt + 1;
    if (this.data[gt - 1] === SLASH) {
      return this.depth === 0 ? this.finishElement() : 'done';
    }
    this.depth += 1;
    if (this.depth > this.maxDepth) {
      return this.failure('too-deep', `elements nested deeper than ${this.maxDepth} levels`, this.start);
    }
    return 'done';
  }

  private skipTo(terminator: string, at: number): 'wait' | 'done' {
    const end = this.indexOf(terminator, at + 2);
    if (end < 0) return 'wait';
    this.pos = end + terminator.length;
    return 'done';
  }

  private tagNotYetEnded(at: number): 'wait' | IndiProtocolError {
    const gt = endOfTag(this.data, at + 1, this.length);
    if (gt === -2) return this.failure('malformed-xml', "a '<' inside a tag", at);
    if (this.length - at > this.maxTagBytes) {
      return this.failure('too-large', `a tag longer than ${this.maxTagBytes} bytes`, at);
    }
    return 'wait';
  }

  private finishElement(): 'done' | IndiProtocolError {
    const tooLarge = this.checkSize(this.pos);
    if (tooLarge) return tooLarge;
    // One copy serves both parsing and forwarding: the element and a newline.
    const size = this.pos - this.start;
    const pool = this.options.linePool;
    const lease = pool && size >= pool.minBytes ? pool.take(size + 1) : undefined;
    const line = lease?.bytes ?? Buffer.allocUnsafe(size + 1);
    this.data.copy(line, 0, this.start, this.pos);
    line[size] = NEWLINE;
    const offset = this.base + this.start;
    this.start = -1;
    try {
      this.emit({ offset, bytes: line.subarray(0, size), line, lease });
    } finally {
      lease?.release();
    }
    return 'done';
  }

  private checkSize(end: number = this.length): IndiProtocolError | undefined {
    if (this.start >= 0 && end - this.start > this.maxMessageBytes) {
      return this.failure('too-large', `an element larger than ${this.maxMessageBytes} bytes`, this.start);
    }
    return undefined;
  }

  /** Reports a run of text between elements once, however it is chunked. */
  private checkOutsideText(end: number, runEnds: boolean): void {
    let text = this.pos;
    while (text < end && isSpace(this.data[text])) text++;
    const reported = this.inTextRun;
    this.inTextRun = !runEnds && (reported || text < end);
    if (reported || text === end) return;
    this.options.onProblem?.(
      new IndiProtocolError(
        'text-outside-element',
        'text outside any INDI element was skipped',
        this.base + text,
        excerptOf(this.data.toString('utf8', text, Math.min(end, text + 80))),
      ),
    );
  }

  private failure(
    reason: 'malformed-xml' | 'too-deep' | 'too-large',
    detail: string,
    at: number,
  ): IndiProtocolError {
    return new IndiProtocolError(
      reason,
      detail,
      this.base + at,
      excerptOf(this.data.toString('utf8', at, Math.min(this.length, at + 80))),
    );
  }
}
