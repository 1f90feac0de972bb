/**
 * Records real libindi traffic as test fixtures.
 *
 *   npx tsx test/corpus/record-corpus.ts
 *
 * For a handful of Debian `indi-bin` simulators it starts the driver, sends a
 * short scripted conversation, and stores the driver's stdout byte-for-byte in
 * `test/corpus/fixtures/<driver>.xml` (what we sent goes to `<driver>.sent.xml`).
 * It also records what `indiserver` itself writes to a TCP client. The fixtures
 * are the ground truth of libindi's XML layout; never reformat them.
 *
 * Why the plumbing below is not just `spawn(driver)`:
 *
 * - Node's default child stdio ('pipe') is a Unix socketpair, not a pipe. libindi
 *   drivers call getsockname() on stdout; when it is an AF_UNIX socket they send
 *   BLOBs as `<oneBLOB attached='true'/>` and pass the data as a file descriptor
 *   via SCM_RIGHTS, so the recorded image would be lost. We therefore give the
 *   driver a regular file as stdout and a named FIFO as stdin.
 * - After every BLOB a libindi driver writes `<pingRequest uid='...'/>` and
 *   blocks until `<pingReply uid='...'/>` arrives on stdin. We tail the output
 *   file and answer every pingRequest, otherwise the driver stalls.
 * - Drivers load/save `~/.indi/<device>_config.xml`; children get a throw-away
 *   HOME so the recording does not depend on (or touch) the user's config.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const FIXTURES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const POLL_MS = 25;

/**
 * Every child we start, so that `killAll` can reap them even on error; `true`
 * marks a process-group leader (indiserver), whose whole group is killed.
 */
const children = new Map<ChildProcess, boolean>();

// ---------------------------------------------------------------------------
// XML snippets we send

const GET_PROPERTIES = "<getProperties version='1.7'/>\n";

function newSwitch(device: string, name: string, members: Record<string, 'On' | 'Off'>): string {
  const items = Object.entries(members)
    .map(([member, value]) => `<oneSwitch name='${member}'>${value}</oneSwitch>`)
    .join('');
  return `<newSwitchVector device='${device}' name='${name}'>${items}</newSwitchVector>\n`;
}

function newNumber(device: string, name: string, members: Record<string, number>): string {
  const items = Object.entries(members)
    .map(([member, value]) => `<oneNumber name='${member}'>${value}</oneNumber>`)
    .join('');
  return `<newNumberVector device='${device}' name='${name}'>${items}</newNumberVector>\n`;
}

const connect = (device: string): string => newSwitch(device, 'CONNECTION', { CONNECT: 'On' });

// ---------------------------------------------------------------------------
// Driver session: FIFO stdin, regular-file stdout, ping answering

function contains(text: string, needle: string | RegExp): boolean {
  return typeof needle === 'string' ? text.includes(needle) : needle.test(text);
}

class DriverSession implements Conversation {
  readonly outPath: string;
  readonly errPath: string;
  private readonly sent: string[] = [];
  private readonly answeredPings = new Set<string>();
  private readonly stdinFd: number;
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private readonly pinger: NodeJS.Timeout;
  private stdinOpen = true;

  constructor(
    readonly driver: string,
    workDir: string,
  ) {
    const fifoPath = path.join(workDir, `${driver}.stdin`);
    this.outPath = path.join(workDir, `${driver}.stdout`);
    this.errPath = path.join(workDir, `${driver}.stderr`);
    execFileSync('mkfifo', [fifoPath]);
    // O_RDWR on a FIFO never blocks on Linux (POSIX leaves it undefined), so we
    // hold a writer before the driver opens the read end; closing it is the
    // driver's EOF.
    this.stdinFd = fs.openSync(fifoPath, fs.constants.O_RDWR);
    fs.writeFileSync(this.outPath, '');

    // `exec` so that the pid we hold is the driver itself, not the shell.
    this.child = spawn(
      '/bin/sh',
      ['-c', 'exec "$0" < "$1" > "$2" 2> "$3"', driver, fifoPath, this.outPath, this.errPath],
      { stdio: 'ignore', env: { ...process.env, HOME: workDir } },
    );
    children.set(this.child, false);
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
    this.exited.then(() => children.delete(this.child)).catch(() => undefined);
    this.pinger = setInterval(() => this.answerPings(), POLL_MS);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  output(): string {
    // latin1 maps bytes 1:1, so a UTF-8 sequence cut by a partial write is harmless.
    return fs.readFileSync(this.outPath, 'latin1');
  }

  send(xml: string): void {
    if (!this.stdinOpen) throw new Error(`${this.driver}: stdin already closed`);
    this.sent.push(xml);
    fs.writeSync(this.stdinFd, xml);
  }

  /** libindi blocks after each BLOB until its pingRequest is answered. */
  private answerPings(): void {
    if (!this.stdinOpen) return;
    for (const match of this.output().matchAll(/<pingRequest uid='([^']*)'/g)) {
      const uid = match[1]!;
      if (this.answeredPings.has(uid)) continue;
      this.answeredPings.add(uid);
      this.send(`<pingReply uid='${uid}'/>\n`);
    }
  }

