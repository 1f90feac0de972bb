import { match } from 'ts-pattern';
import type {
  DefNumberVector,
  DefSwitchVector,
  DefVector,
  NewVector,
  OneBlob,
  OneNumber,
} from './messages.js';
import { numberText } from './serialize-indi.js';

/**
 * 'text' | 'number' | 'switch' | 'light' | 'blob': the kind of a vector, whatever the element.
 *
 * @example
 * ```ts
 * const kindOf = (def: DefVector): IndiVectorKind => vectorKind(def); // 'number' for a defNumberVector
 * ```
 */
export type IndiVectorKind = 'text' | 'number' | 'switch' | 'light' | 'blob';

/**
 * Which rule a `new*Vector` broke (see {@link checkNewVector}).
 *
 * @example
 * ```ts
 * const report = (checked: NewVectorCheck) => {
 *   if (!checked.ok && checked.rule === 'outOfRange') console.error(`${checked.member} is out of range`);
 * };
 * ```
 */
export type RequestRule =
  | 'kind'
  | 'readOnly'
  | 'unknownMember'
  | 'repeatedMember'
  | 'notANumber'
  | 'outOfRange'
  | 'switchRule'
  | 'blobData'
  | 'blobSize';

/**
 * Why a `new*Vector` is refused: the rule, the member at fault (if one is), and a phrase without the vector's name.
 *
 * @example
 * ```ts
 * const refusal: RequestRefusal = { rule: 'unknownMember', member: 'AZ', reason: 'no member AZ' };
 * ```
 */
export interface RequestRefusal {
  readonly rule: RequestRule;
  readonly member?: string;
  readonly reason: string;
}

/**
 * The outcome of {@link checkNewVector}: accepted, or refused and why.
 *
 * @example
 * ```ts
 * const refuseBadRequests = (def: DefVector, request: NewVector) => {
 *   const checked: NewVectorCheck = checkNewVector(def, request);
 *   if (!checked.ok) console.error(`${request.device}.${request.name} refused: ${checked.reason}`);
 * };
 * ```
 */
export type NewVectorCheck =
  | { readonly ok: true }
  | ({ readonly ok: false } & RequestRefusal);

const kinds: Readonly<Record<DefVector['type'] | NewVector['type'], IndiVectorKind>> = {
  defTextVector: 'text',
  defNumberVector: 'number',
  defSwitchVector: 'switch',
  defLightVector: 'light',
  defBLOBVector: 'blob',
  newTextVector: 'text',
  newNumberVector: 'number',
  newSwitchVector: 'switch',
  newBLOBVector: 'blob',
};

/**
 * The kind of vector a definition or a request is about.
 *
 * @example
 * ```ts
 * vectorKind({ type: 'newSwitchVector', device: 'Mount', name: 'CONNECTION', members: [] }); // 'switch'
 * ```
 */
export function vectorKind(message: DefVector | NewVector): IndiVectorKind {
  return kinds[message.type];
}

const base64 = /^[A-Za-z0-9+/]*={0,2}$/;
type Problem = RequestRefusal | undefined;

/** libindi IUUpdateNumber: a value outside min … max is refused. */
function checkNumbers(def: DefNumberVector, members: readonly OneNumber[]): Problem {
  for (const { name, value } of members) {
    const range = def.members.find((member) => member.name === name);
    if (range === undefined) continue;
    if (Number.isNaN(value))
      return { rule: 'notANumber', member: name, reason: `${name} is not a number (nan)` };
    if (value < range.min || value > range.max) {
      const reason = `${name} = ${numberText(value)} is outside the range ${numberText(range.min)} to ${numberText(range.max)}`;
      return { rule: 'outOfRange', member: name, reason };
    }
  }
  return undefined;
}

