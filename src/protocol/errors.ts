/**
 * Why a piece of INDI input was refused, as a stable code to branch on (the
 * error's `message` says it in words).
 *
 * @example
 * ```ts
 * const isFatal = (reason: IndiProtocolErrorReason) => reason === 'malformed-xml' || reason === 'too-large';
 * ```
 */
export type IndiProtocolErrorReason =
  | 'malformed-xml'
  | 'text-outside-element'
  | 'too-deep'
  | 'too-large'
  | 'unknown-element'
  | 'unknown-attribute'
  | 'missing-attribute'
  | 'bad-value'
  | 'wrong-member'
  | 'bad-base64';

/**
 * Bad INDI input, with where it was found (`offset`, the byte offset in the
 * connection's stream) and what it looked like (`excerpt`, at most 80 characters).
 *
 * @example
 * ```ts
 * streamBytes(socket).pipe(parseIndi({ onProblem: (e) => console.warn(`${e.reason} at byte ${e.offset}: ${e.message}`) }));
 * ```
 */
export class IndiProtocolError extends Error {
  override readonly name = 'IndiProtocolError';
  readonly reason: IndiProtocolErrorReason;
  readonly offset: number;
  readonly excerpt: string;

  constructor(reason: IndiProtocolErrorReason, detail: string, offset: number, excerpt: string) {
    super(`${detail} (byte ${offset}, near ${JSON.stringify(excerpt)})`);
    this.reason = reason;
    this.offset = offset;
    this.excerpt = excerpt;
  }
}

const excerptLength = 80;

/**
 * The first characters of some input, for error messages.
 *
 * @example
 * ```ts
 * excerptOf('<defNumberVector device="CCD" …'); // at most 80 characters
 * ```
 */
export function excerptOf(text: string): string {
  return text.length <= excerptLength ? text : `${text.slice(0, excerptLength - 1)}…`;
}
