/**
 * `parseIndi`: bytes in, typed messages out, for any chunking, for the forms
 * libindi really sends, and for bad input: framing that breaks ends the stream
 * with an `IndiProtocolError`, a well-framed element that is not INDI is
 * skipped and reported to `onProblem`.
 */
import fc from 'fast-check';
import { from, map } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { encodeIndi } from '../../src/protocol/encode-indi.js';
import { IndiProtocolError, type IndiProtocolErrorReason } from '../../src/protocol/errors.js';
import type { IndiMessage, OneBlob, SetBlobVector } from '../../src/protocol/messages.js';
import { originalText } from '../../src/protocol/original-text.js';
import { parseIndi, type ParseIndiOptions } from '../../src/protocol/parse-indi.js';
import { serializeIndi } from '../../src/protocol/serialize-indi.js';
import { indiMessage, indiMessageByType, indiMessages } from './arbitraries.js';

// ---------------------------------------------------------------- helpers

interface ParseResult {
  readonly messages: IndiMessage[];
  readonly problems: IndiProtocolError[];
  /** What the stream ended with: 'complete', an error, or 'running' if it never ended. */
  readonly end: 'complete' | 'running' | { readonly error: unknown };
}

/** Runs the operator over chunks delivered synchronously (`from` an array), so the result is there on return. */
function parseAll(chunks: ReadonlyArray<Uint8Array | string>, options: ParseIndiOptions = {}): ParseResult {
  const messages: IndiMessage[] = [];
  const problems: IndiProtocolError[] = [];
  let end: ParseResult['end'] = 'running';
  from(chunks)
    .pipe(parseIndi({ ...options, onProblem: (problem) => problems.push(problem) }))
    .subscribe({
      next: (message) => messages.push(message),
      error: (error: unknown) => (end = { error }),
      complete: () => (end = 'complete'),
    });
  return { messages, problems, end };
}

const bytesOf = (text: string): Buffer => Buffer.from(text, 'utf8');

/** `bytes` cut at each of `points` (any order, duplicates and out-of-range points allowed). */
function splitAt(bytes: Uint8Array, points: readonly number[]): Uint8Array[] {
  const cuts = [...new Set(points.map((point) => point % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let previous = 0;
  for (const cut of [...cuts, bytes.length]) {
    chunks.push(bytes.subarray(previous, cut));
    previous = cut;
  }
  return chunks;
}

function oneByteAtATime(bytes: Uint8Array): Uint8Array[] {
  return Array.from(bytes, (_, at) => bytes.subarray(at, at + 1));
}

/** The stream's error, which must be an IndiProtocolError. */
function fatalError(result: ParseResult): IndiProtocolError {
  expect(result.end).not.toBe('complete');
  expect(result.end).not.toBe('running');
  const error = typeof result.end === 'object' ? result.end.error : undefined;
  expect(error).toBeInstanceOf(IndiProtocolError);
  return error as IndiProtocolError;
}

function expectFatal(
  result: ParseResult,
  reason: IndiProtocolErrorReason,
  offset: number,
): IndiProtocolError {
  const error = fatalError(result);
  expect({ reason: error.reason, offset: error.offset }).toEqual({ reason, offset });
  return error;
}

/** The problems as `[reason, offset]` pairs, for exact comparison. */
const problemsOf = (result: ParseResult): Array<[IndiProtocolErrorReason, number]> =>
  result.problems.map((problem) => [problem.reason, problem.offset]);

/** How the stream ended: 'complete', or the error's reason and offset. */
const endOf = (result: ParseResult): unknown =>
  typeof result.end === 'object'
    ? {
        reason: (result.end.error as IndiProtocolError).reason,
        offset: (result.end.error as IndiProtocolError).offset,
      }
    : result.end;

/**
 * What re-serializing a parsed message is known to lose, applied to the
 * message: the sign of -0 (written `0`), and what XML itself normalises in
 * characters that `serializeIndi`, like libindi, writes raw: a carriage return
 * becomes a newline, and in attribute values tab and newline become spaces.
 */
function afterKnownLosses(value: unknown, key = ''): unknown {
  if (typeof value === 'number') return Object.is(value, -0) ? 0 : value;
  if (typeof value === 'string') {
    const text = value.replace(/\r\n?/g, '\n');
    return key === 'value' ? text.trim() : text.replace(/[\t\n]/g, ' ');
  }
  if (Array.isArray(value)) return value.map((item) => afterKnownLosses(item));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([name, field]) => [name, afterKnownLosses(field, name)]),
    );
  }
  return value;
}

/** Between-element text libindi drivers and indiserver really send, all of which must be skipped silently. */
const separator = fc.constantFrom(
  '',
  '\n',
  "<?xml version='1.0'?>\n",
  '<!-- a comment <b>with markup</b> -->',
  ' \r\n\t ',
);

/** Messages serialized and joined by separators, as one byte buffer, with the messages. */
const traffic = fc.array(fc.tuple(separator, indiMessage), { maxLength: 6 }).map((pairs) => ({
  messages: pairs.map(([, message]) => message),
  bytes: bytesOf(pairs.map(([before, message]) => before + serializeIndi(message)).join('')),
}));

// ---------------------------------------------------------------- round trip

