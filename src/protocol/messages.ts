/**
 * The INDI 1.7 message vocabulary as one discriminated union, keyed by `type`,
 * the literal XML element name. Attribute names are the protocol's own.
 *
 * INDI 1.7 (Downey, indilib.org/develop/developer-manual/104-indi-protocol.html)
 * plus the libindi extensions a server must carry: `enclen`, `attached`/`len` on
 * `oneBLOB`, `min`/`max`/`step` on `oneNumber`, and libindi 2's ping.
 */

/**
 * A vector's state, INDI 1.7 `propertyState`: the light a client shows next
 * to the property (`Busy` while a slew or exposure runs, `Alert` when it failed).
 *
 * @example
 * ```ts
 * const failed: PropertyState = 'Alert';
 * ```
 */
export type PropertyState = 'Idle' | 'Ok' | 'Busy' | 'Alert';
/**
 * Who may write a vector, INDI 1.7 `propertyPerm`: `ro` is read-only for
 * clients, `wo` write-only, `rw` both.
 *
 * @example
 * ```ts
 * const perm: PropertyPerm = 'rw';
 * ```
 */
export type PropertyPerm = 'ro' | 'wo' | 'rw';
/**
 * How switches of one vector relate, INDI 1.7 `switchRule`: exactly one on
 * (`OneOfMany`, e.g. a slew rate), at most one, or any number.
 *
 * @example
 * ```ts
 * const rule: SwitchRule = 'OneOfMany';
 * ```
 */
export type SwitchRule = 'OneOfMany' | 'AtMostOne' | 'AnyOfMany';
/**
 * A switch's value, INDI 1.7 `switchState`.
 *
 * @example
 * ```ts
 * const on: SwitchState = 'On';
 * ```
 */
export type SwitchState = 'On' | 'Off';
/**
 * A connection's BLOB policy, INDI 1.7 `BLOBenable`: `Never` (the default: no
 * BLOBs), `Also` (BLOBs with everything else) or `Only` (nothing but BLOBs).
 *
 * @example
 * ```ts
 * const mode: BlobMode = 'Also';
 * ```
 */
export type BlobMode = 'Never' | 'Also' | 'Only';

/**
 * `defText`: one text member of a `defTextVector`.
 *
 * @example
 * ```ts
 * const site: DefText = { name: 'SITE_NAME', label: 'Site', value: 'Backyard' };
 * ```
 */
export interface DefText {
  readonly name: string;
  readonly label?: string;
  readonly value: string;
}
/**
 * `defNumber`: one number member with its printf (or `%m` sexagesimal) format
 * and range; `step` 0 means any value in range.
 *
 * @example
 * ```ts
 * const ra: DefNumber = { name: 'RA', label: 'RA (hh:mm:ss)', format: '%010.6m', min: 0, max: 24, step: 0, value: 5.5 };
 * ```
 */
export interface DefNumber {
  readonly name: string;
  readonly label?: string;
  readonly format: string;
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly value: number;
}
/**
 * `defSwitch`: one switch member.
 *
 * @example
 * ```ts
 * const connect: DefSwitch = { name: 'CONNECT', label: 'Connect', value: 'Off' };
 * ```
 */
export interface DefSwitch {
  readonly name: string;
  readonly label?: string;
  readonly value: SwitchState;
}
/**
 * `defLight`: one light member, a status lamp the client shows.
 *
 * @example
 * ```ts
 * const rain: DefLight = { name: 'RAIN', label: 'Rain', value: 'Ok' };
 * ```
 */
export interface DefLight {
  readonly name: string;
  readonly label?: string;
  readonly value: PropertyState;
}
/**
 * `defBLOB`: one BLOB member (a definition carries no data).
 *
 * @example
 * ```ts
 * const image: DefBlob = { name: 'CCD1', label: 'Image' };
 * ```
 */
export interface DefBlob {
  readonly name: string;
  readonly label?: string;
}
/**
 * `oneText`: a text value in a set or new vector.
 *
 * @example
 * ```ts
 * const object: OneText = { name: 'OBJECT_NAME', value: 'M31' };
 * ```
 */
export interface OneText {
  readonly name: string;
  readonly value: string;
}
/**
 * `oneNumber`: a number value; libindi may also move its range in a
 * `setNumberVector`.
 *
 * @example
 * ```ts
 * const temperature: OneNumber = { name: 'CCD_TEMPERATURE_VALUE', value: -10 };
 * ```
 */
export interface OneNumber {
  readonly name: string;
  readonly min?: number;
  readonly max?: number;
  readonly step?: number;
  readonly value: number;
}
/**
 * `oneSwitch`: a switch value.
 *
 * @example
 * ```ts
 * const park: OneSwitch = { name: 'PARK', value: 'On' };
 * ```
 */
