/**
 * What one driver or link can make the server remember is bounded
 * (`--max-devices`, `--max-properties`): definitions past a limit are not
 * served, the first refusal of each kind is reported, everything that is not a
 * new definition passes, and a `delProperty` makes room again.
 */
import type { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { limitDefinitions, type RefusedDefinition } from '../../src/routing/limit-definitions.js';
import { defNumber, delProperty, message, setNumber, testScheduler } from './helpers.js';

describe('limitDefinitions', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = testScheduler()));

  it('drops a new device past maxDevices, and its properties, but not updates or redefinitions', () => {
    const refusals: RefusedDefinition[] = [];
    scheduler.run(({ hot, expectObservable }) => {
      const driver = {
        a: defNumber('Mount', 'RA'),
        b: defNumber('Focuser', 'POSITION'),
        c: defNumber('Camera', 'EXPOSURE'),
        d: defNumber('Camera', 'TEMPERATURE'),
        r: defNumber('Mount', 'RA', 5),
        s: setNumber('Camera', 'EXPOSURE', 1),
        m: message('Camera', 'hello'),
      };
      // prettier-ignore
      const sent   = '-a-b-c-d-r-s-m-',
            served = '-a-b-----r-s-m-';
      expectObservable(
        hot(sent, driver).pipe(
          limitDefinitions({ maxDevices: 2, maxProperties: 100 }, (r) => refusals.push(r)),
        ),
      ).toBe(served, driver);
    });
    expect(refusals).toEqual([{ limit: 'devices', max: 2, device: 'Camera', name: 'EXPOSURE' }]);
  });

  it('drops a new property past maxProperties; deleting a vector or a device makes room', () => {
    const refusals: RefusedDefinition[] = [];
    scheduler.run(({ hot, expectObservable }) => {
      const driver = {
        a: defNumber('Mount', 'RA'),
        b: defNumber('Mount', 'DEC'),
        c: defNumber('Mount', 'ALT'),
        x: delProperty('Mount', 'DEC'),
        y: delProperty('Mount'),
        d: defNumber('Focuser', 'POSITION'),
        e: defNumber('Focuser', 'TEMPERATURE'),
      };
      // prettier-ignore
      const sent   = '-a-b-c-x-c-e-y-d-e-',
            served = '-a-b---x-c---y-d-e-';
      expectObservable(
        hot(sent, driver).pipe(
          limitDefinitions({ maxDevices: 10, maxProperties: 2 }, (r) => refusals.push(r)),
        ),
      ).toBe(served, driver);
    });
    expect(refusals).toEqual([{ limit: 'properties', max: 2, device: 'Mount', name: 'ALT' }]);
  });
});
