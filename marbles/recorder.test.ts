/**
 * The recorder's operators (examples/session-log.ts), at serve()'s insertion
 * points: `incoming` on what each channel sends, `outgoing` on what each
 * channel is delivered. Nothing is changed on the way; every message, in
 * either direction, becomes one entry of the log in the frame it passes, with
 * the time, the connection, and its XML.
 */
import { lastValueFrom, of } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseIndi, type IndiMessage } from '../src/index.js';
import { SessionLogError, readSessionEntry, recordSession, sessionEntry } from '../examples/session-log.js';
import {
  client,
  defSwitch,
  getProperties,
  newSwitch,
  remote,
  setNumber,
  testScheduler,
} from './routing/helpers.js';

const SCOPE = 'Telescope Simulator';
const kstars = client('127.0.0.1:50123');
const upstream = remote('localhost:7624');

describe('recorder', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = testScheduler()));

  it('passes every message on untouched, and writes one entry per message, in and out, in the frame it passes', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const { incoming, outgoing, entries$ } = recordSession();
      const traffic = {
        g: getProperties(),
        d: defSwitch(SCOPE, 'CONNECTION'),
        n: newSwitch(SCOPE, 'CONNECTION'),
        s: setNumber(SCOPE, 'EQUATORIAL_EOD_COORD', 5),
      };
      // The upstream's update reaches KStars in the same frame: two entries, 'in' first.
      // prettier-ignore
      const fromKStars   = '-g------n------',
            toKStars     = '----d------s---',
            fromUpstream = '---d-------s---',
            toUpstream   = '---------n-----',
            written      = '-G-ID---NO-(UV)';
      // Each entry's time is its frame: the TestScheduler's clock starts at 0, the epoch.
      const entries = {
        G: sessionEntry(1, kstars, 'in', traffic.g),
        I: sessionEntry(3, upstream, 'in', traffic.d),
        D: sessionEntry(4, kstars, 'out', traffic.d),
        N: sessionEntry(8, kstars, 'in', traffic.n),
        O: sessionEntry(9, upstream, 'out', traffic.n),
        U: sessionEntry(11, upstream, 'in', traffic.s),
        V: sessionEntry(11, kstars, 'out', traffic.s),
      };

      expectObservable(entries$).toBe(written, entries);
      expectObservable(hot(fromKStars, traffic).pipe(incoming(kstars))).toBe(fromKStars, traffic);
      expectObservable(hot(fromUpstream, traffic).pipe(incoming(upstream))).toBe(fromUpstream, traffic);
      expectObservable(hot(toKStars, traffic).pipe(outgoing(kstars))).toBe(toKStars, traffic);
      expectObservable(hot(toUpstream, traffic).pipe(outgoing(upstream))).toBe(toUpstream, traffic);
    });
  });

  it('writes the time, the connection, the direction, the element and its XML', () => {
    expect(sessionEntry(Date.parse('2024-05-01T22:13:05.120Z'), kstars, 'in', getProperties(SCOPE))).toEqual({
      t: '2024-05-01T22:13:05.120Z',
      channel: '127.0.0.1:50123',
      kind: 'client',
      direction: 'in',
      type: 'getProperties',
      xml: '<getProperties version="1.7" device="Telescope Simulator"/>',
    });
  });

  it('writes a message that came from the wire as the bytes it came as', async () => {
    const wire = `<setNumberVector device='${SCOPE}' name='EQUATORIAL_EOD_COORD' state='Ok'>\n  <oneNumber name='RA'>18.16470723266772324</oneNumber>\n</setNumberVector>`;
    const message: IndiMessage = await lastValueFrom(of(wire).pipe(parseIndi()));
    expect(sessionEntry(0, upstream, 'in', message)).toMatchObject({ type: 'setNumberVector', xml: wire });
  });

  it('reads back what it writes, and names the line that is not an entry', () => {
    const written = sessionEntry(0, upstream, 'in', defSwitch(SCOPE, 'CONNECTION'));
    expect(readSessionEntry(JSON.stringify(written), 1)).toEqual(written);
    const sideways = JSON.stringify({ ...written, direction: 'sideways' });
    expect(() => readSessionEntry(sideways, 7)).toThrow(
      new SessionLogError(7, '"direction" is not in or out'),
    );
    expect(() => readSessionEntry('{"t":', 8)).toThrow('line 8 of the session log: not JSON: {"t":');
  });
});
