/**
 * The INDI 1.7 message vocabulary as one discriminated union, keyed by `type`,
 * the literal XML element name. Attribute names are the protocol's own.
 *
 * INDI 1.7 (Downey, indilib.org/develop/developer-manual/104-indi-protocol.html)
 * plus the libindi extensions a server must carry: `enclen`, `attached`/`len` on
 * `oneBLOB`, `min`/`max`/`step` on `oneNumber`, and libindi 2's ping.
 */

/** A vector's state, INDI 1.7 `propertyState`. */
export type PropertyState = 'Idle' | 'Ok' | 'Busy' | 'Alert';
/** Who may write a vector, INDI 1.7 `propertyPerm`. */
export type PropertyPerm = 'ro' | 'wo' | 'rw';
/** How switches of one vector relate, INDI 1.7 `switchRule`. */
export type SwitchRule = 'OneOfMany' | 'AtMostOne' | 'AnyOfMany';
/** A switch's value, INDI 1.7 `switchState`. */
export type SwitchState = 'On' | 'Off';
/** A connection's BLOB policy, INDI 1.7 `BLOBenable`. */
export type BlobMode = 'Never' | 'Also' | 'Only';

/** `defText`: one text member of a `defTextVector`. */
export interface DefText {
  readonly name: string;
  readonly label?: string;
  readonly value: string;
}
/** `defNumber`: one number member with its printf (or `%m` sexagesimal) format and range. */
export interface DefNumber {
  readonly name: string;
  readonly label?: string;
  readonly format: string;
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly value: number;
}
/** `defSwitch`: one switch member. */
export interface DefSwitch {
  readonly name: string;
  readonly label?: string;
  readonly value: SwitchState;
}
/** `defLight`: one light member. */
export interface DefLight {
  readonly name: string;
  readonly label?: string;
  readonly value: PropertyState;
}
/** `defBLOB`: one BLOB member (a definition carries no data). */
export interface DefBlob {
  readonly name: string;
  readonly label?: string;
}
/** `oneText`: a text value in a set or new vector. */
export interface OneText {
  readonly name: string;
  readonly value: string;
}
/** `oneNumber`: a number value; libindi may also move its range in a `setNumberVector`. */
export interface OneNumber {
  readonly name: string;
  readonly min?: number;
  readonly max?: number;
  readonly step?: number;
  readonly value: number;
}
/** `oneSwitch`: a switch value. */
export interface OneSwitch {
  readonly name: string;
  readonly value: SwitchState;
}
/** `oneLight`: a light value. */
export interface OneLight {
  readonly name: string;
  readonly value: PropertyState;
}
/**
 * `oneBLOB`: a BLOB value. `value` is the base64 text without whitespace, kept
 * as text: nothing on the forwarding path decodes it. `size` is the decoded size,
 * `enclen` (libindi) the base64 length; `attached`/`len` mark libindi's
 * shared-memory BLOBs, whose bytes travel outside the XML.
 */
export interface OneBlob {
  readonly name: string;
  readonly size: number;
  readonly enclen?: number;
  readonly format: string;
  readonly attached?: boolean;
  readonly len?: number;
  readonly value: string;
}

interface DefVectorHeader {
  readonly device: string;
  readonly name: string;
  readonly label?: string;
  readonly group?: string;
  readonly state: PropertyState;
  readonly timestamp?: string;
  readonly message?: string;
}
interface WritableDefHeader extends DefVectorHeader {
  readonly perm: PropertyPerm;
  readonly timeout?: number;
}
interface SetVectorHeader {
  readonly device: string;
  readonly name: string;
  readonly state?: PropertyState;
  readonly timeout?: number;
  readonly timestamp?: string;
  readonly message?: string;
}
interface NewVectorHeader {
  readonly device: string;
  readonly name: string;
  readonly timestamp?: string;
}

