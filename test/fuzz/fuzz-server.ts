/**
 * The stage for the end-to-end fuzz tests: an in-process server (`serve`, port
 * 0) with a healthy in-process driver ('Healthy', whose SEQ counts up every
 * 5 ms) and a healthy client watching it. Fuzzed connections come and go
 * beside them; at the end the healthy client must have received every SEQ
 * value, exactly and in order, and nothing from an impostor.
 *
 * The oracle for a fuzzed connection is the parser alone: the server must
 * take in exactly the messages `parseIndi` finds in the same bytes, report
 * exactly the problems it reports, and end the connection with exactly its
 * framing error (if any).
 */
import { Subject, merge, of, tap, type Subscription } from 'rxjs';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Channel } from '../../src/channels/channel.js';
import type { IndiProtocolError } from '../../src/protocol/errors.js';
import {
  deviceOf,
  isDefVector,
  type DelProperty,
  type IndiMessage,
  type SetNumberVector,
} from '../../src/protocol/messages.js';
import { parseIndi } from '../../src/protocol/parse-indi.js';
import { serve, type ServerEvent } from '../../src/server/serve.js';
import { RawIndiClient } from '../helpers/indi-client.js';
import { memoryDriver, numberDef, numberSet } from '../helpers/memory-driver.js';
import { waitUntil } from '../helpers/wait-until.js';

/** What the parser alone makes of some bytes. */
export interface Verdict {
  readonly messages: readonly IndiMessage[];
  /** Messages of the skipped elements' errors, in order. */
  readonly problems: readonly string[];
  /** The message of the framing error that ends the stream, if any. */
  readonly failure: string | undefined;
}

/** Parses `bytes` in one chunk, as the oracle for what the server must do with them. */
export function parseAlone(bytes: Buffer): Verdict {
  const messages: IndiMessage[] = [];
  const problems: string[] = [];
  let failure: string | undefined;
  of(bytes)
    .pipe(parseIndi({ onProblem: (problem) => problems.push(problem.message) }))
    .subscribe({
      next: (message) => messages.push(message),
      error: (error: unknown) => (failure = error instanceof Error ? error.message : String(error)),
    });
  return { messages, problems, failure };
}

/**
 * What a driver or link channel passes on when its connection fails: its
 * messages, then a `delProperty` for each device it left defined.
 */
export function withDevicesDeleted(messages: readonly IndiMessage[]): IndiMessage[] {
  const devices = new Set<string>();
  for (const message of messages) {
    if (isDefVector(message)) devices.add(message.device);
    else if (message.type === 'delProperty' && message.name === undefined) devices.delete(message.device);
  }
  return [...messages, ...[...devices].map((device): DelProperty => ({ type: 'delProperty', device }))];
}

/** What the server did with one channel. */
export interface ChannelRecord {
  /** Every message the server took in from it, before routing. */
  readonly received: readonly IndiMessage[];
  /** Its `protocolError` events' errors. */
  readonly problems: readonly IndiProtocolError[];
  /** Its `disconnected` event, once it came. */
  readonly disconnected: (ServerEvent & { readonly type: 'disconnected' }) | undefined;
}

/** A running fuzz stage. */
export interface FuzzServer {
  readonly port: number;
  readonly events: readonly ServerEvent[];
  /** Serves one more channel (a driver, a link). */
  add(channel: Channel): void;
  /** Closes a channel by id. */
  remove(id: string): void;
  /** Everything the server sent the healthy driver, in order. */
  readonly healthyDriverReceived: readonly IndiMessage[];
  /**
   * What the server did with a channel so far, from event number `since` on
   * (a client's id, its address and port, may come back with a later client).
   */
  record(id: string, since?: number): ChannelRecord;
  /** Waits for a channel's `disconnected` event (from event number `since` on) and returns its record. */
  ended(id: string, options?: { readonly since?: number; readonly timeout?: number }): Promise<ChannelRecord>;
  /**
   * Stops the healthy driver's count and checks that the healthy client got
   * every value, in order, nothing from an impostor, and is still connected.
   */
  expectHealthy(): Promise<void>;
  stop(): void;
}

const healthyDefs = (): IndiMessage[] => [numberDef('Healthy', 'SEQ')];
const isHealthySet = (message: IndiMessage): message is SetNumberVector =>
  message.type === 'setNumberVector' && message.device === 'Healthy' && message.name === 'SEQ';