  async waitForOutput(needle: string | RegExp, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!contains(this.output(), needle)) {
      if (!this.running) {
        const stderr = fs.readFileSync(this.errPath, 'utf8').trim();
        throw new Error(`${this.driver} exited before writing ${needle}; stderr: ${stderr}`);
      }
      if (Date.now() > deadline) throw new Error(`${this.driver}: no ${needle} within ${timeoutMs} ms`);
      await sleep(POLL_MS);
    }
  }

  /** Closes stdin (the driver exits on EOF); kills it if it lingers. */
  async finish(): Promise<void> {
    clearInterval(this.pinger);
    if (this.stdinOpen) {
      this.stdinOpen = false;
      fs.closeSync(this.stdinFd);
    }
    const exitedInTime = await Promise.race([this.exited.then(() => true), sleep(3000, false)]);
    if (!exitedInTime) {
      console.warn(`${this.driver}: did not exit on EOF, killing it`);
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  sentText(): string {
    return this.sent.join('');
  }
}

// ---------------------------------------------------------------------------
// Scenarios: what we say to a driver, or to indiserver on a driver's behalf

/** The two ends we talk to: a driver's stdin/stdout, or an indiserver socket. */
interface Conversation {
  send(xml: string): void;
  waitForOutput(needle: string | RegExp, timeoutMs: number): Promise<void>;
}

/** Drivers quote attributes with ', indiserver with ". */
const CONNECTION_DEFINED = /name=['"]CONNECTION['"]/;

type Scenario = (conversation: Conversation) => Promise<void>;

/** getProperties, connect, and let the driver chatter for a while. */
function connectAndIdle(device: string, idleMs: number): Scenario {
  return async (c) => {
    c.send(GET_PROPERTIES);
    await c.waitForOutput(CONNECTION_DEFINED, 5000);
    c.send(connect(device));
    await sleep(idleMs);
  };
}

const telescopeScenario: Scenario = async (c) => {
  const device = 'Telescope Simulator';
  await connectAndIdle(device, 1000)(c);
  c.send(newSwitch(device, 'TELESCOPE_PARK', { UNPARK: 'On' }));
  await sleep(300);
  c.send(newSwitch(device, 'ON_COORD_SET', { SLEW: 'On' }));
  c.send(newNumber(device, 'EQUATORIAL_EOD_COORD', { RA: 5.5, DEC: 22.5 }));
  await sleep(2000);
};

const CCD = 'CCD Simulator';

/** A small frame, a 0.1 s exposure, and the resulting setBLOBVector. */
async function exposeSmallFrame(c: Conversation): Promise<void> {
  // A 160x128 16-bit frame keeps the FITS (and so the fixture) small.
  c.send(newNumber(CCD, 'CCD_FRAME', { X: 0, Y: 0, WIDTH: 160, HEIGHT: 128 }));
  await sleep(300);
  c.send(newNumber(CCD, 'CCD_EXPOSURE', { CCD_EXPOSURE_VALUE: 0.1 }));
  await c.waitForOutput('</setBLOBVector>', 15_000);
  // Let the driver's pingRequest be answered and the post-BLOB updates arrive.
  await sleep(500);
}

const ccdScenario: Scenario = async (c) => {
  await connectAndIdle(CCD, 1000)(c);
  await exposeSmallFrame(c);
};

/** Through indiserver a client only gets BLOBs after enableBLOB. */
const ccdViaServerScenario: Scenario = async (c) => {
  c.send(GET_PROPERTIES);
  await c.waitForOutput(CONNECTION_DEFINED, 5000);
  c.send(`<enableBLOB device='${CCD}'>Also</enableBLOB>\n`);
  c.send(connect(CCD));
  await sleep(1000);
  await exposeSmallFrame(c);
};

/** Moves the wheel, then disconnects: disconnecting makes the driver send delProperty. */
const wheelScenario: Scenario = async (c) => {
  const device = 'Filter Simulator';
  await connectAndIdle(device, 500)(c);
  c.send(newNumber(device, 'FILTER_SLOT', { FILTER_SLOT_VALUE: 3 }));
  await sleep(1500);
  c.send(newSwitch(device, 'CONNECTION', { DISCONNECT: 'On' }));
  await sleep(500);
};

/** The weather simulator is the one with lights (defLightVector / setLightVector). */
const weatherScenario: Scenario = async (c) => {
  const device = 'Weather Simulator';
  await connectAndIdle(device, 1000)(c);
  // Bad weather plus rain, then a refresh, so that WEATHER_STATUS lights change.
  c.send(newNumber(device, 'WEATHER_CONTROL', { Weather: 1, Precip: 5 }));
  c.send(newSwitch(device, 'WEATHER_REFRESH', { REFRESH: 'On' }));
  await sleep(1000);
};

/** Drivers recorded directly: fixture `<driver>.xml`. */
const DRIVERS: ReadonlyArray<{ driver: string; scenario: Scenario }> = [
  { driver: 'indi_simulator_telescope', scenario: telescopeScenario },
  { driver: 'indi_simulator_ccd', scenario: ccdScenario },
  { driver: 'indi_simulator_focus', scenario: connectAndIdle('Focuser Simulator', 1500) },
  { driver: 'indi_simulator_wheel', scenario: wheelScenario },
  { driver: 'indi_simulator_weather', scenario: weatherScenario },
];

/** Drivers recorded behind indiserver, as a TCP client sees them: fixture `<fixture>.xml`. */
const SERVED: ReadonlyArray<{ fixture: string; driver: string; port: number; scenario: Scenario }> = [
  {
    fixture: 'indiserver-telescope',
    driver: 'indi_simulator_telescope',
    port: 17651,
    // Defs, then a connect so the fixture also shows forwarded set*/message traffic.
    scenario: connectAndIdle('Telescope Simulator', 1500),
  },
  { fixture: 'indiserver-ccd', driver: 'indi_simulator_ccd', port: 17652, scenario: ccdViaServerScenario },
];

// ---------------------------------------------------------------------------
// Recording

/** Crude count: libindi starts every top-level element at column 0. */
function countTopLevelElements(xml: string): number {
  return xml.match(/^<[A-Za-z]/gm)?.length ?? 0;
}

function report(name: string, bytes: Buffer): void {
  const elements = countTopLevelElements(bytes.toString('latin1'));
  console.log(`${name}: ${bytes.length} bytes, ${elements} top-level elements`);
}

async function recordDriver(driver: string, scenario: Scenario, workDir: string): Promise<void> {
  const session = new DriverSession(driver, workDir);
  try {
    await scenario(session);
  } finally {
    await session.finish();
  }
  const bytes = fs.readFileSync(session.outPath);
  fs.writeFileSync(path.join(FIXTURES_DIR, `${driver}.xml`), bytes);
  fs.writeFileSync(path.join(FIXTURES_DIR, `${driver}.sent.xml`), session.sentText());
  report(driver, bytes);
}

/** Makes sure the CCD BLOB was sent inline (the socketpair trap would show as attached='true'). */
function checkInlineBlob(): void {
  const xml = fs.readFileSync(path.join(FIXTURES_DIR, 'indi_simulator_ccd.xml'), 'latin1');
  if (/attached=/.test(xml)) throw new Error('CCD BLOB was sent attached (stdout was a socket?)');
  const blob = /<oneBLOB\b[^>]*\bsize='(\d+)'[^>]*>([^<]*)<\/oneBLOB>/.exec(xml);
  if (!blob) throw new Error('CCD fixture has no inline oneBLOB');
  const decoded = Buffer.from(blob[2]!.replace(/\s+/g, ''), 'base64');
  if (decoded.length !== Number(blob[1])) {
    throw new Error(`CCD BLOB decodes to ${decoded.length} bytes, size='${blob[1]}'`);
  }
  console.log(`CCD BLOB inline: ${decoded.length} bytes decoded`);
}

// ---------------------------------------------------------------------------
// indiserver: the layout the server writes to TCP clients

async function connectWithRetry(port: number, timeoutMs: number): Promise<net.Socket> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await new Promise<net.Socket>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
        socket.once('error', reject);
      });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(100);
    }
  }
}

