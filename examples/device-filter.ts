/**
 * A proxy that serves only some devices of another INDI server (rxindi or
 * indilib's indiserver): its clients see the allowed devices as if they were
 * the only ones, and a request naming any other device is answered, to that
 * client alone, with an INDI message saying it is not served here.
 *
 *   indiserver -p 7624 indi_simulator_telescope indi_simulator_focus
 *   npx tsx examples/device-filter.ts --port 7625 --upstream localhost:7624 --allow "Telescope Simulator"
 *   indi_getprop -p 7625                                 # the telescope only
 *   indi_getprop -p 7625 'Focuser Simulator.*.*'         # "No Focuser Simulator.*.* from localhost:7625"
 */
import { parseArgs } from 'node:util';
import { of } from 'rxjs';
import { serve } from '../src/index.js';
import { deviceFilter } from './device-filter-operator.js';
import { exitWithUsage, reportListening, stopSignals$, upstreamLink } from './support/variant-cli.js';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '7624' },
    upstream: { type: 'string' },
    allow: { type: 'string', multiple: true, default: [] },
  },
});
const upstream = upstreamLink(args.upstream);
if (upstream === undefined || args.allow.length === 0)
  exitWithUsage('device-filter.ts --port P --upstream HOST:PORT --allow DEVICE [--allow DEVICE ...]');

serve({
  port: Number(args.port),
  channels$: of(upstream),
  // On every channel, the upstream included: other devices are dropped, and
  // a client's request for one is answered with a refusal, to it alone.
  incoming: deviceFilter(args.allow),
  stop$: stopSignals$,
}).subscribe(reportListening);