export interface OneSwitch {
  readonly name: string;
  readonly value: SwitchState;
}
/**
 * `oneLight`: a light value.
 *
 * @example
 * ```ts
 * const rain: OneLight = { name: 'RAIN', value: 'Alert' };
 * ```
 */
export interface OneLight {
  readonly name: string;
  readonly value: PropertyState;
}
/**
 * `oneBLOB`: a BLOB value. `value` is the base64 text without whitespace, kept
 * as text: nothing on the forwarding path decodes it. `size` is the decoded size,
 * `enclen` (libindi) the base64 length; `attached`/`len` mark libindi's
 * shared-memory BLOBs, whose bytes travel outside the XML.
 *
 * @example
 * ```ts
 * const frame: OneBlob = { name: 'CCD1', size: 3, format: '.fits', value: encodeBlob(Buffer.from('abc')) };
 * ```
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

/**
 * `defTextVector`: a driver defines a text property (name, label, group,
 * permission) with its members' values.
 *
 * @example
 * ```ts
 * const site: DefTextVector = {
 *   type: 'defTextVector',
 *   device: 'Telescope Simulator',
 *   name: 'SITE',
 *   group: 'Site',
 *   state: 'Idle',
 *   perm: 'rw',
 *   members: [{ name: 'SITE_NAME', value: 'Backyard' }],
 * };
 * ```
 */
export interface DefTextVector extends WritableDefHeader {
  readonly type: 'defTextVector';
  readonly members: readonly DefText[];
}
/**
 * `defNumberVector`: a driver defines a number property, each member with
 * its format and range.
 *
 * @example
 * ```ts
 * const temperature: DefNumberVector = {
 *   type: 'defNumberVector',
 *   device: 'CCD Simulator',
 *   name: 'CCD_TEMPERATURE',
 *   state: 'Idle',
 *   perm: 'rw',
 *   members: [{ name: 'CCD_TEMPERATURE_VALUE', format: '%5.2f', min: -50, max: 50, step: 0, value: 20 }],
 * };
 * ```
 */
export interface DefNumberVector extends WritableDefHeader {
  readonly type: 'defNumberVector';
  readonly members: readonly DefNumber[];
}
/**
 * `defSwitchVector`: a driver defines a switch property and the `rule`
 * that relates its switches.
 *
 * @example
 * ```ts
 * const connection: DefSwitchVector = {
 *   type: 'defSwitchVector',
 *   device: 'CCD Simulator',
 *   name: 'CONNECTION',
 *   state: 'Idle',
 *   perm: 'rw',
 *   rule: 'OneOfMany',
 *   members: [
 *     { name: 'CONNECT', value: 'Off' },
 *     { name: 'DISCONNECT', value: 'On' },
 *   ],
 * };
 * ```
 */
export interface DefSwitchVector extends WritableDefHeader {
  readonly type: 'defSwitchVector';
  readonly rule: SwitchRule;
  readonly members: readonly DefSwitch[];
}
/**
 * `defLightVector`: a driver defines a read-only set of status lights
 * (lights have no permission in INDI 1.7).
 *
 * @example
 * ```ts
 * const weather: DefLightVector = {
 *   type: 'defLightVector',
 *   device: 'Weather Simulator',
 *   name: 'WEATHER_STATUS',
 *   state: 'Ok',
 *   members: [{ name: 'RAIN', value: 'Ok' }],
 * };
 * ```
 */
export interface DefLightVector extends DefVectorHeader {
  readonly type: 'defLightVector';
  readonly members: readonly DefLight[];
}
/**
 * `defBLOBVector`: a driver defines a BLOB property, such as a camera's
 * image. Clients receive its data only after `enableBLOB`.
 *
 * @example
 * ```ts
 * const image: DefBlobVector = {
 *   type: 'defBLOBVector',
 *   device: 'CCD Simulator',
 *   name: 'CCD1',
 *   state: 'Idle',
 *   perm: 'ro',
 *   members: [{ name: 'CCD1' }],
 * };
 * ```
 */
export interface DefBlobVector extends WritableDefHeader {
  readonly type: 'defBLOBVector';
  readonly members: readonly DefBlob[];
}
/**
 * `setTextVector`: a driver's new values (and optionally state) for a text
 * property it defined.
 *
 * @example
 * ```ts
 * const update: SetTextVector = {
 *   type: 'setTextVector',
 *   device: 'Telescope Simulator',
 *   name: 'SITE',
 *   members: [{ name: 'SITE_NAME', value: 'Dark site' }],
 * };
 * ```
 */
