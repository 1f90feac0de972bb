import { IndiProtocolError, excerptOf, type IndiProtocolErrorReason } from './errors.js';
import { extractBlobPayloads } from './extract-blob-payloads.js';
import type { IndiFrame } from './frame-indi.js';
import type { IndiMessage } from './messages.js';
import { rememberOriginalText } from './original-text.js';
import { SaxesReader } from './saxes-reader.js';
import { scanElement } from './scan-element.js';
import { Refusal, toMessage, type Warn } from './to-message.js';

/**
 * Turns framed elements into typed messages. Ordinary frames are read by
 * {@link scanElement} in one pass; whatever it gives up on (comments, CDATA,
 * anything malformed) goes to a {@link SaxesReader}, which decides and words
 * the errors. BLOB payloads are cut out of the bytes first, so base64 never
 * goes through either reader.
 *
 * @example
 * ```ts
 * const decoder = new FrameDecoder((problem) => console.warn(problem.message));
 * decoder.decode({ offset: 0, bytes: Buffer.from("<pingReply uid='1'/>") }); // { type: 'pingReply', uid: '1' }
 * ```
 */
export class FrameDecoder {
  private readonly saxes = new SaxesReader();
  /** Where the frame being decoded starts, and its XML, for problem reports. */
  private offset = 0;
  private xml: Buffer = Buffer.alloc(0);
  private readonly warn: Warn = (reason, detail) => {
    this.report(reason, detail);
  };

  constructor(private readonly onProblem: (problem: IndiProtocolError) => void) {}

  /** The frame's message, or undefined when it was refused (and reported). */
  decode(frame: IndiFrame): IndiMessage | undefined {
    const { xml, payloads } = extractBlobPayloads(frame.bytes);
    this.offset = frame.offset;
    this.xml = xml;
    const element = scanElement(xml) ?? this.saxes.read(xml.toString('utf8'));
    const message = element instanceof Refusal ? element : toMessage(element, payloads, this.warn);
    if (message instanceof Refusal) return this.report(message.reason, message.detail);
    rememberOriginalText(message, frame.line, frame.lease);
    return message;
  }

  private report(reason: IndiProtocolErrorReason, detail: string): undefined {
    // The excerpt is at most 80 UTF-16 units, so 320 bytes (at least 106 units) decode all it shows.
    const excerpt = excerptOf(this.xml.toString('utf8', 0, 320));
    this.onProblem(new IndiProtocolError(reason, detail, this.offset, excerpt));
    return undefined;
  }
}
