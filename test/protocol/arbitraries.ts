/**
 * fast-check arbitraries for every {@link IndiMessage}: each optional attribute
 * sometimes present and sometimes absent, strings both realistic and nasty.
 *
 * What the generated values leave out, and why (each is something the XML
 * round trip cannot carry, not an accident of generation):
 *
 * - Characters XML 1.0 forbids (C0 controls other than tab and newline,
 *   U+FFFE, U+FFFF, lone surrogates): no XML document can hold them.
 * - Carriage returns anywhere, and tabs and newlines in attribute values: XML
 *   parsers normalise them (end-of-line handling turns `\r` into `\n`,
 *   attribute-value normalisation turns `\t \n \r` into spaces), and
 *   `serializeIndi` writes them raw, as libindi does, instead of as `&#13;`.
 * - Leading or trailing whitespace in element text (member values): the
 *   parser trims element text, because libindi puts values on their own line.
 * - `-0`: the serializer writes `String(-0)`, `'0'`, so `-0` comes back as `0`
 *   (parse-indi.test.ts pins this down). NaN and ±Infinity are left to their
 *   own tests; the arbitraries generate finite doubles.
 */
import fc from 'fast-check';
import type {
  BlobMode,
  DefBlob,
  DefBlobVector,
  DefLight,
  DefLightVector,
  DefNumber,
  DefNumberVector,
  DefSwitch,
  DefSwitchVector,
  DefText,
  DefTextVector,
  DelProperty,
  EnableBlob,
  GetProperties,
  IndiMessage,
  Message,
  NewBlobVector,
  NewNumberVector,
  NewSwitchVector,
  NewTextVector,
  OneBlob,
  OneLight,
  OneNumber,
  OneSwitch,
  OneText,
  PingReply,
  PingRequest,
  PropertyPerm,
  PropertyState,
  SetBlobVector,
  SetLightVector,
  SetNumberVector,
  SetSwitchVector,
  SetTextVector,
  SwitchRule,
  SwitchState,
} from '../../src/protocol/messages.js';

// ---------------------------------------------------------------- vocabularies

/** INDI 1.7 `propertyState`. */
export const propertyState: fc.Arbitrary<PropertyState> = fc.constantFrom('Idle', 'Ok', 'Busy', 'Alert');
/** INDI 1.7 `propertyPerm`. */
export const propertyPerm: fc.Arbitrary<PropertyPerm> = fc.constantFrom('ro', 'wo', 'rw');
/** INDI 1.7 `switchRule`. */
export const switchRule: fc.Arbitrary<SwitchRule> = fc.constantFrom('OneOfMany', 'AtMostOne', 'AnyOfMany');
/** INDI 1.7 `switchState`. */
export const switchState: fc.Arbitrary<SwitchState> = fc.constantFrom('On', 'Off');
/** INDI 1.7 `BLOBenable`. */
export const blobMode: fc.Arbitrary<BlobMode> = fc.constantFrom('Never', 'Also', 'Only');

// ---------------------------------------------------------------- characters and strings

/** The characters XML gives a meaning to, and the astral-plane and odd BMP ones that trip up encoders. */
const nastyCharacter = fc.constantFrom(
  '&',
  '<',
  '>',
  '"',
  "'",
  ';',
  '#',
  '=',
  '/',
  '%',
  ':',
  '*',
  '\u00e9', // é
  '\u00b0', // °
  '\u00a0', // no-break space (JavaScript's trim() removes it)
  '\u007f', // DEL, allowed by XML 1.0
  '\u0085', // NEL, allowed by XML 1.0, not a line end there
  '\u2028', // line separator (JavaScript whitespace)
  '\ufeff', // BOM (JavaScript whitespace)
  '\ufffd',
  '\u3042', // あ
  '\u{1f52d}', // 🔭 (astral: a surrogate pair, four UTF-8 bytes)
  '\u{1f31f}', // 🌟
  '\u{10ffff}',
);

/** Any one code point XML 1.0's `Char` production allows, other than tab, newline and carriage return. */
const xmlCharacter = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCodePoint(code)) },
  { weight: 3, arbitrary: nastyCharacter },
  { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xd7ff }).map((code) => String.fromCodePoint(code)) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 0xe000, max: 0xfffd }).map((code) => String.fromCodePoint(code)),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 0x10000, max: 0x10ffff }).map((code) => String.fromCodePoint(code)),
  },
);

