import { openSync, constants } from 'node:fs';
import { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { Observable } from 'rxjs';

/** One line written to the `-f` FIFO. */
export interface FifoCommand {
  readonly action: 'start' | 'stop';
  readonly driver: string;
  /** `-n "name"`: the device name (INDIDEV); for stop, which instance. */
  readonly name?: string;
  /** `-c "config"` (INDICONFIG), `-s "skel"` (INDISKEL), `-p "prefix"` (INDIPREFIX). */
  readonly config?: string;
  readonly skeleton?: string;
  readonly prefix?: string;
}

const optionNames: Readonly<Record<string, 'name' | 'config' | 'skeleton' | 'prefix'>> = {
  n: 'name',
  c: 'config',
  s: 'skeleton',
  p: 'prefix',
};

/**
 * Reads one FIFO line as indiserver does: `start driver [-n "name"] [-c "config"]
 * [-s "skel"] [-p "prefix"]` or `stop driver [-n "name"]`; option values in
 * double quotes; any command other than `start` means stop.
 *
 * @example
 * ```ts
 * parseFifoCommand('start indi_simulator_ccd -n "CCD Simulator"');
 * // { action: 'start', driver: 'indi_simulator_ccd', name: 'CCD Simulator' }
 * ```
 */
export function parseFifoCommand(line: string): FifoCommand | undefined {
  const head = /^\s*(\S+)\s+(\S+)(.*)$/.exec(line);
  if (!head) return undefined;
  const [, verb = '', driver = '', rest = ''] = head;
  const command: { -readonly [K in keyof FifoCommand]: FifoCommand[K] } = {
    action: verb === 'start' ? 'start' : 'stop',
    driver,
  };
  for (const [, flag = '', value = ''] of rest.matchAll(/-(\w)\s+"([^"]*)"/g)) {
    const field = optionNames[flag];
    if (field !== undefined) command[field] = value;
  }
  return command;
}

/**
 * The lines written to a FIFO, by any number of writers one after another.
 * The FIFO is opened read-write so that opening never blocks and the stream
 * does not end when a writer closes.
 *
 * @example
 * ```ts
 * fifoLines('/tmp/rxindi.fifo').subscribe((line) => console.log(line));
 * ```
 */
export function fifoLines(path: string): Observable<string> {
  return new Observable<string>((subscriber) => {
    const socket = new Socket({
      fd: openSync(path, constants.O_RDWR | constants.O_NONBLOCK),
      readable: true,
    });
    const lines = createInterface({ input: socket });
    lines.on('line', (line) => subscriber.next(line));
    socket.once('error', (error) => subscriber.error(error));
    return () => {
      lines.close();
      socket.destroy();
    };
  });
}
