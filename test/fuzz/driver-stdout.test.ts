/**
 * Fuzzing the way in through a driver's stdout: mutated recordings of real
 * libindi drivers (and indiserver), written by a driver program
 * (fixtures/replay-driver.sh, `cat` of a file) that then exits, four at a
 * time, while a healthy client watches a healthy driver count.
 *
 * indiserver: a driver whose output cannot be framed is stopped; its devices
 * are deleted for clients. DESIGN.md: nothing is lost for anyone else.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processChannel } from '../../src/channels/process-channel.js';
import { literal, removeTempDirs, tempDir } from '../helpers/processes.js';
import { fuzzCases, loadRecordings, oversizedTag, type FuzzCase } from './byte-fuzzer.js';
import {
  heapBound,
  inBatches,
  messagesOf,
  parseAlone,
  useFuzzServer,
  withDevicesDeleted,
} from './fuzz-server.js';

const replayDriver = join(fileURLToPath(import.meta.url), '../fixtures/replay-driver.sh');

const stage = useFuzzServer();
let inputs: string;

beforeAll(() => {
  inputs = tempDir('rxindi-fuzz-');
});

afterAll(() => {
  removeTempDirs();
});

async function replayCase({ seed, steps, bytes }: FuzzCase): Promise<void> {
  const why = `seed ${seed}: ${steps.join('; ')}`;
  const id = `fuzz-driver-${seed}`;
  const input = join(inputs, `${seed}.xml`);
  writeFileSync(input, bytes);
  stage().add(processChannel(replayDriver, [], { id, restarts: 0, env: { FUZZ_INPUT: input } }));
  const record = await stage().ended(id, { timeout: 15_000 });
  const verdict = parseAlone(bytes);
  expect(record.received, why).toEqual(withDevicesDeleted(verdict.messages));
  expect(messagesOf(record.problems), why).toEqual(verdict.problems);
  // Killed when its output broke the framing, unless `cat` had already exited.
  const how =
    verdict.failure === undefined ? 'exited with code 0' : '(exited with code 0|was killed by SIGTERM)';
  const detail = verdict.failure === undefined ? '' : `: ${literal(verdict.failure)}`;
  expect(record.disconnected?.error?.message, why).toMatch(new RegExp(`^driver ${id} ${how}${detail}$`));
  const exits = stage().events.filter((event) => event.type === 'driverExited' && event.channel === id);
  expect(exits, why).toEqual([
    { type: 'driverExited', channel: id, error: record.disconnected?.error, restartIn: undefined },
  ]);
}

describe('fuzzing driver stdout', () => {
  it('serves a healthy client exactly while fuzzed drivers come and go, each ending with the parser’s own verdict', async () => {
    await inBatches([oversizedTag, ...fuzzCases(loadRecordings('driver'), 2000, 160)], 4, replayCase);
    await stage().expectHealthy();
    expect(process.memoryUsage().heapUsed).toBeLessThan(heapBound);
  });
});
