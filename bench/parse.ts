/**
 * Parser throughput: `npm run bench:parse` (or `npx tsx bench/parse.ts`).
 *
 * Two workloads, laid out as libindi drivers write them and fed as 64 KiB
 * chunks: 200k small `setNumberVector` updates, and 100 `setBLOBVector`s
 * carrying 1 MiB of random bytes each (base64 in 72-character lines). For each
 * it times a raw saxes pass (the ceiling for anything built on saxes: chunks
 * decoded with a streaming TextDecoder into one parser under a synthetic root,
 * counting closing tags at depth 1), `parseIndi()` alone, `parseIndi()` with a
 * fresh `serializeIndi` of each message, and `parseIndi()` with `encodeIndi`
 * (the forwarding path, which reuses the original bytes). Each measurement is
 * warmed up once, then the best of 3 runs is reported as messages/s, MB/s of
 * input (10^6 bytes) and throughput relative to saxes.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { from } from 'rxjs';
import { SaxesParser } from 'saxes';
import { encodeIndi, parseIndi, serializeIndi, type IndiMessage } from '../src/index.js';

const chunkBytes = 64 * 1024;

interface Workload {
  readonly name: string;
  readonly messages: number;
  readonly chunks: readonly Buffer[];
  readonly bytes: number;
}

interface Measurement {
  readonly name: string;
  readonly run: (chunks: readonly Buffer[]) => number;
}

function numberUpdate(i: number): string {
  const timestamp = new Date(Date.UTC(2026, 10, 25, 17) + i * 1000).toISOString().slice(0, 19);
  return `<setNumberVector
  device='Telescope Simulator'
  name='EQUATORIAL_EOD_COORD'
  state='Busy'
  timeout='60'
  timestamp='${timestamp}'
>
  <oneNumber name='RA'>
      ${String((i * 0.000123456789) % 24)}
  </oneNumber>
  <oneNumber name='DEC'>
      ${String(-90 + ((i * 0.000987654321) % 180))}
  </oneNumber>
</setNumberVector>
`;
}

function blobUpdate(i: number): string {
  const image = randomBytes(1024 * 1024);
  const base64 = image.toString('base64');
  return `<setBLOBVector
  device='CCD Simulator'
  name='CCD1'
  state='Ok'
  timeout='60'
  timestamp='2026-11-25T17:18:${String(i % 60).padStart(2, '0')}'
>
  <oneBLOB
    name='CCD1'
    size='${image.length}'
    enclen='${base64.length}'
    format='.fits'>
${base64.replace(/.{72}/g, '$&\n').trimEnd()}
  </oneBLOB>
</setBLOBVector>
`;
}

function workload(name: string, messages: number, message: (i: number) => string): Workload {
  const stream = Buffer.concat(Array.from({ length: messages }, (_, i) => Buffer.from(message(i), 'utf8')));
  const chunks: Buffer[] = [];
  for (let at = 0; at < stream.length; at += chunkBytes) chunks.push(stream.subarray(at, at + chunkBytes));
  return { name, messages, chunks, bytes: stream.length };
}

function saxesCount(chunks: readonly Buffer[]): number {
  const parser = new SaxesParser();
  const decoder = new TextDecoder();
  let depth = 0;
  let messages = 0;
  parser.on('opentag', () => (depth += 1));
  parser.on('closetag', () => {
    depth -= 1;
    if (depth === 1) messages += 1;
  });
  parser.write('<root>');
  for (const chunk of chunks) parser.write(decoder.decode(chunk, { stream: true }));
  parser.write(`${decoder.decode()}</root>`).close();
  return messages;
}

/** Sum of output lengths, so that no serialization can be optimized away. */
let outputBytes = 0;

function rxindiCount(chunks: readonly Buffer[], each?: (message: IndiMessage) => { length: number }): number {
  let messages = 0;
  let failure: Error | undefined;
  from(chunks)
    .pipe(parseIndi({ onProblem: (problem) => (failure ??= problem) }))
    .subscribe({
      next: (message) => {
        messages += 1;
        if (each) outputBytes += each(message).length;
      },
      error: (error: unknown) => (failure = error instanceof Error ? error : new Error(String(error))),
    });
  if (failure !== undefined) throw failure;
  return messages;
}

const measurements: readonly Measurement[] = [
  { name: 'saxes (raw ceiling)', run: saxesCount },
  { name: 'parseIndi', run: (chunks) => rxindiCount(chunks) },
  { name: 'parseIndi + serializeIndi', run: (chunks) => rxindiCount(chunks, serializeIndi) },
  { name: 'parseIndi + encodeIndi', run: (chunks) => rxindiCount(chunks, encodeIndi) },
];

/** Best time of 3 runs after one warm-up, in milliseconds. */
function bestTime(load: Workload, measurement: Measurement): number {
  let best = Infinity;
  for (let run = 0; run < 4; run++) {
    const start = performance.now();
    const messages = measurement.run(load.chunks);
    const elapsed = performance.now() - start;
    if (messages !== load.messages)
      throw new Error(`${measurement.name} counted ${messages} of ${load.messages}`);
    if (run > 0) best = Math.min(best, elapsed);
  }
  return best;
}

function row(cells: readonly string[]): string {
  const widths = [8, 26, 12, 9, 8];
  return cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' ');
}

/** Prints one table row per measurement; returns parse-only throughput relative to saxes. */
function report(load: Workload): number {
  const times = measurements.map((measurement) => bestTime(load, measurement));
  const saxesTime = times[0]!;
  measurements.forEach((measurement, i) => {
    const seconds = times[i]! / 1000;
    const perSecond = Math.round(load.messages / seconds).toLocaleString('en-US');
    const megabytes = (load.bytes / 1e6 / seconds).toFixed(1);
    console.log(row([load.name, measurement.name, perSecond, megabytes, (saxesTime / times[i]!).toFixed(2)]));
  });
  return saxesTime / times[1]!;
}

const small = workload('small', 200_000, numberUpdate);
const blob = workload('BLOB', 100, blobUpdate);
const size = (load: Workload): string =>
  `${load.name} ${load.messages} messages, ${(load.bytes / 1e6).toFixed(1)} MB`;
console.log(`${size(small)}; ${size(blob)}; ${chunkBytes / 1024} KiB chunks`);
console.log(row(['workload', 'measurement', 'messages/s', 'MB/s', '×saxes']));
const smallRatio = report(small);
const blobRatio = report(blob);
console.log(
  `parse-only vs saxes: small ${smallRatio.toFixed(2)} (target ≥ 0.70), BLOB ${blobRatio.toFixed(2)} (target > 1.0)` +
    ` [${(outputBytes / 1e6).toFixed(0)} MB serialized]`,
);
