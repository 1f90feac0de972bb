import type { IndiMessageType } from './messages.js';

/** How an attribute's or an element's text is read and written. */
export type ValueKind =
  'text' | 'number' | 'state' | 'perm' | 'rule' | 'switch' | 'boolean' | 'blobMode' | 'base64';

/** One attribute, in the order libindi writes it. */
export interface AttributeSpec {
  readonly name: string;
  readonly kind: ValueKind;
  readonly required: boolean;
}

/** The member elements a vector holds and how their text is read. */
export interface MemberSpec {
  readonly element: string;
  readonly attributes: readonly AttributeSpec[];
  readonly value: ValueKind | undefined;
}

/**
 * One INDI element: its attributes in libindi's order, its members, and for
 * `enableBLOB` the field its text goes to.
 */
export interface ElementSpec {
  readonly attributes: readonly AttributeSpec[];
  readonly members?: MemberSpec;
  readonly text?: { readonly field: string; readonly kind: ValueKind };
}

const required = (name: string, kind: ValueKind = 'text'): AttributeSpec => ({
  name,
  kind,
  required: true,
});
const optional = (name: string, kind: ValueKind = 'text'): AttributeSpec => ({
  name,
  kind,
  required: false,
});

const labelled = [required('name'), optional('label')];
const defHeader = (...middle: AttributeSpec[]): AttributeSpec[] => [
  required('device'),
  required('name'),
  optional('label'),
  optional('group'),
  required('state', 'state'),
  ...middle,
  optional('timestamp'),
  optional('message'),
];
const writableDef = (...extra: AttributeSpec[]): AttributeSpec[] =>
  defHeader(required('perm', 'perm'), ...extra, optional('timeout', 'number'));
const setHeader = [
  required('device'),
  required('name'),
  optional('state', 'state'),
  optional('timeout', 'number'),
  optional('timestamp'),
  optional('message'),
];
const setLightHeader = setHeader.filter((attribute) => attribute.name !== 'timeout');
const newHeader = [required('device'), required('name'), optional('timestamp')];

const oneText: MemberSpec = { element: 'oneText', attributes: [required('name')], value: 'text' };
const oneNumber: MemberSpec = {
  element: 'oneNumber',
  attributes: [
    required('name'),
    optional('min', 'number'),
    optional('max', 'number'),
    optional('step', 'number'),
  ],
  value: 'number',
};
const oneSwitch: MemberSpec = { element: 'oneSwitch', attributes: [required('name')], value: 'switch' };
const oneLight: MemberSpec = { element: 'oneLight', attributes: [required('name')], value: 'state' };
const oneBlob: MemberSpec = {
  element: 'oneBLOB',
  attributes: [
    required('name'),
    required('size', 'number'),
    optional('enclen', 'number'),
    required('format'),
    optional('attached', 'boolean'),
    optional('len', 'number'),
  ],
  value: 'base64',
};

/**
 * Every INDI 1.7 element (plus libindi's ping), attribute by attribute, in the
 * order libindi's own writer uses. The parser reads and the serializer writes
 * from this one table, so the two cannot disagree.
 */
export const indiSchema: Readonly<Record<IndiMessageType, ElementSpec>> = {
  defTextVector: {
    attributes: writableDef(),
    members: { element: 'defText', attributes: labelled, value: 'text' },
  },
  defNumberVector: {
    attributes: writableDef(),
    members: {
      element: 'defNumber',
      attributes: [
        ...labelled,
        required('format'),
        required('min', 'number'),
        required('max', 'number'),
        required('step', 'number'),
      ],
      value: 'number',
    },
  },
  defSwitchVector: {
    attributes: writableDef(required('rule', 'rule')),
    members: { element: 'defSwitch', attributes: labelled, value: 'switch' },
  },
  defLightVector: {
    attributes: defHeader(),
    members: { element: 'defLight', attributes: labelled, value: 'state' },
  },
  defBLOBVector: {
    attributes: writableDef(),
    members: { element: 'defBLOB', attributes: labelled, value: undefined },
  },
  setTextVector: { attributes: setHeader, members: oneText },
  setNumberVector: { attributes: setHeader, members: oneNumber },
  setSwitchVector: { attributes: setHeader, members: oneSwitch },
  setLightVector: { attributes: setLightHeader, members: oneLight },
  setBLOBVector: { attributes: setHeader, members: oneBlob },
  newTextVector: { attributes: newHeader, members: oneText },
  newNumberVector: { attributes: newHeader, members: oneNumber },
  newSwitchVector: { attributes: newHeader, members: oneSwitch },
  newBLOBVector: { attributes: newHeader, members: oneBlob },
  getProperties: {
    attributes: [optional('version'), optional('device'), optional('name')],
  },
  message: {
    attributes: [optional('device'), optional('timestamp'), optional('message')],
  },
  delProperty: {
    attributes: [required('device'), optional('name'), optional('timestamp'), optional('message')],
  },
  enableBLOB: {
    attributes: [required('device'), optional('name')],
    text: { field: 'mode', kind: 'blobMode' },
  },
  pingRequest: { attributes: [required('uid')] },
  pingReply: { attributes: [required('uid')] },
};

/**
 * True when `name` is an INDI element the protocol layer knows.
 *
 * @example
 * ```ts
 * isIndiElement('setNumberVector'); // true
 * ```
 */
export function isIndiElement(name: string): name is IndiMessageType {
  return Object.hasOwn(indiSchema, name);
}
