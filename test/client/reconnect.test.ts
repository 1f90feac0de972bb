/**
 * `connectIndi({ reconnect })` over real sockets: an rxindi server stopped
 * and started again on the same port, and a port where nobody listens yet.
 * The client forgets the dead connection's devices, reports link down / up,
 * asks again for definitions and BLOBs, and stops for good on close().
 */
import { filter, firstValueFrom, lastValueFrom, map, of, share, Subject } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelEvent } from '../../src/channels/channel.js';
import { connectIndi, type IndiClient } from '../../src/client/connect-indi.js';
import { indiDriver } from '../../src/driver/indi-driver.js';
import type { IndiMessage } from '../../src/protocol/messages.js';
import { serve, type ServerEvent } from '../../src/server/serve.js';
import { mount } from '../driver/fixtures/mount.js';
import { freePort } from '../helpers/free-port.js';
import { waitUntil } from '../helpers/wait-until.js';

interface RunningServer {
  readonly driver: ReturnType<typeof indiDriver<typeof mount>>;
  readonly stop: () => Promise<void>;
}

/** An rxindi server serving a fresh Mount driver on `port`, once it listens. */
async function startServer(port: number): Promise<RunningServer> {
  const driver = indiDriver([mount]);
  const stop$ = new Subject<void>();
  const events$ = serve({ port, host: '127.0.0.1', channels$: of(driver), stop$ }).pipe(share());
  const done = lastValueFrom(events$, { defaultValue: undefined });
  await firstValueFrom(
    events$.pipe(
      filter((event): event is Extract<ServerEvent, { type: 'listening' }> => event.type === 'listening'),
      map((event) => event.port),
    ),
  );
  return {
    driver,
    stop: async () => {
      stop$.next();
      await done;
    },
  };
}

const linkEvents = (events: readonly ChannelEvent[]) =>
  events.flatMap((event) =>
    event.type === 'linkUp' ? ['up'] : event.type === 'linkDown' ? [`down: ${event.error.message}`] : [],
  );

let client: IndiClient | undefined;
let server: RunningServer | undefined;
afterEach(async () => {
  await client?.close();
  await server?.stop();
  client = undefined;
  server = undefined;
});

describe('connectIndi with reconnect', () => {
  it('comes back when the server is restarted: devices forgotten, then defined again, BLOBs asked again', async () => {
    const port = await freePort();
    server = await startServer(port);
    const reconnecting = connectIndi({
      host: '127.0.0.1',
      port,
      reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
    });
    client = reconnecting;
    const events: ChannelEvent[] = [];
    reconnecting.events$.subscribe((event) => events.push(event));
    const devices = (): Promise<readonly string[]> =>
      firstValueFrom(reconnecting.devices$.pipe(map((known) => [...known.keys()])));
    const blobs: IndiMessage[] = [];
    reconnecting.messages$
      .pipe(filter((message) => message.type === 'setBLOBVector'))
      .subscribe((message) => blobs.push(message));

    reconnecting.getProperties();
    reconnecting.enableBLOB('Mount', 'Also', 'UPLOAD');
    await waitUntil('Mount to be defined', async () => (await devices()).includes('Mount'));

    await server.stop();
    server = undefined;
    await waitUntil('Mount to be forgotten', async () => (await devices()).length === 0);
    await waitUntil('a link down', () => linkEvents(events).length >= 2);
    expect(linkEvents(events).slice(0, 2)).toEqual([
      'up',
      `down: link to 127.0.0.1:${port} is down: closed by the other server`,
    ]);

    server = await startServer(port);
    const restarted = server;
    // Without a new getProperties from the script, the definitions come back.
    await waitUntil('Mount to be defined again', async () => (await devices()).includes('Mount'), {
      timeout: 10_000,
    });
    expect(linkEvents(events).at(-1)).toBe('up');
    // And so does the BLOB policy, without a new enableBLOB.
    await waitUntil('a BLOB from the restarted server', () => {
      restarted.driver.set('Mount', 'UPLOAD', { FILE: { bytes: new Uint8Array([7, 8, 9]) } });
      return blobs.length > 0;
    });
    expect(blobs[0]).toMatchObject({
      type: 'setBLOBVector',
      device: 'Mount',
      name: 'UPLOAD',
      members: [{ name: 'FILE', size: 3, format: '.bin', value: 'BwgJ' }],
    });
  });

  it('keeps trying with a growing delay while nobody listens, and close() ends it', async () => {
    const port = await freePort();
    const reconnecting = connectIndi({
      host: '127.0.0.1',
      port,
      reconnect: { initialDelayMs: 10, maxDelayMs: 40 },
    });
    const events: ChannelEvent[] = [];
    const eventsEnded = lastValueFrom(reconnecting.events$.pipe(map((event) => events.push(event))), {
      defaultValue: 0,
    });
    const messagesEnded = lastValueFrom(reconnecting.messages$, { defaultValue: undefined });
    await waitUntil('four failed attempts', () => events.length >= 4);
    expect(
      events
        .slice(0, 4)
        .map((event) => (event.type === 'linkDown' ? [event.retryIn, event.error.message] : event.type)),
    ).toEqual(
      [10, 20, 40, 40].map((retryIn) => [
        retryIn,
        `link to 127.0.0.1:${port} is down: connect ECONNREFUSED 127.0.0.1:${port}`,
      ]),
    );
    await reconnecting.close();
    // Both streams complete: no attempt is left pending.
    await messagesEnded;
    await eventsEnded;
  });

  it('without reconnect, messages$ completes when the server goes away', async () => {
    const port = await freePort();
    server = await startServer(port);
    const once = connectIndi({ host: '127.0.0.1', port });
    client = once;
    const received: string[] = [];
    const ended = lastValueFrom(once.messages$.pipe(map((message) => received.push(message.type))), {
      defaultValue: 0,
    });
    once.getProperties();
    await waitUntil('the definitions', () => received.includes('defBLOBVector'));
    await server.stop();
    server = undefined;
    await ended;
  });
});
