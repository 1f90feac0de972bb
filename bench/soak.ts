/**
 * Soak test (GitHub issue 7): `npm run bench:soak -- --minutes 3`
 *   --minutes N    how long the load runs (default 3), before a drain of a few seconds
 *   --rate N       flood updates per second (default 200), each delivered to every steady client
 *   --churners N   clients connecting and disconnecting at random, at once (default 4)
 *   --every S      seconds between samples of the server (default 5)
 *   --cli PATH     the rxindi entry point (default dist/cli/main.js; run `npm run build` first)
 *
 * The server runs as its own process (the CLI), so that its RSS and open
 * file descriptors (/proc/<pid>/status VmRSS, /proc/<pid>/fd) are its own and
 * not those of the 20-odd clients this script runs. Its drivers:
 * `indi_simulator_ccd` and bench/flood-driver.mjs, which echoes every
 * `newNumberVector` VALUES as a `setNumberVector`.
 *
 * The load, all at once:
 * - an exposure loop: a client connects the CCD (640×480), and starts a 1 s
 *   exposure each time the previous image (a BLOB) has arrived;
 * - a flood: a pacer client sends `newNumberVector Flood.VALUES` with X = 1,
 *   2, 3 … at `--rate`; the driver echoes each as a `setNumberVector`, and the
 *   server echoes the request itself to the other clients (as indiserver does);
 * - 10 steady clients that ask for everything (3 of them also for the CCD's
 *   BLOBs), parse every message and check both Flood sequences: each X must
 *   be the previous one plus one;
 * - `--churners` clients that connect, ask for properties (half of them for
 *   BLOBs too), and after 0.2–3 s either close, reset, or cut the connection
 *   in the middle of a BLOB.
 *
 * Verdict: after a warm-up (the first third of the samples), RSS is flat if
 * the last third's highest sample is within 10% of the second third's
 * highest, and descriptors are flat if the last third's highest is at most the
 * second third's highest plus the churner count (each churner holds one socket
 * at a time). Nothing is lost if every steady client saw both Flood sequences
 * complete (1 … last sent, no gap, no repeat), every BLOB client saw every
 * image whole (as many bytes as its `size`, a FITS header first; the server
 * runs with RXINDI_POISON_LINES, so an image sent from memory already back
 * in its pool would fail this), and all steady clients got the same number of messages of each
 * property (BLOBs apart) once they had all asked for properties.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Observable } from 'rxjs';
import { decodeBlob } from '../src/protocol/blob-data.js';
import { deviceOf, type IndiMessage } from '../src/protocol/messages.js';
import { parseIndi } from '../src/protocol/parse-indi.js';
import { waitUntil } from '../test/helpers/wait-until.js';
import { requireIndilib } from '../test/remote/helpers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const floodDriver = join(root, 'bench', 'flood-driver.mjs');
const ccd = 'CCD Simulator';
const steadyCount = 10;
const blobClients = 3;
const rssTolerance = 0.1;

const { values: options } = parseArgs({
  options: {
    minutes: { type: 'string', default: '3' },
    rate: { type: 'string', default: '200' },
    churners: { type: 'string', default: '4' },
    every: { type: 'string', default: '5' },
    cli: { type: 'string', default: join(root, 'dist', 'cli', 'main.js') },
  },
});
const minutes = Number(options.minutes);
const rate = Number(options.rate);
const churners = Number(options.churners);
const everyMs = Number(options.every) * 1000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const randomBetween = (low: number, high: number): number => low + Math.random() * (high - low);

// ---------------------------------------------------------------- the server

interface Server {
  readonly pid: number;
  readonly port: number;
  readonly log: string[];
  stop(): Promise<void>;
}

async function startServer(): Promise<Server> {
  requireIndilib(['indi_simulator_ccd']);
  const args = [options.cli, '-v', '-p', '0', '--host', '127.0.0.1', '--max-connections', '64'];
  const child = spawn(process.execPath, [...args, 'indi_simulator_ccd', floodDriver], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    // Pooled image memory is overwritten as it returns: an image sent from released memory fails the check.
    env: { ...process.env, FLOOD_MODE: 'numbers', FLOOD_COUNT: '0', RXINDI_POISON_LINES: '1' },
  });
  const log: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => log.push(line));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
    await exited;
  };
  process.once(
    'exit',
    () => child.pid !== undefined && child.exitCode === null && process.kill(-child.pid, 'SIGKILL'),
  );
  const port = await waitUntil(
    'the server to listen',
    () => {
      if (child.exitCode !== null) throw new Error(`the server exited:\n${log.join('\n')}`);
      const found = log.map((line) => /listening to port (\d+) on /.exec(line)).find(Boolean);
      return found ? Number(found[1]) : undefined;
    },
    { timeout: 10_000 },
  );
  return { pid: child.pid!, port, log, stop };
}

/** The server's resident memory (MiB) and open file descriptors, from /proc. */
function sample(pid: number): { readonly rssMiB: number; readonly fds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKiB = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN);
  return { rssMiB: rssKiB / 1024, fds: readdirSync(`/proc/${pid}/fd`).length };
}

