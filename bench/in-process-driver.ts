/**
 * In-process driver vs external driver (GitHub issue 5): `npx tsx bench/in-process-driver.ts`
 *   --runs N  runs per scenario and server (default 3, best reported)
 *
 * rxindi: bench/in-process-server.ts, an IndiServer with device 'Flood' as an
 * in-process indiDriver (no XML, no pipe between server and driver), run from
 * src/ under tsx. indiserver: Debian's, with bench/flood-driver.mjs as an
 * external driver. Both drivers behave alike: a VALUES request is echoed as a
 * setNumberVector; GO floods FLOOD_COUNT setNumberVectors, then message 'done'.
 *
 * Scenarios, over raw TCP clients (node:net) that count closing tags without
 * parsing, as bench/server.ts does: the round trip client → server → driver →
 * client (p50/p99 of 2000 sequential requests after 100 warm-up), and 20k
 * updates fanned out to 10 clients (messages/s delivered across the clients,
 * timed from GO to the last client's 'done'). Best of the runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const host = '127.0.0.1';
const latencyRequests = 2000;
const latencyWarmup = 100;
const floodCount = 20_000;
const floodClients = 10;
const timeoutMs = 120_000;
type ServerName = 'rxindi' | 'indiserver';
const children = new Set<ChildProcess>();

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const killGroup = (child: ChildProcess, signal: NodeJS.Signals): void => {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
};

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

const canConnect = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

/** Starts a server (own process group) on a free port; returns its port and a stop function. */
async function startServer(
  name: ServerName,
  count: number,
): Promise<{ port: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const [command, args] =
    name === 'rxindi'
      ? [process.execPath, ['--import', 'tsx', join(root, 'bench', 'in-process-server.ts'), String(port)]]
      : [
          'indiserver',
          [
            '-p',
            String(port),
            '-u',
            `/tmp/indiserver-bench-${process.pid}-${port}`,
            join(root, 'bench', 'flood-driver.mjs'),
          ],
        ];
  const env = { ...process.env, FLOOD_MODE: 'numbers', FLOOD_COUNT: String(count) };
  const child = spawn(command, args, {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', name === 'rxindi' ? 'inherit' : 'ignore'],
    detached: true,
  });
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 15_000;
  while (!(await canConnect(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      killGroup(child, 'SIGKILL');
      throw new Error(`${name} did not listen on ${port}`);
    }
    await delay(50);
  }
  return {
    port,
    stop: async () => {
      killGroup(child, 'SIGTERM');
      if (!(await Promise.race([exited.then(() => true), delay(3000).then(() => false)])))
        killGroup(child, 'SIGKILL');
      await exited;
      children.delete(child);
    },
  };
}

const tag = '</setNumberVector>';

/** A raw INDI client: counts `</setNumberVector>` (across chunk seams) and notices definitions and 'done'. */
class Client {
  updates = 0;
  seen = false;
  done = false;
  /** The end of what came, too short to hold a whole closing tag: no tag is counted twice. */
  private tail = '';
  /** The last bytes received, where the 'done' message shows up. */
  private end = '';
  private waiter: (() => void) | undefined;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      const scan = this.tail + text;
      for (let at = scan.indexOf(tag); at >= 0; at = scan.indexOf(tag, at + tag.length)) this.updates += 1;
      this.tail = scan.slice(-(tag.length - 1));
      this.end = (this.end + text).slice(-300);
      this.seen ||= scan.includes('</defSwitchVector>');
      this.done ||= /message=(['"])done\1/.test(this.end);
      this.waiter?.();
    });
  }

  static async open(port: number): Promise<Client> {
    const socket = connect(port, host);
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new Client(socket);
  }

  send(xml: string): void {
    this.socket.write(xml);
  }

  /** Resolves once `test` holds, checked after each chunk. */
  async until(test: () => boolean): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!test()) {
      if (Date.now() > deadline || this.socket.destroyed) throw new Error('client gave up waiting');
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        setTimeout(resolve, 1000);
      });
    }
  }

  /** Sends getProperties and waits for the definitions. */
  async subscribe(): Promise<void> {
    this.send(`<getProperties version='1.7'/>\n`);
    await this.until(() => this.seen);
  }

  close(): void {
    this.socket.destroy();
  }
}

