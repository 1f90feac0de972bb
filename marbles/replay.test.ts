/**
 * The replay (examples/session-replay.ts): `paced` plays a session log's
 * entries at the recorded pace divided by `--speed`, or at once with
 * `--speed 0`; `replayChannel` is a driver that plays the log's device
 * traffic from the first `getProperties` it is sent, and answers every
 * `getProperties` with the devices as played so far.
 */
import { from } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, it } from 'vitest';
import type { ChannelRef, IndiMessage } from '../src/index.js';
import { sessionEntry, type SessionEntry } from '../examples/session-log.js';
import { paced, replayChannel } from '../examples/session-replay.js';
import {
  client,
  defNumber,
  defSwitch,
  delProperty,
  getProperties,
  message,
  newNumber,
  remote,
  setNumber,
  testScheduler,
} from './routing/helpers.js';

const SCOPE = 'Telescope Simulator';
const upstream = remote('localhost:7624');
const kstars = client('127.0.0.1:50123');
/** 22:13:05 on the night of the recording. */
const NIGHT = Date.parse('2024-05-01T22:13:05.000Z');

/** A log entry recorded `ms` after the session started. */
const entry = (
  ms: number,
  channel: ChannelRef,
  message: IndiMessage,
  direction: 'in' | 'out' = 'in',
): SessionEntry => sessionEntry(NIGHT + ms, channel, direction, message);

describe('replay', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = testScheduler()));

  describe('paced', () => {
    // Recorded 0, 4, 10 and 10 ms into the session.
    const log = {
      a: entry(0, upstream, defSwitch(SCOPE, 'CONNECTION')),
      b: entry(4, upstream, setNumber(SCOPE, 'FOCUS', 1)),
      c: entry(10, upstream, setNumber(SCOPE, 'FOCUS', 2)),
      d: entry(10, upstream, message(SCOPE, 'Focused')),
    };
    const night$ = from([log.a, log.b, log.c, log.d]);

    it('plays at the recorded pace with --speed 1, counted from the first entry', () => {
      scheduler.run(({ expectObservable }) => {
        // prettier-ignore
        const played = 'a---b-----(cd|)';
        expectObservable(night$.pipe(paced(1))).toBe(played, log);
      });
    });

    it('plays twice as fast with --speed 2', () => {
      scheduler.run(({ expectObservable }) => {
        // prettier-ignore
        const played = 'a-b--(cd|)';
        expectObservable(night$.pipe(paced(2))).toBe(played, log);
      });
    });

    it('plays everything at once with --speed 0', () => {
      scheduler.run(({ expectObservable }) => {
        // prettier-ignore
        const played = '(abcd|)';
        expectObservable(night$.pipe(paced(0))).toBe(played, log);
      });
    });

    it('plays an entry that arrives late at once, and keeps the recorded schedule for the next ones', () => {
      scheduler.run(({ cold, expectObservable }) => {
        // prettier-ignore
        const arriving = '--a-----(bcd)',
              played   = '--a-----b---(cd)';
        expectObservable(cold(arriving, log).pipe(paced(1))).toBe(played, log);
      });
    });
  });

  describe('replayChannel', () => {
    const def = defNumber(SCOPE, 'FOCUS');
    const connection = defSwitch(SCOPE, 'CONNECTION');
    const night = [
      entry(0, upstream, connection),
      entry(0, upstream, def),
      // A client's request and the server forwarding it: not device traffic, not played.
      entry(2, kstars, newNumber(SCOPE, 'FOCUS', 7)),
      entry(2, upstream, newNumber(SCOPE, 'FOCUS', 7), 'out'),
      entry(4, upstream, setNumber(SCOPE, 'FOCUS', 7)),
      // The same update, forwarded to KStars: recorded, not played again.
      entry(4, kstars, setNumber(SCOPE, 'FOCUS', 7), 'out'),
      entry(8, upstream, message(SCOPE, 'Focused')),
      entry(12, upstream, delProperty(SCOPE, 'CONNECTION')),
    ];
    const played = {
      c: connection,
      d: def,
      s: setNumber(SCOPE, 'FOCUS', 7),
      m: message(SCOPE, 'Focused'),
      x: delProperty(SCOPE, 'CONNECTION'),
      // Answers: the definition with the values played so far.
      f: { ...def, state: 'Ok' as const, members: [{ ...def.members[0]!, value: 7 }] },
    };

    it('plays the device traffic at the recorded pace from the first getProperties, and answers the next ones with the devices as played so far (deleted vectors are gone)', () => {
      scheduler.run(({ hot, expectObservable }) => {
        const replay = replayChannel(from(night), { speed: 1 });
        // prettier-ignore
        const sent      = '--g-------------h---i',
              delivered = '--(cd)s---m---x-----f';
        hot(sent, {
          g: getProperties(),
          h: getProperties(SCOPE, 'CONNECTION'),
          i: getProperties(SCOPE),
        }).subscribe(replay.sink);
        expectObservable(replay.messages$).toBe(delivered, played);
      });
    });

    it('plays it all at once with --speed 0; a getProperties before playing is answered with nothing', () => {
      scheduler.run(({ hot, expectObservable }) => {
        const replay = replayChannel(from(night), { speed: 0 });
        // prettier-ignore
        const sent      = '-n-g------i-',
              delivered = '---(cdsmx)f-';
        hot(sent, { n: newNumber(SCOPE, 'FOCUS', 3), g: getProperties(), i: getProperties() }).subscribe(
          replay.sink,
        );
        expectObservable(replay.messages$).toBe(delivered, played);
      });
    });

    it('ends when the server closes it (completes its sink), mid-session', () => {
      scheduler.run(({ hot, expectObservable }) => {
        const replay = replayChannel(from(night), { speed: 1 });
        // prettier-ignore
        const sent      = '--g----|',
              delivered = '--(cd)s|';
        hot(sent, { g: getProperties() }).subscribe(replay.sink);
        expectObservable(replay.messages$).toBe(delivered, played);
      });
    });
  });
});
