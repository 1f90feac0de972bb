/**
 * `processChannel` against real programs: Debian's `indi_simulator_ccd` and
 * tiny shell-script drivers. Covers definitions, BLOBs through the FIFO pipes
 * (with Node's default socketpair stdio libindi would send
 * `attached='true'` and no data), the pingRequest a libindi driver sends
 * after every BLOB (answered by `serve`), restarts after a crash, giving up
 * after `restarts`, a missing program, and stderr lines as events.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BehaviorSubject, Subject, of, type Subscription } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, ChannelEvent } from '../../src/channels/channel.js';
import { DriverExitedError, DriverNotFoundError } from '../../src/channels/driver-exited-error.js';
import { openDriverPipes } from '../../src/channels/driver-pipes.js';
import { processChannel } from '../../src/channels/process-channel.js';
import { decodeBlob } from '../../src/protocol/blob-data.js';
import type { IndiMessage, SetBlobVector } from '../../src/protocol/messages.js';
import { serve, type ServerEvent } from '../../src/server/serve.js';
import { removeTempDirs, tempDir } from '../helpers/processes.js';
import { pidRunning, waitUntil } from '../helpers/wait-until.js';

const fixtures = join(fileURLToPath(import.meta.url), '../fixtures');
const stderrDriver = join(fixtures, 'stderr-driver.sh');
const exit3Driver = join(fixtures, 'exit-3.sh');
const burstDriver = join(fixtures, 'burst.sh');
const ccdDevice = 'CCD Simulator';

/** Everything a running channel produced, in order, on one timeline. */
interface Run {
  readonly timeline: (
    | { readonly kind: 'message'; readonly message: IndiMessage }
    | { readonly kind: 'event'; readonly event: ChannelEvent }
  )[];
  readonly messages: IndiMessage[];
  readonly events: ChannelEvent[];
  /** What messages$ ended with, once it ended. */
  end: { readonly type: 'complete' } | { readonly type: 'error'; readonly error: unknown } | undefined;
}

const subscriptions: Subscription[] = [];
const channels: Channel[] = [];
const pids: number[] = [];

function run(channel: Channel): Run {
  const result: Run = { timeline: [], messages: [], events: [], end: undefined };
  channels.push(channel);
  subscriptions.push(
    channel.events$.subscribe((event) => {
      if (event.type === 'driverStarted' && event.pid !== undefined) pids.push(event.pid);
      result.events.push(event);
      result.timeline.push({ kind: 'event', event });
    }),
  );
  subscriptions.push(
    channel.messages$.subscribe({
      next: (message) => {
        result.messages.push(message);
        result.timeline.push({ kind: 'message', message });
      },
      error: (error: unknown) => (result.end = { type: 'error', error }),
      complete: () => (result.end = { type: 'complete' }),
    }),
  );
  return result;
}

/** A driver's environment: a throw-away HOME, so `~/.indi` configs neither leak in nor out. */
const driverEnv = (): Record<string, string> => ({ HOME: tempDir('rxindi-home-') });

const isDef = (device: string, name: string) => (message: IndiMessage) =>
  message.type.startsWith('def') &&
  'device' in message &&
  message.device === device &&
  'name' in message &&
  message.name === name;

function waitForMessage(
  result: { readonly messages: readonly IndiMessage[] },
  what: string,
  predicate: (message: IndiMessage) => boolean,
  from = 0,
  timeout = 5000,
): Promise<IndiMessage> {
  return waitUntil(what, () => result.messages.slice(from).find(predicate), { timeout });
}

beforeAll(() => {
  chmodSync(stderrDriver, 0o755);
  chmodSync(exit3Driver, 0o755);
  chmodSync(burstDriver, 0o755);
});

afterEach(async () => {
  for (const subscription of subscriptions.splice(0)) subscription.unsubscribe();
  await Promise.all(channels.splice(0).map((channel) => channel.closed));
  // Every driver this test started is gone (SIGTERM on unsubscribe).
  for (const pid of pids.splice(0)) await waitUntil(`driver pid ${pid} to exit`, () => !pidRunning(pid));
});

