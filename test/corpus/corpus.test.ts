/**
 * The parser and serializer against real libindi traffic.
 *
 * The fixtures are recorded verbatim by `record-corpus.ts` from Debian's
 * indi-bin 1.9.9 simulators (`indi_simulator_*.xml`, the drivers' own layout,
 * with a `<?xml version='1.0'?>` before almost every element), from indiserver
 * (`indiserver-telescope.xml`, its re-serialized layout), and what we sent them
 * (`*.sent.xml`, one element per line). See the recorder for how they were made.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { IndiProtocolError } from '../../src/protocol/errors.js';
import type { IndiMessage, SetBlobVector } from '../../src/protocol/messages.js';
import { parseIndi } from '../../src/protocol/parse-indi.js';
import { serializeIndi } from '../../src/protocol/serialize-indi.js';
import { seededRandom } from '../helpers/seeded-random.js';

const fixturesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fixtureNames = readdirSync(fixturesDir)
  .filter((name) => name.endsWith('.xml'))
  .sort();

/** Files up to this size are also fed to the parser one byte at a time. */
const byteAtATimeLimit = 50_000;
const chunkSeeds = [1, 2, 3, 4, 5];
const maxChunkBytes = 97;

function readFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(fixturesDir, name)));
}

interface ParseResult {
  readonly messages: IndiMessage[];
  readonly problems: IndiProtocolError[];
}

async function parseChunks(chunks: ReadonlyArray<Uint8Array | string>): Promise<ParseResult> {
  const problems: IndiProtocolError[] = [];
  const messages = await lastValueFrom(
    from(chunks).pipe(parseIndi({ onProblem: (problem) => problems.push(problem) }), toArray()),
  );
  return { messages, problems };
}

/**
 * Top-level element names, found independently of the parser: in both libindi
 * layouts (and in what we sent) every top-level element starts at column 0,
 * while members are indented and element text can never start with `<`
 * (it would be escaped). `<?xml` declarations and closing tags do not match.
 */
function topLevelElementNames(bytes: Uint8Array): string[] {
  const text = Buffer.from(bytes).toString('latin1');
  return [...text.matchAll(/^<([A-Za-z][\w-]*)/gm)].map((match) => match[1]!);
}

function randomChunks(bytes: Uint8Array, seed: number): Uint8Array[] {
  const next = seededRandom(seed);
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length;) {
    const size = 1 + Math.floor(next() * maxChunkBytes);
    chunks.push(bytes.slice(at, at + size));
    at += size;
  }
  return chunks;
}

function byteChunks(bytes: Uint8Array): Uint8Array[] {
  return Array.from({ length: bytes.length }, (_, at) => bytes.slice(at, at + 1));
}

function describeMessage(message: IndiMessage, index: number): string {
  const name = 'name' in message && message.name !== undefined ? ` ${message.name}` : '';
  return `#${index} ${message.type}${name}`;
}

/** Parses every fixture once; the tests below share the result. */
const wholeFileParses = new Map<string, Promise<ParseResult>>();
function parseWholeFixture(name: string): Promise<ParseResult> {
  let parsed = wholeFileParses.get(name);
  if (!parsed) {
    parsed = parseChunks([readFixture(name)]);
    wholeFileParses.set(name, parsed);
  }
  return parsed;
}

it('finds the recorded fixtures', () => {
  expect(fixtureNames).toContain('indi_simulator_ccd.xml');
  expect(fixtureNames).toContain('indiserver-telescope.xml');
  expect(fixtureNames.length).toBeGreaterThanOrEqual(6);
});

