/**
 * examples/client-script.ts against the rxindi command (`--examples`, run from
 * source): its output and exit code when the target is taken, when the
 * driver refuses it, and when there is no server.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../test/helpers/free-port.js';
import {
  cliPort,
  killAllProcesses,
  removeTempDirs,
  repoRoot,
  run,
  startCli,
} from '../test/helpers/processes.js';
import { getprop } from '../test/helpers/indi-tools.js';

let port = 0;

beforeAll(async () => {
  port = await cliPort(startCli(['-v', '-p', '0', '--examples']));
});
afterAll(async () => {
  await killAllProcesses();
  removeTempDirs();
});

const clientScript = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', join(repoRoot, 'examples/client-script.ts'), ...args], {
    timeout: 20_000,
  });

describe('examples/client-script.ts', () => {
  it('lists the devices, sets Thermostat.TARGET, prints the confirmed value and exits 0', async () => {
    const result = await clientScript('--port', String(port), '--target', '22.5');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'devices: Example Camera, Thermostat',
      '  Example Camera: CCD_EXPOSURE, CCD1',
      '  Thermostat: TEMPERATURE, TARGET, HEATER, ENABLE',
      expect.stringMatching(/^Thermostat\.TARGET\.CELSIUS: \S+ -> 22\.5 \(Ok\)$/),
      expect.stringMatching(/^Thermostat\.TEMPERATURE\.CELSIUS: \d+\.\d\d$/),
    ]);
    // The server really has it.
    expect((await getprop(port, ['Thermostat.TARGET.CELSIUS'])).get('Thermostat.TARGET.CELSIUS')).toBe(
      '22.5',
    );
  });

  it('refuses to send a target out of the range TARGET defines, says why and exits 1', async () => {
    const result = await clientScript('--port', String(port), '--target', '99');
    expect(result.code).toBe(1);
    // Nothing was sent, so no answer is printed.
    expect(result.stdout).not.toContain('Thermostat.TARGET.CELSIUS:');
    expect(result.stderr).toBe(
      'refused: Thermostat.TARGET not sent: CELSIUS = 99 is outside the range -20 to 40',
    );
  });

  it('says why and exits 1 when no server listens', async () => {
    const result = await clientScript('--port', String(await freePort()));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^failed: connect ECONNREFUSED \S+$/);
  });
});
