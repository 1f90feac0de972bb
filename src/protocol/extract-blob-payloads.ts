import { endOfTag } from './end-of-tag.js';

/** A framed element with the text of its `oneBLOB`s cut out. */
export interface ExtractedPayloads {
  /** The element's bytes with every `oneBLOB` emptied (the frame's own bytes when it holds none). */
  readonly xml: Buffer;
  /** Where each `oneBLOB`'s base64 text is, in document order. */
  readonly payloads: readonly BlobPayload[];
}

/** The base64 text of one `oneBLOB`, still in the bytes it arrived in. */
export interface BlobPayload {
  readonly bytes: Buffer;
  readonly start: number;
  readonly end: number;
}

const SLASH = 0x2f;
/** The `B` of `<setBLOBVector` and `<newBLOBVector`. */
const LETTER_B = 0x42;

/** 1 for the base64 alphabet. */
const isBase64 = new Uint8Array(256);
for (const char of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=') {
  isBase64[char.charCodeAt(0)] = 1;
}

const noPayloads: readonly BlobPayload[] = [];
const blobVector = /^<(set|new)BLOBVector[\s/>]/;
const openBlob = Buffer.from('<oneBLOB');
const closeBlob = Buffer.from('</oneBLOB');

/**
 * Cuts the base64 text out of a `setBLOBVector` / `newBLOBVector` element so
 * that the XML parser only sees the small rest. The payloads stay where they
 * are: the server forwards BLOBs by their original bytes, and a payload's
 * text is only made ({@link payloadText}) when someone reads it.
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
  const payloads: BlobPayload[] = [];
  let copied = 0;
  let at = bytes.indexOf(openBlob);
  while (at >= 0) {
    const gt = endOfTag(bytes, at + 1);
    if (gt < 0) break;
    const close = bytes[gt - 1] === SLASH ? -1 : bytes.indexOf(closeBlob, gt);
    if (close < 0) {
      payloads.push({ bytes, start: gt + 1, end: gt + 1 });
    } else {
      pieces.push(bytes.subarray(copied, gt + 1));
      payloads.push({ bytes, start: gt + 1, end: close });
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

/**
 * A payload's base64 characters, without the whitespace libindi wraps them
 * in (72-character lines) or anything else that is not base64: the server
 * forwards BLOBs without reading them, and a driver that needs the bytes
 * checks their length against `size` when it decodes.
 *
 * @example
 * ```ts
 * payloadText({ bytes: Buffer.from('QUJD\nREVG'), start: 0, end: 9 }); // 'QUJDREVG'
 * ```
 */
export function payloadText(payload: BlobPayload): string {
  const { bytes, start, end } = payload;
  const out = Buffer.allocUnsafe(end - start);
  let length = 0;
  for (let i = start; i < end; i++) {
    const byte = bytes[i] ?? 0;
    if (isBase64[byte] === 1) out[length++] = byte;
  }
  return out.toString('latin1', 0, length);
}
