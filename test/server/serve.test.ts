/**
 * `serve` and `IndiServer` over real TCP sockets (port 0), with in-process
 * drivers (and one real driver program for shutdown): the connection limit,
 * ping, bad input from one client, `sendMessage`, `shutdown()`.
 */
import { of } from 'rxjs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { IndiProtocolError } from '../../src/protocol/errors.js';
import type { IndiMessage } from '../../src/protocol/messages.js';
import { IndiServer } from '../../src/server/indi-server.js';
import type { ServerEvent } from '../../src/server/serve.js';
import { tryConnect } from '../helpers/free-port.js';
import { RawIndiClient } from '../helpers/indi-client.js';
import { memoryDriver, numberDef, numberSet } from '../helpers/memory-driver.js';
import { childPids, removeTempDirs, tempDir } from '../helpers/processes.js';
import { startServe, stopServes, type Served } from '../helpers/serve.js';
import { pidRunning, waitUntil } from '../helpers/wait-until.js';

const servers: IndiServer[] = [];

const clientIds = (events: readonly ServerEvent[], type: 'connected' | 'disconnected'): string[] =>
  events.flatMap((event) => (event.type === type && event.kind === 'client' ? [event.channel] : []));

/** The server-side id of a raw client: the address and port it connects from. */
const idOf = (client: RawIndiClient): string => client.id;

/** Connects a client and waits until the server admitted it (its `connected` event). */
async function admitted(served: Served): Promise<RawIndiClient> {
  const client = await RawIndiClient.connect(served.port);
  await waitUntil(`client ${idOf(client)} to be admitted`, () =>
    clientIds(served.events, 'connected').includes(idOf(client)),
  );
  return client;
}

const scopeDefs = (): IndiMessage[] => [numberDef('Scope', 'FOCUS'), numberDef('Scope', 'TEMPERATURE', 20)];
const isFocusSet = (value: number) => (message: IndiMessage) =>
  message.type === 'setNumberVector' && message.name === 'FOCUS' && message.members[0]?.value === value;

afterEach(async () => {
  await RawIndiClient.closeAll();
  stopServes();
  await Promise.all(servers.splice(0).map((server) => server.shutdown()));
});

afterAll(() => removeTempDirs());

describe('serve: connection limit', () => {
  it('refuses the client past maxConnections with an INDI message, keeps the others, admits again once one leaves', async () => {
    const scope = memoryDriver('scope', scopeDefs);
    const served = await startServe({ maxConnections: 2, channels$: of(scope.channel) });
    const first = await admitted(served);
    const second = await admitted(served);

    const third = await RawIndiClient.connect(served.port);
    const end = await third.waitForEnd();
    expect(end).toEqual({ type: 'end' });
    const reason =
      'rxindi: this server is full (2 clients); disconnect another client or raise --max-connections';
    expect(third.messages).toEqual([
      {
        type: 'message',
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/) as unknown,
        message: reason,
      },
    ]);
    expect(served.events.filter((event) => event.type === 'refused')).toEqual([
      { type: 'refused', address: idOf(third), reason },
    ]);
    expect(clientIds(served.events, 'connected')).toEqual([idOf(first), idOf(second)]);

    // The two admitted clients are unaffected.
    for (const client of [first, second]) {
      client.send('<getProperties version="1.7"/>\n');
      await client.waitFor(
        'FOCUS definition',
        (message) => message.type === 'defNumberVector' && message.name === 'FOCUS',
      );
    }
    scope.emit(numberSet('Scope', 'FOCUS', 7));
    await first.waitFor('FOCUS=7', isFocusSet(7));
    await second.waitFor('FOCUS=7', isFocusSet(7));
    expect(first.isEnded || second.isEnded).toBe(false);

    // One leaves: a new client is admitted in its place.
    await first.close();
    await waitUntil('the first client to be gone', () =>
      clientIds(served.events, 'disconnected').includes(idOf(first)),
    );
    const fourth = await admitted(served);
    fourth.send('<getProperties version="1.7"/>\n');
    await fourth.waitFor(
      'FOCUS definition',
      (message) => message.type === 'defNumberVector' && message.name === 'FOCUS',
    );
    expect(served.events.filter((event) => event.type === 'refused')).toHaveLength(1);
  });
});

