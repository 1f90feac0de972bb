/**
 * Snooping (INDI 1.7): a driver that watches another driver's device. Here an
 * in-process driver, "Scope Watcher", follows the telescope simulator (a
 * driver program, `indi_simulator_telescope`, run by the same server) and
 * mirrors its latest RA/DEC, and their state, into a read-only vector of its own.
 *
 *   npx tsx examples/snoop.ts --port 7624
 *   indi_setprop -p 7624 'Telescope Simulator.CONNECTION.CONNECT=On'
 *   indi_setprop -p 7624 'Telescope Simulator.EQUATORIAL_EOD_COORD.RA;DEC=3;80'
 *   indi_getprop -p 7624 'Scope Watcher.POSITION.*'
 *
 * The server routes the telescope's traffic to the watcher because the watcher
 * asked for it (`getProperties device="Telescope Simulator"`): no client is
 * involved, and it works the same for devices behind links to other servers.
 */
import { parseArgs } from 'node:util';
import {
  IndiServer,
  defineDevice,
  indiDriver,
  numberVector,
  type DriverMessage,
  type DefNumberVector,
  type SetNumberVector,
} from '../src/index.js';

const { values: args } = parseArgs({ options: { port: { type: 'string', default: '7624' } } });
const scope = 'Telescope Simulator';

// The watcher's device: one read-only number vector, typed member names.
const watcher = defineDevice('Scope Watcher', {
  POSITION: numberVector({
    label: 'Telescope position',
    group: 'Main',
    perm: 'ro',
    members: {
      RA: { label: 'RA (hh:mm:ss)', format: '%010.6m', min: 0, max: 24, value: 0 },
      DEC: { label: 'DEC (dd:mm:ss)', format: '%010.6m', min: -90, max: 90, value: 0 },
    },
  }),
});
const driver = indiDriver([watcher]);

// The coordinates, whether they come as a definition (when the telescope
// connects, or on our getProperties) or as an update.
const isCoordinates = (message: DriverMessage): message is DefNumberVector | SetNumberVector =>
  (message.type === 'defNumberVector' || message.type === 'setNumberVector') &&
  message.name === 'EQUATORIAL_EOD_COORD';

// snoop() sends the server a getProperties for the vector when subscribed
// (and again whenever the watcher is served anew); it completes when the
// driver closes, so this subscription needs no cleanup.
driver.snoop(scope, 'EQUATORIAL_EOD_COORD').subscribe((message) => {
  if (message.type === 'delProperty') {
    // The telescope disconnected or its driver stopped: keep the last position, flag it.
    driver.set('Scope Watcher', 'POSITION', {}, { state: 'Alert', message: `${scope} is gone` });
    return;
  }
  if (!isCoordinates(message)) return;
  const value = (name: string) => message.members.find((member) => member.name === name)?.value;
  // Busy while the telescope slews, Ok once it is there.
  driver.set('Scope Watcher', 'POSITION', { RA: value('RA'), DEC: value('DEC') }, { state: message.state });
});

// One server for both: the driver program and the in-process driver.
const server = new IndiServer({ port: Number(args.port) });
server.addExDriver('indi_simulator_telescope');
server.addDriver(driver);
// Ctrl-C (or a service manager's SIGTERM) stops the server gracefully:
// drivers are stopped, clients are told the devices are gone, sockets close,
// and the program exits. Use `process.on`, not `once`: with driver programs
// running, execa re-raises a signal that no listener is left to handle.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void server.shutdown());

server.events$.subscribe({
  next: (event) => event.type === 'listening' && console.log(`listening on ${event.host}:${event.port}`),
  // events$ fails when the server does: run() below reports why.
  error: () => undefined,
});
try {
  // run() starts the server and resolves once it has stopped (shutdown());
  // it rejects when the server cannot run: the port is taken, or not ours.
  await server.run();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