// ---------------------------------------------------------------- clients

/** A client of the soak: a socket whose every message is parsed and counted. */
class SoakClient {
  /** Messages per `type device.name`. */
  readonly counts = new Map<string, number>();
  /** The last X of each Flood sequence (`setNumberVector` from the driver, `newNumberVector` echoed). */
  readonly last = new Map<string, number>();
  /** Breaks in the Flood sequences: a gap or a repeat. */
  readonly breaks: string[] = [];
  blobs = 0;
  messages = 0;
  /** True once the server closed the connection. */
  ended = false;
  /** Called with each message, after counting. */
  onMessage: (message: IndiMessage) => void = () => undefined;

  constructor(readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    new Observable<Uint8Array>((subscriber) => {
      socket.on('data', (chunk: Buffer) => subscriber.next(chunk));
      socket.once('close', () => subscriber.complete());
    })
      .pipe(parseIndi())
      .subscribe({
        next: (message) => this.receive(message),
        error: () => (this.ended = true),
        complete: () => (this.ended = true),
      });
  }

  static open(port: number): Promise<SoakClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => resolve(new SoakClient(socket)));
      socket.once('error', reject);
    });
  }

  send(xml: string): void {
    this.socket.write(xml);
  }

  /** Forgets the counts so far: each client asked for properties at its own moment, and got its own answers. */
  resetCounts(): void {
    this.counts.clear();
  }

  has(key: string): boolean {
    return (this.counts.get(key) ?? 0) > 0;
  }

  private receive(message: IndiMessage): void {
    this.messages += 1;
    const key = `${message.type} ${deviceOf(message) ?? ''}.${'name' in message ? (message.name ?? '') : ''}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (message.type === 'setBLOBVector') {
      this.blobs += 1;
      for (const image of message.members) {
        const bytes = Buffer.from(decodeBlob(image.value));
        if (bytes.length !== image.size || bytes.toString('latin1', 0, 6) !== 'SIMPLE')
          this.breaks.push(`image ${this.blobs}: ${bytes.length} of ${image.size} bytes, not a FITS file as sent`);
      }
    }
    if (
      (message.type === 'setNumberVector' || message.type === 'newNumberVector') &&
      message.device === 'Flood' &&
      message.name === 'VALUES'
    ) {
      const x = message.members.find((member) => member.name === 'X')?.value ?? Number.NaN;
      const previous = this.last.get(message.type) ?? 0;
      if (x !== previous + 1) this.breaks.push(`${message.type} X=${x} after ${previous}`);
      this.last.set(message.type, x);
    }
    this.onMessage(message);
  }
}

const getProperties = "<getProperties version='1.7'/>\n";
const blobsToo = `<enableBLOB device='${ccd}'>Also</enableBLOB>\n`;
const newNumber = (device: string, name: string, members: Record<string, number>): string =>
  `<newNumberVector device='${device}' name='${name}'>${Object.entries(members)
    .map(([member, value]) => `<oneNumber name='${member}'>${value}</oneNumber>`)
    .join('')}</newNumberVector>\n`;

// ---------------------------------------------------------------- the load

/** Connects the CCD and exposes 1 s frames back to back until `running()` is false. */
async function exposureLoop(port: number, running: () => boolean): Promise<{ images: () => number }> {
  const exposer = await SoakClient.open(port);
  exposer.send(getProperties + blobsToo);
  await waitUntil('the CCD', () => exposer.has(`defSwitchVector ${ccd}.CONNECTION`), { timeout: 20_000 });
  exposer.send(
    `<newSwitchVector device='${ccd}' name='CONNECTION'><oneSwitch name='CONNECT'>On</oneSwitch></newSwitchVector>\n`,
  );
  await waitUntil('CCD_EXPOSURE', () => exposer.has(`defNumberVector ${ccd}.CCD_EXPOSURE`), {
    timeout: 20_000,
  });
  exposer.send(newNumber(ccd, 'CCD_FRAME', { X: 0, Y: 0, WIDTH: 640, HEIGHT: 480 }));
  const expose = (): void => {
    if (running()) exposer.send(newNumber(ccd, 'CCD_EXPOSURE', { CCD_EXPOSURE_VALUE: 1 }));
  };
  exposer.onMessage = (message) => {
    if (message.type === 'setBLOBVector' && message.device === ccd) expose();
  };
  expose();
  return { images: () => exposer.blobs };
}

/** Sends Flood.VALUES X = 1, 2, 3 … at `rate` per second until `running()` is false. */
async function pacer(
  port: number,
  running: () => boolean,
): Promise<{ sent: () => number; done: Promise<void> }> {
  const client = await SoakClient.open(port);
  client.send(getProperties);
  await waitUntil('the Flood device', () => client.has('defNumberVector Flood.VALUES'), { timeout: 20_000 });
  let sent = 0;
  const started = Date.now();
  const done = (async () => {
    while (running()) {
      const due = Math.floor(((Date.now() - started) / 1000) * rate);
      let batch = '';
      while (sent < due) batch += newNumber('Flood', 'VALUES', { X: ++sent, Y: 0 });
      if (batch !== '') client.send(batch);
      await sleep(10);
    }
  })();
  return { sent: () => sent, done };
}

interface ChurnStats {
  connections: number;
  closed: number;
  reset: number;
  midBlob: number;
}

/** One churner: connect, ask, linger, leave in one of three ways; again until `running()` is false. */
async function churner(port: number, running: () => boolean, stats: ChurnStats): Promise<void> {
  while (running()) {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => {
      socket.once('connect', resolve);
      socket.once('close', resolve);
    });
    stats.connections += 1;
    const wantsBlobs = Math.random() < 0.5;
    socket.write(getProperties + (wantsBlobs ? blobsToo : ''));
    const left = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    if (wantsBlobs && Math.random() < 0.5) {
      // Cut the connection right after the first bytes of an image arrive.
      socket.on('data', (chunk: Buffer) => {
        if (!chunk.includes('<setBLOBVector') || socket.destroyed) return;
        socket.resetAndDestroy();
        stats.midBlob += 1;
      });
      await Promise.race([left, sleep(5000)]);
    } else {
      socket.resume();
      await sleep(randomBetween(200, 3000));
    }
    if (!socket.destroyed && Math.random() < 0.5) {
      socket.end();
      stats.closed += 1;
    } else if (!socket.destroyed) {
      socket.resetAndDestroy();
      stats.reset += 1;
    }
    await left;
  }
}

// ---------------------------------------------------------------- report

interface Sample {
  readonly seconds: number;
  readonly rssMiB: number;
  readonly fds: number;
  readonly floodSent: number;
  readonly images: number;
  readonly churned: number;
}

function printSamples(samples: readonly Sample[]): void {
  console.log('|   t s | RSS MiB | fds | flood sent | images | churned |');
  console.log('|------:|--------:|----:|-----------:|-------:|--------:|');
  for (const s of samples) {
    console.log(
      `| ${String(s.seconds).padStart(5)} | ${s.rssMiB.toFixed(1).padStart(7)} | ${String(s.fds).padStart(3)} | ${String(s.floodSent).padStart(10)} | ${String(s.images).padStart(6)} | ${String(s.churned).padStart(7)} |`,
    );
  }
}

/** Flatness after warm-up: the last third's highest against the second third's highest. */
function flatness(samples: readonly Sample[]): { rss: string; fds: string; ok: boolean } {
  const third = Math.floor(samples.length / 3);
  const middle = samples.slice(third, 2 * third);
  const last = samples.slice(2 * third);
  const max = (of: readonly Sample[], pick: (s: Sample) => number): number => Math.max(...of.map(pick));
  const rssMiddle = max(middle, (s) => s.rssMiB);
  const rssLast = max(last, (s) => s.rssMiB);
  const fdsMiddle = max(middle, (s) => s.fds);
  const fdsLast = max(last, (s) => s.fds);
  const rssOk = rssLast <= rssMiddle * (1 + rssTolerance);
  const fdsOk = fdsLast <= fdsMiddle + churners;
  return {
    rss: `RSS ${rssOk ? 'flat' : 'GROWING'}: last third max ${rssLast.toFixed(1)} MiB vs second third max ${rssMiddle.toFixed(1)} MiB (${(((rssLast - rssMiddle) / rssMiddle) * 100).toFixed(1)}%, allowed ${rssTolerance * 100}%)`,
    fds: `fds ${fdsOk ? 'flat' : 'GROWING'}: last third max ${fdsLast} vs second third max ${fdsMiddle} (allowed +${churners})`,
    ok: rssOk && fdsOk && third > 0,
  };
}

/** What each steady client lost, if anything. */
function losses(steady: readonly SoakClient[], sent: number, images: number): string[] {
  const problems: string[] = [];
  const keys = new Set(steady.flatMap((client) => [...client.counts.keys()]));
  keys.forEach((key) => key.startsWith('setBLOBVector') && keys.delete(key));
  const reference = steady[blobClients]!;
  steady.forEach((client, i) => {
    const name = `steady client ${i + 1}${i < blobClients ? ' (BLOBs)' : ''}`;
    if (client.ended) problems.push(`${name}: the server closed its connection`);
    for (const type of ['setNumberVector', 'newNumberVector']) {
      const last = client.last.get(type) ?? 0;
      if (last !== sent) problems.push(`${name}: Flood ${type} reached X=${last} of ${sent}`);
    }
    problems.push(...client.breaks.slice(0, 5).map((line) => `${name}: ${line}`));
    const expectedBlobs = i < blobClients ? images : 0;
    if (client.blobs !== expectedBlobs)
      problems.push(`${name}: ${client.blobs} images, expected ${expectedBlobs}`);
    for (const key of keys) {
      const [own, theirs] = [client.counts.get(key) ?? 0, reference.counts.get(key) ?? 0];
      if (own !== theirs)
        problems.push(`${name}: ${own} × ${key}, steady client ${blobClients + 1} got ${theirs}`);
    }
  });
  return problems;
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const server = await startServer();
  let running = true;
  const isRunning = (): boolean => running;
  try {
    const steady = await Promise.all(Array.from({ length: steadyCount }, () => SoakClient.open(server.port)));
    steady.forEach((client, i) => client.send(getProperties + (i < blobClients ? blobsToo : '')));
    await waitUntil(
      'the steady clients to see both drivers',
      () =>
        steady.every(
          (client) =>
            client.has('defNumberVector Flood.VALUES') && client.has(`defSwitchVector ${ccd}.CONNECTION`),
        ),
      { timeout: 20_000 },
    );
    // Definitions answering a client's getProperties reach the clients that had
    // asked by then: from here on, every steady client must get the same.
    await sleep(2000);
    for (const client of steady) client.resetCounts();
    const exposures = await exposureLoop(server.port, isRunning);
    const flood = await pacer(server.port, isRunning);
    const stats: ChurnStats = { connections: 0, closed: 0, reset: 0, midBlob: 0 };
    const churning = Promise.all(
      Array.from({ length: churners }, () => churner(server.port, isRunning, stats)),
    );

    console.log(
      `soak: ${minutes} min, flood ${rate}/s, ${steadyCount} steady clients (${blobClients} with BLOBs), ${churners} churners, server pid ${server.pid}`,
    );
    const samples: Sample[] = [];
    const started = Date.now();
    const end = started + minutes * 60_000;
    while (Date.now() < end) {
      await sleep(Math.min(everyMs, end - Date.now()));
      samples.push({
        seconds: Math.round((Date.now() - started) / 1000),
        ...sample(server.pid),
        floodSent: flood.sent(),
        images: exposures.images(),
        churned: stats.connections,
      });
      const latest = samples.at(-1)!;
      console.log(`t=${latest.seconds}s RSS ${latest.rssMiB.toFixed(1)} MiB, ${latest.fds} fds`);
    }

    running = false;
    await Promise.all([flood.done, churning]);
    // Drain: the last update, and the last image, reach every steady client.
    const sent = flood.sent();
    await waitUntil(
      'the steady clients to catch up',
      () =>
        steady.every(
          (client) =>
            client.last.get('setNumberVector') === sent && client.last.get('newNumberVector') === sent,
        ),
      { timeout: 30_000 },
    ).catch(() => undefined);
    await sleep(3000);
    const images = exposures.images();

    console.log();
    printSamples(samples);
    console.log();
    const flat = flatness(samples);
    const lost = losses(steady, sent, images);
    console.log(flat.rss);
    console.log(flat.fds);
    console.log(
      `messages: ${steady.reduce((total, client) => total + client.messages, 0).toLocaleString('en-US')} received by the steady clients; flood ${sent} updates; ${images} images; churn: ${stats.connections} connections (${stats.closed} closed, ${stats.reset} reset, ${stats.midBlob} cut mid-BLOB)`,
    );
    console.log(lost.length === 0 ? 'lost: none' : `LOST:\n  ${lost.join('\n  ')}`);
    const serverProblems = server.log.filter((line) => /error|overflow|dropped|behind/i.test(line));
    if (serverProblems.length > 0)
      console.log(`server log, problems:\n  ${serverProblems.slice(0, 10).join('\n  ')}`);
    const pass = flat.ok && lost.length === 0;
    console.log(`verdict: ${pass ? 'PASS' : 'FAIL'}`);
    process.exitCode = pass ? 0 : 1;
  } finally {
    running = false;
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
