/**
 * `socketSink` over real TCP sockets: what it does with what the peer sent or
 * did before a write.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { socketSink } from '../../src/channels/socket-sink.js';
import { waitUntil } from '../helpers/wait-until.js';

const servers: Server[] = [];
const sockets: Socket[] = [];

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) server.close();
});

/** Both ends of a loopback TCP connection: ours (accepted, not reading) and the peer's. */
async function connection(): Promise<{ readonly ours: Socket; readonly peer: Socket }> {
  const accepted = new Promise<Socket>((resolve) => {
    const server = createServer({ pauseOnConnect: true }, resolve);
    servers.push(server);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      sockets.push(connect(port, '127.0.0.1'));
    });
  });
  const ours = await accepted;
  sockets.push(ours);
  const peer = sockets[0];
  if (peer === undefined) throw new Error('no peer socket');
  return { ours, peer };
}

describe('socketSink', () => {
  it('ends the socket with "read ECONNRESET" when the peer reset the connection before a write, not as a clean close', async () => {
    const { ours, peer } = await connection();
    const errors: string[] = [];
    let ended = false;
    ours.on('error', (error) => errors.push(error.message));
    ours.on('end', () => (ended = true));
    const sink = socketSink(ours);
    await new Promise<void>((resolve) => peer.once('connect', resolve));
    peer.resetAndDestroy();
    // Let the reset reach our end, which is not reading: the sink's read before writing meets it first.
    await new Promise((resolve) => setTimeout(resolve, 100));
    sink.next({ type: 'message', message: 'hello' });
    await waitUntil('our socket to be destroyed', () => ours.destroyed);
    expect({ errors, ended }).toEqual({ errors: ['read ECONNRESET'], ended: false });
  });
});
