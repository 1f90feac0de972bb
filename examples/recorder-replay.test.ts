/**
 * examples/recorder.ts in front of indilib's indiserver running the telescope
 * simulator, with indi_getprop and indi_setprop as its clients; then
 * examples/replay.ts playing that session back: the replay defines the same
 * properties with the same final values, and a recording of the replay has
 * the same device traffic, byte for byte (the round trip).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, of } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { parseIndi, type IndiMessage } from '../src/index.js';
import { freePort } from '../test/helpers/free-port.js';
import { killAllProcesses, removeTempDirs, tempDir } from '../test/helpers/processes.js';
import { waitUntil } from '../test/helpers/wait-until.js';
import { readSessionEntry, type SessionEntry } from './session-log.js';
import { getprop, setprop } from '../test/helpers/indi-tools.js';
import {
  runExample,
  startExample,
  startTelescopeIndiserver,
  stopExample,
  type RunningExample,
} from './support/start-example.js';

const SCOPE = 'Telescope Simulator';
const ALL = [`${SCOPE}.*.*`];

afterEach(async () => {
  await killAllProcesses();
  removeTempDirs();
});

/** SIGTERM, and the variant exits 0 having said nothing more. */
async function stop(variant: RunningExample): Promise<void> {
  expect(await stopExample(variant)).toEqual({ code: 0, signal: undefined });
  expect(variant.example.stderr).toEqual([]);
}

/** The complete lines of a session log (one being written may lack its end). */
function readLog(path: string): SessionEntry[] {
  const lines = readFileSync(path, 'utf8').split('\n').slice(0, -1);
  return lines.map((line, index) => readSessionEntry(line, index + 1));
}

/** What a driver side sent, without when and through which connection: what the replay plays. */
function deviceTraffic(entries: readonly SessionEntry[]): Pick<SessionEntry, 'kind' | 'type' | 'xml'>[] {
  return entries
    .filter(({ direction, kind }) => direction === 'in' && kind !== 'client')
    .filter(({ type }) => /^(def|set)\w+Vector$|^delProperty$|^message$/.test(type))
    .map(({ kind, type, xml }) => ({ kind, type, xml }));
}

const parse = (xml: string): Promise<IndiMessage> => lastValueFrom(of(xml).pipe(parseIndi()));

describe('examples/recorder.ts and examples/replay.ts', () => {
  it("record a night with the telescope simulator, replay it with the same properties, and record the replay's same traffic", async () => {
    const upstream = await startTelescopeIndiserver();
    const dir = tempDir('rxindi-session-');
    const night = join(dir, 'night.jsonl');
    const recorder = await startExample('recorder', [
      '--upstream',
      `127.0.0.1:${String(upstream)}`,
      '--log',
      night,
    ]);

    // Clients use the recorder as they would the upstream: connect the telescope, then disconnect it.
    expect([...(await getprop(recorder.port, ALL)).keys()].sort()).toEqual(
      [...(await getprop(upstream, ALL)).keys()].sort(),
    );
    expect(await setprop(recorder.port, `${SCOPE}.CONNECTION.CONNECT=On`)).toEqual({ code: 0, stderr: '' });
    await waitUntil(
      'the telescope to connect',
      async () => (await getprop(recorder.port, ALL)).has(`${SCOPE}.EQUATORIAL_EOD_COORD.RA`),
      {
        timeout: 10_000,
      },
    );
    expect(await setprop(recorder.port, `${SCOPE}.CONNECTION.DISCONNECT=On`)).toEqual({
      code: 0,
      stderr: '',
    });
    const last = await waitUntil(
      'the telescope to disconnect',
      async () => {
        const values = await getprop(recorder.port, ALL);
        return !values.has(`${SCOPE}.EQUATORIAL_EOD_COORD.RA`) && values;
      },
      { timeout: 10_000 },
    );
    expect(last.get(`${SCOPE}.CONNECTION.CONNECT`)).toBe('Off');
    await stop(recorder);

    // One JSON line per message, in and out of every connection; indi_setprop's request, both ways.
    const recorded = readLog(night);
    for (const entry of recorded)
      expect(Object.keys(entry)).toEqual(['t', 'channel', 'kind', 'direction', 'type', 'xml']);
    const request = {
      type: 'newSwitchVector',
      device: SCOPE,
      name: 'CONNECTION',
      members: [{ name: 'CONNECT', value: 'On' }],
    };
    const fromSetprop = recorded.find((entry) => entry.kind === 'client' && entry.type === 'newSwitchVector');
    const toUpstream = recorded.find((entry) => entry.kind === 'remote' && entry.type === 'newSwitchVector');
    expect(fromSetprop?.direction).toBe('in');
    expect(toUpstream).toMatchObject({ channel: `127.0.0.1:${String(upstream)}`, direction: 'out' });
    expect(await parse(fromSetprop!.xml)).toEqual(request);
    expect(await parse(toUpstream!.xml)).toEqual(request);
    const played = deviceTraffic(recorded);
    // Definitions, updates, notes and deletions: everything a driver sends.
    expect([...new Set(played.map(({ type }) => type))]).toEqual(
      expect.arrayContaining(['defSwitchVector', 'setNumberVector', 'message', 'delProperty']),
    );

    // The replay, as fast as possible, recorded by a second recorder with no client.
    const replay = await startExample('replay', ['--log', night, '--speed', '0']);
    const again = join(dir, 'replay.jsonl');
    const second = await startExample('recorder', [
      '--upstream',
      `127.0.0.1:${String(replay.port)}`,
      '--log',
      again,
    ]);
    await waitUntil(
      'the whole night to be replayed',
      () => deviceTraffic(readLog(again)).length >= played.length,
      {
        timeout: 10_000,
      },
    );
    await stop(second);
    expect(deviceTraffic(readLog(again))).toEqual(played);

    // indi_getprop against the replay: the properties and values the night ended with.
    expect(await getprop(replay.port, ALL)).toEqual(last);
    await stop(replay);
  });

  it('the recorder never overwrites a session log', async () => {
    const log = join(tempDir('rxindi-session-'), 'night.jsonl');
    writeFileSync(log, 'last night\n');
    const args = ['--upstream', 'localhost:7624', '--log', log];
    expect(await runExample('recorder', await freePort(), args)).toEqual({
      code: 2,
      stdout: '',
      stderr: `cannot create the session log (give --log a new file): EEXIST: file already exists, open '${log}'`,
    });
    expect(readFileSync(log, 'utf8')).toBe('last night\n');
  });

  it('the replay names the line of a log it cannot read, before listening', async () => {
    const log = join(tempDir('rxindi-session-'), 'night.jsonl');
    const good = {
      t: '2024-05-01T22:13:05.120Z',
      channel: 'localhost:7624',
      kind: 'remote',
      direction: 'in',
    };
    const lines = [
      { ...good, type: 'message', xml: `<message device="${SCOPE}" message="Slewing"/>` },
      { ...good, direction: 'sideways', type: 'message', xml: '<message/>' },
    ];
    writeFileSync(log, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
    expect(await runExample('replay', await freePort(), ['--log', log])).toEqual({
      code: 2,
      stdout: '',
      stderr: `cannot replay ${log}: line 2 of the session log: "direction" is not in or out`,
    });
  });
});
