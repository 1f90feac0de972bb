/**
 * parseIndi in time: chunks of bytes in, one message out in the frame where
 * its element's last byte arrives. Framing that breaks ends the stream then
 * and there; an element that is well framed but not INDI is skipped (and
 * reported) without ending anything.
 *
 * Each frame below is one chunk as a socket might deliver it.
 */
import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { IndiProtocolError } from '../src/protocol/errors.js';
import type { IndiMessage } from '../src/protocol/messages.js';
import { parseIndi } from '../src/protocol/parse-indi.js';

let testScheduler: TestScheduler;

beforeEach(() => {
  testScheduler = new TestScheduler((actual, expected) => {
    expect(actual).toEqual(expected);
  });
});

const getProperties: IndiMessage = { type: 'getProperties', version: '1.7' };
const pingRequest: IndiMessage = { type: 'pingRequest', uid: '1' };
const pingReply: IndiMessage = { type: 'pingReply', uid: '1' };

describe('parseIndi', () => {
  it('emits each message in the frame where its element completes', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const chunks = {
        a: '<getProperties version="1.7"/>\n',
        b: '<pingRequest uid="1"/><pingReply ',
        c: 'uid="1"/>\n',
      };
      const bytes$ = cold(' -a--b---c--|', chunks);
      const expected = '    -g--p---r--|';
      const subscription = '^----------!';

      expectObservable(bytes$.pipe(parseIndi())).toBe(expected, {
        g: getProperties,
        p: pingRequest,
        r: pingReply,
      });
      expectSubscriptions(bytes$.subscriptions).toBe(subscription);
    });
  });

  it('emits every element a chunk completes in that chunk’s frame', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const chunks = { a: '<getProperties version="1.7"/><pingRequest uid="1"/>\n<pingReply uid="1"/>' };
      const bytes$ = cold('-a-------|', chunks);
      const expected = '   -(gpr)---|';

      expectObservable(bytes$.pipe(parseIndi())).toBe(expected, {
        g: getProperties,
        p: pingRequest,
        r: pingReply,
      });
    });
  });

  it('emits a message split over three frames on the third', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const chunks = {
        a: '<setNumberVector device="Telescope Simulator" name="EQUATORIAL_EOD_COORD" state="Ok">\n',
        b: '    <oneNumber name="RA">\n6.5\n    </oneNumber>\n    <oneNumber name="DEC">\n-12:3',
        c: '0\n    </oneNumber>\n</setNumberVector>\n',
      };
      const bytes$ = cold('-a-b-c-|', chunks);
      const expected = '   -----m-|';

      expectObservable(bytes$.pipe(parseIndi())).toBe(expected, {
        m: {
          type: 'setNumberVector',
          device: 'Telescope Simulator',
          name: 'EQUATORIAL_EOD_COORD',
          state: 'Ok',
          members: [
            { name: 'RA', value: 6.5 },
            { name: 'DEC', value: -12.5 },
          ],
        },
      });
    });
  });

  it('emits nothing for declarations and comments, and completes when the bytes do', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const chunks = { x: "<?xml version='1.0'?>\n", c: '<!-- idle -->\n', a: '<pingReply uid="1"/>' };
      const bytes$ = cold('-x-c-a-x---|', chunks);
      const expected = '   -----r-----|';

      expectObservable(bytes$.pipe(parseIndi())).toBe(expected, { r: pingReply });
    });
  });

  it('errors, when the bytes end, if they end inside an element', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const chunks = { a: '<pingReply uid="1"/>', b: '<getProperties version="1.7">' };
      const bytes$ = cold('-a-b--|', chunks);
      const expected = '   -r----#';

      expectObservable(bytes$.pipe(parseIndi())).toBe(
        expected,
        { r: pingReply },
        new IndiProtocolError(
          'malformed-xml',
          'the connection ended inside an element',
          20,
          '<getProperties version="1.7">',
        ),
      );
    });
  });

  it('errors in the frame where the framing breaks, and stops reading', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const chunks = { a: '<pingRequest uid="1"/>\n', b: '</x>', c: '<pingReply uid="1"/>' };
      const bytes$ = cold(' -a-b-c-|', chunks);
      const expected = '    -p-#';
      const subscription = '^--!';

      expectObservable(bytes$.pipe(parseIndi())).toBe(
        expected,
        { p: pingRequest },
        new IndiProtocolError('malformed-xml', 'a closing tag without an opening tag', 23, '</x>'),
      );
      expectSubscriptions(bytes$.subscriptions).toBe(subscription);
    });
  });

  it('errors in the frame where an element outgrows maxMessageBytes', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const chunks = { a: '<setTextVector device="D" name="T">', b: '<oneText name="a">', c: 'x'.repeat(40) };
      const bytes$ = cold('-a-b-c-|', chunks);
      const expected = '   -----#';

      expectObservable(bytes$.pipe(parseIndi({ maxMessageBytes: 64 }))).toBe(
        expected,
        undefined,
        new IndiProtocolError(
          'too-large',
          'an element larger than 64 bytes',
          0,
          `<setTextVector device="D" name="T"><oneText name="a">${'x'.repeat(27)}`,
        ),
      );
    });
  });

  it('skips an unknown element without an emission, reports it, and goes on', () => {
    const problems: IndiProtocolError[] = [];
    testScheduler.run(({ cold, expectObservable }) => {
      const chunks = { a: '<fooVector device="D"/>', b: '<pingReply uid="1"/>' };
      const bytes$ = cold('-a-b-|', chunks);
      const expected = '   ---r-|';

      expectObservable(bytes$.pipe(parseIndi({ onProblem: (problem) => problems.push(problem) }))).toBe(
        expected,
        {
          r: pingReply,
        },
      );
    });
    expect(problems).toEqual([
      new IndiProtocolError(
        'unknown-element',
        '<fooVector> is not an INDI element; skipped',
        0,
        '<fooVector device="D"/>',
      ),
    ]);
  });

  it('passes an error of the bytes through unchanged', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const reset = new Error('ECONNRESET');
      const bytes$ = cold('-a-#', { a: '<pingReply uid="1"/><pingRe' }, reset);
      const expected = '   -r-#';

      expectObservable(bytes$.pipe(parseIndi())).toBe(expected, { r: pingReply }, reset);
    });
  });

  it('reads a hot stream from where it is subscribed', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const chunks = { a: '<pingRequest uid="1"/>', b: '<pingReply uid="1"/>' };
      const bytes$ = hot('  -a-^-b-a-|', chunks);
      const expected = '       --r-p-|';
      const subscription = '   ^-----!';

      expectObservable(bytes$.pipe(parseIndi())).toBe(expected, { r: pingReply, p: pingRequest });
      expectSubscriptions(bytes$.subscriptions).toBe(subscription);
    });
  });

  it('stops reading the bytes when unsubscribed', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const chunks = { a: '<pingRequest uid="1"/>', b: '<pingReply uid="1"/>' };
      const bytes$ = cold(' -a---b-|', chunks);
      const unsubscribe = ' ^--!';
      const expected = '    -p--';
      const subscription = '^--!';

      expectObservable(bytes$.pipe(parseIndi()), unsubscribe).toBe(expected, { p: pingRequest });
      expectSubscriptions(bytes$.subscriptions).toBe(subscription);
    });
  });
});
