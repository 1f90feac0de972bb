/**
 * The bytes of a BLOB's base64 text, for drivers and clients that need them;
 * the server itself never decodes BLOBs.
 *
 * @example
 * ```ts
 * const fitsOf = (message: SetBlobVector) => message.members.map((member) => decodeBlob(member.value));
 * ```
 */
export function decodeBlob(base64: string): Uint8Array {
  return Buffer.from(base64, 'base64');
}

/**
 * Base64 text for BLOB bytes, ready for a `oneBLOB` value (the serializer
 * splits it into 72-character lines as libindi does).
 *
 * @example
 * ```ts
 * const image = new Uint8Array(2880); // one FITS block
 * const member = { name: 'CCD1', size: image.length, format: '.fits', value: encodeBlob(image) };
 * ```
 */
export function encodeBlob(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
