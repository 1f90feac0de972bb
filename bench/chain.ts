/**
 * Chained servers, rxindi vs indiserver: `npx tsx bench/chain.ts [--count N] [--runs N]`
 *
 * Server 1 runs bench/flood-driver.mjs; server k+1 links to server k as the
 * remote driver `Flood@127.0.0.1:Pk`; one raw TCP client connects to the
 * last server and waits for the Flood definitions. For chains of 1, 2 and 3
 * servers it measures the round trip of a `newNumberVector` that the driver
 * echoes as a `setNumberVector` (p50/p99 of 1000 sequential requests after
 * 50 warm-up ones), and the throughput of `--count` (default 10k)
 * `setNumberVector`s flooded after GO, from GO to the `done` message at the
 * far client. Best of `--runs` (default 2): lowest p50, fastest flood.
 * rxindi runs from dist/ (run `npm run build` first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const driverPath = join(root, 'bench', 'flood-driver.mjs');
const rxindiMain = join(root, 'dist', 'cli', 'main.js');
const host = '127.0.0.1';
const latencyRequests = 1000;
const latencyWarmup = 50;
const tag = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
type ServerName = 'rxindi' | 'indiserver';

const children = new Set<ChildProcess>();
const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** Starts server `index` (1-based) of a chain in its own process group; upstream is the previous one's port. */
async function startServer(
  name: ServerName,
  index: number,
  upstream: number | undefined,
  env: Record<string, string>,
): Promise<number> {
  const port = await freePort();
  const driver = upstream === undefined ? driverPath : `Flood@${host}:${upstream}`;
  const [command, args] =
    name === 'rxindi'
      ? [process.execPath, [rxindiMain, '-p', String(port), '--host', host, driver]]
      : ['indiserver', ['-p', String(port), '-u', `/tmp/indiserver-chain-${tag}-${index}`, driver]];
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: 'ignore',
    detached: true,
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const deadline = Date.now() + 10_000;
  while (!(await canConnect(port))) {
    if (child.exitCode !== null) throw new Error(`${name} ${index} exited with code ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error(`${name} ${index} not listening after 10 s`);
    await delay(50);
  }
  return port;
}

/** A raw client: counts `</setNumberVector>` and watches for the definitions and the `done` marker. */
class Client {
  updates = 0;
  defined = false;
  done = false;
  private tail = ''; // the last bytes: a tag split across chunks, counted once
  private waiter: (() => void) | undefined;

  constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      const text = this.tail + chunk;
      const from = Math.max(0, this.tail.length - 17); // a whole tag in the tail was counted already
      for (
        let at = text.indexOf('</setNumberVector>', from);
        at >= 0;
        at = text.indexOf('</setNumberVector>', at + 1)
      )
        this.updates++;
      this.defined ||= text.includes('</defSwitchVector>');
      this.done ||= /message=(['"])done\1/.test(text);
      this.tail = text.slice(-64);
      this.waiter?.();
    });
  }

  static open(port: number): Promise<Client> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, host);
      socket.once('connect', () => resolve(new Client(socket)));
      socket.once('error', reject);
    });
  }

  send(xml: string): void {
    this.socket.write(xml);
  }

  async until(test: () => boolean, what: string, ms = 120_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!test()) {
      if (this.socket.destroyed) throw new Error(`connection closed before ${what}`);
      if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        setTimeout(resolve, 200);
      });
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

const numberRequest = (i: number): string =>
  `<newNumberVector device='Flood' name='VALUES'><oneNumber name='X'>${i}</oneNumber><oneNumber name='Y'>0</oneNumber></newNumberVector>\n`;
const goRequest = `<newSwitchVector device='Flood' name='GO'><oneSwitch name='GO'>On</oneSwitch></newSwitchVector>\n`;

/** Starts a chain, connects the far client, runs `measure`, kills the chain. */
async function withChain<T>(
  name: ServerName,
  length: number,
  count: number,
  measure: (client: Client) => Promise<T>,
): Promise<T> {
  const before = new Set(children);
  let client: Client | undefined;
  try {
    let port: number | undefined;
    const env = { FLOOD_MODE: 'numbers', FLOOD_COUNT: String(count) };
    for (let k = 1; k <= length; k++) port = await startServer(name, k, port, env);
    client = await Client.open(port!);
    client.send(`<getProperties version='1.7'/>\n`);
    await client.until(() => client!.defined, 'Flood definitions', 15_000);
    return await measure(client);
  } finally {
    client?.close();
    for (const child of children) if (!before.has(child)) killGroup(child);
    await delay(100);
  }
}

async function latency(client: Client): Promise<{ p50: number; p99: number }> {
  const trips: number[] = [];
  for (let i = 0; i < latencyWarmup + latencyRequests; i++) {
    const seen = client.updates;
    const start = performance.now();
    client.send(numberRequest(i));
    await client.until(() => client.updates > seen, 'echo', 10_000);
    if (i >= latencyWarmup) trips.push(performance.now() - start);
  }
  trips.sort((a, b) => a - b);
  return { p50: trips[Math.floor(0.5 * trips.length)]!, p99: trips[Math.floor(0.99 * trips.length)]! };
}

async function throughput(client: Client, count: number): Promise<number> {
  const seen = client.updates;
  const start = performance.now();
  client.send(goRequest);
  await client.until(() => client.done, 'done marker');
  const received = client.updates - seen;
  if (received < count) console.log(`  (${count - received} of ${count} updates missing)`);
  return received / ((performance.now() - start) / 1000);
}

async function best<T>(
  label: string,
  runs: number,
  run: () => Promise<T>,
  score: (t: T) => number,
): Promise<T | undefined> {
  let top: T | undefined;
  for (let i = 1; i <= runs; i++) {
    try {
      const next = await run();
      if (top === undefined || score(next) < score(top)) top = next;
    } catch (error) {
      console.log(`${label}: run ${i} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return top;
}

const fmt = (v: number | undefined): string =>
  v === undefined ? 'failed' : v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(v >= 10 ? 1 : 3);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { count: { type: 'string', default: '10000' }, runs: { type: 'string', default: '2' } },
  });
  const count = Number(values.count);
  const runs = Number(values.runs);
  const rows: string[][] = [];
  for (const length of [1, 2, 3]) {
    const result: Record<string, Partial<Record<ServerName, number>>> = {
      'p50 ms': {},
      'p99 ms': {},
      'messages/s': {},
    };
    for (const name of ['rxindi', 'indiserver'] as const) {
      const label = `${length} server(s), ${name}`;
      const lat = await best(
        label,
        runs,
        () => withChain(name, length, 0, latency),
        (r) => r.p50,
      );
      const rate = await best(
        label,
        runs,
        () => withChain(name, length, count, (c) => throughput(c, count)),
        (r) => -r,
      );
      result['p50 ms']![name] = lat?.p50;
      result['p99 ms']![name] = lat?.p99;
      result['messages/s']![name] = rate;
      console.log(`${label}: p50 ${fmt(lat?.p50)} ms, p99 ${fmt(lat?.p99)} ms, ${fmt(rate)} messages/s`);
    }
    for (const [metric, { rxindi, indiserver }] of Object.entries(result)) {
      const ratio = rxindi === undefined || indiserver === undefined ? '—' : (rxindi / indiserver).toFixed(2);
      rows.push([String(length), metric, fmt(rxindi), fmt(indiserver), ratio]);
    }
  }
  const header = ['servers', 'metric', 'rxindi', 'indiserver', 'rxindi/indiserver'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((v, c) => (c < 2 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join(' | ')} |`;
  console.log(`\n${count} updates per flood, ${latencyRequests} round trips, best of ${runs}\n`);
  console.log(line(header));
  console.log(`|${widths.map((w, c) => (c < 2 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

const killAll = (): void => children.forEach(killGroup);
process.once('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => (killAll(), process.exit(130)));
main().catch((error: unknown) => {
  console.error(error);
  killAll();
  process.exit(1);
});