export interface DefTextVector extends WritableDefHeader {
  readonly type: 'defTextVector';
  readonly members: readonly DefText[];
}
export interface DefNumberVector extends WritableDefHeader {
  readonly type: 'defNumberVector';
  readonly members: readonly DefNumber[];
}
export interface DefSwitchVector extends WritableDefHeader {
  readonly type: 'defSwitchVector';
  readonly rule: SwitchRule;
  readonly members: readonly DefSwitch[];
}
export interface DefLightVector extends DefVectorHeader {
  readonly type: 'defLightVector';
  readonly members: readonly DefLight[];
}
export interface DefBlobVector extends WritableDefHeader {
  readonly type: 'defBLOBVector';
  readonly members: readonly DefBlob[];
}
export interface SetTextVector extends SetVectorHeader {
  readonly type: 'setTextVector';
  readonly members: readonly OneText[];
}
export interface SetNumberVector extends SetVectorHeader {
  readonly type: 'setNumberVector';
  readonly members: readonly OneNumber[];
}
export interface SetSwitchVector extends SetVectorHeader {
  readonly type: 'setSwitchVector';
  readonly members: readonly OneSwitch[];
}
/** `setLightVector` has no timeout in INDI 1.7. */
export interface SetLightVector extends Omit<SetVectorHeader, 'timeout'> {
  readonly type: 'setLightVector';
  readonly members: readonly OneLight[];
}
export interface SetBlobVector extends SetVectorHeader {
  readonly type: 'setBLOBVector';
  readonly members: readonly OneBlob[];
}
export interface NewTextVector extends NewVectorHeader {
  readonly type: 'newTextVector';
  readonly members: readonly OneText[];
}
export interface NewNumberVector extends NewVectorHeader {
  readonly type: 'newNumberVector';
  readonly members: readonly OneNumber[];
}
export interface NewSwitchVector extends NewVectorHeader {
  readonly type: 'newSwitchVector';
  readonly members: readonly OneSwitch[];
}
export interface NewBlobVector extends NewVectorHeader {
  readonly type: 'newBLOBVector';
  readonly members: readonly OneBlob[];
}
/** `getProperties`: `device='*'` (libindi) means every device. */
export interface GetProperties {
  readonly type: 'getProperties';
  readonly version?: string;
  readonly device?: string;
  readonly name?: string;
}
/** `message`: a human-readable line, for a device or (without one) for everyone. */
export interface Message {
  readonly type: 'message';
  readonly device?: string;
  readonly timestamp?: string;
  readonly message?: string;
}
/** `delProperty`: one vector, or without `name` the whole device, is gone. */
export interface DelProperty {
  readonly type: 'delProperty';
  readonly device: string;
  readonly name?: string;
  readonly timestamp?: string;
  readonly message?: string;
}
/** `enableBLOB`: the sender's BLOB policy for a device, or one of its vectors. */
export interface EnableBlob {
  readonly type: 'enableBLOB';
  readonly device: string;
  readonly name?: string;
  readonly mode: BlobMode;
}
/** libindi 2: a driver or client waits for the matching `pingReply`. */
export interface PingRequest {
  readonly type: 'pingRequest';
  readonly uid: string;
}
/** libindi 2: the answer to a `pingRequest` with the same uid. */
export interface PingReply {
  readonly type: 'pingReply';
  readonly uid: string;
}

export type DefVector = DefTextVector | DefNumberVector | DefSwitchVector | DefLightVector | DefBlobVector;
export type SetVector = SetTextVector | SetNumberVector | SetSwitchVector | SetLightVector | SetBlobVector;
export type NewVector = NewTextVector | NewNumberVector | NewSwitchVector | NewBlobVector;

/**
 * Every INDI message, keyed by `type` = the XML element name.
 *
 * @example
 * ```ts
 * const ask: IndiMessage = { type: 'getProperties', version: '1.7' };
 * ```
 */
export type IndiMessage =
  | DefVector
  | SetVector
  | NewVector
  | GetProperties
  | Message
  | DelProperty
  | EnableBlob
  | PingRequest
  | PingReply;

/** The XML element name of every INDI message. */
export type IndiMessageType = IndiMessage['type'];

/** The message of one element name. */
export type IndiMessageOf<T extends IndiMessageType> = Extract<IndiMessage, { type: T }>;

/** Messages a driver sends towards clients. */
export type DriverMessage = DefVector | SetVector | Message | DelProperty;

const defTypes: ReadonlySet<string> = new Set([
  'defTextVector',
  'defNumberVector',
  'defSwitchVector',
  'defLightVector',
  'defBLOBVector',
]);
const setTypes: ReadonlySet<string> = new Set([
  'setTextVector',
  'setNumberVector',
  'setSwitchVector',
  'setLightVector',
  'setBLOBVector',
]);
const newTypes: ReadonlySet<string> = new Set([
  'newTextVector',
  'newNumberVector',
  'newSwitchVector',
  'newBLOBVector',
]);

/**
 * True for `def*Vector` messages.
 *
 * @example
 * ```ts
 * isDefVector({ type: 'delProperty', device: 'CCD' }); // false
 * ```
 */
export function isDefVector(message: IndiMessage): message is DefVector {
  return defTypes.has(message.type);
}

/**
 * True for `set*Vector` messages.
 *
 * @example
 * ```ts
 * messages$.pipe(filter(isSetVector));
 * ```
 */
export function isSetVector(message: IndiMessage): message is SetVector {
  return setTypes.has(message.type);
}

/**
 * True for `new*Vector` messages (client requests).
 *
 * @example
 * ```ts
 * clientMessages$.pipe(filter(isNewVector));
 * ```
 */
export function isNewVector(message: IndiMessage): message is NewVector {
  return newTypes.has(message.type);
}

/**
 * True for messages that carry BLOB data (`setBLOBVector`, `newBLOBVector`).
 *
 * @example
 * ```ts
 * isBlobMessage({ type: 'setBLOBVector', device: 'CCD', name: 'CCD1', members: [] }); // true
 * ```
 */
export function isBlobMessage(message: IndiMessage): message is SetBlobVector | NewBlobVector {
  return message.type === 'setBLOBVector' || message.type === 'newBLOBVector';
}

/**
 * The device a message concerns, if any.
 *
 * @example
 * ```ts
 * deviceOf({ type: 'getProperties', version: '1.7' }); // undefined
 * ```
 */
export function deviceOf(message: IndiMessage): string | undefined {
  return 'device' in message ? message.device : undefined;
}
