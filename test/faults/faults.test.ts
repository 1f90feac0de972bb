/**
 * Faults of drivers, clients, links and the host, against the rxindi CLI as a
 * child process (its own process group, killed after each test). Every test
 * asserts the outcome and the log line a person would read, and that a
 * well-behaved driver (fixtures/ticker.mjs) keeps reaching a watching client.
 *
 * indiserver: drivers are restarted up to -r times; a driver whose output
 * cannot be framed is restarted; a slow or dead peer never stops the others.
 */
import { chmodSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeBlob } from '../../src/protocol/blob-data.js';
import type { IndiMessage, SetBlobVector } from '../../src/protocol/messages.js';
import { RawIndiClient } from '../helpers/indi-client.js';
import {
  cliPort,
  killAllProcesses,
  literal,
  repoRoot,
  startCli,
  type TestProcess,
} from '../helpers/processes.js';
import { tickerDriver as ticker, uploadDigest } from '../helpers/ticker.js';
import { pidRunning, waitUntil } from '../helpers/wait-until.js';

const fixtures = join(fileURLToPath(import.meta.url), '../fixtures');
const fixture = (name: string): string => join(fixtures, name);
const floodDriver = join(repoRoot, 'bench/flood-driver.mjs');

const servers: Server[] = [];

beforeAll(() => {
  for (const name of readdirSync(fixtures)) chmodSync(fixture(name), 0o755);
});

