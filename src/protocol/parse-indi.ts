import { Observable, type OperatorFunction } from 'rxjs';
import { FrameDecoder } from './decode-frame.js';
import type { IndiProtocolError } from './errors.js';
import { frameIndi, type FrameIndiOptions } from './frame-indi.js';
import type { IndiMessage } from './messages.js';

/**
 * Limits and the problem sink of {@link parseIndi}.
 *
 * @example
 * ```ts
 * const options: ParseIndiOptions = { maxMessageBytes: 16 * 1024 * 1024, onProblem: (problem) => console.warn(problem.message) };
 * streamBytes(socket).pipe(parseIndi(options));
 * ```
 */
export type ParseIndiOptions = FrameIndiOptions;

/**
 * Parses a stream of INDI bytes (or text), chunked anyhow, into messages.
 *
 * Input that breaks the framing (malformed markup between elements, nesting
 * deeper than INDI allows, an element past `maxMessageBytes`) ends the stream
 * with an {@link IndiProtocolError}. A well-framed element that is not valid
 * INDI (unknown element, bad attribute value, a number that does not parse,
 * members of the wrong kind) is skipped and reported to `onProblem`; the
 * stream carries on. Every message remembers its original bytes
 * ({@link originalText}).
 *
 * @example
 * ```ts
 * streamBytes(socket).pipe(
 *   parseIndi({ onProblem: (problem) => console.warn(problem.message) }),
 * ).subscribe((message) => console.log(message.type));
 * ```
 */
export function parseIndi(
  options: ParseIndiOptions = {},
): OperatorFunction<Uint8Array | string, IndiMessage> {
  return (source) =>
    new Observable<IndiMessage>((subscriber) => {
      const report = (problem: IndiProtocolError): void => options.onProblem?.(problem);
      const decoder = new FrameDecoder(report);
      return source.pipe(frameIndi({ ...options, onProblem: report })).subscribe({
        next: (frame) => {
          const message = decoder.decode(frame);
          if (message) subscriber.next(message);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
