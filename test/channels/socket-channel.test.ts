/**
 * `socketChannel` over real TCP sockets: how its messages end when the peer
 * closes.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { socketChannel } from '../../src/channels/socket-channel.js';
import type { IndiMessage } from '../../src/protocol/messages.js';
import { waitUntil } from '../helpers/wait-until.js';

const servers: Server[] = [];
const sockets: Socket[] = [];

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) server.close();
});

/** Both ends of a loopback TCP connection that allows half-open connections, as listenTcp's do. */
async function connection(): Promise<{ readonly ours: Socket; readonly peer: Socket }> {
  let peer: Socket | undefined;
  const ours = await new Promise<Socket>((resolve) => {
    const server = createServer({ allowHalfOpen: true }, resolve);
    servers.push(server);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      peer = connect(typeof address === 'object' && address !== null ? address.port : 0, '127.0.0.1');
      sockets.push(peer);
    });
  });
  sockets.push(ours);
  if (peer === undefined) throw new Error('no peer socket');
  return { ours, peer };
}

describe('socketChannel', () => {
  it("ends with the write's error when a peer that closed is written to during the half-close grace", async () => {
    const { ours, peer } = await connection();
    const channel = socketChannel(ours, { halfClosedGraceMs: 10_000 });
    const received: IndiMessage[] = [];
    let ending: string | undefined;
    channel.messages$.subscribe({
      next: (message) => received.push(message),
      error: (error: unknown) => (ending = error instanceof Error ? error.message : String(error)),
      complete: () => (ending = 'complete'),
    });
    peer.end("<getProperties version='1.7'/>\n");
    await waitUntil('the request', () => received.length === 1);
    // The peer is gone for good: it reads nothing more.
    peer.destroy();
    const update: IndiMessage = { type: 'message', device: 'CCD Simulator', message: 'exposure done' };
    const ended = await waitUntil('the channel to end', () => {
      channel.sink.next(update);
      return ending;
    });
    expect(ended).toMatch(/^(write|read) (EPIPE|ECONNRESET)$/);
  });

  it('completes at the end of the grace when the half-closed peer still reads', async () => {
    const { ours, peer } = await connection();
    const channel = socketChannel(ours, { halfClosedGraceMs: 200 });
    let ending: string | undefined;
    channel.messages$.subscribe({
      error: (error: unknown) => (ending = error instanceof Error ? error.message : String(error)),
      complete: () => (ending = 'complete'),
    });
    const read: Buffer[] = [];
    peer.on('data', (chunk: Buffer) => read.push(chunk));
    peer.end("<getProperties version='1.7'/>\n");
    await new Promise((resolve) => setTimeout(resolve, 50));
    channel.sink.next({ type: 'message', device: 'CCD Simulator', message: 'exposure done' });
    expect(await waitUntil('the channel to end', () => ending)).toBe('complete');
    expect(Buffer.concat(read).toString()).toContain('message="exposure done"');
  });
});
