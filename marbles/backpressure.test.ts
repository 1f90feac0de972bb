/**
 * `backpressure()`: from a server's events, whether every connected client is
 * behind: the signal an in-process driver can slow down on. `holdDrivers()`:
 * whether a client fell behind moments ago, so that external drivers' output
 * waits for it (never longer than the hold).
 */
import type { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, it } from 'vitest';
import { backpressure, holdDrivers, type ServerEvent } from '../src/index.js';
import { testScheduler } from './routing/helpers.js';

const connected = (channel: string): ServerEvent => ({ type: 'connected', channel, kind: 'client' });
const disconnected = (channel: string): ServerEvent => ({ type: 'disconnected', channel, kind: 'client' });
const backlog = (channel: string, behind: boolean): ServerEvent => ({ type: 'backlog', channel, behind });

describe('backpressure', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = testScheduler()));

  it('is true only while every connected client is behind', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        a: connected('wifi'),
        b: connected('lan'),
        w: backlog('wifi', true),
        l: backlog('lan', true),
        c: backlog('lan', false),
        x: disconnected('lan'),
        y: disconnected('wifi'),
        d: { type: 'driverStarted', channel: 'indi_simulator_ccd', pid: 42 } as const,
      };
      // prettier-ignore
      const server  = '-a-b-w-d-l-c-l-x-y-',
            behind  = '-f-------t-f-t---f-';
      expectObservable(hot(server, events).pipe(backpressure())).toBe(behind, { f: false, t: true });
    });
  });

  it('ignores a backlog of a channel that is not a connected client (a link to another server)', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const events = {
        a: connected('kstars'),
        r: backlog('observatory:7624', true),
        k: backlog('kstars', true),
      };
      expectObservable(hot('-a-r-k-', events).pipe(backpressure())).toBe('-f---t-', { f: false, t: true });
    });
  });
});

describe('holdDrivers', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = testScheduler()));
  const events = {
    a: backlog('kstars', true),
    b: backlog('kstars', false),
    s: backlog('stalled', true),
    x: disconnected('kstars'),
    d: { type: 'driverStarted', channel: 'indi_simulator_ccd', pid: 42 } as const,
  };
  /** Expects `holdDrivers(holdMs)` to turn the server events of `server` into `hold` (f: false, t: true). */
  const expectHold = (server: string, hold: string, holdMs = 10): void =>
    scheduler.run(({ hot, expectObservable }) => {
      expectObservable(hot(server, events).pipe(holdDrivers(holdMs))).toBe(hold, { f: false, t: true });
    });

  it('holds from the moment a client falls behind until it catches up', () => {
    // prettier-ignore
    expectHold('-d-a-d-b-',
               '-f-t---f-');
  });

  it('lets go after holdMs of a client that stays behind, and does not hold for it again until it has caught up', () => {
    // Behind at 1 (held until 11), still behind at 22, caught up at 26, behind again at 28.
    // prettier-ignore
    expectHold('-a 20ms a---b-a',
               '-t 9ms f 16ms t 9ms f');
  });

  it('holds until the last client to fall behind has caught up or used its hold', () => {
    // The stalled client's hold ends at 11; kstars, behind since 6, holds until 16.
    // prettier-ignore
    expectHold('-s----a-----',
               '-t 14ms f');
  });

  it('lets go at once when the client that is behind disconnects', () => {
    // prettier-ignore
    expectHold('-a--x-',
               '-t--f-');
  });

  it('never holds with a hold of 0 ms', () => {
    expectHold('-a-s-b-', '-f-----', 0);
  });
});