afterAll(() => removeTempDirs());

describe('processChannel with indi_simulator_ccd', () => {
  it('delivers the definitions of a real libindi driver', async () => {
    const ccd = run(processChannel('indi_simulator_ccd', [], { env: driverEnv() }));
    const connection = await waitForMessage(ccd, 'CONNECTION definition', isDef(ccdDevice, 'CONNECTION'));
    expect(connection).toEqual({
      type: 'defSwitchVector',
      device: ccdDevice,
      name: 'CONNECTION',
      label: 'Connection',
      group: 'Main Control',
      state: 'Idle',
      perm: 'rw',
      rule: 'OneOfMany',
      timeout: 60,
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/) as unknown,
      members: [
        { name: 'CONNECT', label: 'Connect', value: 'Off' },
        { name: 'DISCONNECT', label: 'Disconnect', value: 'On' },
      ],
    });
    expect(ccd.events.filter((event) => event.type === 'driverStarted')).toEqual([
      { type: 'driverStarted', channel: 'indi_simulator_ccd', pid: expect.any(Number) as unknown },
    ]);
    expect(ccd.events.filter((event) => event.type === 'protocolError')).toEqual([]);
    expect(ccd.end).toBeUndefined();
  });

  it('carries an exposure as an inline base64 setBLOBVector of exactly `size` bytes (FIFO stdio, not a socketpair)', async () => {
    const channel = processChannel('indi_simulator_ccd', [], { env: driverEnv() });
    const ccd = run(channel);
    await waitForMessage(ccd, 'CONNECTION definition', isDef(ccdDevice, 'CONNECTION'));
    channel.sink.next({
      type: 'newSwitchVector',
      device: ccdDevice,
      name: 'CONNECTION',
      members: [{ name: 'CONNECT', value: 'On' }],
    });
    await waitForMessage(ccd, 'CCD_FRAME definition', isDef(ccdDevice, 'CCD_FRAME'));
    channel.sink.next({
      type: 'newNumberVector',
      device: ccdDevice,
      name: 'CCD_FRAME',
      members: [
        { name: 'X', value: 0 },
        { name: 'Y', value: 0 },
        { name: 'WIDTH', value: 160 },
        { name: 'HEIGHT', value: 128 },
      ],
    });
    channel.sink.next({
      type: 'newNumberVector',
      device: ccdDevice,
      name: 'CCD_EXPOSURE',
      members: [{ name: 'CCD_EXPOSURE_VALUE', value: 0.1 }],
    });
    const blob = (await waitForMessage(
      ccd,
      'the image',
      (message) => message.type === 'setBLOBVector',
      0,
      8000,
    )) as SetBlobVector;
    expect(blob).toMatchObject({ type: 'setBLOBVector', device: ccdDevice, name: 'CCD1', state: 'Ok' });
    expect(blob.members).toHaveLength(1);
    const [image] = blob.members;
    expect(image).toMatchObject({ name: 'CCD1', format: '.fits' });
    expect(image!.attached).toBeUndefined();
    const bytes = decodeBlob(image!.value);
    // 160 × 128 16-bit pixels plus the FITS header, all inline.
    expect(image!.size).toBeGreaterThanOrEqual(160 * 128 * 2);
    expect(bytes.length).toBe(image!.size);
    expect(image!.enclen).toBe(image!.value.length);
    expect(Buffer.from(bytes.subarray(0, 9)).toString('latin1')).toBe('SIMPLE  =');
    // libindi then waits for the answer to its ping before it carries on.
    const at = ccd.messages.indexOf(blob);
    expect(
      await waitForMessage(ccd, 'the ping after the BLOB', (message) => message.type === 'pingRequest', at),
    ).toEqual({
      type: 'pingRequest',
      uid: 'SetBLOB/1',
    });
  });

  it('through serve: the ping after each BLOB is answered, so a second exposure arrives too', async () => {
    const ccd = processChannel('indi_simulator_ccd', [], { id: 'ccd', env: driverEnv() });
    channels.push(ccd);
    const fromClient = new Subject<IndiMessage>();
    const received: IndiMessage[] = [];
    const client: Channel = {
      id: 'memory client',
      kind: 'client',
      messages$: fromClient,
      sink: { next: (message) => received.push(message), error: () => undefined, complete: () => undefined },
      events$: of(),
      closed: Promise.resolve(),
    };
    const stop$ = new Subject<void>();
    const events: ServerEvent[] = [];
    let stopped = false;
    subscriptions.push(
      serve({ listen: false, channels$: of(ccd, client), stop$ }).subscribe({
        next: (event) => {
          if (event.type === 'driverStarted' && event.pid !== undefined) pids.push(event.pid);
          events.push(event);
        },
        complete: () => (stopped = true),
      }),
    );
    const result = { messages: received };
    // As indiserver, a client gets device traffic only once it asked for it.
    fromClient.next({ type: 'getProperties', version: '1.7' });
    await waitForMessage(result, 'CONNECTION definition', isDef(ccdDevice, 'CONNECTION'));
    fromClient.next({ type: 'enableBLOB', device: ccdDevice, mode: 'Also' });
    fromClient.next({
      type: 'newSwitchVector',
      device: ccdDevice,
      name: 'CONNECTION',
      members: [{ name: 'CONNECT', value: 'On' }],
    });
    await waitForMessage(result, 'CCD_FRAME definition', isDef(ccdDevice, 'CCD_FRAME'));
    fromClient.next({
      type: 'newNumberVector',
      device: ccdDevice,
      name: 'CCD_FRAME',
      members: [
        { name: 'X', value: 0 },
        { name: 'Y', value: 0 },
        { name: 'WIDTH', value: 160 },
        { name: 'HEIGHT', value: 128 },
      ],
    });
    const expose = (): void =>
      fromClient.next({
        type: 'newNumberVector',
        device: ccdDevice,
        name: 'CCD_EXPOSURE',
        members: [{ name: 'CCD_EXPOSURE_VALUE', value: 0.1 }],
      });
    const blobs = (): SetBlobVector[] =>
      received.filter((message): message is SetBlobVector => message.type === 'setBLOBVector');

    expose();
    await waitUntil('the first image', () => blobs().length === 1, { timeout: 8000 });
    // The exposure is over (state Ok) only once the driver got its pingReply.
    const afterFirst = received.length;
    await waitForMessage(
      result,
      'CCD_EXPOSURE Ok after the first image',
      (message) =>
        message.type === 'setNumberVector' && message.name === 'CCD_EXPOSURE' && message.state === 'Ok',
      afterFirst - 1,
    );
    expose();
    await waitUntil('the second image', () => blobs().length === 2, { timeout: 8000 });
    for (const blob of blobs()) {
      const [image] = blob.members;
      expect(decodeBlob(image!.value).length).toBe(image!.size);
    }
    // The client never sees the driver's pings: serve answers them itself.
    expect(
      received.filter((message) => message.type === 'pingRequest' || message.type === 'pingReply'),
    ).toEqual([]);
    stop$.next();
    await waitUntil('serve to complete', () => stopped);
  });

  it('after SIGKILL: delProperty for its device, driverExited with restartIn, then a new process that defines it again', async () => {
    const ccd = run(
      processChannel('indi_simulator_ccd', [], { id: 'ccd', env: driverEnv(), restartDelay: () => 100 }),
    );
    await waitForMessage(ccd, 'CONNECTION definition', isDef(ccdDevice, 'CONNECTION'));
    const [started] = ccd.events;
    if (started?.type !== 'driverStarted' || started.pid === undefined)
      throw new Error(`expected driverStarted first, got ${JSON.stringify(started)}`);
    const before = ccd.timeline.length;
    process.kill(started.pid, 'SIGKILL');

    await waitUntil(
      'the restarted driver',
      () => ccd.events.filter((event) => event.type === 'driverStarted').length === 2,
    );
    // From the kill to the second start (the new process may already have sent more).
    const restartedAt = ccd.timeline.findIndex(
      (entry, at) => at >= before && entry.kind === 'event' && entry.event.type === 'driverStarted',
    );
    const restart = ccd.timeline.slice(before, restartedAt + 1);
    expect(restart.map((entry) => (entry.kind === 'message' ? entry.message : entry.event))).toEqual([
      { type: 'delProperty', device: ccdDevice },
      {
        type: 'driverExited',
        channel: 'ccd',
        restartIn: 100,
        error: expect.objectContaining({
          name: 'DriverExitedError',
          signal: 'SIGKILL',
          code: undefined,
          driver: 'ccd',
        }) as unknown,
      },
      { type: 'driverStarted', channel: 'ccd', pid: expect.any(Number) as unknown },
    ]);
    const exited = restart[1];
    expect(
      exited?.kind === 'event' && exited.event.type === 'driverExited' && exited.event.error,
    ).toBeInstanceOf(DriverExitedError);
    expect(
      exited?.kind === 'event' && exited.event.type === 'driverExited' && exited.event.error.message,
    ).toMatch(/^driver ccd was killed by SIGKILL/);
    const restarted = restart[2];
    expect(
      restarted?.kind === 'event' && restarted.event.type === 'driverStarted' && restarted.event.pid,
    ).not.toBe(started.pid);
    expect(pidRunning(started.pid)).toBe(false);
    const deleted = ccd.messages.findIndex((message) => message.type === 'delProperty');
    await waitForMessage(ccd, 'CONNECTION defined again', isDef(ccdDevice, 'CONNECTION'), deleted);
    expect(ccd.end).toBeUndefined();
  });
});