describe('serve: ping', () => {
  it('answers each pingRequest of a client with a pingReply of the same uid, in order, and nothing else', async () => {
    const scope = memoryDriver('scope', scopeDefs);
    const served = await startServe({ channels$: of(scope.channel) });
    const client = await admitted(served);
    client.send('<pingRequest uid="one"/><pingRequest uid="two"/>\n<pingRequest uid="3 &amp; more"/>');
    await waitUntil('three replies', () => client.messages.length === 3);
    expect(client.messages).toEqual([
      { type: 'pingReply', uid: 'one' },
      { type: 'pingReply', uid: 'two' },
      { type: 'pingReply', uid: '3 & more' },
    ]);
    // The driver saw none of it (only the server's own getProperties, if any).
    expect(scope.received.filter((message) => message.type !== 'getProperties')).toEqual([]);
  });
});

describe('serve: bad input from one client', () => {
  it('skips a well-framed element that is not INDI, reports it, and keeps the client', async () => {
    const scope = memoryDriver('scope', scopeDefs);
    const served = await startServe({ channels$: of(scope.channel) });
    const good = await admitted(served);
    const bad = await admitted(served);
    good.send('<getProperties version="1.7"/>\n');
    bad.send('<getProperties version="1.7"/>\n<fooVector device="Scope"/>\n<pingRequest uid="after"/>\n');
    await bad.waitFor('the ping after the bad element', (message) => message.type === 'pingReply');
    const problems = served.events.filter((event) => event.type === 'protocolError');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ type: 'protocolError', channel: idOf(bad) });
    const problem = problems[0]?.type === 'protocolError' ? problems[0].error : undefined;
    expect(problem).toBeInstanceOf(IndiProtocolError);
    expect(problem?.reason).toBe('unknown-element');
    expect(problem?.message).toContain('<fooVector> is not an INDI element');

    scope.emit(numberSet('Scope', 'FOCUS', 1));
    await good.waitFor('FOCUS=1', isFocusSet(1));
    await bad.waitFor('FOCUS=1', isFocusSet(1));
    expect(bad.isEnded).toBe(false);
  });

  it('disconnects a client whose XML breaks the framing; the others keep their traffic', async () => {
    const scope = memoryDriver('scope', scopeDefs);
    const served = await startServe({ channels$: of(scope.channel) });
    const good = await admitted(served);
    const bad = await admitted(served);
    good.send('<getProperties version="1.7"/>\n');
    bad.send('<getProperties version="1.7"/>\n');
    await good.waitFor(
      'FOCUS definition',
      (message) => message.type === 'defNumberVector' && message.name === 'FOCUS',
    );
    await bad.waitFor(
      'FOCUS definition',
      (message) => message.type === 'defNumberVector' && message.name === 'FOCUS',
    );

    bad.send('</notOpen><pingRequest uid="never"/>');
    expect(await bad.waitForEnd()).toEqual({ type: 'end' });
    expect(bad.received((message) => message.type === 'pingReply')).toEqual([]);
    // It is told why, in the last thing it receives.
    expect(bad.messages.at(-1)).toEqual({
      type: 'message',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/) as unknown,
      message:
        'rxindi: closing this connection: what it sent is not INDI XML: a closing tag without an opening tag (byte 31, near "</notOpen><pingRequest uid=\\"never\\"/>")',
    });
    const gone = await waitUntil('the bad client to be disconnected', () =>
      served.events.find((event) => event.type === 'disconnected' && event.channel === idOf(bad)),
    );
    expect(gone).toMatchObject({ type: 'disconnected', channel: idOf(bad), kind: 'client' });
    const error = gone.type === 'disconnected' ? gone.error : undefined;
    expect(error).toBeInstanceOf(IndiProtocolError);
    expect(error).toMatchObject({
      reason: 'malformed-xml',
      offset: 31,
      excerpt: '</notOpen><pingRequest uid="never"/>',
    });

    const from = good.messages.length;
    scope.emit(numberSet('Scope', 'FOCUS', 2));
    scope.emit(numberSet('Scope', 'FOCUS', 3));
    await good.waitFor('FOCUS=3', isFocusSet(3), { from });
    expect(good.messages.slice(from)).toEqual([
      numberSet('Scope', 'FOCUS', 2),
      numberSet('Scope', 'FOCUS', 3),
    ]);
    good.send('<pingRequest uid="still here"/>');
    await good.waitFor('pingReply', (message) => message.type === 'pingReply');
    expect(good.isEnded).toBe(false);
  });
});

