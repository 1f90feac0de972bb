/**
 * The rxindi side of bench/in-process-driver.ts: an IndiServer on
 * 127.0.0.1:PORT (argv[2]) serving, in-process, device 'Flood' with the
 * semantics of bench/flood-driver.mjs in numbers mode: a VALUES request is
 * echoed at once as a set; GO sends FLOOD_COUNT sets of VALUES as fast as
 * possible, then the message 'done'.
 */
import { IndiServer, defineDevice, indiDriver, numberVector, switchVector } from '../src/index.js';

const port = Number(process.argv[2]);
const count = Number(process.env.FLOOD_COUNT ?? 1000);

const member = { format: '%.6f', min: -1e9, max: 1e9, value: 0 };
const flood = defineDevice('Flood', {
  VALUES: numberVector({ label: 'Values', group: 'Main', perm: 'rw', members: { X: member, Y: member } }),
  GO: switchVector({ label: 'Go', group: 'Main', perm: 'rw', rule: 'AnyOfMany', members: { GO: {} } }),
});
const driver = indiDriver([flood]);

driver.handle('Flood', 'VALUES', (request) => driver.set('Flood', 'VALUES', request.values, { state: 'Ok' }));
driver.handle('Flood', 'GO', () => {
  for (let i = 0; i < count; i++)
    driver.set('Flood', 'VALUES', { X: i * 0.001, Y: -i * 0.002 }, { state: 'Ok' });
  driver.message('Flood', 'done');
});

const server = new IndiServer({ host: '127.0.0.1', port, maxConnections: 100 });
server.addDriver(driver);
await server.listen();
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => void server.shutdown().then(() => process.exit(0)));