describe('processChannel with a missing or failing program', () => {
  it('errors with DriverNotFoundError for a command that does not exist, without starting anything', async () => {
    const missing = processChannel('rxindi-test-no-such-driver');
    const result = run(missing);
    await waitUntil('the channel to end', () => result.end);
    expect(result.end).toEqual({ type: 'error', error: expect.any(DriverNotFoundError) as unknown });
    const error = (result.end as { error: DriverNotFoundError }).error;
    expect(error.driver).toBe('rxindi-test-no-such-driver');
    expect(error.message).toBe(
      'driver rxindi-test-no-such-driver not found: it is not an executable path nor a program on PATH (is indi-bin or the driver package installed?)',
    );
    expect(result.events).toEqual([]);
    await missing.closed;
  });

  it('reports each stderr line as a stderr event with the driver id', async () => {
    const result = run(processChannel(stderrDriver, [], { id: 'stderr fixture' }));
    await waitUntil(
      'two stderr lines',
      () => result.events.filter((event) => event.type === 'stderr').length === 2,
    );
    expect(result.events.filter((event) => event.type === 'stderr')).toEqual([
      { type: 'stderr', channel: 'stderr fixture', line: 'first line on stderr' },
      { type: 'stderr', channel: 'stderr fixture', line: "second line: with 'quotes' & <markup>" },
    ]);
    await waitForMessage(result, 'its definition', isDef('Stderr Fixture', 'INFO'));
    expect(result.messages).toEqual([
      {
        type: 'defTextVector',
        device: 'Stderr Fixture',
        name: 'INFO',
        state: 'Idle',
        perm: 'ro',
        members: [{ name: 'TEXT', value: 'hello' }],
      },
    ]);
  });

  it('names a driver by its file name by default', async () => {
    const result = run(processChannel(stderrDriver));
    await waitUntil(
      'two stderr lines',
      () => result.events.filter((event) => event.type === 'stderr').length === 2,
    );
    expect(new Set(result.events.map((event) => event.channel))).toEqual(
      new Set(['stderr-driver.sh']),
    );
  });

  it('says "driver <name>" once in the error of a driver with the default id', async () => {
    const result = run(processChannel(exit3Driver, [], { restarts: 0 }));
    await waitUntil('the channel to give up', () => result.end);
    const error = (result.end as { error: DriverExitedError }).error;
    expect(error).toBeInstanceOf(DriverExitedError);
    // (IndiServer passes the bare file name as id, so the CLI is not affected.)
    expect(error.message).toBe('driver exit-3.sh exited with code 3: cannot open /dev/ttyUSB0');
  });

  it('restarts a driver that exits with code 3 `restarts` times, then gives up with DriverExitedError(code 3)', async () => {
    const delays: number[] = [];
    const result = run(
      processChannel(exit3Driver, [], {
        id: 'exit-3',
        restarts: 2,
        restartDelay: (attempt) => {
          delays.push(attempt);
          return 20;
        },
      }),
    );
    await waitUntil('the channel to give up', () => result.end, { timeout: 5000 });
    expect(result.end).toEqual({ type: 'error', error: expect.any(DriverExitedError) as unknown });
    const error = (result.end as { error: DriverExitedError }).error;
    expect({ driver: error.driver, code: error.code, signal: error.signal, message: error.message }).toEqual({
      driver: 'exit-3',
      code: 3,
      signal: undefined,
      message: 'driver exit-3 exited with code 3: cannot open /dev/ttyUSB0',
    });
    expect(delays).toEqual([1, 2]);
    expect(result.messages).toEqual([]);
    const lifecycle = result.events
      .filter((event) => event.type !== 'stderr')
      .map((event) =>
        event.type === 'driverExited'
          ? { type: event.type, restartIn: event.restartIn, code: event.error.code }
          : { type: event.type },
      );
    expect(lifecycle).toEqual([
      { type: 'driverStarted' },
      { type: 'driverExited', restartIn: 20, code: 3 },
      { type: 'driverStarted' },
      { type: 'driverExited', restartIn: 20, code: 3 },
      { type: 'driverStarted' },
      { type: 'driverExited', restartIn: undefined, code: 3 },
    ]);
    const last = result.events.at(-1);
    expect(last?.type === 'driverExited' && last.error).toBe(error);
  });
});

