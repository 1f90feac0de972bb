import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { repoRoot } from './processes.js';

/** test/faults/fixtures/ticker.mjs: device 'Ticker', a counter and an UPLOAD BLOB whose arrivals it logs on stderr. */
export const tickerDriver = join(repoRoot, 'test/faults/fixtures/ticker.mjs');

/** How the ticker names the base64 text it got, in its `got <element> <name> <length> <digest>` lines. */
export const uploadDigest = (base64: string): string =>
  createHash('sha256').update(base64).digest('hex').slice(0, 16);