/** Starts the stage: the server, the healthy driver counting, the healthy client watching. */
export async function startFuzzServer(): Promise<FuzzServer> {
  const events: ServerEvent[] = [];
  const received = new Map<string, IndiMessage[]>();
  const added$ = new Subject<Channel>();
  const remove$ = new Subject<string>();
  const stop$ = new Subject<void>();
  const healthy = memoryDriver('healthy', healthyDefs);
  const subscription: Subscription = serve({
    host: '127.0.0.1',
    port: 0,
    maxConnections: 64,
    channels$: merge(of(healthy.channel), added$),
    remove$,
    stop$,
    incoming: (channel) =>
      tap((message) => {
        if (channel.id === healthy.channel.id) return;
        const list = received.get(channel.id) ?? [];
        list.push(message);
        received.set(channel.id, list);
      }),
  }).subscribe((event) => {
    // A client's id is its address and port, which a later client may get again: start afresh.
    if (event.type === 'connected') received.delete(event.channel);
    events.push(event);
  });
  const port = await waitUntil('the fuzz server to listen', () => {
    const listening = events.find((event) => event.type === 'listening');
    return listening?.type === 'listening' ? listening.port : undefined;
  });

  const watcher = await RawIndiClient.connect(port);
  watcher.send("<getProperties version='1.7'/>\n");
  await watcher.waitFor('the Healthy definition', (message) => message.type === 'defNumberVector');
  let count = 0;
  const ticker = setInterval(() => healthy.emit(numberSet('Healthy', 'SEQ', ++count)), 5);

  const record = (id: string, since = 0): ChannelRecord => {
    let disconnected: ChannelRecord['disconnected'];
    const problems: IndiProtocolError[] = [];
    for (const event of events.slice(since)) {
      if (event.type === 'protocolError' && event.channel === id) problems.push(event.error);
      if (event.type === 'disconnected' && event.channel === id) disconnected = event;
    }
    return { received: received.get(id) ?? [], problems, disconnected };
  };

  return {
    port,
    events,
    healthyDriverReceived: healthy.received,
    add: (channel) => added$.next(channel),
    remove: (id) => remove$.next(id),
    record,
    ended: async (id, { since = 0, timeout = 10_000 } = {}) => {
      await waitUntil(`channel ${id} to be disconnected`, () => record(id, since).disconnected, { timeout });
      return record(id, since);
    },
    expectHealthy: async () => {
      clearInterval(ticker);
      const last = count;
      await watcher.waitFor(
        `Healthy.SEQ = ${last}`,
        (message) => isHealthySet(message) && message.members[0]?.value === last,
      );
      const values = watcher.received(isHealthySet).map((message) => message.members[0]?.value);
      expect(values).toEqual(Array.from({ length: last }, (_, i) => i + 1));
      // About Healthy, only its driver's definition (VALUE 0) and updates; a client's
      // newNumberVector is echoed to the others (indiserver does), anything else is an impostor's.
      const isOwn = (message: IndiMessage): boolean =>
        isHealthySet(message) ||
        message.type === 'newNumberVector' ||
        (message.type === 'defNumberVector' && message.members[0]?.value === 0);
      expect(watcher.received((message) => deviceOf(message) === 'Healthy' && !isOwn(message))).toEqual([]);
      // Forwarded elements keep their bytes (README), so an attribute INDI does not
      // know, which the parser ignores and lets pass, reaches clients too; nothing else may.
      expect(watcher.problems.filter((problem) => problem.reason !== 'unknown-attribute')).toEqual([]);
      expect(watcher.isEnded).toBe(false);
      expect(last).toBeGreaterThan(0);
    },
    stop: () => {
      clearInterval(ticker);
      stop$.next();
      subscription.unsubscribe();
    },
  };
}

/** Runs `work` over `items`, at most `concurrency` at a time, in order of start. */
export async function inBatches<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let nextIndex = 0;
  const worker = async (): Promise<void> => {
    while (nextIndex < items.length) await work(items[nextIndex++]!);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** The messages of some protocol errors, for comparing with a {@link Verdict}. */
export const messagesOf = (problems: readonly IndiProtocolError[]): string[] =>
  problems.map((problem) => problem.message);

/** The heap may not grow past this, whatever the fuzzer sent (inputs are at most a few MiB). */
export const heapBound = 384 * 2 ** 20;

/**
 * A fuzz server for one test file: started before its tests, stopped (with
 * every raw client) after them. Call the returned function for it.
 */
export function useFuzzServer(): () => FuzzServer {
  let stage: FuzzServer | undefined;
  beforeAll(async () => {
    stage = await startFuzzServer();
  });
  afterAll(async () => {
    await RawIndiClient.closeAll();
    stage?.stop();
  });
  return () => {
    if (stage === undefined) throw new Error('the fuzz server is not running: use it inside a test');
    return stage;
  };
}
