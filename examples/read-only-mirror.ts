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
import { fromEvent, merge, of } from 'rxjs';
import { remoteChannel, serve } from '../src/index.js';
import { readOnly } from './read-only.js';

const { values: args } = parseArgs({
  options: { port: { type: 'string', default: '7624' }, upstream: { type: 'string' } },
});
// HOST:PORT, split at the last colon.
const upstream = args.upstream ?? '';
const colon = upstream.lastIndexOf(':');
if (colon <= 0) {
  console.error('usage: read-only-mirror.ts --port P --upstream HOST:PORT');
  process.exit(2);
}

serve({
  port: Number(args.port),
  // The upstream is one channel among the server's, as a driver would be: it
  // connects as a client, asks for every device, and reconnects if it drops.
  // `blobs: true` asks it for BLOBs; each client still chooses with enableBLOB.
  channels$: of(remoteChannel(upstream.slice(0, colon), Number(upstream.slice(colon + 1)), { blobs: true })),
  // Each client's new*Vector is answered with a refusal, to that client only.
  incoming: readOnly,
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
