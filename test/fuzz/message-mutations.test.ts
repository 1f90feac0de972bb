/**
 * Message-level mutations through a real client socket (fast-check): a
 * client sends requests for the healthy device, some of them broken in a way
 * that still frames (an unknown element, a missing attribute, a member of the
 * wrong kind, stray text, an undefined entity, a bad switch value), chunked
 * anyhow. Each broken one is skipped with its own reason; every valid one
 * reaches the driver, in order; the connection stays open.
 *
 * DESIGN.md: a well-framed element that is not valid INDI is dropped at the
 * channel it came from with a clear reason, and the connection carries on.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IndiProtocolErrorReason } from '../../src/protocol/errors.js';
import type { IndiMessage, NewNumberVector } from '../../src/protocol/messages.js';
import { RawIndiClient } from '../helpers/indi-client.js';
import { useFuzzServer } from './fuzz-server.js';

const stage = useFuzzServer();

interface Sent {
  readonly xml: string;
  /** The value the driver must receive, or the reason the element is skipped. */
  readonly expect: { readonly value: number } | { readonly skipped: IndiProtocolErrorReason };
}

const request = (member: string): string =>
  `<newNumberVector device='Healthy' name='SEQ'>${member}</newNumberVector>\n`;

const valid: fc.Arbitrary<Sent> = fc.integer({ min: -1e6, max: 1e6 }).map((value) => ({
  xml: request(`<oneNumber name='VALUE'>${value}</oneNumber>`),
  expect: { value },
}));

const broken: fc.Arbitrary<Sent> = fc.constantFrom<Sent>(
  { xml: "<bogus device='Healthy'/>\n", expect: { skipped: 'unknown-element' } },
  {
    xml: "<newNumberVector name='SEQ'><oneNumber name='VALUE'>1</oneNumber></newNumberVector>\n",
    expect: { skipped: 'missing-attribute' },
  },
  { xml: request('<oneNumber>1</oneNumber>'), expect: { skipped: 'missing-attribute' } },
  { xml: request("<oneSwitch name='VALUE'>On</oneSwitch>"), expect: { skipped: 'wrong-member' } },
  { xml: request("<oneNumber name='VALUE'>&bogus;</oneNumber>"), expect: { skipped: 'malformed-xml' } },
  { xml: 'stray text\n', expect: { skipped: 'text-outside-element' } },
  {
    xml: "<newSwitchVector device='Healthy' name='SEQ'><oneSwitch name='VALUE'>Maybe</oneSwitch></newSwitchVector>\n",
    expect: { skipped: 'bad-value' },
  },
);

const isSeqRequest = (message: IndiMessage): message is NewNumberVector =>
  message.type === 'newNumberVector' && message.device === 'Healthy';

/** The reasons the server gives, in order: adjacent stray texts are one run of text, reported once. */
const skippedReasons = (sent: readonly Sent[]): IndiProtocolErrorReason[] =>
  sent.flatMap((item, i) => {
    if (!('skipped' in item.expect)) return [];
    const previous = sent[i - 1]?.expect;
    const sameRun =
      item.expect.skipped === 'text-outside-element' &&
      previous !== undefined &&
      'skipped' in previous &&
      previous.skipped === 'text-outside-element';
    return sameRun ? [] : [item.expect.skipped];
  });

/** `text` cut at the given points (fractions of its length), as separate writes. */
function chunked(text: string, cuts: readonly number[]): Buffer[] {
  const bytes = Buffer.from(text);
  const points = [...new Set(cuts.map((cut) => Math.floor(cut * bytes.length)))].sort((a, b) => a - b);
  return [0, ...points].map((start, i) => bytes.subarray(start, points[i] ?? bytes.length));
}

describe('message-level mutations through a client socket', () => {
  it('skips each broken request with its reason and passes every valid one on, in order, on a connection that stays open', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(valid, broken), { minLength: 1, maxLength: 12 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
        async (sent, cuts) => {
          run += 1;
          const from = stage().healthyDriverReceived.length;
          const since = stage().events.length;
          const client = await RawIndiClient.connect(stage().port);
          for (const chunk of chunked(sent.map((item) => item.xml).join(''), cuts))
            client.send(chunk.toString('latin1'));
          client.send(`<pingRequest uid='run-${run}'/>\n`);
          // The answer to the ping comes after everything before it was routed.
          await client.waitFor(`the pingReply of run ${run}`, (message) => message.type === 'pingReply');
          const values = stage()
            .healthyDriverReceived.slice(from)
            .filter(isSeqRequest)
            .map((message) => message.members[0]?.value);
          expect(values).toEqual(sent.flatMap((item) => ('value' in item.expect ? [item.expect.value] : [])));
          expect(
            stage()
              .record(client.id, since)
              .problems.map((problem) => problem.reason),
          ).toEqual(skippedReasons(sent));
          expect(client.isEnded).toBe(false);
          await client.close();
        },
      ),
      { numRuns: 100 },
    );
    await stage().expectHealthy();
  });
});
