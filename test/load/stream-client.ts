/**
 * A lean INDI client for load tests. RawIndiClient parses every message with
 * the project's parser in the test process; under a flood that costs about
 * as much CPU as the server's own work, so the "fast" client could fall
 * behind and get conflated or lose BLOBs for reasons of the test, not the
 * server. This one only splits the stream into top-level elements (the
 * server forwards driver bytes unchanged) and hands each one, as latin1
 * text, to a callback that keeps what the test needs.
 */
import { connect, type Socket } from 'node:net';
import { waitUntil, type WaitOptions } from '../helpers/wait-until.js';

/** One complete top-level element: its name and its whole text. */
export type ElementHandler = (name: string, text: string) => void;

const open = new Set<StreamClient>();

/** Splits INDI text into top-level elements, however it is chunked. */
export function elementScanner(onElement: ElementHandler): (chunk: Buffer) => void {
  let text = '';
  /** Where to resume looking for the closing tag of the element at the start of `text`. */
  let resumeAt = 0;
  return (chunk) => {
    text += chunk.toString('latin1');
    let at = 0;
    for (;;) {
      const lt = text.indexOf('<', at);
      if (lt < 0) {
        at = text.length;
        break;
      }
      at = lt;
      const gt = text.indexOf('>', lt);
      if (gt < 0) break;
      if (text[lt + 1] === '?' || text[lt + 1] === '!') {
        at = gt + 1;
        continue;
      }
      const name = /^<([A-Za-z]+)/.exec(text.slice(lt, lt + 40))?.[1] ?? '';
      if (text[gt - 1] === '/') {
        onElement(name, text.slice(lt, gt + 1));
        at = gt + 1;
        continue;
      }
      const close = text.indexOf(`</${name}`, Math.max(gt, resumeAt));
      const end = close < 0 ? -1 : text.indexOf('>', close);
      if (end < 0) {
        resumeAt = Math.max(gt, text.length - name.length - 3);
        break;
      }
      onElement(name, text.slice(lt, end + 1));
      resumeAt = 0;
      at = end + 1;
    }
    text = text.slice(at);
    resumeAt = Math.max(0, resumeAt - at);
  };
}

const entities: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The value of an attribute in an element's text, with XML entities decoded. */
export function attribute(text: string, name: string): string | undefined {
  return new RegExp(`\\s${name}\\s*=\\s*(['"])(.*?)\\1`, 's')
    .exec(text)?.[2]
    ?.replace(/&(amp|lt|gt|quot|apos);/g, (_, entity: string) => entities[entity] ?? '');
}

/**
 * A TCP client that keeps the bytes it receives and splits them into
 * elements only when asked ({@link StreamClient.parse}), so that during a
 * flood it does almost nothing but read: only `watch`ed markers are looked
 * for in the raw bytes as they arrive. It can stall (stop reading).
 */
export class StreamClient {
  /** Bytes received so far. */
  bytes = 0;
  /** Elements parsed so far, by name. */
  readonly counts = new Map<string, number>();
  /** The name and text of the last element parsed. */
  last: { readonly name: string; readonly text: string } | undefined;
  /** How the server ended the connection, once it did. */
  ended: 'end' | Error | undefined;
  /** `127.0.0.1:<local port>`: how the server names this connection. */
  readonly id: string;
  private pending: Buffer[] = [];
  private readonly scan: (chunk: Buffer) => void;
  private readonly markers = new Map<string, boolean>();
  private tail = '';

  private constructor(
    readonly socket: Socket,
    onElement: ElementHandler,
  ) {
    open.add(this);
    this.id = `${socket.localAddress ?? '?'}:${socket.localPort ?? '?'}`;
    this.scan = elementScanner((name, text) => {
      this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
      this.last = { name, text };
      onElement(name, text);
    });
    socket.on('data', (chunk: Buffer) => {
      this.bytes += chunk.length;
      this.pending.push(chunk);
      if (this.markers.size > 0) this.look(chunk);
    });
    socket.once('end', () => (this.ended ??= 'end'));
    socket.once('error', (error) => (this.ended ??= error));
    socket.once('close', () => (this.ended ??= 'end'));
  }

  static connect(port: number, onElement: ElementHandler = () => undefined): Promise<StreamClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new StreamClient(socket, onElement));
      });
      socket.once('error', reject);
    });
  }

  /** Destroys every client still open (for afterEach). */
  static closeAll(): void {
    for (const client of open) client.socket.destroy();
    open.clear();
  }

  send(xml: string): void {
    this.socket.write(xml);
  }

  /** Splits what has arrived since the last call into elements, for the handler. */
  parse(): void {
    if (this.pending.length === 0) return;
    const chunk = Buffer.concat(this.pending);
    this.pending = [];
    this.scan(chunk);
  }

  /** How many elements of this name have been parsed. */
  count(name: string): number {
    return this.counts.get(name) ?? 0;
  }

  /** Looks for `marker` in the bytes from now on (see {@link saw}). */
  watch(marker: string): void {
    this.markers.set(marker, false);
  }

  /** True once a watched marker has arrived. */
  saw(marker: string): boolean {
    return this.markers.get(marker) === true;
  }

  /** Stops reading: the server's writes pile up in the kernel, then in the server. */
  stall(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  /** Parses what has arrived and waits until `probe` holds. */
  waitFor(what: string, probe: () => boolean, options: WaitOptions = {}): Promise<true> {
    return waitUntil(
      what,
      () => {
        this.parse();
        return probe();
      },
      options,
    );
  }

  /** Waits, without parsing, until a watched marker has arrived. */
  waitForMarker(marker: string, options: WaitOptions = {}): Promise<true> {
    return waitUntil(`${this.id} to receive ${marker}`, () => this.saw(marker), options);
  }

  private look(chunk: Buffer): void {
    const head = chunk.toString('latin1', 0, Math.min(chunk.length, 128));
    for (const [marker, seen] of this.markers) {
      if (!seen && ((this.tail + head).includes(marker) || chunk.includes(marker, 0, 'latin1'))) {
        this.markers.set(marker, true);
      }
    }
    this.tail = chunk.toString('latin1', Math.max(0, chunk.length - 128));
  }
}
