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
import { fromEvent, merge, of } from 'rxjs';
import { remoteChannel, serve } from '../src/index.js';
import { deviceFilter } from './device-filter-operator.js';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '7624' },
    upstream: { type: 'string' },
    allow: { type: 'string', multiple: true, default: [] },
  },
});
// HOST:PORT, split at the last colon.
const upstream = args.upstream ?? '';
const colon = upstream.lastIndexOf(':');
if (colon <= 0 || args.allow.length === 0) {
  console.error('usage: device-filter.ts --port P --upstream HOST:PORT --allow DEVICE [--allow DEVICE ...]');
  process.exit(2);
}

serve({
  port: Number(args.port),
  // The upstream is one channel among the server's, as a driver would be: it
  // connects as a client, asks for every device, and reconnects if it drops.
  channels$: of(remoteChannel(upstream.slice(0, colon), Number(upstream.slice(colon + 1)), { blobs: true })),
  // On every channel, the upstream included: other devices are dropped, and
  // a client's request for one is answered with a refusal, to it alone.
  incoming: deviceFilter(args.allow),
  stop$: merge(fromEvent(process, 'SIGINT'), fromEvent(process, 'SIGTERM')),
}).subscribe({
  next: (event) => {
    if (event.type === 'listening') console.log(`listening on ${event.host}:${event.port}`);
  },
  error: (error: unknown) => {
    // The port is taken, or not ours to open: the error says which.
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
});