describe.each(fixtureNames)('%s', (name) => {
  it('parses whole, without problems, into one message per top-level element', async () => {
    const bytes = readFixture(name);
    const { messages, problems } = await parseWholeFixture(name);
    expect(problems.map((problem) => problem.message)).toEqual([]);
    const expectedTypes = topLevelElementNames(bytes);
    expect(expectedTypes.length).toBeGreaterThan(0);
    expect(messages).toHaveLength(expectedTypes.length);
    expect(messages.map((message) => message.type)).toEqual(expectedTypes);
  });

  it('parses the same from a string as from bytes', async () => {
    const { messages } = await parseWholeFixture(name);
    const fromText = await parseChunks([Buffer.from(readFixture(name)).toString('utf8')]);
    expect(fromText.problems).toEqual([]);
    expect(fromText.messages).toStrictEqual(messages);
  });

  it('round-trips every message through serializeIndi', async () => {
    const { messages } = await parseWholeFixture(name);
    expect(messages.length).toBeGreaterThan(0);
    for (const [index, message] of messages.entries()) {
      const label = describeMessage(message, index);
      const serialized = serializeIndi(message);
      const reparsed = await parseChunks([serialized]);
      expect(reparsed.problems, label).toEqual([]);
      expect(reparsed.messages, label).toStrictEqual([message]);
      expect(serializeIndi(reparsed.messages[0]!), label).toBe(serialized);
    }
  });

  it.each(chunkSeeds)('parses the same when split into random chunks (seed %i)', async (seed) => {
    const { messages } = await parseWholeFixture(name);
    const split = await parseChunks(randomChunks(readFixture(name), seed));
    expect(split.problems).toEqual([]);
    expect(split.messages).toStrictEqual(messages);
  });

  if (readFixture(name).length <= byteAtATimeLimit) {
    it('parses the same one byte at a time', async () => {
      const { messages } = await parseWholeFixture(name);
      const split = await parseChunks(byteChunks(readFixture(name)));
      expect(split.problems).toEqual([]);
      expect(split.messages).toStrictEqual(messages);
    });
  }
});

/**
 * The driver writes `size` and `enclen` and wraps the base64 at 72 characters;
 * indiserver 1.9.9 writes `size` and `len` and puts the base64 on one line.
 */
describe.each(['indi_simulator_ccd.xml', 'indiserver-ccd.xml'])('the CCD simulator BLOB in %s', (name) => {
  /** The oneBLOB text as it sits in the file, found without the parser. */
  function base64InFixture(): string {
    const text = Buffer.from(readFixture(name)).toString('latin1');
    const match = /<oneBLOB\b[^>]*>([^<]*)<\/oneBLOB>/.exec(text);
    if (!match) throw new Error(`${name} has no inline oneBLOB`);
    return match[1]!.replace(/\s+/g, '');
  }

  it('arrives inline, and decodes to the announced size', async () => {
    const { messages } = await parseWholeFixture(name);
    const blobVectors = messages.filter(
      (message): message is SetBlobVector => message.type === 'setBLOBVector',
    );
    expect(blobVectors).toHaveLength(1);
    const vector = blobVectors[0]!;
    expect(vector).toMatchObject({ device: 'CCD Simulator', name: 'CCD1', state: 'Ok' });
    expect(vector.members).toHaveLength(1);
    const blob = vector.members[0]!;
    expect(blob).toMatchObject({ name: 'CCD1', format: '.fits' });
    expect(blob.attached).not.toBe(true);

    expect(blob.value).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(blob.value).toBe(base64InFixture());
    if (blob.enclen !== undefined) expect(blob.enclen).toBe(blob.value.length);

    const decoded = Buffer.from(blob.value, 'base64');
    expect(blob.size).toBeGreaterThan(0);
    expect(decoded.length).toBe(blob.size);
    // A FITS file: 2880-byte blocks, starting with the SIMPLE card.
    expect(decoded.length % 2880).toBe(0);
    expect(decoded.subarray(0, 9).toString('latin1')).toBe('SIMPLE  =');
  });
});

it('reads the pingRequest the CCD driver sends after its BLOB', async () => {
  const { messages } = await parseWholeFixture('indi_simulator_ccd.xml');
  const blobIndex = messages.findIndex((message) => message.type === 'setBLOBVector');
  expect(blobIndex).toBeGreaterThanOrEqual(0);
  expect(messages[blobIndex + 1]).toStrictEqual({ type: 'pingRequest', uid: 'SetBLOB/1' });
});