/** A raw TCP client of indiserver that keeps every byte it receives. */
class ServerClient implements Conversation {
  private readonly chunks: Buffer[] = [];
  private readonly sent: string[] = [];

  constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => this.chunks.push(chunk));
  }

  received(): Buffer {
    return Buffer.concat(this.chunks);
  }

  send(xml: string): void {
    this.sent.push(xml);
    this.socket.write(xml);
  }

  async waitForOutput(needle: string | RegExp, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!contains(this.received().toString('latin1'), needle)) {
      if (Date.now() > deadline) throw new Error(`indiserver: no ${String(needle)} within ${timeoutMs} ms`);
      await sleep(POLL_MS);
    }
  }

  /** Disconnects between two messages, so the fixture holds whole elements only. */
  async close(): Promise<void> {
    const deadline = Date.now() + 3000;
    while (!endsWithWholeElement(this.received().toString('latin1')) && Date.now() < deadline) {
      await sleep(POLL_MS);
    }
    this.socket.destroy();
  }

  sentText(): string {
    return this.sent.join('');
  }
}

/** True when the last line closes a top-level element (those start at column 0). */
function endsWithWholeElement(xml: string): boolean {
  const lastLine = /(?:^|\n)([^\n]*)\n$/.exec(xml)?.[1] ?? '';
  return /^(<\/[A-Za-z]\w*>|\/>|<[A-Za-z][^\n]*\/>)$/.test(lastLine);
}