describe('serve: limits', () => {
  it('refuses a second connection from one address past maxConnectionsPerAddress, and says which limit', async () => {
    const scope = memoryDriver('scope', scopeDefs);
    const served = await startServe({ maxConnectionsPerAddress: 1, channels$: of(scope.channel) });
    const first = await admitted(served);
    const second = await RawIndiClient.connect(served.port);
    expect(await second.waitForEnd()).toEqual({ type: 'end' });
    const reason =
      'rxindi: 127.0.0.1 already has 1 connections open here; close one or raise --max-connections-per-address';
    expect(second.received((message) => message.type === 'message')).toMatchObject([{ message: reason }]);
    expect(served.events.filter((event) => event.type === 'refused')).toEqual([
      { type: 'refused', address: idOf(second), reason },
    ]);
    first.send('<pingRequest uid="1"/>');
    await first.waitFor('pingReply', (message) => message.type === 'pingReply');
    await first.close();
    await waitUntil('the first client to be gone', () =>
      clientIds(served.events, 'disconnected').includes(idOf(first)),
    );
    await admitted(served);
  });

  it('closes a client that sends an element past maxMessageBytes; the others carry on', async () => {
    const scope = memoryDriver('scope', scopeDefs);
    const served = await startServe({ maxMessageBytes: 4096, channels$: of(scope.channel) });
    const good = await admitted(served);
    const big = await admitted(served);
    good.send('<getProperties version="1.7"/>\n');
    await good.waitFor('FOCUS definition', (message) => message.type === 'defNumberVector');
    big.send(
      `<newTextVector device="Scope" name="NOTE"><oneText name="T">${'x'.repeat(5000)}</oneText></newTextVector>`,
    );
    expect(await big.waitForEnd()).toEqual({ type: 'end' });
    const gone = await waitUntil('the client to be disconnected', () =>
      served.events.find((event) => event.type === 'disconnected' && event.channel === idOf(big)),
    );
    const error = gone.type === 'disconnected' ? gone.error : undefined;
    expect(error).toBeInstanceOf(IndiProtocolError);
    expect(error).toMatchObject({
      reason: 'too-large',
      message: expect.stringContaining('larger than 4096 bytes') as unknown,
    });
    const from = good.messages.length;
    scope.emit(numberSet('Scope', 'FOCUS', 5));
    await good.waitFor('FOCUS=5', isFocusSet(5), { from });
  });

  it('serves at most maxDevices devices and maxProperties properties of one driver, reports the first refusal of each', async () => {
    const defs = (): IndiMessage[] => [
      numberDef('Mount', 'RA'),
      numberDef('Mount', 'DEC'),
      numberDef('Focuser', 'POSITION'),
      numberDef('Camera', 'EXPOSURE'),
      numberDef('Mount', 'ALT'),
      numberDef('Focuser', 'TEMPERATURE'),
    ];
    const rig = memoryDriver('rig', defs);
    const served = await startServe({ maxDevices: 2, maxProperties: 4, channels$: of(rig.channel) });
    const client = await admitted(served);
    client.send('<getProperties version="1.7"/>\n');
    await client.waitFor(
      'the fourth definition',
      (message) => message.type === 'defNumberVector' && message.name === 'ALT',
    );
    // A ping is answered after everything routed before it: all definitions are in.
    client.send('<pingRequest uid="barrier"/>');
    await client.waitFor('pingReply', (message) => message.type === 'pingReply');
    const definedNames = (): string[] =>
      client.messages.flatMap((message) =>
        message.type === 'defNumberVector' ? [`${message.device}.${message.name}`] : [],
      );
    expect(definedNames()).toEqual(['Mount.RA', 'Mount.DEC', 'Focuser.POSITION', 'Mount.ALT']);
    expect(served.events.filter((event) => event.type === 'definitionRefused')).toEqual([
      {
        type: 'definitionRefused',
        channel: 'rig',
        limit: 'devices',
        max: 2,
        device: 'Camera',
        name: 'EXPOSURE',
      },
      {
        type: 'definitionRefused',
        channel: 'rig',
        limit: 'properties',
        max: 4,
        device: 'Focuser',
        name: 'TEMPERATURE',
      },
    ]);

    // Deleting a device frees its places: a new one is served.
    rig.emit({ type: 'delProperty', device: 'Focuser' });
    rig.emit(numberDef('Camera', 'EXPOSURE'));
    await client.waitFor(
      'the camera, once there is room',
      (message) => message.type === 'defNumberVector' && message.device === 'Camera',
    );
  });
});

