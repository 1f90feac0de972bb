/**
 * Helpers for the interop tests of links between servers: rxindi and
 * indiserver as real processes, indilib's indi_getprop / indi_setprop as
 * clients. Built on test/helpers (process groups, raw client, polling).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findExecutable } from '../../src/channels/find-executable.js';
import type { IndiMessage } from '../../src/protocol/messages.js';
import { freePort } from '../helpers/free-port.js';
import { RawIndiClient } from '../helpers/indi-client.js';
import { pidRunning, waitUntil, type WaitOptions } from '../helpers/wait-until.js';
import { killAllProcesses, repoRoot, run, startProcess, type TestProcess } from '../helpers/processes.js';

/** The indilib programs these tests run (Debian's indi-bin). */
export const indilibPrograms = [
  'indiserver',
  'indi_getprop',
  'indi_setprop',
  'indi_simulator_telescope',
  'indi_simulator_ccd',
  'indi_simulator_focus',
  'indi_simulator_wheel',
] as const;

/** Fails (never skips) when an indilib program is missing: these tests are the interop proof. */
export function requireIndilib(programs: readonly string[] = indilibPrograms): void {
  const missing = programs.filter((program) => findExecutable(program) === undefined);
  if (missing.length > 0) {
    throw new Error(
      `indilib programs not found on PATH: ${missing.join(', ')}; install Debian's indi-bin (apt-get install indi-bin)`,
    );
  }
}

/**
 * The rxindi CLI under test: src/cli/main.ts run through tsx, or another
 * entry point (a build, dist/cli/main.js) named by RXINDI_CLI.
 */
export const rxindiEntry = process.env.RXINDI_CLI ?? join(repoRoot, 'src/cli/main.ts');

/** A running INDI server process (rxindi or indiserver) and the port it listens on. */
export interface ServerProcess {
  readonly name: string;
  readonly port: number;
  /** The server's own pid (its process group leader is the `timeout` guard, `process.pid`). */
  readonly pid: number;
  readonly process: TestProcess;
}

/**
 * Seconds a server may live at most. Every server runs under coreutils'
 * `timeout`, which leads its process group and SIGKILLs the whole group
 * (server and drivers) when the time is up: a test run that is itself
 * killed (so that afterEach never runs) leaves nothing behind for long.
 */
const lifetimeSeconds = 150;

/** Starts `file` under the `timeout` guard; resolves with the server's own pid once it runs. */
async function startGuarded(
  file: string,
  args: readonly string[],
  home: string,
): Promise<{ readonly child: TestProcess; readonly pid: number }> {
  const child = startProcess('timeout', ['-s', 'KILL', String(lifetimeSeconds), file, ...args], {
    env: { HOME: home },
  });
  const pid = await waitUntil(`${file} to start`, () => {
    try {
      const [first] = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(' ');
      return first ? Number(first) : undefined;
    } catch {
      return undefined;
    }
  });
  return { child, pid };
}

/** Every server started by this file's tests, and the pids it killed on purpose. */
const servers = new Set<ServerProcess>();
const killedOnPurpose = new Set<number>();

/**
 * Ends everything a test started: raw clients, then every process group
 * (servers and their drivers). For afterEach.
 */
export async function stopAll(): Promise<void> {
  await RawIndiClient.closeAll();
  await killAllProcesses();
  servers.clear();
  killedOnPurpose.clear();
}

/** What went wrong with the other servers: those that exited without being killed by the test (a crash). */
function crashedServers(except?: ServerProcess): string {
  const crashed = [...servers].filter(
    (server) => server !== except && !killedOnPurpose.has(server.pid) && !pidRunning(server.pid),
  );
  return crashed.map((server) => `\n${describeServer(server, 30)}`).join('');
}

/** The last lines a server wrote to stderr, and whether it is still running, for failure messages. */
export function describeServer(server: ServerProcess, lines = 12): string {
  const state = pidRunning(server.pid) ? 'running' : 'NOT RUNNING (exited)';
  return `${server.name} (port ${server.port}, pid ${server.pid}) is ${state}; its last stderr lines:\n  ${server.process.stderr.slice(-lines).join('\n  ')}`;
}

/** A failure message with the state of the server concerned and of any server that crashed. */
function failure(message: string, server: ServerProcess): Error {
  return new Error(`${message}\n${describeServer(server)}${crashedServers(server)}`);
}

