/**
 * `backpressure()`: from a server's events, whether every connected client is
 * behind: the signal an in-process driver can slow down on.
 */
import type { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, it } from 'vitest';
import { backpressure, type ServerEvent } from '../src/index.js';
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