describe('serve: requests from a client that leaves at once', () => {
  it('delivers a request sent just before a reset, even while a write to that client is pending', async () => {
    const big = 'x'.repeat(100_000);
    const defs = (): IndiMessage[] => [
      numberDef('Target', 'N'),
      ...Array.from({ length: 20 }, (_, at): IndiMessage => ({
        type: 'defTextVector',
        device: 'Target',
        name: `T${at}`,
        state: 'Idle',
        perm: 'ro',
        members: [{ name: 'V', value: big }],
      })),
    ];
    const target = memoryDriver('target', defs);
    const served = await startServe({ channels$: of(target.channel) });
    const client = await admitted(served);
    client.send('<getProperties version="1.7"/>\n');
    // In the poll phase (a socket read callback): something is queued for the
    // client, the client sends a request and resets with 2 MB unread.
    client.socket.once('data', () => {
      target.emit(numberSet('Target', 'N', 1));
      client.socket.write(
        "<newNumberVector device='Target' name='N'><oneNumber name='VALUE'>42</oneNumber></newNumberVector>\n",
      );
      client.socket.destroy();
    });
    await waitUntil(
      'the client to be disconnected',
      () => clientIds(served.events, 'disconnected').length === 1,
    );
    await waitUntil(
      'the request to reach the driver',
      () => target.received.some((message) => message.type === 'newNumberVector'),
      { timeout: 1000 },
    );
    expect(target.received.filter((message) => message.type === 'newNumberVector')).toEqual([
      { type: 'newNumberVector', device: 'Target', name: 'N', members: [{ name: 'VALUE', value: 42 }] },
    ]);
  });
});

describe('IndiServer: sendMessage', () => {
  it('sends an INDI message to every client', async () => {
    const server = new IndiServer({ host: '127.0.0.1', port: 0 });
    servers.push(server);
    const connected: string[] = [];
    server.events$.subscribe((event) => {
      if (event.type === 'connected' && event.kind === 'client') connected.push(event.channel);
    });
    const port = await server.listen();
    const clients = await Promise.all([
      RawIndiClient.connect(port),
      RawIndiClient.connect(port),
      RawIndiClient.connect(port),
    ]);
    // One asked for properties, one enabled BLOBs only, one said nothing: all get it.
    clients[0].send('<getProperties version="1.7"/>');
    clients[1].send('<enableBLOB device="Nowhere">Only</enableBLOB>');
    await waitUntil('three clients admitted', () => connected.length === 3);
    server.sendMessage('Observatory closing in 10 minutes', '2026-11-25T20:00:00');
    for (const client of clients) {
      await client.waitFor('the message', (message) => message.type === 'message');
      expect(client.messages).toEqual([
        { type: 'message', timestamp: '2026-11-25T20:00:00', message: 'Observatory closing in 10 minutes' },
      ]);
    }
  });
});

