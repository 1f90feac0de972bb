/**
 * A small mutational byte fuzzer, deterministic for a seed: it cuts a window
 * out of recorded real INDI traffic and applies one to four mutations (bit
 * flips, byte insertions and deletions, a splice with another recording,
 * truncation, a repeated chunk). The same seed always gives the same bytes,
 * so a failing case is reproduced from its seed alone.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/processes.js';
import { seededRandom } from '../helpers/seeded-random.js';

/** One fuzz input: the bytes, and how they were made (for the report of a failure). */
export interface FuzzCase {
  readonly seed: number;
  /** The recording the window came from, then each mutation applied, in order. */
  readonly steps: readonly string[];
  readonly bytes: Buffer;
}

/** A recording to start from. */
export interface Recording {
  readonly name: string;
  readonly bytes: Buffer;
}

const corpusDir = join(repoRoot, 'test/corpus/fixtures');
const fuzzFixturesDir = join(repoRoot, 'test/fuzz/fixtures');

/**
 * The recordings of real traffic in test/corpus/fixtures (`*.sent.xml`: what
 * clients sent; the others: what drivers and indiserver sent), plus the
 * adversarial seeds in test/fuzz/fixtures (`*.xml`).
 */
export function loadRecordings(which: 'client' | 'driver' | 'all'): Recording[] {
  const read = (dir: string, name: string): Recording => ({
    name,
    bytes: readFileSync(join(dir, name)),
  });
  const recorded = readdirSync(corpusDir)
    .filter(
      (name) =>
        name.endsWith('.xml') && (which === 'all' || name.endsWith('.sent.xml') === (which === 'client')),
    )
    .sort()
    .map((name) => read(corpusDir, name));
  const adversarial = readdirSync(fuzzFixturesDir)
    .filter((name) => name.endsWith('.xml'))
    .sort()
    .map((name) => read(fuzzFixturesDir, name));
  return [...recorded, ...adversarial];
}

/** A start tag with no end, three times the 1 MiB tag limit: the framer must give up, not buffer on. */
export const oversizedTag: FuzzCase = {
  seed: -1,
  steps: ['a 3 MiB start tag without ">"'],
  bytes: Buffer.from(`<defTextVector device='Huge' name='${'x'.repeat(3 * 2 ** 20)}`),
};

/** Bytes that mean something to an XML framer, inserted more often than random ones. */
const tokens = [
  '<',
  '>',
  '/>',
  '</',
  '<?xml',
  '?>',
  '<!--',
  '-->',
  '<![CDATA[',
  ']]>',
  '<!DOCTYPE',
  '"',
  "'",
  '=',
  '&',
  '&amp;',
  '&#0;',
  '&#x110000;',
  '&bogus;',
  '\u0000',
  '\r\n',
  '\u00e9',
  '\u{1f52d}',
  '</oneNumber>',
  '<oneBLOB>',
  'nan',
].map((token) => Buffer.from(token, 'utf8'));

type Mutator = (bytes: Buffer, next: () => number, other: Buffer) => [string, Buffer];

const mutators: readonly Mutator[] = [
  function bitFlips(bytes, next) {
    const copy = Buffer.from(bytes);
    const flips = 1 + Math.floor(next() * 8);
    for (let i = 0; i < flips && copy.length > 0; i++) {
      const at = Math.floor(next() * copy.length);
      copy[at] = copy[at]! ^ (1 << Math.floor(next() * 8));
    }
    return [`flip ${flips} bits`, copy];
  },
  function insert(bytes, next) {
    const at = Math.floor(next() * (bytes.length + 1));
    const inserted =
      next() < 0.6
        ? tokens[Math.floor(next() * tokens.length)]!
        : Buffer.from(Array.from({ length: 1 + Math.floor(next() * 8) }, () => Math.floor(next() * 256)));
    return [
      `insert ${JSON.stringify(inserted.toString('latin1'))} at ${at}`,
      Buffer.concat([bytes.subarray(0, at), inserted, bytes.subarray(at)]),
    ];
  },
  function remove(bytes, next) {
    const at = Math.floor(next() * bytes.length);
    const length = 1 + Math.floor(next() * 64);
    return [
      `delete ${length} bytes at ${at}`,
      Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + length)]),
    ];
  },
  function splice(bytes, next, other) {
    const cut = Math.floor(next() * (bytes.length + 1));
    const from = Math.floor(next() * (other.length + 1));
    return [
      `splice at ${cut} with another recording from ${from}`,
      Buffer.concat([bytes.subarray(0, cut), other.subarray(from)]),
    ];
  },
  function truncate(bytes, next) {
    const at = Math.floor(next() * bytes.length);
    return [`truncate at ${at}`, bytes.subarray(0, at)];
  },
  function repeat(bytes, next) {
    const at = Math.floor(next() * bytes.length);
    const length = 1 + Math.floor(next() * 256);
    const times = 2 + Math.floor(next() * 63);
    const chunk = bytes.subarray(at, at + length);
    return [
      `repeat ${chunk.length} bytes at ${at} ${times} times`,
      Buffer.concat([
        bytes.subarray(0, at),
        ...Array<Buffer>(times).fill(chunk),
        bytes.subarray(at + length),
      ]),
    ];
  },
];

/** About `maxWindow` bytes of a recording at most, starting at one of its top-level elements. */
function windowOf(recording: Recording, next: () => number, maxWindow: number): [string, Buffer] {
  const { bytes } = recording;
  // Top-level elements of the recordings start a line; closing tags do not count.
  let start = Math.floor(next() * bytes.length);
  do start = bytes.lastIndexOf('\n<', start - 1);
  while (start > 0 && bytes[start + 2] === 0x2f);
  start += 1;
  let end = start + 64 + Math.floor(next() * maxWindow);
  // Half the windows end between two top-level elements, so that not every case ends inside one.
  if (next() < 0.5) end = bytes.indexOf('\n<', end) + 1 || bytes.length;
  return [`${recording.name} bytes ${start}..${end}`, bytes.subarray(start, end)];
}

/**
 * The fuzz case of a seed: a window of one recording, mutated one to four times.
 *
 * @example
 * ```ts
 * const recordings = loadRecordings('driver');
 * const { bytes, steps } = fuzzCase(recordings, 42); // the same bytes every time
 * ```
 */
export function fuzzCase(recordings: readonly Recording[], seed: number, maxWindow = 8192): FuzzCase {
  const next = seededRandom(seed);
  const pick = (): Recording => recordings[Math.floor(next() * recordings.length)]!;
  const [origin, window] = windowOf(pick(), next, maxWindow);
  const steps = [origin];
  let bytes = window;
  const mutations = 1 + Math.floor(next() * 4);
  for (let i = 0; i < mutations; i++) {
    const mutator = mutators[Math.floor(next() * mutators.length)]!;
    const [, other] = windowOf(pick(), next, maxWindow);
    const [step, mutated] = mutator(bytes, next, other);
    steps.push(step);
    bytes = mutated;
  }
  return { seed, steps, bytes };
}

/** The fuzz cases of `count` consecutive seeds from `firstSeed`. */
export function fuzzCases(recordings: readonly Recording[], firstSeed: number, count: number): FuzzCase[] {
  return Array.from({ length: count }, (_, i) => fuzzCase(recordings, firstSeed + i));
}
