/**
 * The read-only mirror's two operators (examples/read-only.ts), at serve()'s
 * insertion points: `incoming` on what each channel sends, `outgoing` on what
 * each channel is delivered. A client's new*Vector never gets past
 * `incoming`; in the same frame, that client (and no other) is sent a
 * refusal. Everything else passes untouched, in both directions.
 */
import type { TestScheduler } from 'rxjs/testing';
import type { IndiMessage } from '../src/index.js';
import { beforeEach, describe, it } from 'vitest';
import { readOnly, refusal } from '../examples/read-only.js';
import {
  client,
  enableBlob,
  getProperties,
  message,
  newNumber,
  newSwitch,
  ping,
  remote,
  setNumber,
  testScheduler,
} from './routing/helpers.js';

const SCOPE = 'Telescope Simulator';
const kstars = client('KStars');
const phd2 = client('PHD2');
const upstream = remote('observatory:7624');

describe('read-only mirror', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = testScheduler()));

  it("removes a client's new* from its incoming, and refuses it in that client's outgoing at the same frame", () => {
    scheduler.run(({ hot, expectObservable }) => {
      const { incoming, outgoing } = readOnly();
      const requests = {
        g: getProperties(),
        n: newSwitch(SCOPE, 'CONNECTION'),
        b: enableBlob(SCOPE, 'Also'),
        v: newNumber(SCOPE, 'EQUATORIAL_EOD_COORD', 10),
        p: ping('1'),
      };
      const deliveries = { s: setNumber(SCOPE, 'EQUATORIAL_EOD_COORD', 5), m: message(SCOPE, 'Slewing') };
      const refusals = { r: refusal(requests.n), q: refusal(requests.v) };
      // prettier-ignore
      const fromKStars   = '-g-n-b-v-p-',
            kstarsIn     = '-g---b---p-',
            toKStars     = '--s-------m',
            kstarsOut    = '--sr---q--m',
            toPhd2       = '--s-------m',
            phd2Out      = '--s-------m';

      expectObservable(hot(fromKStars, requests).pipe(incoming(kstars))).toBe(kstarsIn, requests);
      expectObservable(hot(toKStars, deliveries).pipe(outgoing(kstars))).toBe(kstarsOut, {
        ...deliveries,
        ...refusals,
      });
      expectObservable(hot(toPhd2, deliveries).pipe(outgoing(phd2))).toBe(phd2Out, deliveries);
    });
  });

  it('says which vector cannot be changed, as an INDI message from its device', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const { incoming, outgoing } = readOnly();
      // prettier-ignore
      const fromPhd2 = '-n-',
            phd2In   = '---',
            toPhd2   = '---',
            phd2Out  = '-r-';
      expectObservable(hot(fromPhd2, { n: newSwitch(SCOPE, 'CONNECTION') }).pipe(incoming(phd2))).toBe(
        phd2In,
      );
      expectObservable(hot<IndiMessage>(toPhd2).pipe(outgoing(phd2))).toBe(phd2Out, {
        r: {
          type: 'message',
          device: SCOPE,
          message: 'read-only mirror: Telescope Simulator.CONNECTION cannot be changed here',
        },
      });
    });
  });

  it('leaves the upstream link alone, both ways', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const { incoming, outgoing } = readOnly();
      const traffic = { s: setNumber(SCOPE, 'EQUATORIAL_EOD_COORD', 5), g: getProperties(SCOPE) };
      // prettier-ignore
      const fromUpstream = '-s-s-',
            toUpstream   = '--g--';
      expectObservable(hot(fromUpstream, traffic).pipe(incoming(upstream))).toBe(fromUpstream, traffic);
      expectObservable(hot(toUpstream, traffic).pipe(outgoing(upstream))).toBe(toUpstream, traffic);
    });
  });

  it("ends a client's outgoing when its deliveries end (it left): later refusals go nowhere", () => {
    scheduler.run(({ hot, expectObservable }) => {
      const { incoming, outgoing } = readOnly();
      const requests = { n: newSwitch(SCOPE, 'CONNECTION') };
      // prettier-ignore
      const fromKStars = '-n---n-',
            toKStars   = '---|   ',
            kstarsOut  = '-r-|   ';
      expectObservable(hot(fromKStars, requests).pipe(incoming(kstars))).toBe('-------');
      expectObservable(hot<IndiMessage>(toKStars).pipe(outgoing(kstars))).toBe(kstarsOut, {
        r: refusal(requests.n),
      });
    });
  });
});
