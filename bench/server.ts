/**
 * rxindi vs indiserver vs a raw relay, side by side: `npx tsx bench/server.ts`
 *   --only TEXT   only the scenarios whose name contains TEXT ('BLOBs', 'stalled', 'round')
 *   --runs N      runs per scenario and server (default 3, best reported)
 *   --profile DIR rxindi only, once per scenario under `node --cpu-prof`,
 *                 printing its top self-time functions (bench/cpu-profile.ts)
 *
 * Each run starts a fresh server on a free port with bench/flood-driver.mjs
 * as its only driver: rxindi from dist/ (rebuilt first when src/ is newer;
 * `--max-connections 100`, since 11 clients exceed its default of 10), or
 * Debian's `indiserver`, or bench/raw-relay.mjs: the same bytes relayed
 * without parsing, only answering the driver's pingRequests, the ceiling
 * for a server in Node (GitHub issue 7: rxindi within 2× of it for BLOBs;
 * it sits out the stalled-client scenario, having no queue budget). Raw TCP
 * clients send `getProperties` (and `enableBLOB … Also` for BLOBs) and wait
 * for the definitions; a control client then sends GO and the driver floods.
 * Timing runs from GO to the last client's `done` message. Clients count
 * bytes and closing tags (`</setNumberVector>`, `</setBLOBVector>`) without
 * parsing.
 *
 * Scenarios: number updates to 1 and to 10 clients; 1 MiB BLOBs (paced by
 * pingRequest/pingReply as libindi 1.9 drivers do) to 1 and to 10 clients;
 * 1 MiB BLOBs to one fast client beside one stalled client, both servers
 * with the same `-m` (`--only stalled`; GitHub issue 7): the stalled client
 * subscribes with `enableBLOB … Also`, then never reads during the flood
 * (`socket.pause()`); once the fast client has the `done` message it reads
 * again, to learn whether the server kept it (it gets the `done` message) or
 * cut it off (the connection ends), and how many BLOBs it got;
 * the round trip of a `newNumberVector` that the driver echoes as a
 * `setNumberVector` (p50/p99 over 2000 sequential requests, one client,
 * after 5000 unmeasured ones that warm up the JIT).
 * The number floods are kept short because indiserver's cost per message
 * grows with the backlog it holds for a client: 200k updates at once do not
 * get through it in minutes.
 *
 * Reported, from the best of the runs (fastest; lowest p50 for latency):
 * messages/s delivered across clients and MB/s received by the clients (10^6
 * bytes; indiserver re-encodes BLOBs without line breaks, so its byte counts
 * differ slightly); and the server process's peak RSS over all runs (the
 * kernel's VmHWM high-water mark, exact where 50 ms sampling could miss a
 * peak; the driver, a child process, is not counted) with its growth over the
 * idle RSS (VmRSS once every client has the definitions, before GO) in the
 * same run; the ratios rxindi/indiserver and rxindi/relay. Clients, server
 * and driver share the machine's cores.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpuSeconds } from '../test/remote/helpers.js';
import { printSelfTime } from './cpu-profile.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const driverPath = join(root, 'bench', 'flood-driver.mjs');
const rxindiMain = join(root, 'dist', 'cli', 'main.js');
const relayPath = join(root, 'bench', 'raw-relay.mjs');
const host = '127.0.0.1';
const runTimeoutMs = 120_000;
const latencyRequests = 2000;
/**
 * Round trips before the measured ones. rxindi's JavaScript is still being
 * compiled for the first few thousand: with 100, its p99 was 2–3 ms from
 * compilation pauses alone; after 20,000 it was 0.29 ms (indiserver 0.24).
 */
const latencyWarmup = 5000;

type ServerName = 'rxindi' | 'indiserver' | 'relay';
const servers: readonly ServerName[] = ['rxindi', 'indiserver', 'relay'];

interface Scenario {
  readonly name: string;
  readonly mode: 'numbers' | 'blobs';
  readonly count: number;
  readonly clients: number;
  /**
   * Adds a client that stops reading once it has the definitions, and runs the
   * server with `-m maxQueueMB`; the relay, which has no queue budget, sits it out.
   */
  readonly stalled?: { readonly maxQueueMB: number };
}

