/**
 * examples/thermostat.ts, driven by indilib's own clients: indi_setprop turns
 * the thermostat on with a target just above the room, indi_eval waits for
 * the heater and watches TEMPERATURE climb to the target, indi_getprop reads
 * the end state.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { killAllProcesses, removeTempDirs, run } from '../test/helpers/processes.js';
import { getprop, setprop } from '../test/helpers/indi-tools.js';
import { runExample, startExample, stopExample, takenPort } from './support/start-example.js';

afterEach(async () => {
  await killAllProcesses();
  removeTempDirs();
});

describe('examples/thermostat.ts', () => {
  it('heats towards TARGET once enabled, then turns the heater off, and stops on SIGTERM', async () => {
    const running = await startExample('thermostat');
    const { port } = running;

    const before = await getprop(port, ['Thermostat.*.*']);
    expect(before.get('Thermostat.ENABLE.ENABLE')).toBe('Off');
    expect(before.get('Thermostat.HEATER.ON')).toBe('Idle');
    // Disabled, it cools towards 5 °C from 12 °C.
    const start = Number(before.get('Thermostat.TEMPERATURE.CELSIUS'));
    expect(start).toBeGreaterThan(5);
    expect(start).toBeLessThanOrEqual(12);

    // A target on TARGET's 0.5 °C grid, 0.5 to 1 °C above the room: a few seconds of heating.
    const target = Math.floor(start * 2) / 2 + 1;
    expect(await setprop(port, 'Thermostat.ENABLE.ENABLE=On', `Thermostat.TARGET.CELSIUS=${target}`)).toEqual(
      {
        code: 0,
        stderr: '',
      },
    );

    // The heater light turns Ok (1 for indi_eval) …
    const heater = await run('indi_eval', ['-p', String(port), '-w', '-t', '5', '"Thermostat.HEATER.ON"==1']);
    expect(heater.code).toBe(0);
    // … and TEMPERATURE climbs 0.25 °C a tick until it reaches the target (-o prints each value seen, on stderr).
    const climb = await run(
      'indi_eval',
      ['-p', String(port), '-w', '-o', '-t', '10', `"Thermostat.TEMPERATURE.CELSIUS">=${target}`],
      { timeout: 15_000 },
    );
    expect(climb.code).toBe(0);
    const seen = climb.stderr
      .split('\n')
      .filter((line) => line.startsWith('Thermostat.TEMPERATURE.CELSIUS='))
      .map((line) => Number(line.split('=')[1]));
    expect(seen.at(-1)).toBe(target);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    for (let at = 1; at < seen.length; at++) expect(seen[at]! - seen[at - 1]!).toBeCloseTo(0.25);

    // At the target the heater is off again, and everything reads back.
    const after = await getprop(port, ['Thermostat.*.*']);
    expect(Object.fromEntries(after)).toEqual({
      'Thermostat.TEMPERATURE.CELSIUS': String(target),
      'Thermostat.TARGET.CELSIUS': String(target),
      'Thermostat.HEATER.ON': 'Idle',
      'Thermostat.ENABLE.ENABLE': 'On',
      'Thermostat.ENABLE.DISABLE': 'Off',
    });

    expect(await stopExample(running)).toEqual({ code: 0, signal: undefined });
  });

  it('exits 1 with one line saying why when the port is taken', async () => {
    const taken = await takenPort();
    try {
      expect(await runExample('thermostat', taken.port)).toEqual({
        code: 1,
        stdout: '',
        stderr: `port ${taken.port} on localhost is already in use (is indiserver or another rxindi running? pick another port with -p)`,
      });
    } finally {
      await taken.close();
    }
  });
});