/** Throws, with the server's last words, unless every server is still running. */
export function expectRunning(...expected: ServerProcess[]): void {
  const dead = expected.filter((server) => !pidRunning(server.pid));
  if (dead.length > 0) throw new Error(dead.map((server) => describeServer(server, 30)).join('\n'));
  const crashed = crashedServers();
  if (crashed !== '') throw new Error(`a server crashed:${crashed}`);
}

/**
 * Starts the rxindi CLI with `-v` (its "listening" line gives the port) and
 * the given arguments; `port` defaults to 0 (a free one). Drivers it starts
 * share its process group, so killing the group kills them too.
 */
export async function startRxindi(
  name: string,
  args: readonly string[],
  options: { readonly home: string; readonly port?: number },
): Promise<ServerProcess> {
  const { child, pid } = await startGuarded(
    process.execPath,
    ['--import', 'tsx', rxindiEntry, '-v', '-p', String(options.port ?? 0), ...args],
    options.home,
  );
  const [, port = ''] = await child.waitForStderr(/listening to port (\d+) on /, { timeout: 15_000 });
  const server = { name, port: Number(port), pid, process: child };
  servers.add(server);
  return server;
}

/**
 * Starts indiserver on a free port with its own local socket path (`-u`:
 * indiserver's abstract unix socket would clash between instances), and
 * waits until it listens.
 */
export async function startIndiserver(
  name: string,
  drivers: readonly string[],
  options: { readonly home: string; readonly port?: number },
): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const socketPath = `/tmp/indiserver-${randomBytes(6).toString('hex')}`;
  const { child, pid } = await startGuarded(
    'indiserver',
    ['-v', '-u', socketPath, '-p', String(port), ...drivers],
    options.home,
  );
  await child.waitForStderr(/listening to port \d+/, { timeout: 10_000 });
  const server = { name, port, pid, process: child };
  servers.add(server);
  return server;
}

/** SIGKILLs a server's process group (the server and its drivers) and waits until the server is gone. */
export async function killServer(server: ServerProcess): Promise<void> {
  killedOnPurpose.add(server.pid);
  try {
    process.kill(-server.process.pid, 'SIGKILL');
  } catch {
    // already gone
  }
  await server.process.exited;
}

/**
 * `indi_getprop` against a server: `Device.PROPERTY.ELEMENT` → value. With
 * wildcards indi_getprop waits the whole `seconds`; with full names it
 * returns as soon as it has them.
 */
export async function getProps(
  server: ServerProcess,
  specs: readonly string[],
  seconds = 1,
): Promise<Map<string, string>> {
  const result = await run(
    'indi_getprop',
    ['-h', 'localhost', '-p', String(server.port), '-t', String(seconds), ...specs],
    {
      timeout: seconds * 1000 + 10_000,
    },
  );
  const props = new Map<string, string>();
  for (const line of result.stdout.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) props.set(line.slice(0, at), line.slice(at + 1));
  }
  if (props.size === 0 && !pidRunning(server.pid)) {
    throw failure(`indi_getprop ${specs.join(' ')}: ${result.stderr.trim()}`, server);
  }
  return props;
}

/** The names of the devices a server serves (those with a CONNECTION property), sorted. */
export async function deviceNames(server: ServerProcess): Promise<string[]> {
  const props = await getProps(server, ['*.CONNECTION.CONNECT']);
  return [...props.keys()].map((key) => key.slice(0, key.indexOf('.'))).sort();
}

/**
 * Polls with indi_getprop until the server serves exactly `devices` or the
 * time is up; returns what it served last (for `expect.soft`).
 */
export async function devicesSeen(
  server: ServerProcess,
  devices: readonly string[],
  timeout = 5000,
): Promise<string[]> {
  const wanted = JSON.stringify([...devices].sort());
  const deadline = Date.now() + timeout;
  for (;;) {
    const seen = await deviceNames(server);
    if (JSON.stringify(seen) === wanted || Date.now() >= deadline) return seen;
  }
}

/** Polls with indi_getprop until the server serves exactly `devices`. */
export async function waitForDevices(
  server: ServerProcess,
  devices: readonly string[],
  options: WaitOptions = {},
): Promise<void> {
  const wanted = [...devices].sort();
  let last: string[] = [];
  await waitUntil(
    `${server.name} to serve ${JSON.stringify(wanted)}`,
    async () => {
      last = await deviceNames(server);
      return JSON.stringify(last) === JSON.stringify(wanted);
    },
    { timeout: 15_000, interval: 100, ...options },
  ).catch((error: unknown) => {
    throw failure(
      `${error instanceof Error ? error.message : String(error)}: last saw ${JSON.stringify(last)}`,
      server,
    );
  });
}

