/**
 * examples/embedded-server.ts: indi_getprop sees the in-process devices and
 * the driver program's device on one port; the log names the driver's pid;
 * SIGTERM stops the driver program and exits 0.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { killAllProcesses, removeTempDirs } from '../test/helpers/processes.js';
import { pidRunning, waitUntil } from '../test/helpers/wait-until.js';
import { getprop, setprop } from '../test/helpers/indi-tools.js';
import { runExample, startExample, stopExample, takenPort } from './support/start-example.js';

afterEach(async () => {
  await killAllProcesses();
  removeTempDirs();
});

describe('examples/embedded-server.ts', () => {
  it('serves Thermostat, Example Camera and Telescope Simulator together, and stops them all', async () => {
    const running = await startExample('embedded-server');
    const { example, port } = running;

    const devices = await waitUntil('all three devices', async () => {
      const names = new Set([...(await getprop(port)).keys()].map((key) => key.split('.')[0]));
      return names.size === 3 && names;
    });
    expect([...devices].sort()).toEqual(['Example Camera', 'Telescope Simulator', 'Thermostat']);

    // Each answers requests: the thermostat (in-process) and the telescope (its own process).
    expect(
      await setprop(port, 'Thermostat.TARGET.CELSIUS=20', 'Telescope Simulator.CONNECTION.CONNECT=On'),
    ).toEqual({ code: 0, stderr: '' });
    await waitUntil('both to take the new values', async () => {
      const values = await getprop(port, [
        'Thermostat.TARGET.CELSIUS',
        'Telescope Simulator.CONNECTION.CONNECT',
      ]);
      return (
        values.get('Thermostat.TARGET.CELSIUS') === '20' &&
        values.get('Telescope Simulator.CONNECTION.CONNECT') === 'On'
      );
    });

    // The log (stderr) tells the driver's pid, and the clients that came and went.
    const started = example.stderr
      .map((line) => /driver indi_simulator_telescope started, pid (\d+)$/.exec(line))
      .find(Boolean);
    const pid = Number(started?.[1]);
    expect(pidRunning(pid)).toBe(true);
    for (const event of ['connected', 'disconnected']) {
      const line = new RegExp(` client 127\\.0\\.0\\.1:\\d+ ${event}$`);
      await waitUntil(`a "client … ${event}" line in ${JSON.stringify(example.stderr)}`, () =>
        example.stderr.some((logged) => line.test(logged)),
      );
    }

    // SIGTERM to the example alone: it stops its driver program and exits cleanly.
    expect(await stopExample(running)).toEqual({ code: 0, signal: undefined });
    expect(pidRunning(pid)).toBe(false);
    await waitUntil('the last log line', () => example.stderr.at(-1)?.endsWith(' stopped'));
  });

  it('exits 1 without starting its driver program when the port is taken', async () => {
    const taken = await takenPort();
    try {
      const result = await runExample('embedded-server', taken.port);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      const lines = result.stderr.split('\n');
      expect(lines.at(-1)).toMatch(new RegExp(` port ${taken.port} on localhost is already in use `));
      // The port is taken before any driver starts, as with indiserver.
      expect(result.stderr).not.toMatch(/driver indi_simulator_telescope started/);
    } finally {
      await taken.close();
    }
  });
});
