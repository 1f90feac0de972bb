/**
 * A read-only mirror of another INDI server (rxindi or indilib's indiserver):
 * any number of clients see everything the upstream's devices show (BLOBs
 * too, for clients that send enableBLOB), but cannot change anything. Every
 * new*Vector a client sends is answered, to that client alone, with an INDI
 * message, and never reaches the upstream.
 *
 *   indiserver -p 7624 indi_simulator_telescope
 *   npx tsx examples/read-only-mirror.ts --port 7625 --upstream localhost:7624
 *   indi_getprop -p 7625                                            # everything
 *   indi_setprop -p 7625 'Telescope Simulator.CONNECTION.CONNECT=On' # refused
 */
import { parseArgs } from 'node:util';
import { of } from 'rxjs';
import { serve } from '../src/index.js';
import { readOnly } from './read-only.js';
import { exitWithUsage, reportListening, stopSignals$, upstreamLink } from './support/variant-cli.js';

const { values: args } = parseArgs({
  options: { port: { type: 'string', default: '7624' }, upstream: { type: 'string' } },
});
const upstream =
  upstreamLink(args.upstream) ?? exitWithUsage('read-only-mirror.ts --port P --upstream HOST:PORT');

serve({
  port: Number(args.port),
  channels$: of(upstream),
  // Each client's new*Vector is answered with a refusal, to that client only.
  incoming: readOnly,
  stop$: stopSignals$,
}).subscribe(reportListening);
