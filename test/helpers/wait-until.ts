import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** How long to wait and how often to look. */
export interface WaitOptions {
  /** Milliseconds before giving up. Default 5000. */
  readonly timeout?: number;
  /** Milliseconds between looks. Default 20. */
  readonly interval?: number;
}

/**
 * Polls `probe` until it returns something other than undefined or false, and
 * resolves with that; rejects with `what` in the message after the timeout.
 */
export async function waitUntil<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  options: WaitOptions = {},
): Promise<T> {
  const timeout = options.timeout ?? 5000;
  const interval = options.interval ?? 20;
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await sleep(interval);
  }
}

/** True while a process with this pid runs (a zombie, dead but not yet reaped, does not count). */
export function pidRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state …: comm may hold spaces and parentheses, the state follows the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
