/**
 * Fuzzing the way in through a link to another server: for each case a fake
 * upstream server answers the link's connection with mutated recordings of
 * real drivers and indiserver, then closes; links are made four at a time
 * (asking for BLOBs) while a healthy client watches a healthy driver count.
 *
 * README (Networks of servers): while a link is down its devices are
 * deleted for clients; link status is logged. DESIGN.md: bad input costs
 * only the connection it came from.
 */
import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { remoteChannel } from '../../src/channels/remote-channel.js';
import { waitUntil } from '../helpers/wait-until.js';
import { fuzzCases, loadRecordings, oversizedTag, type FuzzCase } from './byte-fuzzer.js';
import {
  heapBound,
  inBatches,
  messagesOf,
  parseAlone,
  useFuzzServer,
  withDevicesDeleted,
} from './fuzz-server.js';

const stage = useFuzzServer();

/** A fake upstream server on a free port: every connection gets `bytes`, then the end of the stream. */
async function upstreamAnswering(bytes: Buffer): Promise<{ readonly server: Server; readonly port: number }> {
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.resume();
    socket.end(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address !== null ? address.port : 0 };
}

async function linkCase({ seed, steps, bytes }: FuzzCase): Promise<void> {
  const why = `seed ${seed}: ${steps.join('; ')}`;
  const { server, port } = await upstreamAnswering(bytes);
  const id = `fuzz-link-${seed}`;
  try {
    stage().add(remoteChannel('127.0.0.1', port, { id, blobs: true, reconnectDelay: () => 3_600_000 }));
    const down = await waitUntil(
      `link ${id} to go down`,
      () => stage().events.find((event) => event.type === 'linkDown' && event.channel === id),
      { timeout: 15_000 },
    );
    stage().remove(id);
    const record = await stage().ended(id);
    const verdict = parseAlone(bytes);
    expect(record.received, why).toEqual(withDevicesDeleted(verdict.messages));
    expect(messagesOf(record.problems), why).toEqual(verdict.problems);
    expect(down.type === 'linkDown' && down.error.message, why).toBe(
      `link to 127.0.0.1:${port} is down: ${verdict.failure ?? 'closed by the other server'}`,
    );
    expect(record.disconnected?.error, why).toBeUndefined();
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('fuzzing remote links', () => {
  it('serves a healthy client exactly while fuzzed links come and go, each going down with the parser’s own verdict', async () => {
    await inBatches([oversizedTag, ...fuzzCases(loadRecordings('driver'), 3000, 400)], 4, linkCase);
    await stage().expectHealthy();
    expect(process.memoryUsage().heapUsed).toBeLessThan(heapBound);
  });
});