describe('IndiServer: addDriver', () => {
  it('serves a driver added after run() but before the port is open', async () => {
    const server = new IndiServer({ host: '127.0.0.1', port: 0 });
    servers.push(server);
    const listening = server.listen();
    server.addDriver(memoryDriver('scope', scopeDefs).channel);
    const client = await RawIndiClient.connect(await listening);
    client.send('<getProperties version="1.7"/>');
    await client.waitFor(
      'FOCUS definition',
      (message) => message.type === 'defNumberVector' && message.name === 'FOCUS',
    );
  });
});

describe('IndiServer: removeDriver', () => {
  it('stops a driver and deletes its devices for clients', async () => {
    const server = new IndiServer({ host: '127.0.0.1', port: 0 });
    servers.push(server);
    const scope = memoryDriver('scope', scopeDefs);
    const disconnected: string[] = [];
    server.events$.subscribe((event) => {
      if (event.type === 'disconnected') disconnected.push(event.channel);
    });
    server.addDriver(scope.channel);
    const port = await server.listen();
    const client = await RawIndiClient.connect(port);
    client.send('<getProperties version="1.7"/>');
    await client.waitFor(
      'FOCUS definition',
      (message) => message.type === 'defNumberVector' && message.name === 'FOCUS',
    );
    const from = client.messages.length;

    server.removeDriver('scope');
    await waitUntil('the driver channel to close', () => disconnected.includes('scope'));
    // Its device is gone for the server: a new client asking for it gets nothing.
    const late = await RawIndiClient.connect(port);
    late.send('<getProperties version="1.7" device="Scope"/><pingRequest uid="done"/>');
    await late.waitFor('the ping reply', (message) => message.type === 'pingReply');
    expect(late.messages).toEqual([{ type: 'pingReply', uid: 'done' }]);
    await client.waitFor('delProperty for Scope', (message) => message.type === 'delProperty', {
      from,
      timeout: 1000,
    });
    expect(client.messages.slice(from)).toEqual([{ type: 'delProperty', device: 'Scope' }]);
  });
});

describe('IndiServer: shutdown', () => {
  it('resolves stopped, closes the port and every client, and leaves no driver process', async () => {
    const server = new IndiServer({ host: '127.0.0.1', port: 0 });
    const pids: number[] = [];
    const events: ServerEvent[] = [];
    server.events$.subscribe((event) => {
      events.push(event);
      if (event.type === 'driverStarted' && event.pid !== undefined) pids.push(event.pid);
    });
    server.startDriver('indi_simulator_ccd', { env: { HOME: tempDir('rxindi-home-') } });
    const port = await server.listen();
    const client = await RawIndiClient.connect(port);
    client.send('<getProperties version="1.7"/>');
    await client.waitFor(
      'the CCD definitions',
      (message) => message.type === 'defSwitchVector' && message.device === 'CCD Simulator',
    );
    expect(pids).toHaveLength(1);
    expect(await childPids(process.pid, 'indi_simulator_ccd')).toEqual(pids);
    expect(server.stop).toBe(false);

    await server.shutdown();
    expect(server.stop).toBe(true);
    await expect(server.stopped).resolves.toBeUndefined();
    expect(await client.waitForEnd({ timeout: 1000 })).toEqual({ type: 'end' });
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
    expect(pidRunning(pids[0]!)).toBe(false);
    expect(await childPids(process.pid, 'indi_simulator_ccd')).toEqual([]);
    expect(events.filter((event) => event.type === 'driverExited')).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'disconnected' });
  });

  it('shutdown() before run() resolves at once', async () => {
    const server = new IndiServer({ port: 0 });
    await server.shutdown();
    await expect(server.stopped).resolves.toBeUndefined();
    await expect(server.run()).resolves.toBeUndefined();
  });

  it('serve: stop$ completes the Observable and closes the port', async () => {
    const scope = memoryDriver('scope', scopeDefs);
    const served = await startServe({ channels$: of(scope.channel) });
    const client = await admitted(served);
    served.stop$.next();
    await waitUntil('serve to complete', served.isStopped);
    expect(await client.waitForEnd({ timeout: 1000 })).toEqual({ type: 'end' });
    expect(await tryConnect(served.port)).toBe('ECONNREFUSED');
  });
});
