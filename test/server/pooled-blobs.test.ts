/**
 * Images in pooled memory (`LinePool`) through a real `serve`, from the
 * flood driver (a real process) to real sockets: memory is reused only once
 * every client has written it, and never under code that keeps the message.
 * The suite sets RXINDI_POISON_LINES, so memory released too early reads as
 * '!'; memory reused too early holds another image, whose number differs.
 */
import { join } from 'node:path';
import { NEVER, concat, delay, from, of, tap } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Channel } from '../../src/channels/channel.js';
import { decodeBlob } from '../../src/protocol/blob-data.js';
import { LinePool } from '../../src/protocol/line-pool.js';
import type { IndiMessage, SetBlobVector } from '../../src/protocol/messages.js';
import type { ServeOptions } from '../../src/server/serve.js';
import { RawIndiClient } from '../helpers/indi-client.js';
import { repoRoot } from '../helpers/processes.js';
import { startServe, stopServes } from '../helpers/serve.js';
import { tickerDriver, uploadDigest } from '../helpers/ticker.js';
import { waitUntil } from '../helpers/wait-until.js';

const floodDriver = join(repoRoot, 'bench/flood-driver.mjs');
const count = 24;
const imageBytes = 256 * 1024;
const getProperties = "<getProperties version='1.7'/>\n";
const enable = `${getProperties}<enableBLOB device='Flood'>Also</enableBLOB>\n`;
const go =
  "<newSwitchVector device='Flood' name='GO'><oneSwitch name='GO'>On</oneSwitch></newSwitchVector>\n";

const isImage = (message: IndiMessage): message is SetBlobVector => message.type === 'setBLOBVector';
const isDone = (message: IndiMessage): boolean => message.type === 'message' && message.message === 'done';

/** Each image as [its number, its size, whether its random rest is the first image's]: what an intact flood gives. */
function imagesOf(messages: readonly SetBlobVector[]): [number, number, boolean][] {
  const images = messages.map((message) => Buffer.from(decodeBlob(message.members[0]?.value ?? '')));
  const rest = images[0]?.subarray(6);
  return images.map((image) => [
    image.readUIntBE(0, 6),
    image.length,
    rest?.equals(image.subarray(6)) ?? false,
  ]);
}

const intact = Array.from({ length: count }, (_, n): [number, number, boolean] => [n + 1, imageBytes, true]);

afterEach(async () => {
  await RawIndiClient.closeAll();
  stopServes();
});

const flood = {
  command: floodDriver,
  env: { FLOOD_MODE: 'blobs', FLOOD_COUNT: String(count), FLOOD_BLOB_BYTES: String(imageBytes) },
};

/** A client (with BLOBs enabled unless told otherwise) that has seen the flood's definitions. */
async function blobClient(port: number, blobs = true): Promise<RawIndiClient> {
  const client = await RawIndiClient.connect(port);
  client.send(blobs ? enable : getProperties);
  await client.waitFor(
    'GO defined',
    (message) => message.type === 'defSwitchVector' && message.name === 'GO',
  );
  return client;
}

/** An in-process client channel that asks for the flood's images and hands them to `record`, holding nothing. */
function recordingChannel(record: (message: IndiMessage) => void): Channel {
  const requests: IndiMessage[] = [
    { type: 'getProperties', version: '1.7' },
    { type: 'enableBLOB', device: 'Flood', mode: 'Also' },
  ];
  return {
    id: 'recorder',
    kind: 'client',
    messages$: concat(from(requests), NEVER),
    sink: { next: record, error: () => undefined, complete: () => undefined },
    events$: NEVER,
    closed: new Promise(() => undefined),
  };
}

