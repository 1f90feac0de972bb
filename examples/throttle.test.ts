/**
 * examples/throttle.ts at --max-hz 2 in front of indilib's indiserver running
 * the telescope simulator and a fast counter (fixtures/fast-counter.mjs: 50
 * updates a second, a pause, a few more, then state Ok). A client of the
 * upstream receives every update; a client of the throttle at most about two
 * a second, the latest value once the counter stops, and the change of state
 * at once. indi_getprop sees the same properties through the throttle.
 */
import { join } from 'node:path';
import { timestamp, type Timestamp } from 'rxjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectIndi, type IndiClient, type IndiMessage, type SetNumberVector } from '../src/index.js';
import { killAllProcesses, removeTempDirs, repoRoot } from '../test/helpers/processes.js';
import { waitUntil } from '../test/helpers/wait-until.js';
import { requireIndilib } from '../test/remote/helpers.js';
import { getprop, setprop } from '../test/helpers/indi-tools.js';
import { startExample, startIndiserver, stopExample } from './support/start-example.js';

const COUNTER = 'Fast Counter';
const MAX_HZ = 2;
const DONE = 'counted to 170';

const clients: IndiClient[] = [];

beforeAll(() => requireIndilib(['indiserver', 'indi_getprop', 'indi_setprop', 'indi_simulator_telescope']));

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await killAllProcesses();
  removeTempDirs();
});

/** indiserver with the telescope simulator and the fast counter, once it serves both. */
const startUpstream = (): Promise<number> =>
  startIndiserver(
    ['indi_simulator_telescope', join(repoRoot, 'examples', 'fixtures', 'fast-counter.mjs')],
    ['Telescope Simulator.CONNECTION.*', `${COUNTER}.*.*`],
    (values) =>
      values.has('Telescope Simulator.CONNECTION.CONNECT') && values.has(`${COUNTER}.COUNTER.VALUE`),
  );

/** A client that asked for everything; what it receives, with the time each message arrived. */
async function recorder(port: number): Promise<Timestamp<IndiMessage>[]> {
  const client = connectIndi({ host: '127.0.0.1', port });
  clients.push(client);
  const received: Timestamp<IndiMessage>[] = [];
  client.messages$.pipe(timestamp()).subscribe((arrival) => received.push(arrival));
  client.getProperties();
  await waitUntil(`the definition of ${COUNTER}.COUNTER on port ${String(port)}`, () =>
    received.some(({ value }) => value.type === 'defNumberVector' && value.device === COUNTER),
  );
  return received;
}

const isCounter = (message: IndiMessage): message is SetNumberVector =>
  message.type === 'setNumberVector' && message.device === COUNTER && message.name === 'COUNTER';
const valueOf = (update: SetNumberVector): number => update.members[0]?.value ?? NaN;
const busyValues = (received: readonly Timestamp<IndiMessage>[]): number[] =>
  received.flatMap(({ value }) => (isCounter(value) && value.state === 'Busy' ? [valueOf(value)] : []));
/** The counter's last updates and the device's message, as `state value` and `message: text`. */
const ending = (received: readonly Timestamp<IndiMessage>[]): string[] =>
  received
    .flatMap(({ value }) =>
      isCounter(value)
        ? [`${value.state ?? '?'} ${String(valueOf(value))}`]
        : value.type === 'message' && value.device === COUNTER
          ? [`message: ${value.message}`]
          : [],
    )
    .slice(-3);

describe('examples/throttle.ts', () => {
  it('limits its clients to --max-hz updates a second of each property, while clients of the upstream get every one', async () => {
    const upstream = await startUpstream();
    const throttle = await startExample('throttle', [
      '--upstream',
      `127.0.0.1:${String(upstream)}`,
      '--max-hz',
      String(MAX_HZ),
    ]);
    const { port } = throttle;

    // indi_getprop through the throttle lists exactly the upstream's properties.
    const direct = await getprop(upstream);
    const throttled = await getprop(port);
    expect(direct.size).toBeGreaterThan(10);
    expect([...throttled.keys()].sort()).toEqual([...direct.keys()].sort());

    const [ofUpstream, ofThrottle] = [await recorder(upstream), await recorder(port)];
    expect(await setprop(upstream, `${COUNTER}.RUN.START=On`)).toEqual({ code: 0, stderr: '' });
    const done = ({ value }: Timestamp<IndiMessage>): boolean =>
      value.type === 'message' && value.message === DONE;
    await waitUntil(`"${DONE}" on both clients`, () => ofUpstream.some(done) && ofThrottle.some(done), {
      timeout: 20_000,
    });

    // The upstream's client: every value, 1 to 170, then Ok.
    expect(busyValues(ofUpstream)).toEqual(Array.from({ length: 170 }, (_, index) => index + 1));
    expect(ending(ofUpstream)).toEqual(['Busy 170', 'Ok 170', `message: ${DONE}`]);

    // The throttle's client: the first at once, the latest once the counter
    // paused at 150, ever newer values, and in any second of arrivals at most
    // MAX_HZ (+1, when a window's end and a flush meet).
    const values = busyValues(ofThrottle);
    expect(values[0]).toBe(1);
    expect(values).toContain(150);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(new Set(values).size).toBe(values.length);
    expect(values.filter((value) => value <= 150).length).toBeGreaterThanOrEqual(4);
    const arrivals = ofThrottle.flatMap(({ value, timestamp: at }) =>
      isCounter(value) && value.state === 'Busy' ? [at] : [],
    );
    const busiestSecond = Math.max(
      ...arrivals.map((at) => arrivals.filter((other) => other >= at && other < at + 1000).length),
    );
    expect(busiestSecond).toBeLessThanOrEqual(MAX_HZ + 1);

    // Busy → Ok is not held: it comes right after the value held for it (170),
    // and before the device's message that followed it upstream.
    expect(ending(ofThrottle)).toEqual(['Busy 170', 'Ok 170', `message: ${DONE}`]);

    // SIGTERM stops the throttle gracefully.
    expect(await stopExample(throttle)).toEqual({ code: 0, signal: undefined });
  });
});
