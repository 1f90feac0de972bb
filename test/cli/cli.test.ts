/**
 * The `rxindi` command line with a fixture driver: what happens to the whole
 * server when clients misbehave, and what `-vv` logs. (The indiserver
 * compatible flags, FIFO and signals are tested against indi-bin in
 * test/interop/cli.test.ts.)
 */
import { chmodSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RawIndiClient } from '../helpers/indi-client.js';
import { cliPort, killAllProcesses, startCli } from '../helpers/processes.js';

const floodDriver = join(fileURLToPath(import.meta.url), '../fixtures/flood-driver.mjs');

/**
 * Connects, asks for properties, stops reading for a few milliseconds while
 * the server keeps writing, then closes as soon as more bytes arrive;
 * resolves false if the connection was refused.
 */
function closeWhileServerWrites(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    let refused = false;
    const socket = connect(port, '127.0.0.1', () => socket.write('<getProperties version="1.7"/>\n'));
    socket.once('data', () => {
      socket.pause();
      setTimeout(() => {
        socket.once('data', () => socket.destroy());
        socket.resume();
      }, 5);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => (refused = error.code === 'ECONNREFUSED'));
    socket.once('close', () => resolve(!refused));
  });
}

beforeAll(() => chmodSync(floodDriver, 0o755));

afterEach(async () => {
  await RawIndiClient.closeAll();
  await killAllProcesses();
});

describe('rxindi CLI under client churn', () => {
  it('survives clients that reset their connection while it writes to them', async () => {
    const cli = startCli(['-v', '-p', '0', floodDriver]);
    const port = await cliPort(cli);
    // Each close hits the race with some probability (alone: within 2-6 closes); 100 make it near certain.
    for (
      let attempt = 0;
      attempt < 100 && cli.stderr.every((line) => !line.includes('Node.js v'));
      attempt++
    ) {
      if (!(await closeWhileServerWrites(port))) break;
    }
    // A well-behaved client is still served.
    const client = await RawIndiClient.connect(port).catch((error: unknown) => error);
    // Refused: the server is gone or going; wait for its exit to show why.
    const exited = await (client instanceof RawIndiClient
      ? Promise.race([cli.exited, Promise.resolve(undefined)])
      : cli.exited);
    expect({ exited, lastLines: exited === undefined ? [] : cli.stderr.slice(-24) }).toEqual({
      exited: undefined,
      lastLines: [],
    });
    expect(client).toBeInstanceOf(RawIndiClient);
    if (!(client instanceof RawIndiClient)) return;
    client.send('<getProperties version="1.7"/>');
    await client.waitFor(
      'the Flood definition',
      (message) => message.type === 'defNumberVector' && message.device === 'Flood',
    );
  });
});

describe('rxindi CLI -vv', () => {
  it('logs a summary line for each message in and out', async () => {
    const cli = startCli(['-vv', '-p', '0', floodDriver]);
    const port = await cliPort(cli);
    const client = await RawIndiClient.connect(port);
    client.send('<getProperties version="1.7" device="Flood" name="COUNTER"/>');
    await client.waitFor(
      'the Flood definition',
      (message) => message.type === 'defNumberVector' && message.device === 'Flood',
    );
    await cli.waitForStderr(
      new RegExp(
        `^\\S+: 127\\.0\\.0\\.1:${String(client.socket.localPort)}: read <getProperties device='Flood' name='COUNTER'>$`,
      ),
      { timeout: 2000 },
    );
    await cli.waitForStderr(/: flood-driver\.mjs: read <defNumberVector device='Flood' name='COUNTER'>$/, {
      timeout: 2000,
    });
  });
});