describe('images in pooled memory', () => {
  it('a client that falls behind gets every image intact while a fast one lets the memory be reused', async () => {
    const pool = new LinePool();
    const { port } = await startServe({ drivers: [flood], linePool: pool });
    const fast = await blobClient(port);
    const slow = await blobClient(port);
    slow.socket.pause();
    fast.send(go);
    await waitUntil('half the images', () => fast.received(isImage).length >= count / 2);
    slow.socket.resume();
    await fast.waitFor('the end of the flood', isDone, { timeout: 20_000 });
    await slow.waitFor('the end of the flood', isDone, { timeout: 20_000 });

    expect(imagesOf(fast.received(isImage))).toEqual(intact);
    expect(imagesOf(slow.received(isImage))).toEqual(intact);
    expect(pool.stats.taken).toBe(count);
    expect(pool.stats.reused).toBeGreaterThan(0);
  });

  it('images an incoming operator delays reach the client intact after their hand-over', async () => {
    const { port } = await startServe({ drivers: [flood], incoming: () => delay(5) });
    const client = await blobClient(port);
    client.send(go);
    await client.waitFor('the end of the flood', isDone, { timeout: 20_000 });
    expect(imagesOf(client.received(isImage))).toEqual(intact);
  });

  /** What keeps every message at one point; traffic events are read from the server's events after the flood. */
  type Keeper = (record: (message: IndiMessage) => void) => {
    readonly options: Omit<ServeOptions, 'host' | 'port' | 'stop$' | 'drivers'>;
    /** Whether the client asks for images too; when not, they reach no socket at all. */
    readonly clientBlobs?: boolean;
  };
  const keepers: [string, Keeper][] = [
    ['traffic events', () => ({ options: { traffic: true } })],
    [
      'traffic events, with no client taking images',
      () => ({ options: { traffic: true }, clientBlobs: false }),
    ],
    ['an incoming operator', (record) => ({ options: { incoming: () => tap(record) } })],
    [
      'a routed operator',
      (record) => ({
        options: {
          routed: tap(({ event }) => (event.type === 'message' ? record(event.message) : undefined)),
        },
      }),
    ],
    ['an outgoing operator', (record) => ({ options: { outgoing: () => tap(record) } })],
    [
      'a channel whose sink does not hold',
      (record) => ({ options: { channels$: of(recordingChannel(record)) } }),
    ],
  ];

  it('uploads reach a driver intact while its pipe makes the writes wait', async () => {
    const { port, events } = await startServe({ drivers: [tickerDriver] });
    const client = await RawIndiClient.connect(port);
    client.send(getProperties);
    await client.waitFor('UPLOAD defined', (message) => message.type === 'defBLOBVector');
    // Three uploads of 2 MiB in one go: more than the driver's 1 MiB pipe holds.
    const uploads = [1, 2, 3].map((fill) => Buffer.alloc(2 * 1024 * 1024, fill).toString('base64'));
    client.send(
      uploads
        .map(
          (base64) =>
            `<newBLOBVector device='Ticker' name='UPLOAD'><oneBLOB name='DATA' size='${2 * 1024 * 1024}' format='.bin'>${base64}</oneBLOB></newBLOBVector>\n`,
        )
        .join(''),
    );
    const got = await waitUntil(
      'three uploads at the driver',
      () => {
        const lines = events.flatMap((event) => (event.type === 'stderr' ? [event.line] : []));
        return lines.length >= 3 ? lines : undefined;
      },
      { timeout: 20_000 },
    );
    expect(got).toEqual(
      uploads.map((base64) => `got newBLOBVector UPLOAD ${base64.length} ${uploadDigest(base64)}`),
    );
  });

  it.each(keepers)('images handed to %s stay intact after the flood', async (_, keeper) => {
    const seen = new Set<SetBlobVector>();
    const record = (message: IndiMessage): void => {
      if (isImage(message)) seen.add(message);
    };
    const { options, clientBlobs = true } = keeper(record);
    const { port, events } = await startServe({ ...options, drivers: [flood] });
    const client = await blobClient(port, clientBlobs);
    client.send(go);
    await client.waitFor('the end of the flood', isDone, { timeout: 20_000 });
    for (const event of events) if (event.type === 'traffic') record(event.message);

    expect(imagesOf(client.received(isImage))).toEqual(clientBlobs ? intact : []);
    // Read only now, after every image went through the pool.
    expect(imagesOf([...seen])).toEqual(intact);
  });
});
