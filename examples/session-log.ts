/**
 * The session log of examples/recorder.ts and examples/replay.ts: one JSON
 * line per message in or out of a server. Pure (no I/O), so that
 * marbles/recorder.test.ts can run the recorder's operators on a TestScheduler.
 *
 * ```json
 * {"t":"2024-05-01T22:13:05.120Z","channel":"localhost:7624","kind":"remote","direction":"in","type":"setNumberVector","xml":"<setNumberVector device=\"Telescope Simulator\" …>…</setNumberVector>"}
 * ```
 *
 * - `t`: when the server saw it (ISO 8601, UTC, milliseconds);
 * - `channel`, `kind`: the connection (`client`, `driver`, or `remote` for a link to another server);
 * - `direction`: `in` from that connection, `out` to it;
 * - `type`: the element name, for `grep` and `jq`; `xml`: the message, as the
 *   bytes it arrived as when it came from the wire ({@link originalText}), else
 *   as {@link serializeIndi} writes it. `parseIndi` reads it back.
 */
import {
  Subject,
  asyncScheduler,
  tap,
  type MonoTypeOperatorFunction,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import {
  originalText,
  serializeIndi,
  type ChannelKind,
  type ChannelRef,
  type IndiMessage,
  type IndiMessageType,
} from '../src/index.js';

/** One line of a session log. */
export interface SessionEntry {
  readonly t: string;
  readonly channel: string;
  readonly kind: ChannelKind;
  readonly direction: 'in' | 'out';
  readonly type: IndiMessageType;
  readonly xml: string;
}

const utf8 = new TextDecoder();

/**
 * The log entry of one message seen at `time` (milliseconds since the epoch).
 *
 * @example
 * ```ts
 * sessionEntry(Date.now(), { id: 'localhost:7624', kind: 'remote' }, 'in', message);
 * ```
 */
export function sessionEntry(
  time: number,
  channel: ChannelRef,
  direction: SessionEntry['direction'],
  message: IndiMessage,
): SessionEntry {
  const bytes = originalText(message);
  const xml = bytes === undefined ? serializeIndi(message).trimEnd() : utf8.decode(bytes);
  const t = new Date(time).toISOString();
  return { t, channel: channel.id, kind: channel.kind, direction, type: message.type, xml };
}

/** What `serve` is given, and what it sees. */
export interface SessionRecorder {
  readonly incoming: (channel: ChannelRef) => MonoTypeOperatorFunction<IndiMessage>;
  readonly outgoing: (channel: ChannelRef) => MonoTypeOperatorFunction<IndiMessage>;
  /** One entry per message in and out of every channel, in the order the server saw them. */
  readonly entries$: Observable<SessionEntry>;
}

/**
 * Records a server's traffic without changing it: `incoming` and `outgoing`
 * pass every message on untouched and emit its {@link sessionEntry} on
 * `entries$`, timed by `scheduler`.
 *
 * @example
 * ```ts
 * const { incoming, outgoing, entries$ } = recordSession();
 * entries$.subscribe((entry) => log.write(`${JSON.stringify(entry)}\n`));
 * serve({ port: 7625, channels$: of(remoteChannel('localhost', 7624)), incoming, outgoing }).subscribe();
 * ```
 */
export function recordSession(scheduler: SchedulerLike = asyncScheduler): SessionRecorder {
  // The bridge from serve()'s insertion points, one per channel, to one log.
  const entries$ = new Subject<SessionEntry>();
  const record =
    (direction: SessionEntry['direction']) =>
    (channel: ChannelRef): MonoTypeOperatorFunction<IndiMessage> =>
      tap((message) => entries$.next(sessionEntry(scheduler.now(), channel, direction, message)));
  return { incoming: record('in'), outgoing: record('out'), entries$: entries$.asObservable() };
}

/**
 * A line of a session log is not one: the line number and what is wrong.
 *
 * @example
 * ```ts
 * new SessionLogError(12, 'not JSON');
 * ```
 */
export class SessionLogError extends Error {
  override readonly name = 'SessionLogError';

  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line} of the session log: ${reason}`);
  }
}

type Fields = Partial<Record<keyof SessionEntry, unknown>>;
const isText = (value: unknown): boolean => typeof value === 'string';

/** What each field must be, and what to say when it is not. */
const checks: readonly (readonly [string, (entry: Fields) => boolean])[] = [
  ['"t" is not an ISO time', ({ t }) => typeof t === 'string' && !Number.isNaN(Date.parse(t))],
  ['"channel" is missing', ({ channel }) => isText(channel)],
  [
    '"kind" is not client, driver or remote',
    ({ kind }) => ['client', 'driver', 'remote'].includes(String(kind)),
  ],
  ['"direction" is not in or out', ({ direction }) => direction === 'in' || direction === 'out'],
  ['"type" or "xml" is missing', ({ type, xml }) => isText(type) && isText(xml)],
];

/**
 * Reads line `line` (1-based, for the error) of a session log.
 *
 * @throws {SessionLogError} when it is not a JSON object with every field of {@link SessionEntry}.
 * @example
 * ```ts
 * const entries = text.split('\n').filter(Boolean).map((line, index) => readSessionEntry(line, index + 1));
 * ```
 */
export function readSessionEntry(text: string, line: number): SessionEntry {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SessionLogError(line, `not JSON: ${text.slice(0, 80)}`);
  }
  if (typeof value !== 'object' || value === null) throw new SessionLogError(line, 'not a JSON object');
  const failed = checks.find(([, ok]) => !ok(value));
  if (failed) throw new SessionLogError(line, failed[0]);
  return value as SessionEntry;
}