/** INDI 1.7 switchRule, applied as libindi does: turning one switch On turns the others Off. */
function checkSwitches(def: DefSwitchVector, request: NewVector): Problem {
  if (def.rule === 'AnyOfMany') return undefined;
  const asked = new Map(request.members.map((member) => [member.name, member.value]));
  const turnsOneOn = [...asked.values()].includes('On');
  const on = def.members.filter(
    ({ name, value }) => (asked.get(name) ?? (turnsOneOn ? 'Off' : value)) === 'On',
  ).length;
  if (def.rule === 'OneOfMany' && on !== 1) {
    return {
      rule: 'switchRule',
      reason: `OneOfMany needs exactly one switch On, the request leaves ${on} On`,
    };
  }
  if (def.rule === 'AtMostOne' && on > 1) {
    return {
      rule: 'switchRule',
      reason: `AtMostOne allows at most one switch On, the request leaves ${on} On`,
    };
  }
  return undefined;
}

/** BLOB data that is not base64, or whose byte count (known without decoding it) is not its size. */
function checkBlobs(members: readonly OneBlob[]): Problem {
  for (const blob of members) {
    const text = blob.value.replace(/\s+/g, '');
    if (text.length % 4 !== 0 || !base64.test(text))
      return { rule: 'blobData', member: blob.name, reason: `${blob.name} data is not base64` };
    const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
    const length = (text.length / 4) * 3 - padding;
    // INDI 1.7: size is the uncompressed size, so only uncompressed data can be checked against it.
    if (!blob.format.endsWith('.z') && length !== blob.size) {
      const reason = `${blob.name} size ${blob.size} does not match its ${length} bytes of data`;
      return { rule: 'blobSize', member: blob.name, reason };
    }
  }
  return undefined;
}

/**
 * Checks a `new*Vector` against the vector's current definition, with the
 * rules a driver applies before acting (INDI 1.7: a driver must not act on a
 * request its property does not allow). Refused: another kind of vector, a
 * read-only vector, an unknown or repeated member, a number that is NaN or
 * outside min … max (libindi IUUpdateNumber), a switch request that breaks
 * the rule (`OneOfMany`: exactly one On after the request; `AtMostOne`: at
 * most one), BLOB data that is not base64 or whose length is not its size.
 * Drivers use it on what clients send, clients on what they are about to send.
 *
 * @example
 * ```ts
 * const connection: DefSwitchVector = {
 *   type: 'defSwitchVector', device: 'Telescope Simulator', name: 'CONNECTION', state: 'Idle', perm: 'rw', rule: 'OneOfMany',
 *   members: [{ name: 'CONNECT', value: 'Off' }, { name: 'DISCONNECT', value: 'On' }],
 * };
 * checkNewVector(connection, { type: 'newSwitchVector', device: 'Telescope Simulator', name: 'CONNECTION', members: [{ name: 'CONNECT', value: 'Off' }] });
 * // { ok: false, rule: 'switchRule', reason: 'OneOfMany needs exactly one switch On, the request leaves 0 On' }
 * ```
 */
export function checkNewVector(def: DefVector, request: NewVector): NewVectorCheck {
  const refuse = (problem: RequestRefusal): NewVectorCheck => ({ ok: false, ...problem });
  const kind = vectorKind(def);
  if (kind !== vectorKind(request))
    return refuse({ rule: 'kind', reason: `it is a ${kind} vector, not a ${vectorKind(request)} vector` });
  if (def.type === 'defLightVector' || def.perm === 'ro')
    return refuse({ rule: 'readOnly', reason: 'the vector is read-only' });
  const seen = new Set<string>();
  for (const { name } of request.members) {
    if (seen.has(name))
      return refuse({ rule: 'repeatedMember', member: name, reason: `member ${name} is given twice` });
    if (!def.members.some((member) => member.name === name))
      return refuse({ rule: 'unknownMember', member: name, reason: `no member ${name}` });
    seen.add(name);
  }
  const problem = match([def, request] as const)
    .returnType<Problem>()
    .with([{ type: 'defNumberVector' }, { type: 'newNumberVector' }], ([numbers, { members }]) =>
      checkNumbers(numbers, members),
    )
    .with([{ type: 'defSwitchVector' }, { type: 'newSwitchVector' }], ([switches]) =>
      checkSwitches(switches, request),
    )
    .with([{ type: 'defBLOBVector' }, { type: 'newBLOBVector' }], ([, { members }]) => checkBlobs(members))
    .otherwise(() => undefined);
  return problem === undefined ? { ok: true } : refuse(problem);
}
