/**
 * An INDI server inside your own Node program: in-process devices (the
 * built-in thermostat and camera) and a driver program
 * (`indi_simulator_telescope`) served together by one IndiServer, with its
 * events logged. This is what the `rxindi` command does, minus the flags.
 *
 *   npx tsx examples/embedded-server.ts --port 7624 [--traffic]
 *   indi_getprop -p 7624
 *
 * Log lines go to stderr; stdout gets only `listening on host:port`.
 */
import { parseArgs } from 'node:util';
import { IndiServer, type ServerEvent } from '../src/index.js';
import { cameraDriver, thermostatDriver } from '../src/cli/example-devices.js';

const { values: args } = parseArgs({
  options: { port: { type: 'string', default: '7624' }, traffic: { type: 'boolean', default: false } },
});

const server = new IndiServer({
  port: Number(args.port),
  // A driver program that keeps dying is restarted (with a growing delay) this many times.
  restarts: 3,
});
// In-process drivers: Channels built with indiDriver(), no process, no XML in between.
const inProcess = [thermostatDriver(), cameraDriver()];
for (const driver of inProcess) server.addDriver(driver);
// A driver program, found on PATH (or give a path), talking INDI on its stdin/stdout.
server.addExDriver('indi_simulator_telescope');

const log = (line: string) => console.error(`${new Date().toISOString()} ${line}`);

/** One log line for the events worth a line; every event has a `type`. */
function logLine(event: ServerEvent): string | undefined {
  switch (event.type) {
    case 'connected':
    case 'disconnected':
      return `${event.kind} ${event.channel} ${event.type}${'error' in event && event.error ? `: ${event.error.message}` : ''}`;
    case 'driverStarted':
      return `driver ${event.channel} started, pid ${event.pid ?? '?'}`;
    case 'driverExited':
      return `driver ${event.channel}: ${event.error.message}`;
    case 'stderr':
      return `driver ${event.channel} says: ${event.line}`;
    case 'protocolError':
      return `${event.channel}: bad INDI skipped: ${event.error.message}`;
    case 'refused':
      return `client ${event.address} refused: ${event.reason}`;
    default:
      return undefined; // listening, traffic, links, slow clients…
  }
}
server.events$.subscribe({
  next: (event) => {
    // `listening` carries the real port (also when 0 was asked for): the one line on stdout.
    if (event.type === 'listening') console.log(`listening on ${event.host}:${event.port}`);
    const line = logLine(event);
    if (line !== undefined) log(line);
  },
  // events$ fails when the server does: run() below reports why.
  error: () => undefined,
});

// Every message in and out of the server, by channel. Nothing is traced while
// nobody subscribes to traffic$.
if (args.traffic)
  server.traffic$.subscribe(({ channel, direction, message }) =>
    log(
      `${direction === 'in' ? '<-' : '->'} ${channel}: ${message.type} ${'device' in message ? (message.device ?? '') : ''}`,
    ),
  );

// Use `process.on`, not `once`: with driver programs running, execa re-raises
// a signal that no listener is left to handle. shutdown() stops the drivers.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void server.shutdown());

try {
  // run() starts the server and resolves once it has stopped (shutdown());
  // it rejects when the server cannot run: the port is taken, or not ours.
  await server.run();
  log('stopped');
} catch (error) {
  log(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
  // In-process drivers are ours to close when the server could not run.
  await Promise.all(inProcess.map((driver) => driver.close()));
}
