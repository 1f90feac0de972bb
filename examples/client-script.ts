/**
 * A client script: connect to any INDI server (rxindi, indiserver), list its
 * devices, set the thermostat's target and wait for the driver to confirm.
 *
 *   npx tsx src/cli/main.ts --examples -p 7624 &     # or: npm start
 *   npx tsx examples/client-script.ts --port 7624 [--host h] [--target 21.5]
 *
 * Exits 0 once the target is confirmed (state Ok); 1 if the client refuses to
 * send it (out of the range the driver defined), the driver refuses it (state
 * Alert, with its message), the server cannot be reached, or nothing happens
 * for 5 s.
 */
import { parseArgs } from 'node:util';
import { debounceTime, filter, firstValueFrom, skip, timeout } from 'rxjs';
import { SendRefusedError, connectIndi, formatNumber, memberValues, type DefVector } from '../src/index.js';

const { values: args } = parseArgs({
  options: {
    host: { type: 'string', default: 'localhost' },
    port: { type: 'string', default: '7624' },
    target: { type: 'string', default: '21.5' },
  },
});
const target = Number(args.target);

// The client keeps every device's state (devices$) from the first byte on.
const client = connectIndi({ host: args.host, port: Number(args.port) });
try {
  // INDI 1.7: nothing is sent until a client asks for definitions.
  client.getProperties();
  // Definitions arrive in a burst, and INDI has no "that's all": wait until
  // the Thermostat's TARGET is known and the burst has been quiet for 300 ms.
  const devices = await firstValueFrom(
    client.devices$.pipe(
      filter((known) => known.get('Thermostat')?.has('TARGET') === true),
      debounceTime(300),
      timeout(5000),
    ),
  );
  console.log(`devices: ${[...devices.keys()].sort().join(', ')}`);
  for (const device of [...devices.keys()].sort())
    console.log(`  ${device}: ${[...(devices.get(device)?.keys() ?? [])].join(', ')}`);

  const current = devices.get('Thermostat')?.get('TARGET');
  // Checked against TARGET's definition first: a value out of its range is
  // refused here (SendRefusedError) and never sent.
  client.setNumber('Thermostat', 'TARGET', { CELSIUS: target });
  // The answer comes later, over the socket. watch() replays the vector's
  // current state first: skip it, and take the driver's answer to our
  // request (Ok, or Alert when it refuses).
  const answer = firstValueFrom(
    client.watch('Thermostat', 'TARGET').pipe(
      skip(1),
      filter((vector) => vector?.state !== 'Busy'),
      timeout(5000),
    ),
  );
  const vector = await answer;
  const celsius = (of: DefVector | undefined) => String(of && memberValues(of).CELSIUS);
  console.log(
    `Thermostat.TARGET.CELSIUS: ${celsius(current)} -> ${celsius(vector)} (${vector?.state ?? 'deleted'})`,
  );
  if (vector?.state !== 'Ok') {
    console.error(`refused: ${vector?.message ?? 'no reason given'}`);
    process.exitCode = 1;
  }

  // Any vector's latest values, formatted as the driver asks (printf or sexagesimal).
  const temperature = (await firstValueFrom(client.devices$)).get('Thermostat')?.get('TEMPERATURE');
  if (temperature?.type === 'defNumberVector')
    for (const member of temperature.members)
      console.log(`Thermostat.TEMPERATURE.${member.name}: ${formatNumber(member.value, member.format)}`);
} catch (error) {
  if (error instanceof SendRefusedError) console.error(`refused: ${error.message}`);
  // Connection refused, or a timeout: the message says which.
  else console.error(`failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await client.close();
}