/**
 * `indi_setprop` through a server (`Device.PROPERTY.E1;E2=v1;v2`); throws,
 * with the server's last words, when it fails.
 */
export async function setProp(server: ServerProcess, spec: string): Promise<void> {
  const result = await run('indi_setprop', ['-h', 'localhost', '-p', String(server.port), spec], {
    timeout: 15_000,
  });
  if (result.code !== 0) {
    throw failure(
      `indi_setprop ${spec} at ${server.name} exited ${String(result.code)}: ${result.stderr.trim()}`,
      server,
    );
  }
}

/** Polls one `Device.PROPERTY.ELEMENT` with indi_getprop until `accept` returns true for its value. */
export async function waitForProp(
  server: ServerProcess,
  key: string,
  accept: string | ((value: string) => boolean),
  options: WaitOptions = {},
): Promise<string> {
  const ok = typeof accept === 'string' ? (value: string) => value === accept : accept;
  let last: string | undefined;
  return waitUntil(
    `${key} at ${server.name} to be ${typeof accept === 'string' ? accept : 'accepted'}`,
    async () => {
      last = (await getProps(server, [key])).get(key);
      return last !== undefined && ok(last) ? last : undefined;
    },
    { timeout: 10_000, interval: 200, ...options },
  ).catch((error: unknown) => {
    throw failure(
      `${error instanceof Error ? error.message : String(error)} (last value: ${String(last)})`,
      server,
    );
  });
}

/** CPU time (user + system) a process has used so far, in seconds, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the comm field: state is field 3, utime 14 and stime 15 (1-based, proc(5)).
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  return (utime + stime) / 100;
}

/** The `device`, and `name` when it has one, of a message. */
export function nameOf(message: IndiMessage): { readonly device?: string; readonly name?: string } {
  return {
    ...('device' in message && message.device !== undefined ? { device: message.device } : {}),
    ...('name' in message && message.name !== undefined ? { name: message.name } : {}),
  };
}

/** True for a message about `device` (and vector `name`, when given) of one of the `types`. */
export function isAbout(
  types: readonly IndiMessage['type'][],
  device: string,
  name?: string,
): (message: IndiMessage) => boolean {
  return (message) => {
    const about = nameOf(message);
    return (
      types.includes(message.type) && about.device === device && (name === undefined || about.name === name)
    );
  };
}

/** A number element's value in a def/set/new number vector, if present. */
export function numberValue(message: IndiMessage, element: string): number | undefined {
  if (
    message.type !== 'defNumberVector' &&
    message.type !== 'setNumberVector' &&
    message.type !== 'newNumberVector'
  )
    return undefined;
  return message.members.find((member) => member.name === element)?.value;
}

/** A switch element's value in a def/set/new switch vector, if present. */
export function switchValue(message: IndiMessage, element: string): string | undefined {
  if (
    message.type !== 'defSwitchVector' &&
    message.type !== 'setSwitchVector' &&
    message.type !== 'newSwitchVector'
  )
    return undefined;
  return message.members.find((member) => member.name === element)?.value;
}

/** Sexagesimal text (`' 5 28 50.40'`, `'-20 16 23.08'`) as a number. */
export function sexagesimal(text: string): number {
  const trimmed = text.trim();
  const sign = trimmed.startsWith('-') ? -1 : 1;
  const [degrees = 0, minutes = 0, seconds = 0] = trimmed
    .replace(/^[-+]/, '')
    .split(/[\s:]+/)
    .map(Number);
  return sign * (degrees + minutes / 60 + seconds / 3600);
}

/** The FITS header keywords of a file (the 2880-byte header blocks before END), as keyword → raw value text. */
export function fitsHeader(path: string): Map<string, string> {
  const bytes = readFileSync(path);
  const header = new Map<string, string>();
  for (let at = 0; at + 80 <= bytes.length; at += 80) {
    const card = bytes.subarray(at, at + 80).toString('latin1');
    const keyword = card.slice(0, 8).trim();
    if (keyword === 'END') break;
    if (card.slice(8, 10) !== '= ') continue;
    const value = card.slice(10);
    const quoted = /^\s*'((?:[^']|'')*)'/.exec(value);
    header.set(
      keyword,
      quoted?.[1] !== undefined ? quoted[1].replace(/''/g, "'") : (value.split('/')[0] ?? '').trim(),
    );
  }
  return header;
}