/** Strings that look like INDI names, labels and groups. */
const realisticText = fc.constantFrom(
  'CCD Simulator',
  'Telescope Simulator',
  'EQUATORIAL_EOD_COORD',
  'CONNECTION',
  'Main Control',
  'RA (hh:mm:ss)',
  'Period (ms)',
  '[WARNING] Telescope aperture is missing.',
  'Tom\u2019s "scope" <1m> & co',
  '\u6e29\u5ea6 \u{1f321}\ufe0f',
  '2026-11-25T17:21:07',
);

/**
 * An attribute value: anything XML can carry in an attribute without
 * normalisation (so no tab, newline or carriage return), spaces included at
 * either end, the empty string included.
 */
export const xmlAttribute: fc.Arbitrary<string> = fc.oneof(
  realisticText,
  fc.string({ unit: xmlCharacter, maxLength: 12 }),
  fc.string({ unit: fc.oneof(xmlCharacter, fc.constant(' ')), maxLength: 6 }),
);

/**
 * Element text (a `oneText` / `defText` value): like an attribute, but it may
 * hold newlines and tabs inside it, and it never starts or ends with
 * whitespace, which the parser trims.
 */
export const xmlText: fc.Arbitrary<string> = fc
  .oneof(
    realisticText,
    fc.string({ unit: xmlCharacter, maxLength: 12 }),
    fc.string({ unit: fc.oneof(xmlCharacter, fc.constantFrom(' ', '\n', '\t', '\n\n')), maxLength: 8 }),
  )
  .filter((text) => text === text.trim());

/** A timestamp: usually INDI's `YYYY-MM-DDTHH:MM:SS`, sometimes anything. */
export const timestamp: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: isoTimestamp() },
  { weight: 1, arbitrary: xmlAttribute },
);

function isoTimestamp(): fc.Arbitrary<string> {
  return fc
    .date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2099-12-31T23:59:59Z'),
      noInvalidDate: true,
    })
    .map((date) => date.toISOString().slice(0, 19));
}

/** A printf format as drivers use them, including INDI's sexagesimal `%m`. */
export const numberFormat: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('%g', '%.f', '%.3f', '%6.2f', '%010.6m', '%9.6m', '%.2e', '%5d', '%.1f %%'),
  xmlAttribute,
);

// ---------------------------------------------------------------- numbers

/** A finite double other than -0 (which serializes as `0`); integers, tiny and huge values included. */
export const finiteNumber: fc.Arbitrary<number> = fc
  .oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.constantFrom(0, 0.1, 1e-8, 1e21, 5e-324, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE),
  )
  .filter((value) => !Object.is(value, -0));

/** A non-negative integer, as BLOB sizes are. */
const byteCount = fc.oneof(fc.nat(), fc.constantFrom(0, 46080, 61440));

// ---------------------------------------------------------------- BLOB payloads

/** Valid base64 (padding included) of random bytes, empty included; long enough to need several 72-char lines. */
export const base64Payload: fc.Arbitrary<string> = fc
  .uint8Array({ maxLength: 200 })
  .map((bytes) => Buffer.from(bytes).toString('base64'));

// ---------------------------------------------------------------- members