afterEach(async () => {
  await RawIndiClient.closeAll();
  await killAllProcesses();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A log line of the CLI, without its timestamp: `^<timestamp>: <line>$`. */
const logLine = (line: string): RegExp => new RegExp(`^\\S+: ${line}$`);
/** Text for a RegExp, special characters escaped. */

const getProperties = "<getProperties version='1.7'/>\n";
const isTick = (message: IndiMessage): boolean =>
  message.type === 'setNumberVector' && message.device === 'Ticker' && message.name === 'TICK';
const isDefOf =
  (device: string) =>
  (message: IndiMessage): boolean =>
    message.type.startsWith('def') && 'device' in message && message.device === device;

interface Running {
  readonly cli: TestProcess;
  readonly port: number;
  /** A client that asked for everything and sees the ticker tick. */
  readonly watcher: RawIndiClient;
}

/** The CLI with `-v -p 0` and these arguments (the ticker among the drivers), and a watching client. */
async function serverWith(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<Running> {
  const cli = startCli(['-v', '-p', '0', ...args], env);
  const port = await cliPort(cli);
  const watcher = await RawIndiClient.connect(port);
  watcher.send(getProperties);
  await watcher.waitFor('the first tick', isTick);
  return { cli, port, watcher };
}

/** The watcher keeps receiving the ticker's updates: three more arrive. */
async function expectStillTicking({ cli, watcher }: Running): Promise<void> {
  const before = watcher.received(isTick).length;
  await waitUntil('three more ticks', () => watcher.received(isTick).length >= before + 3, { timeout: 5000 });
  expect(watcher.isEnded).toBe(false);
  expect(pidRunning(cli.pid)).toBe(true);
}

/** The pids a driver was started with, in order (from the -v "pid=" lines). */
const pidsOf = (cli: TestProcess, driver: string): number[] =>
  cli.stderr.flatMap((line) => {
    const found = logLine(`Driver ${literal(driver)}: pid=(\\d+)`).exec(line);
    return found ? [Number(found[1])] : [];
  });

describe('driver faults', () => {
  it('a driver that crash-loops is restarted -r times, then given up with a clear line', async () => {
    const running = await serverWith(['-r', '2', ticker, fixture('crash.sh')]);
    const { cli } = running;
    await cli.waitForStderr(
      logLine(
        'Driver crash\\.sh: driver crash\\.sh exited with code 3: crash\\.sh: cannot open the device; not restarting it again \\(raise the limit with -r\\)',
      ),
      { timeout: 10_000 },
    );
    expect(
      cli.stderr
        .filter((line) => line.includes('Driver crash.sh: driver crash.sh exited'))
        .map((line) => line.replace(/^\S+: /, '')),
    ).toEqual([
      'Driver crash.sh: driver crash.sh exited with code 3: crash.sh: cannot open the device; restarting in 250 ms',
      'Driver crash.sh: driver crash.sh exited with code 3: crash.sh: cannot open the device; restarting in 500 ms',
      'Driver crash.sh: driver crash.sh exited with code 3: crash.sh: cannot open the device; not restarting it again (raise the limit with -r)',
    ]);
    expect(pidsOf(cli, 'crash.sh')).toHaveLength(3);
    await expectStillTicking(running);
  });

  it('a driver that writes garbage: skipped with a protocol error line, its valid messages still served', async () => {
    const running = await serverWith([ticker, fixture('garbage.mjs')]);
    const { cli, watcher } = running;
    // The watcher's getProperties reached the driver, which answered with garbage first.
    const status = await watcher.waitFor(
      "Garbage.STATUS = 'still served'",
      (message) => message.type === 'setTextVector' && message.device === 'Garbage',
    );
    expect(status).toMatchObject({ name: 'STATUS', members: [{ name: 'TEXT', value: 'still served' }] });
    expect(watcher.received(isDefOf('Garbage')).map((message) => message.type)).toContain('defTextVector');
    await cli.waitForStderr(
      logLine(
        'garbage\\.mjs: skipped bad INDI input: text outside any INDI element was skipped \\(byte \\d+, near "this is not INDI at all\\\\n"\\)',
      ),
    );
    await cli.waitForStderr(logLine('garbage\\.mjs: skipped bad INDI input: .*bogusElement.*'));
    // Nothing bad reached the client, and the driver was never restarted.
    expect(watcher.problems).toEqual([]);
    expect(watcher.received((message) => JSON.stringify(message).includes('bogus'))).toEqual([]);
    expect(pidsOf(cli, 'garbage.mjs')).toHaveLength(1);
    await expectStillTicking(running);
  });

  it('a driver whose output breaks framing (</foo> at top level) is stopped and restarted', async () => {
    const running = await serverWith(['-r', '1', ticker, fixture('broken-xml.mjs')]);
    const { cli, watcher } = running;
    await cli.waitForStderr(
      logLine(
        'Driver broken-xml\\.mjs: driver broken-xml\\.mjs was killed by SIGTERM: a closing tag without an opening tag \\(byte \\d+, near "</foo>\\\\n"\\); restarting in 250 ms',
      ),
      { timeout: 10_000 },
    );
    await cli.waitForStderr(
      logLine('Driver broken-xml\\.mjs: .*; not restarting it again \\(raise the limit with -r\\)'),
      {
        timeout: 10_000,
      },
    );
    const [first, second] = pidsOf(cli, 'broken-xml.mjs');
    expect(pidsOf(cli, 'broken-xml.mjs')).toHaveLength(2);
    expect(second).not.toBe(first);
    // Its device came and went with each run; what it wrote before the break was served.
    await waitUntil(
      'Broken deleted twice',
      () =>
        watcher.received((message) => message.type === 'delProperty' && message.device === 'Broken')
          .length === 2,
    );
    expect(
      watcher
        .received((message) => 'device' in message && message.device === 'Broken')
        .map((message) => message.type),
    ).toEqual(['defTextVector', 'delProperty', 'defTextVector', 'delProperty']);
    await expectStillTicking(running);
  });

  it('a driver that writes a 2 MiB tag without ">" passes the 1 MiB tag limit: error, restart, bounded memory', async () => {
    const running = await serverWith(['-r', '1', ticker, fixture('huge-tag.mjs')]);
    const { cli } = running;
    await cli.waitForStderr(
      logLine(
        `Driver huge-tag\\.mjs: driver huge-tag\\.mjs was killed by SIGTERM: a tag longer than 1048576 bytes \\(byte 0, near "<defTextVector device='Huge' name='x+"\\); restarting in 250 ms`,
      ),
      { timeout: 10_000 },
    );
    await cli.waitForStderr(
      logLine('Driver huge-tag\\.mjs: .*; not restarting it again \\(raise the limit with -r\\)'),
      {
        timeout: 10_000,
      },
    );
    expect(pidsOf(cli, 'huge-tag.mjs')).toHaveLength(2);
    // The framer gave up at the limit instead of buffering on (measured peak ~110 MiB, tsx included).
    const status = readFileSync(`/proc/${String(cli.pid)}/status`, 'utf8');
    expect(Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1]) / 1024).toBeLessThan(300);
    await expectStillTicking(running);
  });

  it('a driver that closes stdout but keeps running is killed after the grace period and restarted', async () => {
    const running = await serverWith(['-r', '1', ticker, fixture('close-stdout.sh')]);
    const { cli, watcher } = running;
    const [first] = pidsOf(cli, 'close-stdout.sh');
    // exitGraceMs: 5 s by default (not a CLI option).
    await cli.waitForStderr(
      logLine(
        'Driver close-stdout\\.sh: driver close-stdout\\.sh was killed by SIGTERM: close-stdout\\.sh: closing stdout, still running; restarting in 250 ms',
      ),
      { timeout: 12_000 },
    );
    expect(first).toBeDefined();
    expect(pidRunning(first ?? 0)).toBe(false);
    await waitUntil('a second start', () => pidsOf(cli, 'close-stdout.sh').length === 2);
    await watcher.waitFor('Mute defined again', isDefOf('Mute'), {
      from:
        watcher.messages.findIndex((message) => message.type === 'delProperty' && message.device === 'Mute') +
        1,
    });
    await expectStillTicking(running);
  });

  it('a driver that ignores SIGTERM does not stop shutdown: SIGKILL after the grace period, exit 0', async () => {
    const running = await serverWith([ticker, fixture('ignore-term.mjs')]);
    const { cli, watcher } = running;
    const [stubborn] = pidsOf(cli, 'ignore-term.mjs');
    expect(stubborn).toBeDefined();
    // Node takes a moment to start the script: wait until it really catches SIGTERM.
    await waitUntil('the driver catches SIGTERM', () => catchesSigterm(stubborn ?? 0));
    process.kill(cli.pid, 'SIGTERM');
    const exit = await Promise.race([
      cli.exited,
      new Promise((resolve) => setTimeout(() => resolve('still running after 15 s'), 15_000)),
    ]);
    expect(exit).toEqual({ code: 0, signal: undefined });
    expect(cli.stderr.some((line) => logLine('SIGTERM: shutting down').test(line))).toBe(true);
    expect(
      cli.stderr.some((line) =>
        logLine('Driver ignore-term\\.mjs: ignore-term\\.mjs: ignoring SIGTERM').test(line),
      ),
    ).toBe(true);
    expect(pidRunning(stubborn ?? 0)).toBe(false);
    // The watcher was let go cleanly.
    expect(await watcher.waitForEnd()).toEqual({ type: 'end' });
  });
});

/** True once the process has a handler for SIGTERM (bit 15 of SigCgt in /proc/<pid>/status). */
function catchesSigterm(pid: number): boolean {
  const caught = /^SigCgt:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '0';
  return (BigInt(`0x${caught}`) & (1n << 14n)) !== 0n;
}

describe('client faults', () => {
  it('a client that half-closes: what it wrote is still processed, and its connection is closed cleanly', async () => {
    const running = await serverWith([ticker]);
    const { cli, port } = running;
    const halfClosed = await RawIndiClient.connect(port);
    halfClosed.send(
      "<newBLOBVector device='Ticker' name='UPLOAD'><oneBLOB name='DATA' size='6' format='.bin'>aGVsbG8h</oneBLOB></newBLOBVector>\n",
    );
    halfClosed.socket.end();
    await cli.waitForStderr(
      logLine(`Driver ticker\\.mjs: got newBLOBVector UPLOAD 8 ${uploadDigest('aGVsbG8h')}`),
    );
    expect(await halfClosed.waitForEnd()).toEqual({ type: 'end' });
    await cli.waitForStderr(logLine(`Client ${literal(halfClosed.id)}: shut down complete - bye!`));
    expect(cli.stderr.filter((line) => line.includes(`Client ${halfClosed.id}: closed`))).toEqual([]);
    await expectStillTicking(running);
  });

  it('a client that half-closes right after getProperties still gets its answer before the server closes', async () => {
    const running = await serverWith([ticker]);
    const halfClosed = await RawIndiClient.connect(running.port);
    halfClosed.send(getProperties);
    halfClosed.socket.end();
    expect(await halfClosed.waitForEnd()).toEqual({ type: 'end' });
    expect(
      halfClosed.received(isDefOf('Ticker')).map((message) => 'name' in message && message.name),
    ).toEqual(['TICK', 'UPLOAD']);
    await expectStillTicking(running);
  });

  it('a client that disconnects in the middle of sending a BLOB: nothing partial reaches the driver, others unaffected', async () => {
    const running = await serverWith([ticker]);
    const { cli, port } = running;
    const quitter = await RawIndiClient.connect(port);
    const base64 = Buffer.alloc(48 * 1024, 7).toString('base64');
    quitter.send(
      `<newBLOBVector device='Ticker' name='UPLOAD'><oneBLOB name='DATA' size='${48 * 1024}' format='.bin'>${base64.slice(0, base64.length / 2)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    await quitter.close();
    await cli.waitForStderr(
      logLine(
        `Client ${literal(quitter.id)}: closed: the connection ended inside an element \\(byte 0, near "<newBLOBVector device='Ticker' name='UPLOAD'><oneBLOB name='DATA' size='49152' f"\\)`,
      ),
    );
    // A complete upload after it goes through, and is the only one the driver saw.
    const uploader = await RawIndiClient.connect(port);
    uploader.send(
      `<newBLOBVector device='Ticker' name='UPLOAD'><oneBLOB name='DATA' size='${48 * 1024}' format='.bin'>${base64}</oneBLOB></newBLOBVector>\n`,
    );
    await cli.waitForStderr(
      logLine(`Driver ticker\\.mjs: got newBLOBVector UPLOAD ${base64.length} ${uploadDigest(base64)}`),
    );
    expect(cli.stderr.filter((line) => line.includes('Driver ticker.mjs: got '))).toHaveLength(1);
    await expectStillTicking(running);
  });

  it('a client that disconnects in the middle of receiving a BLOB: the other client gets every BLOB intact', async () => {
    const count = 10;
    const cli = startCli(['-v', '-p', '0', floodDriver], { FLOOD_MODE: 'blobs', FLOOD_COUNT: String(count) });
    const port = await cliPort(cli);
    const enable = "<enableBLOB device='Flood'>Also</enableBLOB>\n";
    const isGo = (message: IndiMessage): boolean =>
      message.type === 'defSwitchVector' && message.name === 'GO';
    const keeper = await RawIndiClient.connect(port);
    keeper.send(getProperties + enable);
    await keeper.waitFor('GO defined', isGo);
    const quitter = await RawIndiClient.connect(port);
    quitter.send(getProperties + enable);
    await quitter.waitFor('GO defined', isGo);
    const defined = quitter.bytes;
    keeper.send(
      "<newSwitchVector device='Flood' name='GO'><oneSwitch name='GO'>On</oneSwitch></newSwitchVector>\n",
    );
    // Half a BLOB in, it goes away: killed, so its end resets the connection.
    // (A plain close sends FIN when it has read all that arrived, and the
    // server then logs a clean goodbye.)
    await waitUntil('half a BLOB', () => quitter.bytes > defined + 700_000);
    await quitter.reset();

    await keeper.waitFor(
      'the end of the flood',
      (message) => message.type === 'message' && message.message === 'done',
      {
        timeout: 20_000,
      },
    );
    const blobs = keeper.received((message): message is SetBlobVector => message.type === 'setBLOBVector');
    expect(
      blobs.map((blob) => blob.members.map((member) => [member.size, decodeBlob(member.value).length])),
    ).toEqual(Array.from({ length: count }, () => [[1024 * 1024, 1024 * 1024]]));
    // A reset seen by a write (EPIPE) or a read (ECONNRESET).
    await cli.waitForStderr(
      logLine(`Client ${literal(quitter.id)}: closed: (write|read) (EPIPE|ECONNRESET)`),
      { timeout: 15_000 },
    );
    expect(pidRunning(cli.pid)).toBe(true);
  });
});

describe('link and host faults', () => {
  it('a remote that accepts TCP and never answers: the server keeps serving its own drivers', async () => {
    const received: Buffer[] = [];
    const silent = createServer((socket: Socket) =>
      socket.on('data', (chunk: Buffer) => received.push(chunk)),
    );
    servers.push(silent);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const remotePort = typeof address === 'object' && address !== null ? address.port : 0;

    const running = await serverWith(['--remote', `127.0.0.1:${remotePort}`, ticker]);
    const { cli, port } = running;
    await cli.waitForStderr(logLine(`Remote 127\\.0\\.0\\.1:${remotePort}: connected`));
    // The link asked for everything, and was never answered.
    await waitUntil('the link to ask for properties', () =>
      Buffer.concat(received).toString().includes('<getProperties'),
    );
    // A new client is answered at once with the local devices.
    const late = await RawIndiClient.connect(port);
    late.send(getProperties);
    await late.waitFor('the ticker', isDefOf('Ticker'));
    await late.waitFor('a tick', isTick);
    await expectStillTicking(running);
    expect(cli.stderr.filter((line) => /Remote .*(down|retrying)/.test(line))).toEqual([]);
  });

  it('the listening port is already taken: exit 1 with a clear line', async () => {
    const taken = createServer();
    servers.push(taken);
    await new Promise<void>((resolve) => taken.listen(0, 'localhost', resolve));
    const address = taken.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;

    const cli = startCli(['-v', '-p', String(port), ticker]);
    const exit = await cli.exited;
    expect(exit).toEqual({ code: 1, signal: undefined });
    expect(cli.stderr.map((line) => line.replace(/^\S+: /, '')).slice(-2)).toEqual([
      `port ${port} on localhost is already in use (is indiserver or another rxindi running? pick another port with -p)`,
      'good bye',
    ]);
    // The driver it had started did not outlive it.
    const [driver] = pidsOf(cli, 'ticker.mjs');
    if (driver !== undefined) await waitUntil('the ticker to exit', () => !pidRunning(driver));
    // The port's owner is untouched.
    expect(taken.listening).toBe(true);
  });
});
