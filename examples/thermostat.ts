/**
 * One in-process driver on its own TCP port: the built-in thermostat in
 * "listening" mode (indipydriver's name for it). Any INDI client can connect
 * (KStars, indi_getprop, indi_setprop, connectIndi) and no indiserver is needed.
 *
 *   npx tsx examples/thermostat.ts --port 7624
 *   indi_setprop -p 7624 'Thermostat.ENABLE.ENABLE=On' 'Thermostat.TARGET.CELSIUS=20'
 *   indi_getprop -p 7624 'Thermostat.*.*'
 *
 * The thermostat's TEMPERATURE drifts 0.25 °C a second towards TARGET while
 * ENABLE is on (its HEATER light is Ok while it heats), and towards 5 °C when off.
 */
import { parseArgs } from 'node:util';
import { fromEvent, merge } from 'rxjs';
import { listenDriver } from '../src/index.js';
import { thermostatDriver } from '../src/cli/example-devices.js';

const { values: args } = parseArgs({ options: { port: { type: 'string', default: '7624' } } });

// An IndiDriver is a Channel: a stream of INDI messages out and a sink for
// messages in. thermostatDriver() builds one with defineDevice/indiDriver; see
// src/cli/example-devices.ts for how its requests are handled.
const thermostat = thermostatDriver();

// listenDriver serves exactly this one driver, to any number of clients.
// Subscribing starts the server; `stop$` stops it gracefully (the driver's
// devices are deleted for clients, sockets close, the Observable completes).
listenDriver(thermostat, {
  port: Number(args.port),
  stop$: merge(fromEvent(process, 'SIGINT'), fromEvent(process, 'SIGTERM')),
}).subscribe({
  next: (event) => {
    // Events also report clients connecting and leaving, and problems that do
    // not stop the server (a malformed message): log them if you like.
    if (event.type === 'listening') console.log(`listening on ${event.host}:${event.port}`);
  },
  error: (error: unknown) => {
    // The port is taken, or not ours to open: the error says which.
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
    // An in-process driver is ours to close when the server could not run.
    void thermostat.close();
  },
});