export const defText: fc.Arbitrary<DefText> = fc.record(
  { name: xmlAttribute, label: xmlAttribute, value: xmlText },
  { requiredKeys: ['name', 'value'] },
);
export const defNumber: fc.Arbitrary<DefNumber> = fc.record(
  {
    name: xmlAttribute,
    label: xmlAttribute,
    format: numberFormat,
    min: finiteNumber,
    max: finiteNumber,
    step: finiteNumber,
    value: finiteNumber,
  },
  { requiredKeys: ['name', 'format', 'min', 'max', 'step', 'value'] },
);
export const defSwitch: fc.Arbitrary<DefSwitch> = fc.record(
  { name: xmlAttribute, label: xmlAttribute, value: switchState },
  { requiredKeys: ['name', 'value'] },
);
export const defLight: fc.Arbitrary<DefLight> = fc.record(
  { name: xmlAttribute, label: xmlAttribute, value: propertyState },
  { requiredKeys: ['name', 'value'] },
);
export const defBlob: fc.Arbitrary<DefBlob> = fc.record(
  { name: xmlAttribute, label: xmlAttribute },
  { requiredKeys: ['name'] },
);
export const oneText: fc.Arbitrary<OneText> = fc.record({ name: xmlAttribute, value: xmlText });
export const oneNumber: fc.Arbitrary<OneNumber> = fc.record(
  { name: xmlAttribute, min: finiteNumber, max: finiteNumber, step: finiteNumber, value: finiteNumber },
  { requiredKeys: ['name', 'value'] },
);
export const oneSwitch: fc.Arbitrary<OneSwitch> = fc.record({ name: xmlAttribute, value: switchState });
export const oneLight: fc.Arbitrary<OneLight> = fc.record({ name: xmlAttribute, value: propertyState });
export const oneBlob: fc.Arbitrary<OneBlob> = fc.record(
  {
    name: xmlAttribute,
    size: byteCount,
    enclen: byteCount,
    format: fc.oneof(fc.constantFrom('.fits', '.fits.fz', '.jpg', '.stream', '.b'), xmlAttribute),
    attached: fc.boolean(),
    len: byteCount,
    value: base64Payload,
  },
  { requiredKeys: ['name', 'size', 'format', 'value'] },
);

const members = <T>(member: fc.Arbitrary<T>): fc.Arbitrary<T[]> => fc.array(member, { maxLength: 4 });

// ---------------------------------------------------------------- vectors

const defHeader = {
  device: xmlAttribute,
  name: xmlAttribute,
  label: xmlAttribute,
  group: xmlAttribute,
  state: propertyState,
  timestamp,
  message: xmlAttribute,
};
const writableDefHeader = { ...defHeader, perm: propertyPerm, timeout: finiteNumber };
const defRequired = ['device', 'name', 'state', 'members'] as const;
const writableDefRequired = [...defRequired, 'perm'] as const;

export const defTextVector: fc.Arbitrary<DefTextVector> = fc.record(
  { type: fc.constant('defTextVector'), ...writableDefHeader, members: members(defText) },
  { requiredKeys: ['type', ...writableDefRequired] },
);
export const defNumberVector: fc.Arbitrary<DefNumberVector> = fc.record(
  { type: fc.constant('defNumberVector'), ...writableDefHeader, members: members(defNumber) },
  { requiredKeys: ['type', ...writableDefRequired] },
);
export const defSwitchVector: fc.Arbitrary<DefSwitchVector> = fc.record(
  {
    type: fc.constant('defSwitchVector'),
    ...writableDefHeader,
    rule: switchRule,
    members: members(defSwitch),
  },
  { requiredKeys: ['type', 'rule', ...writableDefRequired] },
);
export const defLightVector: fc.Arbitrary<DefLightVector> = fc.record(
  { type: fc.constant('defLightVector'), ...defHeader, members: members(defLight) },
  { requiredKeys: ['type', ...defRequired] },
);
export const defBlobVector: fc.Arbitrary<DefBlobVector> = fc.record(
  { type: fc.constant('defBLOBVector'), ...writableDefHeader, members: members(defBlob) },
  { requiredKeys: ['type', ...writableDefRequired] },
);

const setHeader = {
  device: xmlAttribute,
  name: xmlAttribute,
  state: propertyState,
  timeout: finiteNumber,
  timestamp,
  message: xmlAttribute,
};
const setRequired = ['type', 'device', 'name', 'members'] as const;

export const setTextVector: fc.Arbitrary<SetTextVector> = fc.record(
  { type: fc.constant('setTextVector'), ...setHeader, members: members(oneText) },
  { requiredKeys: [...setRequired] },
);
export const setNumberVector: fc.Arbitrary<SetNumberVector> = fc.record(
  { type: fc.constant('setNumberVector'), ...setHeader, members: members(oneNumber) },
  { requiredKeys: [...setRequired] },
);
export const setSwitchVector: fc.Arbitrary<SetSwitchVector> = fc.record(
  { type: fc.constant('setSwitchVector'), ...setHeader, members: members(oneSwitch) },
  { requiredKeys: [...setRequired] },
);
export const setLightVector: fc.Arbitrary<SetLightVector> = fc.record(
  {
    type: fc.constant('setLightVector'),
    device: xmlAttribute,
    name: xmlAttribute,
    state: propertyState,
    timestamp,
    message: xmlAttribute,
    members: members(oneLight),
  },
  { requiredKeys: [...setRequired] },
);
export const setBlobVector: fc.Arbitrary<SetBlobVector> = fc.record(
  { type: fc.constant('setBLOBVector'), ...setHeader, members: members(oneBlob) },
  { requiredKeys: [...setRequired] },
);