/** The servers a scenario runs on. */
const serversFor = (scenario: Scenario): readonly ServerName[] =>
  scenario.stalled ? servers.filter((name) => name !== 'relay') : servers;

const scenarios: readonly Scenario[] = [
  { name: 'numbers → 1 client', mode: 'numbers', count: 20_000, clients: 1 },
  { name: 'numbers → 10 clients', mode: 'numbers', count: 5_000, clients: 10 },
  { name: '1 MiB BLOBs → 1 client', mode: 'blobs', count: 200, clients: 1 },
  { name: '1 MiB BLOBs → 10 clients', mode: 'blobs', count: 100, clients: 10 },
  {
    name: '1 MiB BLOBs, 1 fast + 1 stalled client, -m 64',
    mode: 'blobs',
    count: 100,
    clients: 1,
    stalled: { maxQueueMB: 64 },
  },
];

/** What became of a client that stopped reading during the flood, seen once it reads again. */
interface StalledFate {
  /** Updates it received in all. */
  readonly received: number;
  /** Whether the server ended the connection instead of sending the `done` message. */
  readonly disconnected: boolean;
}

interface FloodResult {
  readonly seconds: number;
  readonly messages: number;
  readonly expected: number;
  readonly bytes: number;
  readonly peakRss: number;
  /** Resident memory once every client had the definitions, before GO. */
  readonly idleRss: number;
  /** CPU time the server process used from GO to the last `done` (user + system). */
  readonly cpuSeconds: number;
  readonly stalled?: StalledFate;
}

interface LatencyResult {
  readonly p50: number;
  readonly p99: number;
  readonly peakRss: number;
}

// ---------------------------------------------------------------- processes

const children = new Set<ChildProcess>();

/** Signals a child's whole process group (the server and its driver). */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function killAll(): void {
  for (const child of children) killGroup(child, 'SIGKILL');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function newestMtime(dir: string): number {
  return Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    }),
  );
}

/**
 * Runs `npm run build` when dist/ is missing or older than src/; a failed
 * build over an existing dist/ benchmarks that dist/, with a warning.
 */
function ensureBuilt(): void {
  let built = 0;
  try {
    built = statSync(rxindiMain).mtimeMs;
  } catch {
    // not built yet
  }
  if (built >= newestMtime(join(root, 'src'))) return;
  console.log('dist/ is older than src/: npm run build');
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status === 0) return;
  if (built === 0) throw new Error('npm run build failed and there is no dist/');
  console.log('npm run build failed: benchmarking the existing, older dist/');
}

interface RunningServer {
  readonly port: number;
  /** Peak resident memory of the server process so far, in bytes. */
  peakRss(): number;
  /** Resident memory of the server process now, in bytes. */
  rss(): number;
  /** CPU time the server process has used so far (user + system), in seconds. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/**
 * The command line; `nodeArgs` go to node before rxindi's script, `serverArgs`
 * to rxindi and indiserver (the relay takes none).
 */
function serverCommand(
  name: ServerName,
  port: number,
  nodeArgs: readonly string[],
  serverArgs: readonly string[],
): [string, string[]] {
  if (name === 'relay') {
    return [process.execPath, [relayPath, '--host', host, '-p', String(port), process.execPath, driverPath]];
  }
  return name === 'rxindi'
    ? [
        process.execPath,
        [
          ...nodeArgs,
          rxindiMain,
          '--host',
          host,
          '--max-connections',
          '100',
          ...serverArgs,
          '-p',
          String(port),
          driverPath,
        ],
      ]
    : [
        'indiserver',
        [...serverArgs, '-p', String(port), '-u', `/tmp/indiserver-bench-${process.pid}-${port}`, driverPath],
      ];
}

/** A memory figure of /proc/<pid>/status in bytes: VmHWM (peak resident) or VmRSS (resident now). */
function readMemory(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
  if (kib === undefined) throw new Error(`no ${field} for pid ${pid}`);
  return Number(kib) * 1024;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await canConnect(port))) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error(`server not listening on ${port} after 10 s`);
    await delay(50);
  }
}

