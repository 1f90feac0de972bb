/**
 * The built-in simulated camera behind an IndiServer: the same server as the
 * `rxindi` command, with an in-process driver instead of a driver program.
 *
 *   npx tsx examples/camera.ts --port 7624
 *
 * Then, from any INDI client: ask for BLOBs with `enableBLOB Also` and start
 * an exposure. CCD_EXPOSURE counts down (Busy) for the exposure's duration, then
 * a FITS image arrives in CCD1 and CCD_EXPOSURE turns Ok:
 *
 *   <getProperties version="1.7"/>
 *   <enableBLOB device="Example Camera">Also</enableBLOB>
 *   <newNumberVector device="Example Camera" name="CCD_EXPOSURE">
 *     <oneNumber name="CCD_EXPOSURE_VALUE">0.3</oneNumber>
 *   </newNumberVector>
 *
 * A client that never sends enableBLOB never receives an image (INDI 1.7: the
 * default is Never), so indi_getprop and KStars' property lists stay light.
 */
import { parseArgs } from 'node:util';
import { IndiServer } from '../src/index.js';
import { cameraDriver } from '../src/cli/example-devices.js';

const { values: args } = parseArgs({ options: { port: { type: 'string', default: '7624' } } });

const server = new IndiServer({ port: Number(args.port) });
// Any Channel can be served: in-process drivers, driver programs
// (server.addExDriver('indi_simulator_ccd')), links to other servers.
server.addDriver(cameraDriver());

server.events$.subscribe({
  next: (event) => {
    // `listening` carries the real port (also when 0 was asked for).
    if (event.type === 'listening') console.log(`listening on ${event.host}:${event.port}`);
    // The rest is logged on stderr, so that stdout carries just that line.
    if (event.type === 'connected' || event.type === 'disconnected')
      console.error(`${event.type}: ${event.kind} ${event.channel}`);
  },
  // events$ fails when the server does: run() below reports why.
  error: () => undefined,
});

// Ctrl-C (or a service manager's SIGTERM) stops the server gracefully:
// drivers are stopped, clients are told the devices are gone, sockets close,
// and the program exits. Use `process.on`, not `once`: with driver programs
// running, execa re-raises a signal that no listener is left to handle.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void server.shutdown());

try {
  // run() starts the server and resolves once it has stopped (shutdown());
  // it rejects when the server cannot run: the port is taken, or not ours.
  await server.run();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
