import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { waitUntil, type WaitOptions } from './wait-until.js';

/** The repository root (where package.json and node_modules are). */
export const repoRoot = resolve(fileURLToPath(import.meta.url), '../../..');

/** How a process ended. */
export interface Exit {
  readonly code: number | undefined;
  readonly signal: string | undefined;
}

/** A child process started by a test, in its own process group. */
export interface TestProcess {
  readonly pid: number;
  /** Lines written so far to stdout and stderr. */
  readonly stdout: string[];
  readonly stderr: string[];
  readonly exited: Promise<Exit>;
  /** The first stderr line (from `from` on) matching `pattern`, waiting for it. */
  waitForStderr(
    pattern: RegExp,
    options?: WaitOptions & { readonly from?: number },
  ): Promise<RegExpExecArray>;
}

const running = new Set<number>();

/**
 * Starts a program in a new process group (so that it and everything it
 * starts can be killed at once by {@link killAllProcesses}), collecting its
 * output lines.
 */
export function startProcess(
  file: string,
  args: readonly string[],
  options: { readonly env?: Readonly<Record<string, string>>; readonly cwd?: string } = {},
): TestProcess {
  const subprocess = execa(file, [...args], {
    detached: true,
    reject: false,
    buffer: false,
    stdin: 'ignore',
    cwd: options.cwd ?? repoRoot,
    env: options.env,
  });
  const pid = subprocess.pid;
  if (pid === undefined) throw new Error(`${file} did not start`);
  running.add(pid);
  const stdout: string[] = [];
  const stderr: string[] = [];
  createInterface({ input: subprocess.stdout }).on('line', (line) => stdout.push(line));
  createInterface({ input: subprocess.stderr }).on('line', (line) => stderr.push(line));
  const exited = subprocess.then((result) => {
    running.delete(pid);
    return { code: result.exitCode, signal: result.signal };
  });
  return {
    pid,
    stdout,
    stderr,
    exited,
    waitForStderr: (pattern, waitOptions = {}) =>
      waitUntil(
        `${file}: a stderr line matching ${String(pattern)} (got ${JSON.stringify(stderr.slice(-5))})`,
        () => {
          for (const line of stderr.slice(waitOptions.from ?? 0)) {
            const found = pattern.exec(line);
            if (found) return found;
          }
          return undefined;
        },
        waitOptions,
      ),
  };
}

/** SIGKILLs the process group of every process still running, and waits until they are gone. */
export async function killAllProcesses(): Promise<void> {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await waitUntil('test processes to exit', () => running.size === 0, { timeout: 5000 });
}

/** Runs the rxindi CLI from source (node --import tsx), in its own process group. */
export function startCli(args: readonly string[], env: Readonly<Record<string, string>> = {}): TestProcess {
  return startProcess(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), ...args], {
    env,
  });
}

/** The port a CLI started with `-v -p 0` listens on (from its "listening to port N" line). */
export async function cliPort(cli: TestProcess, timeout = 10_000): Promise<number> {
  const exited = cli.exited.then((exit) => {
    throw new Error(`the CLI exited (${JSON.stringify(exit)}) before listening:\n${cli.stderr.join('\n')}`);
  });
  const [, port = ''] = await Promise.race([
    cli.waitForStderr(/listening to port (\d+) on /, { timeout }),
    exited,
  ]);
  return Number(port);
}

const tempDirs = new Set<string>();

/** A fresh directory under the system's temp dir, removed by {@link removeTempDirs}. */
export function tempDir(prefix = 'rxindi-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

/** Removes every directory made by {@link tempDir}. */
export function removeTempDirs(): void {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

/** Runs a program to completion (with a timeout), without throwing on a non-zero exit. */
export async function run(
  file: string,
  args: readonly string[],
  options: { readonly timeout?: number; readonly env?: Readonly<Record<string, string>> } = {},
): Promise<{ readonly stdout: string; readonly stderr: string; readonly code: number | undefined }> {
  const result = await execa(file, [...args], {
    reject: false,
    timeout: options.timeout ?? 10_000,
    stdin: 'ignore',
    env: options.env,
  });
  if (result.failed && result.exitCode === undefined) {
    throw new Error(`${file} ${args.join(' ')}: ${result.shortMessage}`);
  }
  return { stdout: result.stdout, stderr: result.stderr, code: result.exitCode };
}

/** The pids of the direct children of `parent` whose command line matches `pattern` (pgrep -f -P). */
export async function childPids(parent: number, pattern: string): Promise<number[]> {
  const result = await execa('pgrep', ['-f', '-P', String(parent), pattern], { reject: false });
  return result.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map(Number);
}

/** `text` escaped for a RegExp, to match it literally inside a pattern (for `waitForStderr`). */
export const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