/**
 * Starts a server with the flood driver, configured by `env`, in its own
 * process group; `nodeArgs` go to node before rxindi's script (e.g. --cpu-prof),
 * `serverArgs` to either server (e.g. `-m 64`).
 */
async function startServer(
  name: ServerName,
  env: Record<string, string>,
  nodeArgs: readonly string[] = [],
  serverArgs: readonly string[] = [],
): Promise<RunningServer> {
  const port = await freePort();
  const [command, args] = serverCommand(name, port, nodeArgs, serverArgs);
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  children.add(child);
  const stderr: string[] = [];
  child.stderr.setEncoding('utf8').on('data', (text: string) => stderr.push(text));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => children.delete(child));
  try {
    await waitForPort(port, child);
  } catch (error) {
    killGroup(child, 'SIGKILL');
    throw new Error(`${name}: ${String(error)}\n${stderr.join('').slice(-2000)}`);
  }
  const pid = child.pid!;
  return {
    port,
    peakRss: () => readMemory(pid, 'VmHWM'),
    rss: () => readMemory(pid, 'VmRSS'),
    cpuSeconds: () => cpuSeconds(pid),
    stop: async () => {
      killGroup(child, 'SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), delay(5000).then(() => false)]);
      if (!stopped) killGroup(child, 'SIGKILL');
      await exited;
    },
  };
}

// ---------------------------------------------------------------- clients

/**
 * Counts a closing tag in a stream chunked anyhow: occurrences inside each
 * chunk, plus the one that may straddle the previous chunk and this one.
 */
class TagCounter {
  count = 0;
  private readonly tag: Buffer;
  private tail = Buffer.alloc(0);

  constructor(tag: string) {
    this.tag = Buffer.from(tag, 'latin1');
  }

  push(chunk: Buffer): void {
    const edge = this.tag.length - 1;
    if (this.tail.length > 0) {
      const seam = Buffer.concat([this.tail, chunk.subarray(0, edge)]);
      if (seam.includes(this.tag)) this.count += 1;
    }
    for (let at = chunk.indexOf(this.tag); at >= 0; at = chunk.indexOf(this.tag, at + this.tag.length)) {
      this.count += 1;
    }
    const recent = chunk.length >= edge ? chunk : Buffer.concat([this.tail, chunk]);
    this.tail = Buffer.from(recent.subarray(Math.max(0, recent.length - edge)));
  }
}

interface Waiter {
  readonly test: () => boolean;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** A raw INDI client: counts what it receives; no XML parsing. */
class BenchClient {
  bytes = 0;
  /** The last bytes received: the `done` message is the last thing a flood sends. */
  private end = Buffer.alloc(0);
  private readonly updates: TagCounter;
  private readonly definitions = new TagCounter('</defSwitchVector>');
  private waiters: Waiter[] = [];
  private closed = false;

  private constructor(
    private readonly socket: Socket,
    updateTag: string,
  ) {
    this.updates = new TagCounter(updateTag);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.once('close', () => {
      this.closed = true;
      const error = new Error(`the server closed the connection after ${this.messages} updates`);
      for (const waiter of this.waiters.splice(0)) waiter.reject(error);
    });
  }

  static async open(port: number, updateTag: string): Promise<BenchClient> {
    const socket = connect(port, host);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new BenchClient(socket, updateTag);
  }

  get messages(): number {
    return this.updates.count;
  }

  send(xml: string): void {
    this.socket.write(xml);
  }

  /** Resolves once `test` holds, checked after every chunk received. */
  until(test: () => boolean, what: string): Promise<void> {
    if (test()) return Promise.resolve();
    if (this.closed) return Promise.reject(new Error(`the server closed the connection before ${what}`));
    const reached = new Promise<void>((resolve, reject) => this.waiters.push({ test, resolve, reject }));
    return withTimeout(reached, runTimeoutMs, what);
  }

  /** Sends getProperties (and enableBLOB) and waits for the driver's definitions. */
  async subscribe(blobs: boolean): Promise<void> {
    this.send(`<getProperties version='1.7'/>\n`);
    if (blobs) this.send(`<enableBLOB device='Flood'>Also</enableBLOB>\n`);
    await this.until(() => this.definitions.count > 0, 'definitions');
  }

