/**
 * examples/snoop.ts with indilib's clients: connecting and slewing the
 * telescope simulator (indi_setprop) moves the Scope Watcher's POSITION
 * (indi_eval, indi_getprop), which the watcher learns only by snooping.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { killAllProcesses, removeTempDirs, run } from '../test/helpers/processes.js';
import { getprop, setprop } from '../test/helpers/indi-tools.js';
import { startExample, stopExample } from './support/start-example.js';

const scope = 'Telescope Simulator';
const watcher = 'Scope Watcher';

afterEach(async () => {
  await killAllProcesses();
  removeTempDirs();
});

/** indi_eval -w: waits (up to `seconds`) for `expression` to hold; -o writes each operand seen to stderr. */
const evalUntil = (port: number, expression: string, seconds = 10) =>
  run('indi_eval', ['-p', String(port), '-w', '-o', '-t', String(seconds), expression], {
    timeout: (seconds + 5) * 1000,
  });

describe('examples/snoop.ts', () => {
  it("mirrors the telescope's EQUATORIAL_EOD_COORD while it connects, slews and disconnects", async () => {
    const running = await startExample('snoop');
    const { port } = running;

    // Before the telescope connects it has no coordinates: the watcher shows its defaults.
    expect((await evalUntil(port, `"${scope}.CONNECTION.CONNECT"==0`, 5)).code).toBe(0);
    expect(Object.fromEntries(await getprop(port, [`${watcher}.POSITION.*`]))).toEqual({
      [`${watcher}.POSITION.RA`]: '0',
      [`${watcher}.POSITION.DEC`]: '0',
    });

    // Connected, the simulator starts at the pole, and so does the watcher.
    expect(await setprop(port, `${scope}.CONNECTION.CONNECT=On`)).toEqual({ code: 0, stderr: '' });
    expect((await evalUntil(port, `"${watcher}.POSITION.DEC"==90`, 5)).code).toBe(0);
    const start = await getprop(port, [`${scope}.EQUATORIAL_EOD_COORD.*`, `${watcher}.POSITION.*`]);
    const startRa = Number(start.get(`${scope}.EQUATORIAL_EOD_COORD.RA`));
    expect(Number(start.get(`${watcher}.POSITION.RA`))).toBeCloseTo(startRa, 6);

    // Slew 10° south (and back to the last half hour of RA): a couple of seconds.
    const ra = Math.floor(startRa * 2) / 2;
    expect(await setprop(port, `${scope}.EQUATORIAL_EOD_COORD.RA;DEC=${ra};80`)).toEqual({
      code: 0,
      stderr: '',
    });
    const slew = await evalUntil(
      port,
      `"${watcher}.POSITION._STATE"==1 && abs("${watcher}.POSITION.DEC"-80)<0.01 && abs("${watcher}.POSITION.RA"-${ra})<0.01`,
    );
    expect(slew.code).toBe(0);
    const operand = (name: string) =>
      slew.stderr
        .split('\n')
        .filter((line) => line.startsWith(`${watcher}.POSITION.${name}=`))
        .map((line) => Number(line.split('=')[1]));
    // The watcher was Busy (2) while the telescope slewed, and passed through the DECs in between.
    expect(operand('_STATE')).toContain(2);
    const decs = operand('DEC');
    expect(decs.filter((dec) => dec > 80.5 && dec < 89.5).length).toBeGreaterThanOrEqual(2);
    for (let at = 1; at < decs.length; at++) expect(decs[at]!).toBeLessThanOrEqual(decs[at - 1]!);

    // Where the telescope stopped, the watcher's position is the same.
    const end = await getprop(port, [`${scope}.EQUATORIAL_EOD_COORD.*`, `${watcher}.POSITION.*`]);
    for (const member of ['RA', 'DEC'])
      expect(Number(end.get(`${watcher}.POSITION.${member}`))).toBeCloseTo(
        Number(end.get(`${scope}.EQUATORIAL_EOD_COORD.${member}`)),
        6,
      );

    // Disconnected, the telescope deletes its coordinates: the watcher keeps them and turns Alert (3).
    expect(await setprop(port, `${scope}.CONNECTION.DISCONNECT=On`)).toEqual({ code: 0, stderr: '' });
    expect((await evalUntil(port, `"${watcher}.POSITION._STATE"==3`, 5)).code).toBe(0);
    expect(
      Number((await getprop(port, [`${watcher}.POSITION.DEC`])).get(`${watcher}.POSITION.DEC`)),
    ).toBeCloseTo(80, 6);

    expect(await stopExample(running)).toEqual({ code: 0, signal: undefined });
  });
});
