import { SaxesParser } from 'saxes';
import { Refusal, type XmlElement } from './to-message.js';

/**
 * Reads a frame's XML with saxes, for everything {@link scanElement} gives up
 * on: comments, CDATA, and all malformed input, whose refusal carries saxes's
 * own wording. One parser is reused for every frame.
 *
 * @example
 * ```ts
 * new SaxesReader().read('<message><!-- hi --></message>'); // { name: 'message', attributes: [], text: '', children: [] }
 * new SaxesReader().read('<message></massage>'); // Refusal('malformed-xml', 'malformed XML: …')
 * ```
 */
export class SaxesReader {
  private readonly sax = new SaxesParser();
  private stack: XmlElement[] = [];
  private root: XmlElement | undefined;
  private xmlError: string | undefined;

  constructor() {
    this.sax.on('opentag', (tag) => {
      const attributes: string[] = [];
      for (const name in tag.attributes) attributes.push(name, tag.attributes[name] ?? '');
      const element: XmlElement = { name: tag.name, attributes, text: '', children: [] };
      const parent = this.stack.at(-1);
      if (parent) parent.children.push(element);
      else this.root = element;
      this.stack.push(element);
    });
    const appendText = (text: string): void => {
      const element = this.stack.at(-1);
      if (element) element.text += text;
    };
    this.sax.on('text', appendText);
    this.sax.on('cdata', appendText);
    this.sax.on('closetag', () => {
      this.stack.pop();
    });
    this.sax.on('error', (error) => {
      this.xmlError ??= error.message;
    });
  }

  /** The element saxes reads from `xml`, or why it is not well-formed XML. */
  read(xml: string): XmlElement | Refusal {
    this.root = undefined;
    this.stack = [];
    this.xmlError = undefined;
    this.sax.write(xml).close();
    return this.result();
  }

  /** What the last `read` found; forgets the tree. */
  private result(): XmlElement | Refusal {
    const root = this.root;
    this.root = undefined;
    if (this.xmlError !== undefined) return new Refusal('malformed-xml', `malformed XML: ${this.xmlError}`);
    return root ?? new Refusal('malformed-xml', 'no element');
  }
}