export interface SetTextVector extends SetVectorHeader {
  readonly type: 'setTextVector';
  readonly members: readonly OneText[];
}
/**
 * `setNumberVector`: a driver's new values for a number property, such as
 * the coordinates during a slew.
 *
 * @example
 * ```ts
 * const update: SetNumberVector = {
 *   type: 'setNumberVector',
 *   device: 'CCD Simulator',
 *   name: 'CCD_TEMPERATURE',
 *   state: 'Busy',
 *   members: [{ name: 'CCD_TEMPERATURE_VALUE', value: -4.5 }],
 * };
 * ```
 */
export interface SetNumberVector extends SetVectorHeader {
  readonly type: 'setNumberVector';
  readonly members: readonly OneNumber[];
}
/**
 * `setSwitchVector`: a driver's new switch values.
 *
 * @example
 * ```ts
 * const connected: SetSwitchVector = {
 *   type: 'setSwitchVector',
 *   device: 'CCD Simulator',
 *   name: 'CONNECTION',
 *   state: 'Ok',
 *   members: [
 *     { name: 'CONNECT', value: 'On' },
 *     { name: 'DISCONNECT', value: 'Off' },
 *   ],
 * };
 * ```
 */
export interface SetSwitchVector extends SetVectorHeader {
  readonly type: 'setSwitchVector';
  readonly members: readonly OneSwitch[];
}
/**
 * `setLightVector`: a driver's new light values (no timeout in INDI 1.7).
 *
 * @example
 * ```ts
 * const raining: SetLightVector = {
 *   type: 'setLightVector',
 *   device: 'Weather Simulator',
 *   name: 'WEATHER_STATUS',
 *   state: 'Alert',
 *   members: [{ name: 'RAIN', value: 'Alert' }],
 * };
 * ```
 */
export interface SetLightVector extends Omit<SetVectorHeader, 'timeout'> {
  readonly type: 'setLightVector';
  readonly members: readonly OneLight[];
}
/**
 * `setBLOBVector`: a driver sends BLOB data, such as an image; only
 * connections that enabled BLOBs for it receive it.
 *
 * @example
 * ```ts
 * const image: SetBlobVector = {
 *   type: 'setBLOBVector',
 *   device: 'CCD Simulator',
 *   name: 'CCD1',
 *   state: 'Ok',
 *   members: [{ name: 'CCD1', size: 3, format: '.fits', value: encodeBlob(Buffer.from('abc')) }],
 * };
 * ```
 */
export interface SetBlobVector extends SetVectorHeader {
  readonly type: 'setBLOBVector';
  readonly members: readonly OneBlob[];
}
/**
 * `newTextVector`: a client asks the driver to change text values.
 *
 * @example
 * ```ts
 * const rename: NewTextVector = {
 *   type: 'newTextVector',
 *   device: 'Telescope Simulator',
 *   name: 'SITE',
 *   members: [{ name: 'SITE_NAME', value: 'Dark site' }],
 * };
 * ```
 */
export interface NewTextVector extends NewVectorHeader {
  readonly type: 'newTextVector';
  readonly members: readonly OneText[];
}
/**
 * `newNumberVector`: a client asks the driver to change number values, such
 * as a target temperature.
 *
 * @example
 * ```ts
 * const cool: NewNumberVector = {
 *   type: 'newNumberVector',
 *   device: 'CCD Simulator',
 *   name: 'CCD_TEMPERATURE',
 *   members: [{ name: 'CCD_TEMPERATURE_VALUE', value: -10 }],
 * };
 * ```
 */
export interface NewNumberVector extends NewVectorHeader {
  readonly type: 'newNumberVector';
  readonly members: readonly OneNumber[];
}
/**
 * `newSwitchVector`: a client asks the driver to flip switches, such as
 * `CONNECT`.
 *
 * @example
 * ```ts
 * const connect: NewSwitchVector = {
 *   type: 'newSwitchVector',
 *   device: 'CCD Simulator',
 *   name: 'CONNECTION',
 *   members: [{ name: 'CONNECT', value: 'On' }],
 * };
 * ```
 */
export interface NewSwitchVector extends NewVectorHeader {
  readonly type: 'newSwitchVector';
  readonly members: readonly OneSwitch[];
}
/**
 * `newBLOBVector`: a client uploads BLOB data to a driver.
 *
 * @example
 * ```ts
 * const upload: NewBlobVector = {
 *   type: 'newBLOBVector',
 *   device: 'CCD Simulator',
 *   name: 'UPLOAD',
 *   members: [{ name: 'FILE', size: 3, format: '.txt', value: encodeBlob(Buffer.from('abc')) }],
 * };
 * ```
 */
