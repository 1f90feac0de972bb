/**
 * How a {@link LinePool} sizes itself.
 *
 * @example
 * ```ts
 * const options: LinePoolOptions = { minBytes: 64 * 1024, maxFreeBytes: 32 * 1024 * 1024 };
 * const pool = new LinePool(options);
 * ```
 */
export interface LinePoolOptions {
  /** Smaller lines are ordinary buffers: pooling pays off for BLOBs, not for numbers. Default 64 KiB. */
  readonly minBytes?: number;
  /** Free memory the pool keeps for reuse; past it, returned buffers are left to the garbage collector. Default 32 MiB. */
  readonly maxFreeBytes?: number;
  /** Milliseconds without a new line after which the free memory is given back. Default 10,000. */
  readonly idleMs?: number;
}

/** Byte written over a buffer returned to the pool when `RXINDI_POISON_LINES` is set: bytes read after their release show up as '!'. */
const POISON = 0x21;

/**
 * The memory of one large element, on loan from a {@link LinePool} while
 * the element is being routed and written. The framer holds it while it
 * hands the element on; a sink that writes it later holds it too
 * ({@link holdOriginal}) and releases it when the write is done. When the
 * last holder releases it, the memory returns to the pool for the next
 * element, unless somebody kept the message ({@link keepOriginal}): then
 * the memory is theirs, and the garbage collector's.
 *
 * @example
 * ```ts
 * const lease = new LinePool().take(1024 * 1024);
 * lease.hold(); // for the write
 * socket.write(lease.bytes, () => lease.release());
 * lease.release(); // the taker's own hold
 * ```
 */
export class LineLease {
  private holders = 1;
  private kept = false;

  constructor(
    /** The element's bytes: the start of the pooled memory. */
    readonly bytes: Buffer,
    /** Returns the memory to its pool. */
    private readonly giveBack: () => void,
  ) {}

  /** One more holder: the memory stays this element's until it releases. */
  hold(): void {
    // Kept memory never goes back to the pool: there is nothing to hold it against.
    if (this.kept) return;
    if (this.holders === 0) {
      throw new Error(
        'rxindi: a pooled line was held after its last holder released it; its memory may already hold another element (hold it while it is handed on)',
      );
    }
    this.holders += 1;
  }

  /** A holder is done with the bytes; the last one returns the memory to the pool. */
  release(): void {
    if (this.holders === 0) return;
    this.holders -= 1;
    if (this.holders === 0 && !this.kept) this.giveBack();
  }

  /** The bytes must stay as they are for good: the memory never returns to the pool. */
  keep(): void {
    this.kept = true;
  }
}

/**
 * Reusable memory for large elements (BLOBs): a server that frames each
 * image into fresh memory pays page faults and garbage collections for it,
 * where one that reuses the memory of the image before pays nothing. Lines
 * come in power-of-two sizes; the pool keeps at most `maxFreeBytes` free,
 * and gives it all back after `idleMs` without use.
 *
 * Set the environment variable `RXINDI_POISON_LINES` to overwrite memory as
 * it returns to the pool, so that a holder that forgot to hold shows up as
 * corrupt output instead of rare silent corruption (the test suite does).
 *
 * @example
 * ```ts
 * const pool = new LinePool();
 * socketChannel(socket, { parse: { linePool: pool } });
 * ```
 */
export class LinePool {
  /** Lines at least this long come from the pool. */
  readonly minBytes: number;
  private readonly maxFreeBytes: number;
  private readonly idleMs: number;
  private readonly poison = process.env.RXINDI_POISON_LINES !== undefined;
  private readonly free = new Map<number, Buffer[]>();
  private freeBytes = 0;
  private takenSinceTrim = false;
  private trimTimer: NodeJS.Timeout | undefined;
  private readonly counts = { taken: 0, reused: 0 };

  constructor(options: LinePoolOptions = {}) {
    this.minBytes = options.minBytes ?? 64 * 1024;
    this.maxFreeBytes = options.maxFreeBytes ?? 32 * 1024 * 1024;
    this.idleMs = options.idleMs ?? 10_000;
  }

  /** Lines handed out, and how many of them reused memory. */
  get stats(): { readonly taken: number; readonly reused: number } {
    return { ...this.counts };
  }

  /** A line of `size` bytes, held once (by the caller). */
  take(size: number): LineLease {
    const capacity = 2 ** Math.ceil(Math.log2(Math.max(size, this.minBytes)));
    this.counts.taken += 1;
    this.takenSinceTrim = true;
    // Memory the pool would not keep is not rounded up, and not given back.
    if (capacity > this.maxFreeBytes) return new LineLease(Buffer.allocUnsafeSlow(size), () => undefined);
    const memory = this.free.get(capacity)?.pop();
    if (memory === undefined) return this.lease(Buffer.allocUnsafeSlow(capacity), size);
    this.counts.reused += 1;
    this.freeBytes -= capacity;
    return this.lease(memory, size);
  }

  private lease(memory: Buffer, size: number): LineLease {
    return new LineLease(memory.subarray(0, size), () => this.give(memory));
  }

  /** Memory whose last holder released it. */
  private give(memory: Buffer): void {
    if (this.freeBytes + memory.length > this.maxFreeBytes) return;
    if (this.poison) memory.fill(POISON);
    const list = this.free.get(memory.length);
    if (list) list.push(memory);
    else this.free.set(memory.length, [memory]);
    this.freeBytes += memory.length;
    this.trimTimer ??= setTimeout(() => this.trim(), this.idleMs).unref();
  }

  /** Gives the free memory back once a whole `idleMs` went by without a line taken. */
  private trim(): void {
    this.trimTimer = undefined;
    if (this.takenSinceTrim) {
      this.takenSinceTrim = false;
      this.trimTimer = setTimeout(() => this.trim(), this.idleMs).unref();
      return;
    }
    this.free.clear();
    this.freeBytes = 0;
  }
}
