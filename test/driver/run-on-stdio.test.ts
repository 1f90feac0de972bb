/**
 * `runOnStdio`: the same driver code as an external driver program, INDI on
 * stdin and stdout, first over in-memory streams, then under indilib's own
 * `indiserver`, read and written with `indi_getprop` / `indi_setprop`.
 */
import { execa } from 'execa';
import { resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { from, lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indiDriver } from '../../src/driver/indi-driver.js';
import { runOnStdio } from '../../src/driver/run-on-stdio.js';
import type { IndiMessage } from '../../src/protocol/messages.js';
import { parseIndi } from '../../src/protocol/parse-indi.js';
import { startIndiserver, type RunningIndiserver } from './fixtures/indiserver.js';
import { at, clock, focuser } from './fixtures/mount.js';

describe('runOnStdio over streams', () => {
  it('answers stdin with definitions on stdout, logs problems, and ends when stdin ends', async () => {
    const driver = indiDriver([focuser], { clock });
    driver.handle('Focuser', 'ABS_FOCUS_POSITION', () => Promise.reject(new Error('motor stalled')));
    const input = new PassThrough();
    const output = new PassThrough();
    const log: string[] = [];
    const running = runOnStdio(driver, { input, output, log: (line) => log.push(line), onEnd: 'resolve' });
    const written: Buffer[] = [];
    output.on('data', (chunk: Buffer) => written.push(chunk));
    input.write('<getProperties version="1.7" device="Focuser"/>\n<bogus/>\n');
    input.write(
      '<newNumberVector device="Focuser" name="ABS_FOCUS_POSITION"><oneNumber name="FOCUS_ABSOLUTE_POSITION">20000</oneNumber></newNumberVector>',
    );
    input.write(
      '<newNumberVector device="Focuser" name="ABS_FOCUS_POSITION"><oneNumber name="FOCUS_ABSOLUTE_POSITION">500</oneNumber></newNumberVector>',
    );
    await new Promise((settled) => setTimeout(settled, 20));
    input.end();
    await running;
    const messages: IndiMessage[] = await lastValueFrom(from(written).pipe(parseIndi(), toArray()));
    expect(messages.map((message) => message.type)).toEqual([
      'defNumberVector',
      'defNumberVector',
      'setNumberVector',
      'message',
      'delProperty',
    ]);
    expect(messages.slice(2)).toEqual([
      {
        type: 'setNumberVector',
        device: 'Focuser',
        name: 'ABS_FOCUS_POSITION',
        state: 'Alert',
        timestamp: at,
        message:
          'ABS_FOCUS_POSITION request rejected: FOCUS_ABSOLUTE_POSITION = 20000 is outside the range 0 to 10000',
        members: [{ name: 'FOCUS_ABSOLUTE_POSITION', value: 0 }],
      },
      {
        type: 'message',
        device: 'Focuser',
        timestamp: at,
        message: 'Handler for Focuser.ABS_FOCUS_POSITION failed: motor stalled',
      },
      { type: 'delProperty', device: 'Focuser', timestamp: at },
    ]);
    expect(log[0]).toMatch(/^bad INDI on stdin: <bogus> is not an INDI element/);
    expect(log[1]).toBe(
      'Focuser.ABS_FOCUS_POSITION request rejected: FOCUS_ABSOLUTE_POSITION = 20000 is outside the range 0 to 10000',
    );
    expect(log[2]).toMatch(/^Focuser\.ABS_FOCUS_POSITION handler failed: Error: motor stalled\n/);
  });
});

describe('runOnStdio under indiserver', () => {
  let indiserver: RunningIndiserver;
  const getprop = async (...specs: string[]): Promise<string[]> =>
    (await execa('indi_getprop', ['-p', String(indiserver.port), '-t', '1', ...specs])).stdout.split('\n');

  beforeAll(async () => {
    indiserver = await startIndiserver(resolve(import.meta.dirname, 'fixtures/stdio-mount.sh'));
    // The driver starts through tsx, which takes a moment; indiserver listens before it answers. It sends
    // its definitions twice at start (once on its own, once for indiserver's getProperties): wait for both
    // (indiserver -vv logs each message read twice), or they reach the first client amid its own answers.
    const lastDef = "read <defBLOBVector device='Mount' name='UPLOAD'>";
    for (let attempt = 0; indiserver.log().split(lastDef).length - 1 < 4; attempt++) {
      if (attempt === 300) throw new Error(`the driver did not start:\n${indiserver.log()}`);
      await new Promise((settled) => setTimeout(settled, 50));
    }
  });

  afterAll(async () => {
    await indiserver.stop();
  });

  it('serves its definitions and takes requests, like any indilib driver', async () => {
    expect(await getprop('Mount.CONNECTION.*', 'Mount.DRIVER_INFO.*')).toEqual([
      'Mount.CONNECTION.CONNECT=Off',
      'Mount.CONNECTION.DISCONNECT=On',
      'Mount.DRIVER_INFO.DRIVER_NAME=rxindi mount',
    ]);
    await execa('indi_setprop', ['-p', String(indiserver.port), 'Mount.CONNECTION.CONNECT=On']);
    await new Promise((settled) => setTimeout(settled, 200));
    expect(await getprop('Mount.CONNECTION.*', 'Mount.CONNECTION._STATE')).toEqual([
      'Mount.CONNECTION.CONNECT=On',
      'Mount.CONNECTION.DISCONNECT=Off',
      'Mount.CONNECTION._STATE=Ok',
    ]);
  });

  it('survives a failing handler and logs it on stderr, which indiserver shows', async () => {
    await execa('indi_setprop', ['-p', String(indiserver.port), 'Mount.SITE_NAME.NAME=Field']);
    await new Promise((settled) => setTimeout(settled, 300));
    expect(indiserver.log()).toContain('Mount.SITE_NAME handler failed: Error: no site database');
    expect(await getprop('Mount.CONNECTION.CONNECT')).toEqual(['Mount.CONNECTION.CONNECT=On']);
  });
});
