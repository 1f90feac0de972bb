/**
 * Test support for examples/*.test.ts: runs an example as a real program
 * (`node --import tsx examples/<name>.ts --port <port>`, in its own process
 * group so that killAllProcesses also stops the drivers it starts) and waits
 * for its one `listening on host:port` line.
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../../test/helpers/free-port.js';
import { repoRoot, run, startProcess, tempDir, type TestProcess } from '../../test/helpers/processes.js';
import { getprop } from '../../test/helpers/indi-tools.js';
import { waitUntil } from '../../test/helpers/wait-until.js';
import { startIndiserver as startGuardedIndiserver } from '../../test/remote/helpers.js';

/** A running example and the port it listens on. */
export interface RunningExample {
  readonly example: TestProcess;
  readonly port: number;
}

/** Runs `examples/<name>.ts --port <a free port> ...args` and resolves once it listens. */
export async function startExample(
  name: string,
  args: readonly string[] = [],
  timeout = 15_000,
): Promise<RunningExample> {
  const port = await freePort();
  // A throw-away HOME: indilib drivers read and write ~/.indi.
  const example = startProcess(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'examples', `${name}.ts`), '--port', String(port), ...args],
    { env: { HOME: tempDir('rxindi-example-home-') } },
  );
  const exited = example.exited.then((exit) => {
    throw new Error(
      `${name} exited (${JSON.stringify(exit)}) before listening:\n${example.stderr.join('\n')}`,
    );
  });
  const listening = waitUntil(
    `${name} to print "listening on localhost:${port}" (stdout: ${JSON.stringify(example.stdout)})`,
    () => example.stdout.includes(`listening on localhost:${port}`),
    { timeout },
  );
  await Promise.race([listening, exited]);
  // Exactly one line, the one above, is printed when ready.
  if (example.stdout.length !== 1) throw new Error(`${name} printed ${JSON.stringify(example.stdout)}`);
  return { example, port };
}

/**
 * indilib's `indiserver -v` with `drivers` (test/remote/helpers.ts starts it,
 * on a free port, once it listens), once `ready` holds for what indi_getprop
 * sees of `specs`.
 */
export async function startIndiserver(
  drivers: readonly string[],
  specs: readonly string[],
  ready: (values: ReadonlyMap<string, string>) => boolean,
): Promise<number> {
  const { port } = await startGuardedIndiserver('upstream indiserver', drivers, {
    home: tempDir('rxindi-example-home-'),
  });
  await waitUntil(
    `indiserver on port ${String(port)} to serve ${drivers.join(', ')}`,
    async () => ready(await getprop(port, specs)),
    {
      timeout: 10_000,
      interval: 200,
    },
  );
  return port;
}

/** indiserver with indi_simulator_telescope, once indi_getprop sees the telescope. */
export const startTelescopeIndiserver = (): Promise<number> =>
  startIndiserver(['indi_simulator_telescope'], ['Telescope Simulator.CONNECTION.*'], (values) =>
    values.has('Telescope Simulator.CONNECTION.CONNECT'),
  );

/** Sends SIGTERM to the example alone (not its group) and resolves with how it ended. */
export async function stopExample({ example }: RunningExample): Promise<Awaited<TestProcess['exited']>> {
  process.kill(example.pid, 'SIGTERM');
  return example.exited;
}

/** Runs `examples/<name>.ts --port <port> [args]` to completion: its exit code and output. */
export function runExample(
  name: string,
  port: number,
  args: readonly string[] = [],
): Promise<{ readonly stdout: string; readonly stderr: string; readonly code: number | undefined }> {
  return run(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'examples', `${name}.ts`), '--port', String(port), ...args],
    {
      timeout: 15_000,
      env: { HOME: tempDir('rxindi-example-home-') },
    },
  );
}

/** Occupies a free port on localhost (as another server would) until `close()`. */
export async function takenPort(): Promise<{ readonly port: number; readonly close: () => Promise<void> }> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