describe('driver pipes and flow', () => {
  it("gives the driver's stdin and stdout 1 MiB pipes, so an image crosses in two writes instead of twenty-two", () => {
    const pipes = openDriverPipes();
    // F_GETPIPE_SZ (1032), asked through /proc of this process, as perl is what sets it.
    const size = (fd: number): number =>
      Number(
        execFileSync('perl', [
          '-e',
          'open(PIPE, "+<", $ARGV[0]) or die $!; print fcntl(PIPE, 1032, 0)',
          `/proc/${process.pid}/fd/${fd}`,
        ]).toString(),
      );
    try {
      expect([size(pipes.childStdin), size(pipes.childStdout)]).toEqual([1024 * 1024, 1024 * 1024]);
    } finally {
      pipes.releaseChildEnds();
      pipes.toDriver.destroy();
      closeSync(pipes.fromDriver);
    }
  });

  it('reads nothing while paused$ says true: the driver waits on its full pipe, and gets every update through once reading resumes', async () => {
    const paused$ = new BehaviorSubject(true);
    const result = run(processChannel(burstDriver, [], { paused$ }));
    await waitUntil('the driver to start', () => result.events.some((event) => event.type === 'driverStarted'));
    await delay(1000);
    expect(result.messages).toEqual([]);
    expect(result.events.filter((event) => event.type === 'stderr')).toEqual([]);

    paused$.next(false);
    await waitUntil(
      'the driver to say it wrote everything',
      () => result.events.some((event) => event.type === 'stderr' && event.line === 'all written'),
      { timeout: 10_000 },
    );
    await waitUntil('30,000 updates', () => result.messages.length === 30_000, { timeout: 10_000 });
    const values = result.messages.map((message) =>
      message.type === 'setNumberVector' ? message.members[0]?.value : message.type,
    );
    expect(values.every((value, i) => value === i)).toBe(true);
  });
});