describe('parseIndi round trip', () => {
  it('parses the serialization of any message back to that message', () => {
    fc.assert(
      fc.property(indiMessage, (message) => {
        const result = parseAll([serializeIndi(message)]);
        expect(result).toEqual({ messages: [message], problems: [], end: 'complete' });
      }),
      { numRuns: 500 },
    );
  });

  describe.each(Object.keys(indiMessageByType) as Array<keyof typeof indiMessageByType>)('%s', (type) => {
    it('round-trips', () => {
      fc.assert(
        fc.property(indiMessageByType[type], (message: IndiMessage) => {
          expect(parseAll([serializeIndi(message)]).messages).toEqual([message]);
        }),
        { numRuns: 40 },
      );
    });
  });

  it('parses a concatenation of many messages to the same messages, in order', () => {
    fc.assert(
      fc.property(indiMessages, (messages) => {
        const result = parseAll([messages.map(serializeIndi).join('')]);
        expect(result).toEqual({ messages, problems: [], end: 'complete' });
      }),
      { numRuns: 200 },
    );
  });

  it('parses the same messages when declarations, comments and whitespace come between them', () => {
    fc.assert(
      fc.property(traffic, ({ messages, bytes }) => {
        expect(parseAll([bytes])).toEqual({ messages, problems: [], end: 'complete' });
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips NaN and ±Infinity, which the serializer writes as nan, inf and -inf', () => {
    const message: IndiMessage = {
      type: 'setNumberVector',
      device: 'D',
      name: 'N',
      members: [
        { name: 'a', value: Number.NaN, min: Number.NEGATIVE_INFINITY, max: Number.POSITIVE_INFINITY },
      ],
    };
    expect(parseAll([serializeIndi(message)]).messages).toEqual([message]);
  });

  it('brings -0 back as 0: the serializer writes String(-0), which is "0" (so the arbitraries leave -0 out)', () => {
    const message: IndiMessage = {
      type: 'setNumberVector',
      device: 'D',
      name: 'N',
      members: [{ name: 'a', value: -0 }],
    };
    expect(serializeIndi(message)).toContain('\n0\n');
    const [parsed] = parseAll([serializeIndi(message)]).messages;
    expect(parsed).toEqual({ ...message, members: [{ name: 'a', value: 0 }] });
    expect(parsed).not.toEqual(message);
  });

  it('normalises tabs and newlines in attribute values to spaces and carriage returns in text to newlines, as XML 1.0 requires', () => {
    const input =
      "<setTextVector device='a\tb\nc\r\nd' name='n'><oneText name='t'>x\ry\r\nz</oneText></setTextVector>";
    expect(parseAll([input]).messages).toEqual([
      { type: 'setTextVector', device: 'a b c d', name: 'n', members: [{ name: 't', value: 'x\ny\nz' }] },
    ]);
  });
});

// ---------------------------------------------------------------- chunking

// Regression: on the first committed framer every property in this block
// failed. When a chunk ended inside an element after its last '<' (in member
// text, in base64, between members), Framer.scan() left `pos` at the end of the
// buffer and the next push called step() there without first finding the next
// '<', so the new chunk's first bytes were read as markup ("a '<' inside a tag").
// The first two tests are the minimal repros.
describe('parseIndi chunking', () => {
  it('carries on when a chunk ends inside an element, between markup', () => {
    const result = parseAll([
      '<setTextVector device="D" name="T">',
      '\n<oneText name="a">x</oneText></setTextVector>',
    ]);
    expect(result).toEqual({
      messages: [{ type: 'setTextVector', device: 'D', name: 'T', members: [{ name: 'a', value: 'x' }] }],
      problems: [],
      end: 'complete',
    });
  });

  it('keeps every image intact when the chunks are views of one reused read buffer, as a driver pipe delivers them', () => {
    const image = (fill: number): string => {
      const base64 = Buffer.alloc(240 * 1024, fill).toString('base64');
      return `<setBLOBVector device="C" name="I"><oneBLOB name="i" size="${240 * 1024}" format=".b">${base64}</oneBLOB></setBLOBVector>`;
    };
    const ping = (uid: number): string => `<pingRequest uid="${uid}"/>`;
    const sent = [image(1), ping(1), image(2), ping(2), image(3)];
    const stream = bytesOf(sent.join('\n'));
    // One buffer, overwritten by every read: whatever the parser keeps must be its own copy.
    const reused = Buffer.alloc(stream.length);
    const messages: IndiMessage[] = [];
    from(splitAt(stream, Array.from({ length: 40 }, (_, i) => i * 23_456)))
      .pipe(
        map((chunk) => {
          reused.set(chunk);
          return reused.subarray(0, chunk.length);
        }),
        parseIndi(),
      )
      .subscribe((message) => messages.push(message));
    expect(messages.map((message) => message.type)).toEqual([
      'setBLOBVector',
      'pingRequest',
      'setBLOBVector',
      'pingRequest',
      'setBLOBVector',
    ]);
    expect(messages.map((message) => Buffer.from(originalText(message) ?? []).toString())).toEqual(sent);
    expect(messages.map((message) => Buffer.from(encodeIndi(message)).toString())).toEqual(
      sent.map((text) => `${text}\n`),
    );
  });

  it('carries on when a chunk ends inside base64', () => {
    const chunks = [
      '<setBLOBVector device="D" name="B"><oneBLOB name="b" size="3" format=".b">QU',
      'JD</oneBLOB></setBLOBVector>',
    ];
    expect(parseAll(chunks).messages).toEqual([
      {
        type: 'setBLOBVector',
        device: 'D',
        name: 'B',
        members: [{ name: 'b', size: 3, format: '.b', value: 'QUJD' }],
      },
    ]);
  });

  it("ends the same way however the input is chunked when a closing tag holds a '<'", () => {
    const whole = parseAll(['<message></<>']);
    const split = parseAll(['<message></<', '>']);
    expect({ end: endOf(split), problems: problemsOf(split) }).toEqual({
      end: endOf(whole),
      problems: problemsOf(whole),
    });
  });

  it('gives the same messages however the bytes are split', () => {
    fc.assert(
      fc.property(traffic, fc.array(fc.nat(), { maxLength: 20 }), ({ messages, bytes }, points) => {
        expect(parseAll(splitAt(bytes, points))).toEqual({ messages, problems: [], end: 'complete' });
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same messages one byte at a time', () => {
    fc.assert(
      fc.property(traffic, ({ messages, bytes }) => {
        expect(parseAll(oneByteAtATime(bytes))).toEqual({ messages, problems: [], end: 'complete' });
      }),
      { numRuns: 50 },
    );
  });

  it('gives the same messages when the chunks are strings', () => {
    fc.assert(
      fc.property(indiMessages, fc.array(fc.nat(), { maxLength: 8 }), (messages, points) => {
        const text = messages.map(serializeIndi).join('');
        // Cut between code points, never inside a surrogate pair (a lone surrogate is not UTF-8).
        const codePoints = Array.from(text);
        const cuts = [...new Set(points.map((point) => point % (codePoints.length + 1)))].sort(
          (a, b) => a - b,
        );
        const chunks = [...cuts, codePoints.length].map((cut, i, all) =>
          codePoints.slice(i === 0 ? 0 : all[i - 1], cut).join(''),
        );
        expect(parseAll(chunks).messages).toEqual(messages);
      }),
      { numRuns: 100 },
    );
  });

  /** Two messages whose attributes, text and payload hold multi-byte UTF-8 characters and 72-column base64. */
  const nastyPair: IndiMessage[] = [
    {
      type: 'setTextVector',
      device: '\u{1f52d} Scope \u00e9',
      name: 'N\u00c4ME',
      state: 'Ok',
      message: 'Tom\u2019s "scope" <1m> & co',
      members: [{ name: '\u3042', value: '\u{1f31f} <&> \u{1f31f}\n\u00b0' }],
    },
    {
      type: 'setBLOBVector',
      device: 'CCD \u{1f4f7}',
      name: 'CCD1',
      members: [
        {
          name: 'CCD1',
          size: 100,
          enclen: 136,
          format: '.fits',
          value: Buffer.from(Array.from({ length: 100 }, (_, i) => (i * 37) % 256)).toString('base64'),
        },
      ],
    },
  ];

  it('gives the same messages for every single split point, inside multi-byte characters, attributes and base64', () => {
    const bytes = bytesOf(nastyPair.map(serializeIndi).join("<?xml version='1.0'?>\n"));
    const insideCharacter = [];
    for (let at = 0; at <= bytes.length; at++) {
      const byte = bytes[at];
      if (byte !== undefined && byte >= 0x80 && byte < 0xc0) insideCharacter.push(at);
      expect(parseAll([bytes.subarray(0, at), bytes.subarray(at)]), `split at ${at}`).toEqual({
        messages: nastyPair,
        problems: [],
        end: 'complete',
      });
    }
    // The test must really have split inside characters.
    expect(insideCharacter.length).toBeGreaterThan(10);
  });

  it('gives the same messages for the nasty pair one byte at a time', () => {
    const bytes = bytesOf(nastyPair.map(serializeIndi).join(''));
    expect(parseAll(oneByteAtATime(bytes)).messages).toEqual(nastyPair);
  });
});

// ---------------------------------------------------------------- real-world forms

describe('parseIndi real-world forms', () => {
  it('reads single- and double-quoted attributes, and quotes of the other kind inside them', () => {
    const input = `<getProperties version='1.7' device="Tom's scope" name='say "hi"'/>`;
    expect(parseAll([input]).messages).toEqual([
      { type: 'getProperties', version: '1.7', device: "Tom's scope", name: 'say "hi"' },
    ]);
  });

  it('decodes the named and numeric entities in attributes and text', () => {
    const input =
      "<setTextVector device='A &amp; B' name='&lt;x&gt;' message='&quot;q&quot; &apos;a&apos; &#65;&#x42;&#x1F52D;'>" +
      "<oneText name='t'>&lt;&amp;&gt; &#65;&#x42;</oneText></setTextVector>";
    expect(parseAll([input])).toEqual({
      messages: [
        {
          type: 'setTextVector',
          device: 'A & B',
          name: '<x>',
          message: `"q" 'a' AB\u{1f52d}`,
          members: [{ name: 't', value: '<&> AB' }],
        },
      ],
      problems: [],
      end: 'complete',
    });
  });

  it("skips <?xml version='1.0'?> declarations, whitespace, newlines and comments between elements", () => {
    const input = [
      "<?xml version='1.0'?>\n",
      "<getProperties version='1.7'/>\n\r\n\t  ",
      "<?xml version='1.0'?>",
      '<!-- indiserver: <pingRequest uid="no"/> is a comment here -->\n',
      "<pingRequest uid='SetBLOB/1' />\n",
    ].join('');
    expect(parseAll([input])).toEqual({
      messages: [
        { type: 'getProperties', version: '1.7' },
        { type: 'pingRequest', uid: 'SetBLOB/1' },
      ],
      problems: [],
      end: 'complete',
    });
  });

  it('reads a comment inside a vector', () => {
    const input =
      "<setTextVector device='D' name='T'>\n  <!-- first <oneText name='no'/> -->\n  <oneText name='a'>x</oneText></setTextVector>";
    expect(parseAll([input])).toEqual({
      messages: [{ type: 'setTextVector', device: 'D', name: 'T', members: [{ name: 'a', value: 'x' }] }],
      problems: [],
      end: 'complete',
    });
  });

  it('reads a CDATA section inside a member', () => {
    const input =
      "<setTextVector device='D' name='T'><oneText name='a'><![CDATA[x < y & z]]></oneText></setTextVector>";
    expect(parseAll([input]).messages).toEqual([
      { type: 'setTextVector', device: 'D', name: 'T', members: [{ name: 'a', value: 'x < y & z' }] },
    ]);
  });

  it("reads getProperties for every device (device='*')", () => {
    expect(parseAll(["<getProperties version='1.7' device='*'/>"]).messages).toEqual([
      { type: 'getProperties', version: '1.7', device: '*' },
    ]);
  });

  it("reads libindi's driver layout: one attribute per line, values indented on their own line", () => {
    const input = `<?xml version='1.0'?>
<defSwitchVector
  device='Telescope Simulator'
  name='CONNECTION'
  label='Connection'
  group='Main Control'
  state='Idle'
  perm='rw'
  rule='OneOfMany'
  timeout='60'
  timestamp='2026-11-25T17:21:07'
>
  <defSwitch
    name='CONNECT'
    label='Connect'>
      Off
  </defSwitch>
  <defSwitch
    name='DISCONNECT'
    label='Disconnect'>
      On
  </defSwitch>
</defSwitchVector>
`;
    expect(parseAll([input]).messages).toEqual([
      {
        type: 'defSwitchVector',
        device: 'Telescope Simulator',
        name: 'CONNECTION',
        label: 'Connection',
        group: 'Main Control',
        state: 'Idle',
        perm: 'rw',
        rule: 'OneOfMany',
        timeout: 60,
        timestamp: '2026-11-25T17:21:07',
        members: [
          { name: 'CONNECT', label: 'Connect', value: 'Off' },
          { name: 'DISCONNECT', label: 'Disconnect', value: 'On' },
        ],
      },
    ]);
  });

  it('reads a oneBLOB with enclen whose base64 is split into 72-character lines', () => {
    const payload = Buffer.from(Array.from({ length: 200 }, (_, i) => (i * 97 + 13) % 256)).toString(
      'base64',
    );
    const lines = payload.match(/.{1,72}/g)!;
    expect(lines.length).toBe(4);
    const input = `<setBLOBVector
  device='CCD Simulator'
  name='CCD1'
  state='Ok'
  timeout='60'
  timestamp='2026-11-25T17:21:12'
>
  <oneBLOB
    name='CCD1'
    size='200'
    enclen='${payload.length}'
    format='.fits'>
${lines.join('\n')}
  </oneBLOB>
</setBLOBVector>
`;
    expect(parseAll([input]).messages).toEqual([
      {
        type: 'setBLOBVector',
        device: 'CCD Simulator',
        name: 'CCD1',
        state: 'Ok',
        timeout: 60,
        timestamp: '2026-11-25T17:21:12',
        members: [{ name: 'CCD1', size: 200, enclen: payload.length, format: '.fits', value: payload }],
      },
    ]);
  });

  it('reads base64 lines ending in CRLF', () => {
    const payload = Buffer.from(
      'The quick brown fox jumps over the lazy dog, twice over, and then once more.',
    ).toString('base64');
    const input = `<newBLOBVector device='D' name='B'><oneBLOB name='b' size='75' format='.txt'>\r\n${payload.match(/.{1,72}/g)!.join('\r\n')}\r\n</oneBLOB></newBLOBVector>`;
    expect(parseAll([input]).messages).toEqual([
      {
        type: 'newBLOBVector',
        device: 'D',
        name: 'B',
        members: [{ name: 'b', size: 75, format: '.txt', value: payload }],
      },
    ]);
  });

  it("reads libindi's shared-memory BLOB: a self-closing oneBLOB with attached='true' and len", () => {
    const input =
      "<setBLOBVector device='CCD Simulator' name='CCD1' state='Ok'>" +
      "<oneBLOB name='CCD1' size='46080' format='.fits' attached='true' len='46080'/></setBLOBVector>";
    expect(parseAll([input])).toEqual({
      messages: [
        {
          type: 'setBLOBVector',
          device: 'CCD Simulator',
          name: 'CCD1',
          state: 'Ok',
          members: [{ name: 'CCD1', size: 46080, format: '.fits', attached: true, len: 46080, value: '' }],
        },
      ],
      problems: [],
      end: 'complete',
    });
  });

  it('keeps each payload with its own oneBLOB when a self-closing (attached) oneBLOB comes first', () => {
    const input =
      "<setBLOBVector device='D' name='B'>" +
      "<oneBLOB name='a' size='10' format='.fits' attached='true' len='10'/>" +
      "<oneBLOB name='b' size='1' format='.b'>QQ==</oneBLOB></setBLOBVector>";
    const [message] = parseAll([input]).messages as SetBlobVector[];
    expect(message?.members.map((member: OneBlob) => [member.name, member.value])).toEqual([
      ['a', ''],
      ['b', 'QQ=='],
    ]);
  });

  it('makes a BLOB value from its base64 characters only, when it is read', () => {
    const input =
      "<setBLOBVector device='D' name='B'><oneBLOB name='b' size='3' format='.b'>\nQU*J\n!D\n</oneBLOB></setBLOBVector>";
    const [message] = parseAll([input]).messages as SetBlobVector[];
    const member = message!.members[0]!;
    expect(Object.getOwnPropertyDescriptor(member, 'value')).toHaveProperty('get');
    expect(member.value).toBe('QUJD');
    expect(Object.getOwnPropertyDescriptor(member, 'value')).toHaveProperty('value', 'QUJD');
  });

  it("reads a '>' inside a oneBLOB attribute, which XML allows unescaped", () => {
    const input =
      "<setBLOBVector device='D' name='B'><oneBLOB name='a>b' size='1' format='.b'>QQ==</oneBLOB></setBLOBVector>";
    expect(parseAll([input])).toEqual({
      messages: [
        {
          type: 'setBLOBVector',
          device: 'D',
          name: 'B',
          members: [{ name: 'a>b', size: 1, format: '.b', value: 'QQ==' }],
        },
      ],
      problems: [],
      end: 'complete',
    });
  });

  it("reads a setNumberVector's oneNumber with libindi's min, max and step", () => {
    const input =
      "<setNumberVector device='Focuser Simulator' name='ABS_FOCUS_POSITION' state='Busy' timeout='60'>\n" +
      "  <oneNumber name='FOCUS_ABSOLUTE_POSITION' min='0' max='100000' step='1000'>\n      50000\n  </oneNumber>\n" +
      '</setNumberVector>';
    expect(parseAll([input]).messages).toEqual([
      {
        type: 'setNumberVector',
        device: 'Focuser Simulator',
        name: 'ABS_FOCUS_POSITION',
        state: 'Busy',
        timeout: 60,
        members: [{ name: 'FOCUS_ABSOLUTE_POSITION', min: 0, max: 100000, step: 1000, value: 50000 }],
      },
    ]);
  });

  it('reads sexagesimal number text (-12:30:15.5) and exponents', () => {
    const input =
      "<newNumberVector device='Telescope Simulator' name='EQUATORIAL_EOD_COORD'>" +
      "<oneNumber name='RA'>6:30</oneNumber><oneNumber name='DEC'>\n-12:30:15.5\n</oneNumber>" +
      "<oneNumber name='E'>1e-8</oneNumber></newNumberVector>";
    expect(parseAll([input]).messages).toEqual([
      {
        type: 'newNumberVector',
        device: 'Telescope Simulator',
        name: 'EQUATORIAL_EOD_COORD',
        members: [
          { name: 'RA', value: 6.5 },
          { name: 'DEC', value: -12.504305555555556 },
          { name: 'E', value: 1e-8 },
        ],
      },
    ]);
  });

  it('reads enableBLOB with its mode as element text', () => {
    expect(
      parseAll(["<enableBLOB device='CCD Simulator' name='CCD1'>\n  Also\n</enableBLOB>"]).messages,
    ).toEqual([{ type: 'enableBLOB', device: 'CCD Simulator', name: 'CCD1', mode: 'Also' }]);
  });
});

// ---------------------------------------------------------------- bad input that ends the stream

describe('parseIndi framing errors (the stream ends with an IndiProtocolError)', () => {
  it('ends on a stray closing tag at top level, after delivering what came before', () => {
    const result = parseAll(['<getProperties/>\n</x><pingReply uid="1"/>']);
    expect(result.messages).toEqual([{ type: 'getProperties' }]);
    const error = expectFatal(result, 'malformed-xml', 17);
    expect(error.excerpt).toBe('</x><pingReply uid="1"/>');
    expect(error.message).toBe(
      'a closing tag without an opening tag (byte 17, near "</x><pingReply uid=\\"1\\"/>")',
    );
  });

  it('ends on <!DOCTYPE', () => {
    expectFatal(parseAll(['<getProperties/>\n<!DOCTYPE indi [<!ENTITY x "y">]>']), 'malformed-xml', 17);
  });

  it('ends on CDATA between elements', () => {
    expectFatal(parseAll(['<getProperties/><![CDATA[x]]>']), 'malformed-xml', 16);
  });

  it("ends on a '<' inside a tag", () => {
    const result = parseAll(['<pingReply uid="1"/>  <getProperties version="1.7" <pingReply uid="2"/>']);
    expect(result.messages).toEqual([{ type: 'pingReply', uid: '1' }]);
    expectFatal(result, 'malformed-xml', 22);
  });

  it('ends when the input ends inside an element', () => {
    const result = parseAll([
      '<pingReply uid="1"/>',
      '<setTextVector device="D" name="T"><oneText name="a">x',
    ]);
    expect(result.messages).toEqual([{ type: 'pingReply', uid: '1' }]);
    const error = expectFatal(result, 'malformed-xml', 20);
    expect(error.message).toContain('the connection ended inside an element');
  });

  it('ends when the input ends inside a start tag', () => {
    const result = parseAll(['<pingReply uid="1"/>', '<setTextVector device="D" na']);
    expect(result.messages).toEqual([{ type: 'pingReply', uid: '1' }]);
    expectFatal(result, 'malformed-xml', 20);
  });

  it('ends on nesting deeper than two levels, pointing at the top-level element', () => {
    const input =
      '<pingReply uid="1"/><setNumberVector device="D" name="N"><oneNumber name="a"><x>1</x></oneNumber></setNumberVector>';
    const result = parseAll([input]);
    expect(result.messages).toEqual([{ type: 'pingReply', uid: '1' }]);
    expectFatal(result, 'too-deep', 20);
  });

  it('honours maxDepth', () => {
    expectFatal(
      parseAll(['<setTextVector device="D" name="T"><oneText name="a">x</oneText></setTextVector>'], {
        maxDepth: 1,
      }),
      'too-deep',
      0,
    );
  });

  it('ends on an element larger than maxMessageBytes, while it arrives', () => {
    const element = `<setBLOBVector device="D" name="B"><oneBLOB name="b" size="300" format=".b">${'A'.repeat(400)}</oneBLOB></setBLOBVector>`;
    const result = parseAll(
      ['<pingReply uid="1"/>', ...splitAt(bytesOf(element), [50, 100, 150, 200, 250, 300])],
      {
        maxMessageBytes: 256,
      },
    );
    expect(result.messages).toEqual([{ type: 'pingReply', uid: '1' }]);
    expectFatal(result, 'too-large', 20);
  });

  it('accepts an element of exactly maxMessageBytes', () => {
    const element = '<pingReply uid="1"/>';
    expect(parseAll(oneByteAtATime(bytesOf(element)), { maxMessageBytes: element.length }).end).toBe(
      'complete',
    );
  });

  it('ends on a start tag longer than maxTagBytes, while it arrives', () => {
    const tag = `<setTextVector device="D" name="T" message="${'x'.repeat(200)}">`;
    const result = parseAll(['<pingReply uid="1"/>', ...splitAt(bytesOf(tag), [40, 80, 120, 160, 200])], {
      maxTagBytes: 128,
    });
    expect(result.messages).toEqual([{ type: 'pingReply', uid: '1' }]);
    expectFatal(result, 'too-large', 20);
  });

  it('enforces maxMessageBytes and maxTagBytes however the input is chunked', () => {
    const element = `<setTextVector device="D" name="T" message="${'x'.repeat(200)}"></setTextVector>`;
    expectFatal(parseAll([element], { maxMessageBytes: 128 }), 'too-large', 0);
    expectFatal(parseAll([element], { maxTagBytes: 128 }), 'too-large', 0);
  });
});

// ---------------------------------------------------------------- bad input that is skipped and reported

describe('parseIndi skipped elements (reported to onProblem, the stream goes on)', () => {
  const next = '<pingReply uid="next"/>';
  const nextMessage: IndiMessage = { type: 'pingReply', uid: 'next' };

  /** Parses `bad` then `next`, expects `next` to arrive and exactly one problem for `bad`. */
  function expectSkipped(bad: string, reason: IndiProtocolErrorReason, detail: string): void {
    const prefix = '<pingReply uid="first"/>\n';
    const result = parseAll([prefix + bad + next]);
    expect(result.messages).toEqual([{ type: 'pingReply', uid: 'first' }, nextMessage]);
    expect(result.end).toBe('complete');
    expect(problemsOf(result)).toEqual([[reason, prefix.length]]);
    expect(result.problems[0]!.message).toContain(detail);
    expect(result.problems[0]!.excerpt).toBe(bad.length <= 80 ? bad : `${bad.slice(0, 79)}…`);
  }

  it('skips an unknown top-level element', () => {
    expectSkipped('<fooVector device="D"/>', 'unknown-element', '<fooVector> is not an INDI element');
  });

  it('skips an unknown element with content', () => {
    expectSkipped(
      '<fooVector device="D"><x/></fooVector>',
      'unknown-element',
      '<fooVector> is not an INDI element',
    );
  });

  it('skips a state outside the vocabulary', () => {
    expectSkipped(
      '<setNumberVector device="D" name="N" state="Foo"></setNumberVector>',
      'bad-value',
      "state: 'Foo'",
    );
  });

  it('skips a switch value outside the vocabulary', () => {
    expectSkipped(
      '<newSwitchVector device="D" name="S"><oneSwitch name="a">Maybe</oneSwitch></newSwitchVector>',
      'bad-value',
      "'Maybe' is not one of On, Off",
    );
  });

  it('skips an enableBLOB mode outside the vocabulary', () => {
    expectSkipped(
      '<enableBLOB device="D">Sometimes</enableBLOB>',
      'bad-value',
      "'Sometimes' is not one of Never, Also, Only",
    );
  });

  it('skips a vector without its device', () => {
    expectSkipped(
      '<setNumberVector name="N"></setNumberVector>',
      'missing-attribute',
      "needs a 'device' attribute",
    );
  });

  it('skips a member without its name', () => {
    expectSkipped(
      '<setTextVector device="D" name="T"><oneText>x</oneText></setTextVector>',
      'missing-attribute',
      "<oneText> needs a 'name' attribute",
    );
  });

  it('skips a member of the wrong kind', () => {
    expectSkipped(
      '<setNumberVector device="D" name="N"><oneText name="a">x</oneText></setNumberVector>',
      'wrong-member',
      '<oneText> inside <setNumberVector>',
    );
  });

  it('skips a member inside an element that takes none', () => {
    expectSkipped(
      '<delProperty device="D"><oneText name="a">x</oneText></delProperty>',
      'wrong-member',
      '<delProperty> takes no members',
    );
  });

  it('skips a number that does not parse', () => {
    expectSkipped(
      '<setNumberVector device="D" name="N"><oneNumber name="a">abc</oneNumber></setNumberVector>',
      'bad-value',
      "<oneNumber name='a'>: 'abc' is not a number",
    );
  });

  it("passes a request's number that does not parse on as NaN, reported, for the driver to refuse", () => {
    const result = parseAll([
      '<newNumberVector device="D" name="N"><oneNumber name="a">abc</oneNumber></newNumberVector>',
    ]);
    expect(result.messages).toEqual([
      { type: 'newNumberVector', device: 'D', name: 'N', members: [{ name: 'a', value: NaN }] },
    ]);
    expect(result.problems.map((problem) => [problem.reason, problem.message])).toEqual([
      [
        'bad-value',
        expect.stringContaining("<oneNumber name='a'>: 'abc' is not a number; passed on as NaN") as unknown,
      ],
    ]);
  });

  it('skips a number attribute that does not parse', () => {
    expectSkipped(
      '<setNumberVector device="D" name="N" timeout="soon"></setNumberVector>',
      'bad-value',
      "timeout: 'soon' is not a number",
    );
  });

  it('skips text directly inside a vector', () => {
    expectSkipped(
      '<setNumberVector device="D" name="N">stray</setNumberVector>',
      'bad-value',
      'holds text outside its members',
    );
  });

  it('skips a self-closing third level (the framer only counts open elements)', () => {
    expectSkipped(
      '<setTextVector device="D" name="T"><oneText name="a"><b/></oneText></setTextVector>',
      'too-deep',
      '<oneText> holds elements',
    );
  });

  it('skips well-framed but malformed XML: an undefined entity, mismatched tags', () => {
    expectSkipped('<message message="&bogus;"/>', 'malformed-xml', 'undefined entity');
    expectSkipped(
      '<setTextVector device="D" name="T"><oneText name="a">x</oneSwitch></setTextVector>',
      'malformed-xml',
      'malformed XML',
    );
  });

  it('delivers a message with an unknown attribute, without it, and reports it', () => {
    const input = '<getProperties version="1.7" colour="red"/>';
    const result = parseAll([input]);
    expect(result.messages).toEqual([{ type: 'getProperties', version: '1.7' }]);
    expect(problemsOf(result)).toEqual([['unknown-attribute', 0]]);
    expect(result.problems[0]!.message).toContain("unknown attribute 'colour'");
  });

  it('reports an unknown member attribute and still delivers the message', () => {
    const input =
      '<pingReply uid="0"/><setSwitchVector device="D" name="S"><oneSwitch name="a" colour="red">On</oneSwitch></setSwitchVector>';
    const result = parseAll([input]);
    expect(result.messages).toEqual([
      { type: 'pingReply', uid: '0' },
      { type: 'setSwitchVector', device: 'D', name: 'S', members: [{ name: 'a', value: 'On' }] },
    ]);
    expect(problemsOf(result)).toEqual([['unknown-attribute', 20]]);
  });

  it('does not copy unknown attributes that collide with message fields (type, members)', () => {
    const result = parseAll(['<getProperties type="setTextVector" members="x"/>']);
    expect(result.messages).toEqual([{ type: 'getProperties' }]);
    expect(problemsOf(result)).toEqual([
      ['unknown-attribute', 0],
      ['unknown-attribute', 0],
    ]);
  });

  it('reports text outside any element at its first non-space byte and skips it', () => {
    const result = parseAll(['<pingReply uid="1"/>\n  hello world\n<pingReply uid="2"/>']);
    expect(result.messages).toEqual([
      { type: 'pingReply', uid: '1' },
      { type: 'pingReply', uid: '2' },
    ]);
    expect(problemsOf(result)).toEqual([['text-outside-element', 23]]);
    expect(result.problems[0]!.excerpt).toBe('hello world\n');
  });

  it('reports one run of text outside elements once, however it is chunked', () => {
    const result = parseAll(['abc', 'def<pingReply uid="1"/>']);
    expect(result.messages).toEqual([{ type: 'pingReply', uid: '1' }]);
    expect(problemsOf(result)).toEqual([['text-outside-element', 0]]);
  });
});

// ---------------------------------------------------------------- fuzz

/** Markup fragments worth inserting: the bytes the framer and the BLOB fast path look for. */
const insertion = fc
  .oneof(
    fc.constantFrom(
      '<',
      '>',
      '/>',
      '</',
      '"',
      "'",
      '&',
      '=',
      '<!--',
      '-->',
      '<?',
      '?>',
      '<![CDATA[',
      ']]>',
      '<!DOCTYPE',
      '<oneBLOB>',
      '</oneBLOB>',
      '<x>',
      '</x>',
      '&#x41;',
      '&bogus;',
      '\u{1f52d}',
      '\r\n',
      ' ',
    ),
    fc.string({ maxLength: 6 }),
  )
  .map(bytesOf);

type Mutation =
  | { readonly kind: 'flip'; readonly at: number; readonly byte: number }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly kind: 'delete'; readonly at: number; readonly count: number }
  | { readonly kind: 'truncate'; readonly at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip'), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert'), at: fc.nat(), bytes: insertion }),
  fc.record({ kind: fc.constant('delete'), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('truncate'), at: fc.nat() }),
);

function mutate(bytes: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let out = Buffer.from(bytes);
  for (const change of mutations) {
    const at = change.at % (out.length + 1);
    if (change.kind === 'flip') {
      if (at < out.length) out[at] = change.byte;
    } else if (change.kind === 'insert') {
      out = Buffer.concat([out.subarray(0, at), change.bytes, out.subarray(at)]);
    } else if (change.kind === 'delete') {
      out = Buffer.concat([out.subarray(0, at), out.subarray(at + change.count)]);
    } else {
      out = out.subarray(0, at);
    }
  }
  return out;
}

/**
 * What must hold for any input: the operator neither throws nor hangs, ends
 * with complete or an IndiProtocolError, reports only IndiProtocolErrors with
 * offsets inside the input, and every message it delivers is one the
 * serializer can write and the parser read back (up to the known losses).
 */
function expectWellBehaved(input: Uint8Array, chunks: readonly Uint8Array[]): ParseResult {
  let result: ParseResult | undefined;
  expect(() => (result = parseAll(chunks))).not.toThrow();
  const { end, problems, messages } = result!;
  expect(end).not.toBe('running');
  if (typeof end === 'object') expect(end.error).toBeInstanceOf(IndiProtocolError);
  for (const problem of [...problems, ...(typeof end === 'object' ? [end.error as IndiProtocolError] : [])]) {
    expect(problem).toBeInstanceOf(IndiProtocolError);
    expect(problem.offset).toBeGreaterThanOrEqual(0);
    expect(problem.offset).toBeLessThan(input.length);
    expect(problem.excerpt.length).toBeLessThanOrEqual(80);
  }
  for (const message of messages) {
    expect(parseAll([serializeIndi(message)])).toEqual({
      messages: [afterKnownLosses(message)],
      problems: [],
      end: 'complete',
    });
  }
  return result!;
}

describe('parseIndi fuzz', () => {
  it('survives random bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2000 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (bytes, points) => {
          expectWellBehaved(bytes, splitAt(bytes, points));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('survives random markup-ish text', () => {
    const markup = fc.string({
      unit: fc.oneof(
        insertion.map((bytes) => bytes.toString('utf8')),
        fc.string({ maxLength: 3 }),
      ),
      maxLength: 60,
    });
    fc.assert(
      fc.property(markup, (text) => {
        const bytes = bytesOf(text);
        expectWellBehaved(bytes, [bytes]);
      }),
      { numRuns: 300 },
    );
  });

  it('survives flips, insertions, deletions and truncation of valid traffic, the same way for any chunking', () => {
    fc.assert(
      fc.property(
        traffic,
        fc.array(mutation, { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        ({ bytes }, mutations, points) => {
          const input = mutate(bytes, mutations);
          const whole = expectWellBehaved(input, [input]);
          const split = expectWellBehaved(input, splitAt(input, points));
          expect(split.messages).toEqual(whole.messages);
          expect(endOf(split)).toEqual(endOf(whole));
        },
      ),
      { numRuns: 400 },
    );
  });
});

// ---------------------------------------------------------------- originalText / encodeIndi

describe('parseIndi original text', () => {
  it('remembers the exact bytes of each element, and encodeIndi writes them back with a newline', () => {
    const first = "<getProperties version='1.7' device='*'/>";
    const second =
      "<setTextVector device='D'\n  name='T'>\n  <oneText name='a'>  caf\u00e9 \u{1f52d}  </oneText>\n</setTextVector>";
    const input = `<?xml version='1.0'?>\n${first}\n<!-- c -->\n${second}\n`;
    const { messages } = parseAll(splitAt(bytesOf(input), [3, 30, 60, 99]));
    expect(messages.map((message) => Buffer.from(originalText(message)!).toString('utf8'))).toEqual([
      first,
      second,
    ]);
    expect(messages.map((message) => Buffer.from(encodeIndi(message)).toString('utf8'))).toEqual([
      `${first}\n`,
      `${second}\n`,
    ]);
  });

  it('encodes a changed copy afresh, in the serializer layout', () => {
    const [message] = parseAll(["<getProperties version='1.7' device='*'/>"]).messages;
    const copy = { ...message! };
    expect(originalText(copy)).toBeUndefined();
    expect(Buffer.from(encodeIndi(copy)).toString('utf8')).toBe(
      '<getProperties version="1.7" device="*"/>\n',
    );
    expect(Buffer.from(encodeIndi(copy)).toString('utf8')).toBe(serializeIndi(copy));
  });

  it('encodes the same message object to the same buffer every time', () => {
    const [message] = parseAll(["<pingRequest uid='1'/>"]).messages;
    expect(encodeIndi(message!)).toBe(encodeIndi(message!));
  });

  it('for serialized input, encodeIndi of the parsed message is the serialization', () => {
    fc.assert(
      fc.property(indiMessage, (message) => {
        const [parsed] = parseAll([serializeIndi(message)]).messages;
        expect(Buffer.from(encodeIndi(parsed!)).toString('utf8')).toBe(serializeIndi(message));
      }),
      { numRuns: 200 },
    );
  });
});
