/** A framed element with the text of its `oneBLOB`s cut out. */
export interface ExtractedPayloads {
  /** The element's bytes with every `oneBLOB` emptied (the frame's own bytes when it holds none). */
  readonly xml: Buffer;
  /** Each `oneBLOB`'s base64 text without whitespace, in document order. */
  readonly payloads: readonly string[];
  /** Why a payload is not base64, when one is not. */
  readonly payloadProblem?: string;
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;
/** The `B` of `<setBLOBVector` and `<newBLOBVector`. */
const LETTER_B = 0x42;

/** 1 for base64 alphabet bytes, 2 for XML whitespace, 0 for anything else. */
const byteClass = new Uint8Array(256);
for (const char of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=') {
  byteClass[char.charCodeAt(0)] = 1;
}
for (const char of ' \t\r\n') byteClass[char.charCodeAt(0)] = 2;

const noPayloads: readonly string[] = [];
const blobVector = /^<(set|new)BLOBVector[\s/>]/;
const openBlob = Buffer.from('<oneBLOB');
const closeBlob = Buffer.from('</oneBLOB');

/**
 * Cuts the base64 text out of a `setBLOBVector` / `newBLOBVector` element so
 * that the XML parser only sees the small rest: the payload is copied once,
 * without whitespace, by a byte loop, and never decoded.
 *
 * @example
 * ```ts
 * extractBlobPayloads(Buffer.from("<setBLOBVector device='C' name='B'><oneBLOB name='I' size='1' format='.b'>QQ==</oneBLOB></setBLOBVector>"));
 * // { xml: <Buffer of "<setBLOBVector …><oneBLOB …></oneBLOB></setBLOBVector>">, payloads: ['QQ=='] }
 * ```
 */
export function extractBlobPayloads(bytes: Buffer): ExtractedPayloads {
  if (!isBlobVector(bytes)) return { xml: bytes, payloads: noPayloads };
  const pieces: Buffer[] = [];
  const payloads: string[] = [];
  let copied = 0;
  let at = bytes.indexOf(openBlob);
  while (at >= 0) {
    const gt = endOfTag(bytes, at);
    if (gt < 0) break;
    const close = bytes[gt - 1] === SLASH ? -1 : bytes.indexOf(closeBlob, gt);
    if (close < 0) {
      payloads.push('');
    } else {
      const payload = compactBase64(bytes, gt + 1, close);
      if (payload === undefined) {
        return {
          xml: bytes,
          payloads: noPayloads,
          payloadProblem: 'a oneBLOB holds characters that are not base64',
        };
      }
      pieces.push(bytes.subarray(copied, gt + 1));
      payloads.push(payload);
      copied = close;
    }
    at = bytes.indexOf(openBlob, gt);
  }
  pieces.push(bytes.subarray(copied));
  return { xml: Buffer.concat(pieces), payloads };
}

/** Whether the element is a `setBLOBVector` or `newBLOBVector`; the byte test rules out all others cheaply. */
function isBlobVector(bytes: Buffer): boolean {
  return bytes[4] === LETTER_B && blobVector.test(bytes.toString('latin1', 0, 16));
}

/** The `>` that ends the tag starting at `start`, skipping quoted attribute values. */
function endOfTag(bytes: Buffer, start: number): number {
  let quote = 0;
  for (let i = start; i < bytes.length; i++) {
    const byte = bytes[i];
    if (quote !== 0) {
      if (byte === quote) quote = 0;
    } else if (byte === QUOTE || byte === APOSTROPHE) {
      quote = byte;
    } else if (byte === GT) {
      return i;
    }
  }
  return -1;
}

/** The base64 text of bytes[start, end) without whitespace; undefined if it is not base64. */
function compactBase64(bytes: Buffer, start: number, end: number): string | undefined {
  const out = Buffer.allocUnsafe(end - start);
  let length = 0;
  for (let i = start; i < end; i++) {
    const byte = bytes[i] ?? LT;
    const kind = byteClass[byte];
    if (kind === 1) out[length++] = byte;
    else if (kind !== 2) return undefined;
  }
  return out.toString('latin1', 0, length);
}