async function recordServed(
  fixture: string,
  driver: string,
  port: number,
  scenario: Scenario,
  workDir: string,
): Promise<void> {
  const errFd = fs.openSync(path.join(workDir, `${fixture}.stderr`), 'w');
  // Own process group, so killing -pid also reaps the driver indiserver forks.
  const server = spawn('indiserver', ['-p', String(port), driver], {
    stdio: ['ignore', 'ignore', errFd],
    detached: true,
    env: { ...process.env, HOME: workDir },
  });
  children.set(server, true);
  fs.closeSync(errFd);
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  let client: ServerClient | undefined;
  try {
    client = new ServerClient(await connectWithRetry(port, 5000));
    await scenario(client);
    await client.close();
  } finally {
    killGroup(server, 'SIGTERM');
    await Promise.race([exited, sleep(2000)]);
    killGroup(server, 'SIGKILL');
    children.delete(server);
  }
  const bytes = client.received();
  fs.writeFileSync(path.join(FIXTURES_DIR, `${fixture}.xml`), bytes);
  fs.writeFileSync(path.join(FIXTURES_DIR, `${fixture}.sent.xml`), client.sentText());
  report(fixture, bytes);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function killAll(): void {
  for (const [child, isGroupLeader] of children) {
    if (isGroupLeader) killGroup(child, 'SIGKILL');
    else child.kill('SIGKILL');
  }
  children.clear();
}

// ---------------------------------------------------------------------------

async function main(): Promise<void> {
  fs.mkdirSync(FIXTURES_DIR, { recursive: true });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rxindi-corpus-'));
  try {
    for (const { driver, scenario } of DRIVERS) await recordDriver(driver, scenario, workDir);
    checkInlineBlob();
    for (const { fixture, driver, port, scenario } of SERVED) {
      await recordServed(fixture, driver, port, scenario, workDir);
    }
  } finally {
    killAll();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

process.once('SIGINT', () => {
  killAll();
  process.exit(130);
});

main().catch((error: unknown) => {
  console.error(error);
  killAll();
  process.exitCode = 1;
});
