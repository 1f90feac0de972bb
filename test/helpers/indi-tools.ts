/**
 * indilib's command-line clients, as tests use them: `indi_getprop` read
 * into a map, `indi_setprop` with its exit code and stderr.
 */
import { run } from './processes.js';

/** `indi_getprop -p port -t seconds specs…` as a map of `device.vector.member` → value (exit status 1, nothing found, is an empty map). */
export async function getprop(
  port: number,
  specs: readonly string[] = [],
  seconds = 1,
): Promise<Map<string, string>> {
  const result = await run('indi_getprop', ['-p', String(port), '-t', String(seconds), ...specs], {
    timeout: (seconds + 5) * 1000,
  });
  if (result.code !== 0 && result.code !== 1)
    throw new Error(`indi_getprop failed (${String(result.code)}): ${result.stderr}`);
  const values = new Map<string, string>();
  for (const line of result.stdout.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) values.set(line.slice(0, at), line.slice(at + 1));
  }
  return values;
}

/** `indi_setprop -p port specs…`: its exit code and stderr. */
export async function setprop(
  port: number,
  ...specs: string[]
): Promise<{ code: number | undefined; stderr: string }> {
  const { code, stderr } = await run('indi_setprop', ['-p', String(port), ...specs]);
  return { code, stderr };
}
