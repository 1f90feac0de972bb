import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The path a driver command runs from: the command itself when it names a
 * path, otherwise the first match on PATH, as a shell would find it;
 * undefined when there is none.
 *
 * @example
 * ```ts
 * findExecutable('indi_simulator_telescope'); // '/usr/bin/indi_simulator_telescope'
 * ```
 */
export function findExecutable(command: string, path = process.env.PATH ?? ''): string | undefined {
  if (command.includes('/')) return isExecutableFile(command) ? command : undefined;
  return path
    .split(delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => join(dir, command))
    .find(isExecutableFile);
}