const request = (i: number): string =>
  `<newNumberVector device='Flood' name='VALUES'><oneNumber name='X'>${i}</oneNumber><oneNumber name='Y'>0</oneNumber></newNumberVector>\n`;
const go = `<newSwitchVector device='Flood' name='GO'><oneSwitch name='GO'>On</oneSwitch></newSwitchVector>\n`;

async function latencyOnce(name: ServerName): Promise<{ p50: number; p99: number }> {
  const server = await startServer(name, 0);
  const client = await Client.open(server.port);
  try {
    await client.subscribe();
    const times: number[] = [];
    for (let i = 0; i < latencyWarmup + latencyRequests; i++) {
      const before = client.updates;
      const start = performance.now();
      client.send(request(i));
      await client.until(() => client.updates > before);
      if (i >= latencyWarmup) times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const at = (q: number): number => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
    return { p50: at(0.5), p99: at(0.99) };
  } finally {
    client.close();
    await server.stop();
  }
}

async function floodOnce(name: ServerName): Promise<{ rate: number; delivered: number }> {
  const server = await startServer(name, floodCount);
  const clients: Client[] = [];
  try {
    for (let i = 0; i < floodClients; i++) clients.push(await Client.open(server.port));
    await Promise.all(clients.map((client) => client.subscribe()));
    const control = await Client.open(server.port);
    clients.push(control);
    const flooding = clients.slice(0, floodClients);
    const before = flooding.reduce((total, client) => total + client.updates, 0);
    const start = performance.now();
    control.send(go);
    await Promise.all(flooding.map((client) => client.until(() => client.done)));
    const seconds = (performance.now() - start) / 1000;
    const delivered = flooding.reduce((total, client) => total + client.updates, 0) - before;
    return { rate: delivered / seconds, delivered };
  } finally {
    for (const client of clients) client.close();
    await server.stop();
  }
}

async function main(): Promise<void> {
  const runs = Number(parseArgs({ options: { runs: { type: 'string', default: '3' } } }).values.runs);
  const rows: [string, number, number][] = [];
  const best = {
    rxindi: { p50: Infinity, p99: Infinity, rate: 0 },
    indiserver: { p50: Infinity, p99: Infinity, rate: 0 },
  };
  for (const name of ['rxindi', 'indiserver'] as const) {
    for (let i = 0; i < runs; i++) {
      const latency = await latencyOnce(name);
      if (latency.p50 < best[name].p50) Object.assign(best[name], latency);
      const flood = await floodOnce(name);
      if (flood.delivered !== floodCount * floodClients)
        console.log(`${name}: ${flood.delivered} of ${floodCount * floodClients} updates counted!`);
      best[name].rate = Math.max(best[name].rate, flood.rate);
      console.log(
        `${name} run ${i + 1}: p50 ${latency.p50.toFixed(3)} ms, p99 ${latency.p99.toFixed(3)} ms, ${Math.round(flood.rate)} msg/s`,
      );
    }
  }
  rows.push([`round trip p50 ms (${latencyRequests} requests)`, best.rxindi.p50, best.indiserver.p50]);
  rows.push([`round trip p99 ms (${latencyRequests} requests)`, best.rxindi.p99, best.indiserver.p99]);
  rows.push([
    `${floodCount / 1000}k sets → ${floodClients} clients, messages/s`,
    best.rxindi.rate,
    best.indiserver.rate,
  ]);
  const fmt = (value: number): string =>
    value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(3);
  const cells = [
    ['metric', 'rxindi (in-process)', 'indiserver (external)', 'rxindi/indiserver'],
    ...rows.map(([metric, rx, indi]) => [metric, fmt(rx), fmt(indi), (rx / indi).toFixed(2)]),
  ];
  const widths = cells[0]!.map((_, column) => Math.max(...cells.map((row) => row[column]!.length)));
  const line = (row: string[]): string =>
    `| ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join(' | ')} |`;
  console.log(
    `\n${line(cells[0]!)}\n|${widths.map((width, column) => (column === 0 ? '-'.repeat(width + 2) : `${'-'.repeat(width + 1)}:`)).join('|')}|`,
  );
  for (const row of cells.slice(1)) console.log(line(row));
}

const killAll = (): void => children.forEach((child) => killGroup(child, 'SIGKILL'));
process.once('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => (killAll(), process.exit(130)));
main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
