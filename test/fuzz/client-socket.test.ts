/**
 * Fuzzing the way in through a client's TCP socket: mutated recordings of
 * what real clients (and, spliced in, what drivers) send, written to a
 * running server by clients that then half-close, 16 at a time, while a
 * healthy client watches a healthy driver count.
 *
 * DESIGN.md: bad input ends or is dropped at the one channel it came from,
 * with a clear reason; the server and every other connection carry on and
 * nothing is lost for them.
 */
import { describe, expect, it } from 'vitest';
import { RawIndiClient } from '../helpers/indi-client.js';
import { fuzzCases, loadRecordings, oversizedTag, type FuzzCase } from './byte-fuzzer.js';
import { heapBound, inBatches, messagesOf, parseAlone, useFuzzServer } from './fuzz-server.js';

const stage = useFuzzServer();

const recordings = loadRecordings('all');
const cases = [oversizedTag, ...fuzzCases(recordings, 1000, 400)];

async function sendCase({ seed, steps, bytes }: FuzzCase): Promise<void> {
  const why = `seed ${seed}: ${steps.join('; ')}`;
  const since = stage().events.length;
  const client = await RawIndiClient.connect(stage().port);
  client.socket.on('error', () => undefined);
  client.socket.end(bytes);
  const record = await stage().ended(client.id, { since, timeout: 15_000 });
  const verdict = parseAlone(bytes);
  expect(record.received, why).toEqual(verdict.messages);
  expect(messagesOf(record.problems), why).toEqual(verdict.problems);
  expect(record.disconnected?.error?.message, why).toBe(verdict.failure);
  await client.waitForEnd({ timeout: 5000 });
  await client.close();
}

describe('fuzzing client sockets', () => {
  it(`serves a healthy client exactly while ${cases.length} fuzzed clients come and go, each ending with the parser's own verdict`, async () => {
    await inBatches(cases, 16, sendCase);
    await stage().expectHealthy();
    expect(process.memoryUsage().heapUsed).toBeLessThan(heapBound);
  });
});
