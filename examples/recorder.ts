/**
 * A recorder in front of another INDI server: clients use it as they would
 * the upstream, and every message in and out of every connection is written
 * to a session log, one JSON line each (see examples/session-log.ts), for a
 * bug report or a demo that examples/replay.ts plays back.
 *
 *   indiserver -p 7624 indi_simulator_telescope
 *   npx tsx examples/recorder.ts --port 7625 --upstream localhost:7624 --log tonight.jsonl
 *   indi_setprop -p 7625 'Telescope Simulator.CONNECTION.CONNECT=On'
 *   jq -r 'select(.direction == "in" and .kind == "remote") | .type' tonight.jsonl
 */
import { createWriteStream, openSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { finalize, fromEvent, merge, of, tap } from 'rxjs';
import { serve } from '../src/index.js';
import { recordSession } from './session-log.js';
import { exitWithUsage, reportListening, stopSignals$, upstreamLink } from './support/variant-cli.js';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '7624' },
    upstream: { type: 'string' },
    log: { type: 'string' },
  },
});
const upstream = upstreamLink(args.upstream);
if (upstream === undefined || args.log === undefined)
  exitWithUsage('recorder.ts --port P --upstream HOST:PORT --log session.jsonl');

// A new file, never last night's: opened now, so that a bad path stops us before listening.
let fd: number;
try {
  fd = openSync(args.log, 'wx');
} catch (error) {
  console.error(
    `cannot create the session log (give --log a new file): ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(2);
}
// A write stream buffers: a slow disk never holds up the server.
const log = createWriteStream('', { fd });
const { incoming, outgoing, entries$ } = recordSession();
const writing = entries$.subscribe((entry) => log.write(`${JSON.stringify(entry)}\n`));
// A recorder that cannot write (a full disk) stops, rather than serve unrecorded.
const logFailed$ = fromEvent(log, 'error').pipe(
  tap((error) => {
    console.error(`cannot write the session log ${args.log}: ${String(error)}; stopping`);
    process.exitCode = 1;
  }),
);

serve({
  port: Number(args.port),
  channels$: of(upstream),
  incoming,
  outgoing,
  stop$: merge(stopSignals$, logFailed$),
})
  .pipe(
    // Everything the server saw is on its way to the file: close it.
    finalize(() => {
      writing.unsubscribe();
      log.end();
    }),
  )
  .subscribe(reportListening);