const newHeader = { device: xmlAttribute, name: xmlAttribute, timestamp };
const newRequired = ['type', 'device', 'name', 'members'] as const;

export const newTextVector: fc.Arbitrary<NewTextVector> = fc.record(
  { type: fc.constant('newTextVector'), ...newHeader, members: members(oneText) },
  { requiredKeys: [...newRequired] },
);
export const newNumberVector: fc.Arbitrary<NewNumberVector> = fc.record(
  { type: fc.constant('newNumberVector'), ...newHeader, members: members(oneNumber) },
  { requiredKeys: [...newRequired] },
);
export const newSwitchVector: fc.Arbitrary<NewSwitchVector> = fc.record(
  { type: fc.constant('newSwitchVector'), ...newHeader, members: members(oneSwitch) },
  { requiredKeys: [...newRequired] },
);
export const newBlobVector: fc.Arbitrary<NewBlobVector> = fc.record(
  { type: fc.constant('newBLOBVector'), ...newHeader, members: members(oneBlob) },
  { requiredKeys: [...newRequired] },
);

// ---------------------------------------------------------------- other messages

export const getProperties: fc.Arbitrary<GetProperties> = fc.record(
  {
    type: fc.constant('getProperties'),
    version: fc.oneof(fc.constant('1.7'), xmlAttribute),
    device: fc.oneof(fc.constant('*'), xmlAttribute),
    name: xmlAttribute,
  },
  { requiredKeys: ['type'] },
);
export const message: fc.Arbitrary<Message> = fc.record(
  { type: fc.constant('message'), device: xmlAttribute, timestamp, message: xmlAttribute },
  { requiredKeys: ['type'] },
);
export const delProperty: fc.Arbitrary<DelProperty> = fc.record(
  {
    type: fc.constant('delProperty'),
    device: xmlAttribute,
    name: xmlAttribute,
    timestamp,
    message: xmlAttribute,
  },
  { requiredKeys: ['type', 'device'] },
);
export const enableBlob: fc.Arbitrary<EnableBlob> = fc.record(
  { type: fc.constant('enableBLOB'), device: xmlAttribute, name: xmlAttribute, mode: blobMode },
  { requiredKeys: ['type', 'device', 'mode'] },
);
export const pingRequest: fc.Arbitrary<PingRequest> = fc.record({
  type: fc.constant('pingRequest'),
  uid: fc.oneof(fc.constantFrom('SetBLOB/1', '0'), xmlAttribute),
});
export const pingReply: fc.Arbitrary<PingReply> = fc.record({
  type: fc.constant('pingReply'),
  uid: fc.oneof(fc.constantFrom('SetBLOB/1', '0'), xmlAttribute),
});

/** One arbitrary per element name: adding a message type to the union without one here fails to compile. */
export const indiMessageByType: {
  readonly [T in IndiMessage['type']]: fc.Arbitrary<Extract<IndiMessage, { type: T }>>;
} = {
  defTextVector,
  defNumberVector,
  defSwitchVector,
  defLightVector,
  defBLOBVector: defBlobVector,
  setTextVector,
  setNumberVector,
  setSwitchVector,
  setLightVector,
  setBLOBVector: setBlobVector,
  newTextVector,
  newNumberVector,
  newSwitchVector,
  newBLOBVector: newBlobVector,
  getProperties,
  message,
  delProperty,
  enableBLOB: enableBlob,
  pingRequest,
  pingReply,
};

/** Any INDI message, every element type equally likely. */
export const indiMessage: fc.Arbitrary<IndiMessage> = fc.oneof(
  ...Object.values<fc.Arbitrary<IndiMessage>>(indiMessageByType),
);

/** A short conversation: up to 8 messages. */
export const indiMessages: fc.Arbitrary<IndiMessage[]> = fc.array(indiMessage, { maxLength: 8 });