export interface NewBlobVector extends NewVectorHeader {
  readonly type: 'newBLOBVector';
  readonly members: readonly OneBlob[];
}
/**
 * `getProperties`: a client asks for definitions (of every device, one device,
 * or one property); a driver sends it to snoop on another device.
 * `device='*'` (libindi) means every device.
 *
 * @example
 * ```ts
 * const everything: GetProperties = { type: 'getProperties', version: '1.7' };
 * const oneDevice: GetProperties = { type: 'getProperties', version: '1.7', device: 'CCD Simulator' };
 * ```
 */
export interface GetProperties {
  readonly type: 'getProperties';
  readonly version?: string;
  readonly device?: string;
  readonly name?: string;
}
/**
 * `message`: a human-readable line, for a device or (without one) for everyone.
 *
 * @example
 * ```ts
 * const note: Message = { type: 'message', device: 'CCD Simulator', message: 'Cooler reached -10 C' };
 * ```
 */
export interface Message {
  readonly type: 'message';
  readonly device?: string;
  readonly timestamp?: string;
  readonly message?: string;
}
/**
 * `delProperty`: one vector, or without `name` the whole device, is gone.
 *
 * @example
 * ```ts
 * const gone: DelProperty = { type: 'delProperty', device: 'CCD Simulator' };
 * ```
 */
export interface DelProperty {
  readonly type: 'delProperty';
  readonly device: string;
  readonly name?: string;
  readonly timestamp?: string;
  readonly message?: string;
}
/**
 * `enableBLOB`: the sender's BLOB policy for a device, or one of its vectors.
 *
 * @example
 * ```ts
 * const imagesOnly: EnableBlob = { type: 'enableBLOB', device: 'CCD Simulator', name: 'CCD1', mode: 'Only' };
 * ```
 */
export interface EnableBlob {
  readonly type: 'enableBLOB';
  readonly device: string;
  readonly name?: string;
  readonly mode: BlobMode;
}
/**
 * `pingRequest` (libindi 2): a driver or client waits for the matching
 * `pingReply`.
 *
 * @example
 * ```ts
 * const ping: PingRequest = { type: 'pingRequest', uid: '42' };
 * ```
 */
export interface PingRequest {
  readonly type: 'pingRequest';
  readonly uid: string;
}
/**
 * `pingReply` (libindi 2): the answer to a `pingRequest` with the same uid.
 *
 * @example
 * ```ts
 * const pong: PingReply = { type: 'pingReply', uid: '42' };
 * ```
 */
export interface PingReply {
  readonly type: 'pingReply';
  readonly uid: string;
}

/**
 * A driver's definition of a property, of any kind; {@link isDefVector} tells it apart.
 *
 * @example
 * ```ts
 * const definitions$ = client.messages$.pipe(filter(isDefVector));
 * ```
 */
export type DefVector = DefTextVector | DefNumberVector | DefSwitchVector | DefLightVector | DefBlobVector;
/**
 * A driver's new values for a property, of any kind; {@link isSetVector} tells it apart.
 *
 * @example
 * ```ts
 * const updates$ = client.messages$.pipe(filter(isSetVector));
 * ```
 */
export type SetVector = SetTextVector | SetNumberVector | SetSwitchVector | SetLightVector | SetBlobVector;
/**
 * A client's request to change a property, of any kind (lights are read-only,
 * so there is no `newLightVector`); {@link isNewVector} tells it apart.
 *
 * @example
 * ```ts
 * const requests$ = socketChannel(socket).messages$.pipe(filter(isNewVector));
 * ```
 */
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

/**
 * The XML element name of every INDI message, the union of `IndiMessage['type']`.
 *
 * @example
 * ```ts
 * const kind: IndiMessageType = 'defNumberVector';
 * ```
 */
export type IndiMessageType = IndiMessage['type'];

/**
 * The message of one element name, for narrowing by `type` in generic code.
 *
 * @example
 * ```ts
 * const update: IndiMessageOf<'setNumberVector'> = {
 *   type: 'setNumberVector',
 *   device: 'CCD Simulator',
 *   name: 'CCD_TEMPERATURE',
 *   members: [{ name: 'CCD_TEMPERATURE_VALUE', value: -10 }],
 * };
 * ```
 */
export type IndiMessageOf<T extends IndiMessageType> = Extract<IndiMessage, { type: T }>;

/**
 * Messages a driver sends towards clients: definitions, updates, deletions and
 * messages.
 *
 * @example
 * ```ts
 * const hello: DriverMessage = { type: 'message', device: 'Thermostat', message: 'Ready' };
 * ```
 */
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
 * driver.messages$.pipe(filter(isSetVector));
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
 * socketChannel(socket).messages$.pipe(filter(isNewVector));
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
