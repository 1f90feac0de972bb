/**
 * A rate limit for clients on weak links, in front of another INDI server
 * (rxindi or indilib's indiserver): each client of the throttle gets every
 * property's updates at most --max-hz times a second (the latest value
 * always arrives), while definitions, deletions, messages and changes of
 * state arrive at once. Clients of the upstream still see the full rate.
 *
 *   indiserver -p 7624 indi_simulator_telescope
 *   npx tsx examples/throttle.ts --port 7625 --upstream localhost:7624 --max-hz 2
 *   indi_getprop -p 7625                                            # everything
 *   indi_setprop -p 7625 'Telescope Simulator.CONNECTION.CONNECT=On' # reaches the telescope
 */
import { parseArgs } from 'node:util';
import { identity, of } from 'rxjs';
import { serve } from '../src/index.js';
import { exitWithUsage, reportListening, stopSignals$, upstreamLink } from './support/variant-cli.js';
import { throttleUpdates } from './throttle-updates.js';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '7624' },
    upstream: { type: 'string' },
    'max-hz': { type: 'string', default: '2' },
  },
});
const upstream = upstreamLink(args.upstream);
const maxHz = Number(args['max-hz']);
if (upstream === undefined || !(maxHz > 0))
  exitWithUsage(
    'throttle.ts --port P --upstream HOST:PORT [--max-hz N]  (N updates a second, > 0; default 2)',
  );

serve({
  port: Number(args.port),
  // The upstream is one channel among the server's, as a driver would be: it
  // connects as a client, asks for every device, and reconnects if it drops.
  channels$: of(upstream),
  // Each client has its own windows (see examples/throttle-updates.ts); what
  // clients send goes upstream as it comes.
  outgoing: (channel) => (channel.kind === 'client' ? throttleUpdates(maxHz) : identity),
  stop$: stopSignals$,
}).subscribe(reportListening);
