/**
 * Plays back a session log written by examples/recorder.ts as a driver: its
 * clients see the recorded devices do what they did that night, at the
 * recorded pace (`--speed 1`, the default), faster (`--speed 10`) or as fast
 * as possible (`--speed 0`). Playing starts when the first client asks for
 * the devices; later clients are sent the devices as they are by then.
 *
 *   npx tsx examples/replay.ts --port 7626 --log tonight.jsonl --speed 0
 *   indi_getprop -p 7626     # the devices as the recording left them
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { from, of } from 'rxjs';
import { serve } from '../src/index.js';
import { readSessionEntry, type SessionEntry } from './session-log.js';
import { replayChannel } from './session-replay.js';
import { exitWithUsage, reportListening, stopSignals$ } from './support/variant-cli.js';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '7624' },
    log: { type: 'string' },
    speed: { type: 'string', default: '1' },
  },
});
const speed = Number(args.speed);
const path = args.log;
if (path === undefined || !(speed >= 0)) {
  exitWithUsage(
    'replay.ts --port P --log session.jsonl [--speed 1 (recorded pace) | 2 (twice as fast) | 0 (at once)]',
  );
}

// The whole log is read and checked before listening: a bad line is reported now, not mid-demo.
let entries: SessionEntry[];
try {
  const lines = readFileSync(path, 'utf8').split('\n');
  entries = lines.flatMap((line, index) => (line === '' ? [] : [readSessionEntry(line, index + 1)]));
} catch (error) {
  console.error(`cannot replay ${path}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}

serve({
  port: Number(args.port),
  channels$: of(replayChannel(from(entries), { id: `replay of ${basename(path)}`, speed })),
  stop$: stopSignals$,
}).subscribe({
  ...reportListening,
  next: (event) => {
    reportListening.next?.(event);
    // An entry whose XML is not INDI, or cannot be read at all.
    if (event.type === 'protocolError') console.error(`${path}: skipped: ${event.error.message}`);
    if (event.type === 'disconnected' && event.error)
      console.error(`${path}: replay stopped: ${event.error.message}`);
  },
});
