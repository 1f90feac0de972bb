/**
 * The `rxindi` command line as indiserver users run it, against Debian's
 * indi-bin programs: a port in use, an unknown flag, a missing driver,
 * SIGTERM, and drivers started and stopped through the `-f` FIFO.
 * The CLI runs from source (node --import tsx) in its own process group.
 */
import { execFileSync } from 'node:child_process';
import { openSync, closeSync, writeSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { usage } from '../../src/cli/parse-args.js';
import { RawIndiClient } from '../helpers/indi-client.js';
import {
  cliPort,
  killAllProcesses,
  removeTempDirs,
  run,
  startCli,
  tempDir,
  type TestProcess,
} from '../helpers/processes.js';
import { pidRunning, waitUntil } from '../helpers/wait-until.js';

/** A stderr line without the CLI's `YYYY-MM-DDTHH:MM:SS: ` prefix. */
const text = (line: string): string => line.replace(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d: /, '');

/** Every live process in the CLI's process group (it and the drivers it started); zombies do not count. */
async function processGroup(cli: TestProcess): Promise<number[]> {
  const result = await run('pgrep', ['-g', String(cli.pid)]);
  return result.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map(Number)
    .filter(pidRunning);
}

/** The pid the CLI (run with -v) logged for a driver. */
async function driverPid(cli: TestProcess, driver: string): Promise<number> {
  const [, pid = ''] = await cli.waitForStderr(new RegExp(`Driver ${driver}: pid=(\\d+)$`));
  return Number(pid);
}

const home = (): Record<string, string> => ({ HOME: tempDir('rxindi-home-') });

let blocker: Server | undefined;

afterEach(async () => {
  await RawIndiClient.closeAll();
  await killAllProcesses();
  await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
  blocker = undefined;
  removeTempDirs();
});

describe('rxindi CLI', () => {
  it('port in use: one clear line on stderr, exit code 1, no driver left behind', async () => {
    const taken = createServer();
    blocker = taken;
    await new Promise<void>((resolve) => taken.listen(0, 'localhost', resolve));
    const address = taken.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;

    const cli = startCli(['-p', String(port), 'indi_simulator_telescope'], home());
    expect(await cli.exited).toEqual({ code: 1, signal: undefined });
    const lines = cli.stderr.map(text);
    expect(lines.filter((line) => line.includes(String(port)) && !line.startsWith('startup:'))).toEqual([
      `port ${port} on localhost is already in use (is indiserver or another rxindi running? pick another port with -p)`,
    ]);
    expect(lines).toEqual([
      `startup: -p ${port} indi_simulator_telescope`,
      `port ${port} on localhost is already in use (is indiserver or another rxindi running? pick another port with -p)`,
      'good bye',
    ]);
    // The drivers it had already started are gone too (a moment after it exits).
    await waitUntil('the drivers to be gone', async () => (await processGroup(cli)).length === 0, {
      timeout: 3000,
    });
  });

  it('unknown flag: exit code 2 with the usage on stderr', async () => {
    const cli = startCli(['-x', 'indi_simulator_telescope']);
    expect(await cli.exited).toEqual({ code: 2, signal: undefined });
    expect(`${cli.stderr.join('\n')}\n`).toBe(`rxindi: unknown option -x\n\n${usage('rxindi')}`);
    expect(cli.stdout).toEqual([]);
  });

  it('a limit out of range: exit code 2 naming the flag and its range', async () => {
    const cli = startCli(['--max-devices', '0', 'indi_simulator_telescope']);
    expect(await cli.exited).toEqual({ code: 2, signal: undefined });
    expect(cli.stderr[0]).toBe("rxindi: --max-devices needs a whole number from 1 to 1000000, not '0'");
  });

  it('--max-connections-per-address 1: indi_getprop is refused while another client of that address is connected', async () => {
    const cli = startCli(
      ['-v', '-p', '0', '--max-connections-per-address', '1', 'indi_simulator_telescope'],
      home(),
    );
    const port = await cliPort(cli);
    const first = await RawIndiClient.connect(port);
    first.send('<getProperties version="1.7"/>');
    await first.waitFor('the telescope', (message) => message.type === 'defSwitchVector');
    const refused = await run('indi_getprop', [
      '-p',
      String(port),
      '-t',
      '2',
      'Telescope Simulator.CONNECTION.*',
    ]);
    expect(refused.stdout).toBe('');
    await cli.waitForStderr(
      /Client 127\.0\.0\.1:\d+: refused: rxindi: 127\.0\.0\.1 already has 1 connections open here; close one or raise --max-connections-per-address$/,
    );
    await first.close();
    await waitUntil('the first client to leave', () =>
      cli.stderr.some((line) => line.endsWith('shut down complete - bye!')),
    );
    const served = await run('indi_getprop', [
      '-p',
      String(port),
      '-t',
      '2',
      'Telescope Simulator.CONNECTION.*',
    ]);
    expect(served.stdout).toContain('Telescope Simulator.CONNECTION.CONNECT=Off');
  });

  it('driver not found: exit code 1 with a line naming the driver', async () => {
    const cli = startCli(['-p', '0', 'indi_simulator_telescope', 'indi_no_such_driver_rxindi']);
    expect(await cli.exited).toEqual({ code: 1, signal: undefined });
    expect(cli.stderr.map(text)).toEqual([
      'startup: -p 0 indi_simulator_telescope indi_no_such_driver_rxindi',
      'Driver indi_no_such_driver_rxindi: not found: it is not an executable path nor a program on PATH (is the driver package installed?)',
      'good bye',
    ]);
    await waitUntil('the drivers to be gone', async () => (await processGroup(cli)).length === 0, {
      timeout: 3000,
    });
  });

  it('SIGTERM: exit code 0 and the drivers are gone', async () => {
    const cli = startCli(['-v', '-p', '0', 'indi_simulator_telescope', 'indi_simulator_ccd'], home());
    const port = await cliPort(cli);
    const telescope = await driverPid(cli, 'indi_simulator_telescope');
    const ccd = await driverPid(cli, 'indi_simulator_ccd');
    const client = await RawIndiClient.connect(port);
    client.send('<getProperties version="1.7"/>');
    await client.waitFor(
      'the CCD',
      (message) => message.type === 'defSwitchVector' && message.device === 'CCD Simulator',
    );
    expect((await processGroup(cli)).sort()).toEqual([cli.pid, telescope, ccd].sort());

    process.kill(cli.pid, 'SIGTERM');
    const exit = await cli.exited;
    await waitUntil('the drivers to exit', () => !pidRunning(telescope) && !pidRunning(ccd), {
      timeout: 3000,
    });
    expect(await processGroup(cli)).toEqual([]);
    expect(await client.waitForEnd({ timeout: 1000 })).toMatchObject({
      type: expect.stringMatching(/^(end|error)$/) as unknown,
    });
    expect(cli.stderr.map(text)).toContain('SIGTERM: shutting down');
    expect(exit).toEqual({ code: 0, signal: undefined });
  });

  it('-f fifo: "start indi_simulator_focus" makes the focuser appear, "stop" deletes it', async () => {
    const fifo = join(tempDir('rxindi-fifo-'), 'indi.fifo');
    execFileSync('mkfifo', [fifo]);
    const cli = startCli(['-v', '-p', '0', '-f', fifo], home());
    const port = await cliPort(cli);
    const watcher = await RawIndiClient.connect(port);
    watcher.send('<getProperties version="1.7"/>');
    const write = (line: string): void => {
      // The CLI holds the FIFO open read-write, so opening it to write never blocks.
      const fd = openSync(fifo, 'w');
      writeSync(fd, `${line}\n`);
      closeSync(fd);
    };

    write('start indi_simulator_focus');
    const focusPid = await driverPid(cli, 'indi_simulator_focus');
    await watcher.waitFor(
      'the focuser',
      (message) =>
        message.type === 'defSwitchVector' &&
        message.device === 'Focuser Simulator' &&
        message.name === 'CONNECTION',
    );
    const seen = await run('indi_getprop', [
      '-p',
      String(port),
      '-t',
      '2',
      'Focuser Simulator.CONNECTION.CONNECT',
    ]);
    expect(seen).toEqual({ stdout: 'Focuser Simulator.CONNECTION.CONNECT=Off', stderr: '', code: 0 });

    const from = watcher.messages.length;
    write('stop indi_simulator_focus');
    await waitUntil('the focuser driver to exit', () => !pidRunning(focusPid));
    const gone = await run('indi_getprop', [
      '-p',
      String(port),
      '-t',
      '1',
      'Focuser Simulator.CONNECTION.CONNECT',
    ]);
    expect(gone.stdout).toBe('');
    expect(gone.code).toBe(1);
    expect(cli.stderr.map(text)).toEqual(
      expect.arrayContaining([
        'FIFO: Starting driver indi_simulator_focus',
        'FIFO: Shutting down driver: indi_simulator_focus',
      ]),
    );
    await watcher.waitFor('the focuser deleted', (message) => message.type === 'delProperty', {
      from,
      timeout: 1000,
    });
    expect(watcher.messages.slice(from).filter((message) => message.type === 'delProperty')).toEqual([
      { type: 'delProperty', device: 'Focuser Simulator' },
    ]);
  });
});