  done(): Promise<void> {
    return this.until(() => /message=(['"])done\1/.test(this.end.toString('latin1')), 'done marker');
  }

  /** Stops reading: the kernel's buffers fill, then the server's queue for this client. */
  stall(): void {
    this.socket.pause();
  }

  /** Reads again after {@link stall}, until the flood's `done` message or the end of the connection. */
  async resume(): Promise<StalledFate> {
    this.socket.resume();
    try {
      await this.done();
      return { received: this.messages, disconnected: false };
    } catch (error) {
      if (!this.closed) throw error;
      return { received: this.messages, disconnected: true };
    }
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.bytes += chunk.length;
    this.updates.push(chunk);
    // Definitions matter only until the first set has arrived.
    if (this.definitions.count === 0) this.definitions.push(chunk);
    this.end = Buffer.concat([this.end, chunk.subarray(-256)]).subarray(-256);
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) {
      if (waiter.test()) waiter.resolve();
      else this.waiters.push(waiter);
    }
  }
}

const goRequest = `<newSwitchVector device='Flood' name='GO'><oneSwitch name='GO'>On</oneSwitch></newSwitchVector>\n`;

function numberRequest(i: number): string {
  return `<newNumberVector device='Flood' name='VALUES'><oneNumber name='X'>${i}</oneNumber><oneNumber name='Y'>0</oneNumber></newNumberVector>\n`;
}

// ---------------------------------------------------------------- scenarios

async function floodOnce(
  name: ServerName,
  scenario: Scenario,
  nodeArgs: readonly string[] = [],
): Promise<FloodResult> {
  const env = { FLOOD_MODE: scenario.mode, FLOOD_COUNT: String(scenario.count) };
  const serverArgs = scenario.stalled ? ['-m', String(scenario.stalled.maxQueueMB)] : [];
  const server = await startServer(name, env, nodeArgs, serverArgs);
  const clients: BenchClient[] = [];
  try {
    const updateTag = scenario.mode === 'blobs' ? '</setBLOBVector>' : '</setNumberVector>';
    for (let i = 0; i < scenario.clients; i++) clients.push(await BenchClient.open(server.port, updateTag));
    await Promise.all(clients.map((client) => client.subscribe(scenario.mode === 'blobs')));
    const flooding = clients.slice(0, scenario.clients);
    let stalled: BenchClient | undefined;
    if (scenario.stalled) {
      stalled = await BenchClient.open(server.port, updateTag);
      clients.push(stalled);
      await stalled.subscribe(scenario.mode === 'blobs');
      stalled.stall();
    }
    const control = await BenchClient.open(server.port, updateTag);
    clients.push(control);
    const bytesBefore = sum(flooding.map((client) => client.bytes));
    const messagesBefore = sum(flooding.map((client) => client.messages));
    const idleRss = server.rss();
    const cpuBefore = server.cpuSeconds();
    const start = performance.now();
    control.send(goRequest);
    await Promise.all(flooding.map((client) => client.done()));
    const seconds = (performance.now() - start) / 1000;
    const cpuSeconds = server.cpuSeconds() - cpuBefore;
    const peakRss = server.peakRss();
    return {
      seconds,
      messages: sum(flooding.map((client) => client.messages)) - messagesBefore,
      expected: scenario.count * scenario.clients,
      bytes: sum(flooding.map((client) => client.bytes)) - bytesBefore,
      peakRss,
      idleRss,
      cpuSeconds,
      ...(stalled && { stalled: await stalled.resume() }),
    };
  } finally {
    for (const client of clients) client.close();
    await server.stop();
  }
}

async function latencyOnce(name: ServerName, nodeArgs: readonly string[] = []): Promise<LatencyResult> {
  const server = await startServer(name, { FLOOD_MODE: 'numbers', FLOOD_COUNT: '0' }, nodeArgs);
  let client: BenchClient | undefined;
  try {
    client = await BenchClient.open(server.port, '</setNumberVector>');
    await client.subscribe(false);
    const roundTrips: number[] = [];
    for (let i = 0; i < latencyWarmup + latencyRequests; i++) {
      const replies = client.messages;
      const start = performance.now();
      client.send(numberRequest(i));
      await client.until(() => client!.messages > replies, 'echo');
      if (i >= latencyWarmup) roundTrips.push(performance.now() - start);
    }
    roundTrips.sort((a, b) => a - b);
    const at = (q: number): number =>
      roundTrips[Math.min(roundTrips.length - 1, Math.floor(q * roundTrips.length))]!;
    return { p50: at(0.5), p99: at(0.99), peakRss: server.peakRss() };
  } finally {
    client?.close();
    await server.stop();
  }
}

/**
 * The best of `times` runs by `better`, with the memory figures (peak RSS and,
 * for floods, idle RSS) of the run with the highest peak; a run that fails is
 * reported and left out; undefined if all fail.
 */
async function bestOf<T extends { readonly peakRss: number; readonly idleRss?: number }>(
  label: string,
  times: number,
  run: () => Promise<T>,
  better: (a: T, b: T) => boolean,
): Promise<T | undefined> {
  let best: T | undefined;
  let highest: T | undefined;
  for (let i = 1; i <= times; i++) {
    try {
      const next = await run();
      if (best === undefined || better(next, best)) best = next;
      if (highest === undefined || next.peakRss > highest.peakRss) highest = next;
    } catch (error) {
      console.log(`${label}: run ${i} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return best && highest && { ...best, peakRss: highest.peakRss, idleRss: highest.idleRss };
}

// ---------------------------------------------------------------- report

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);
const mb = (bytes: number): number => bytes / 1e6;

/** A table cell: a figure, a text, undefined when every run failed, '—' when the server did not run. */
type Cell = number | string | undefined;

function formatValue(value: Cell): string {
  if (value === undefined) return 'failed';
  if (typeof value === 'string') return value;
  if (value >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(value >= 10 ? 1 : 2);
}

interface Row {
  readonly scenario: string;
  readonly metric: string;
  readonly values: Record<ServerName, Cell>;
}

type Results<T> = Record<ServerName, T | undefined>;

const noResults = <T>(): Results<T> => ({ rxindi: undefined, indiserver: undefined, relay: undefined });

/** One row: `of` of each server's result among those that `ran`. */
function row<T>(
  scenario: string,
  metric: string,
  ran: readonly ServerName[],
  results: Results<T>,
  of: (result: T) => number | string,
): Row {
  const cell = (name: ServerName): Cell => {
    if (!ran.includes(name)) return '—';
    const result = results[name];
    return result && of(result);
  };
  return {
    scenario,
    metric,
    values: { rxindi: cell('rxindi'), indiserver: cell('indiserver'), relay: cell('relay') },
  };
}

function floodRows(scenario: Scenario, results: Results<FloodResult>): Row[] {
  const metric = (label: string, of: (result: FloodResult) => number | string): Row =>
    row(scenario.name, label, serversFor(scenario), results, of);
  const rows = [
    metric('messages/s', (result) => result.messages / result.seconds),
    metric('MB/s', (result) => mb(result.bytes) / result.seconds),
    metric('seconds', (result) => result.seconds),
    metric('server CPU s', (result) => result.cpuSeconds),
    metric('peak RSS MB', (result) => mb(result.peakRss)),
    metric('peak − idle RSS MB', (result) => mb(result.peakRss - result.idleRss)),
  ];
  if (!scenario.stalled) return rows;
  const fate = (result: FloodResult): StalledFate => {
    if (result.stalled === undefined) throw new Error('a stalled-client run without the stalled client');
    return result.stalled;
  };
  return [
    ...rows,
    metric('fast client: updates', (result) => `${result.messages} of ${result.expected}`),
    metric('stalled client: updates', (result) => `${fate(result).received} of ${result.expected}`),
    metric('stalled client', (result) => (fate(result).disconnected ? 'disconnected' : 'kept')),
  ];
}

function latencyRows(results: Results<LatencyResult>): Row[] {
  const metric = (label: string, of: (result: LatencyResult) => number): Row =>
    row(`round trip (${latencyRequests} requests)`, label, servers, results, of);
  return [
    metric('p50 ms', (result) => result.p50),
    metric('p99 ms', (result) => result.p99),
    metric('peak RSS MB', (result) => mb(result.peakRss)),
  ];
}

const ratio = (a: Cell, b: Cell): string =>
  typeof a === 'number' && typeof b === 'number' ? (a / b).toFixed(2) : '—';

function printTable(rows: readonly Row[]): void {
  const header = [
    'scenario',
    'metric',
    'rxindi',
    'indiserver',
    'raw relay',
    'rxindi/indiserver',
    'rxindi/relay',
  ];
  const cells = rows.map(({ scenario, metric, values }, i) => [
    i > 0 && rows[i - 1]!.scenario === scenario ? '' : scenario,
    metric,
    formatValue(values.rxindi),
    formatValue(values.indiserver),
    formatValue(values.relay),
    ratio(values.rxindi, values.indiserver),
    ratio(values.rxindi, values.relay),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((cell) => cell[column]!.length)),
  );
  const line = (values: readonly string[]): string =>
    `| ${values.map((value, column) => (column < 2 ? value.padEnd(widths[column]!) : value.padStart(widths[column]!))).join(' | ')} |`;
  console.log(line(header));
  console.log(
    `|${widths.map((width, column) => (column < 2 ? '-'.repeat(width + 2) : `${'-'.repeat(width + 1)}:`)).join('|')}|`,
  );
  for (const row of cells) console.log(line(row));
}

// ---------------------------------------------------------------- main

async function compare(selected: readonly Scenario[], latency: boolean, runs: number): Promise<void> {
  const rows: Row[] = [];
  for (const scenario of selected) {
    const results = noResults<FloodResult>();
    for (const name of serversFor(scenario)) {
      const label = `${scenario.name}, ${name}`;
      const best = await bestOf(
        label,
        runs,
        () => floodOnce(name, scenario),
        (a, b) => a.seconds < b.seconds,
      );
      results[name] = best;
      if (best === undefined) continue;
      const { messages, expected, seconds, stalled } = best;
      const missing = messages < expected ? ` (${expected - messages} of ${expected} updates missing!)` : '';
      const fate = stalled
        ? `; the stalled client got ${stalled.received} and was ${stalled.disconnected ? 'disconnected' : 'kept'}`
        : '';
      console.log(`${label}: ${seconds.toFixed(2)} s${missing}${fate}`);
    }
    rows.push(...floodRows(scenario, results));
  }
  if (latency) {
    const results = noResults<LatencyResult>();
    for (const name of servers) {
      results[name] = await bestOf(
        `round trip, ${name}`,
        runs,
        () => latencyOnce(name),
        (a, b) => a.p50 < b.p50,
      );
    }
    rows.push(...latencyRows(results));
  }
  console.log();
  printTable(rows);
}

const profileArgs = (dir: string, file: string): string[] => [
  '--cpu-prof',
  `--cpu-prof-dir=${dir}`,
  `--cpu-prof-name=${file}`,
];

/** One rxindi run per scenario under `node --cpu-prof`, and its top self-time functions. */
async function profile(selected: readonly Scenario[], latency: boolean, dir: string): Promise<void> {
  for (const [i, scenario] of selected.entries()) {
    const file = `rxindi-${i + 1}-${scenario.mode}-${scenario.clients}.cpuprofile`;
    const result = await floodOnce('rxindi', scenario, profileArgs(dir, file));
    console.log(`\n${scenario.name}: ${result.seconds.toFixed(2)} s, ${join(dir, file)}`);
    printSelfTime(join(dir, file));
  }
  if (latency) {
    const file = 'rxindi-latency.cpuprofile';
    const result = await latencyOnce('rxindi', profileArgs(dir, file));
    console.log(
      `\nround trip: p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, ${join(dir, file)}`,
    );
    printSelfTime(join(dir, file));
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      profile: { type: 'string' },
      runs: { type: 'string', default: '3' },
    },
  });
  const only = values.only;
  const selected = scenarios.filter((scenario) => only === undefined || scenario.name.includes(only));
  const latency = only === undefined || 'round trip'.includes(only);
  ensureBuilt();
  if (values.profile === undefined) await compare(selected, latency, Number(values.runs));
  else await profile(selected, latency, values.profile);
}

process.once('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}
main().catch((error: unknown) => {
  console.error(error);
  killAll();
  process.exit(1);
});
