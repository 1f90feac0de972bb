/**
 * Backpressure towards in-process drivers: `IndiServer.backpressure$` is true
 * while every connected client is behind. Real sockets: a client that
 * connects, asks for BLOBs and never reads, beside one that keeps up.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { IndiMessage, SetBlobVector } from '../../src/protocol/messages.js';
import { IndiServer } from '../../src/server/indi-server.js';
import { RawIndiClient } from '../helpers/indi-client.js';
import { memoryDriver } from '../helpers/memory-driver.js';
import { waitUntil } from '../helpers/wait-until.js';

const image = Buffer.alloc(1024 * 1024, 7).toString('base64');
const frame = (n: number): SetBlobVector => ({
  type: 'setBLOBVector',
  device: 'Camera',
  name: 'CCD1',
  state: 'Ok',
  members: [{ name: 'CCD1', size: 1024 * 1024, format: `.fits${String(n)}`, value: image }],
});
const defs = (): IndiMessage[] => [
  {
    type: 'defBLOBVector',
    device: 'Camera',
    name: 'CCD1',
    state: 'Idle',
    perm: 'ro',
    members: [{ name: 'CCD1' }],
  },
];

let server: IndiServer | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await RawIndiClient.closeAll();
  await server?.shutdown();
  server = undefined;
});

describe('IndiServer.backpressure$', () => {
  it('is true while every client is behind, false while one keeps up or none is connected', async () => {
    server = new IndiServer({ host: '127.0.0.1', port: 0, maxQueueBytes: 256 * 1024 * 1024 });
    const camera = memoryDriver('camera', defs);
    server.addDriver(camera.channel);
    const port = await server.listen();
    const seen: boolean[] = [];
    server.backpressure$.subscribe((behind) => seen.push(behind));

    // A client that asks for everything, BLOBs included, and then never reads.
    const stalled = connect(port, '127.0.0.1');
    sockets.push(stalled);
    stalled.pause();
    stalled.write('<getProperties version="1.7"/>\n<enableBLOB device="Camera">Also</enableBLOB>\n');
    await waitUntil('the driver to be asked', () => camera.received.some((m) => m.type === 'getProperties'));
    let n = 0;
    await waitUntil('the stalled client to be behind', () => {
      camera.emit(frame(n++));
      return seen.at(-1) === true ? true : undefined;
    });
    expect(seen).toEqual([false, true]);

    // A second client that reads: not every client is behind any more.
    const fast = await RawIndiClient.connect(port);
    await waitUntil('a client keeping up', () => (seen.at(-1) === false ? true : undefined));
    expect(seen).toEqual([false, true, false]);
    fast.send('<pingRequest uid="1"/>');
    await fast.waitFor('pingReply', (message) => message.type === 'pingReply');

    await fast.close();
    await waitUntil('only the stalled client left', () => (seen.at(-1) === true ? true : undefined));
    stalled.destroy();
    await waitUntil('no client left', () => (seen.at(-1) === false ? true : undefined));
    expect(seen).toEqual([false, true, false, true, false]);
  });
});
