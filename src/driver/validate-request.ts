import { match } from 'ts-pattern';
import { decodeBlob } from '../protocol/blob-data.js';
import type {
  DefSwitchVector,
  DefVector,
  NewVector,
  OneBlob,
  OneNumber,
  DefNumberVector,
} from '../protocol/messages.js';
import { numberText } from '../protocol/serialize-indi.js';
import type { ReceivedBlob, VectorKind } from './vector-definition.js';
import type { VectorRequest } from './vector-request.js';

/** The outcome of {@link validateRequest}: the typed request, or why it is refused (a phrase, without the vector's name). */
export type RequestCheck =
  { readonly ok: true; readonly request: VectorRequest } | { readonly ok: false; readonly reason: string };

const kindOf: Readonly<Record<DefVector['type'] | NewVector['type'], VectorKind>> = {
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

const base64 = /^[A-Za-z0-9+/]*={0,2}$/;

function checkNumbers(def: DefNumberVector, members: readonly OneNumber[]): string | undefined {
  for (const { name, value } of members) {
    const range = def.members.find((member) => member.name === name);
    if (range === undefined) continue;
    if (Number.isNaN(value)) return `${name} is not a number (nan)`;
    if (value < range.min || value > range.max) {
      return `${name} = ${numberText(value)} is outside the range ${numberText(range.min)} to ${numberText(range.max)}`;
    }
  }
  return undefined;
}

/** INDI 1.7 switchRule, applied as libindi does: turning one switch On turns the others Off. */
function checkSwitches(def: DefSwitchVector, request: NewVector): string | undefined {
  if (def.rule === 'AnyOfMany') return undefined;
  const asked = new Map(request.members.map((member) => [member.name, member.value]));
  const turnsOneOn = [...asked.values()].includes('On');
  const on = def.members.filter(
    ({ name, value }) => (asked.get(name) ?? (turnsOneOn ? 'Off' : value)) === 'On',
  ).length;
  if (def.rule === 'OneOfMany' && on !== 1) {
    return `OneOfMany needs exactly one switch On, the request leaves ${on} On`;
  }
  if (def.rule === 'AtMostOne' && on > 1) {
    return `AtMostOne allows at most one switch On, the request leaves ${on} On`;
  }
  return undefined;
}

function decoded(blob: OneBlob): ReceivedBlob | string {
  const text = blob.value.replace(/\s+/g, '');
  if (text.length % 4 !== 0 || !base64.test(text)) return `${blob.name} data is not base64`;
  const bytes = decodeBlob(text);
  // INDI 1.7: size is the uncompressed size, so only uncompressed data can be checked against it.
  if (!blob.format.endsWith('.z') && bytes.length !== blob.size) {
    return `${blob.name} size ${blob.size} does not match its ${bytes.length} bytes of data`;
  }
  return { bytes, format: blob.format, size: blob.size };
}

/**
 * Checks a client's `new*Vector` against the vector's current definition
 * (INDI 1.7: a driver must not act on a request its property does not allow).
 * Refused: another kind of vector, a read-only vector, an unknown or repeated
 * member, a number that is NaN or outside min … max (libindi IUUpdateNumber),
 * a switch request that breaks the rule (`OneOfMany`: exactly one On after
 * the request; `AtMostOne`: at most one), BLOB data that is not base64 or
 * whose length is not its size.
 *
 * @example
 * ```ts
 * validateRequest(connectionDef, { type: 'newSwitchVector', device: 'Mount', name: 'CONNECTION', members: [{ name: 'CONNECT', value: 'Off' }] });
 * // { ok: false, reason: 'OneOfMany needs exactly one switch On, the request leaves 0 On' }
 * ```
 */
export function validateRequest(def: DefVector, request: NewVector): RequestCheck {
  const kind = kindOf[def.type];
  const refuse = (reason: string): RequestCheck => ({ ok: false, reason });
  if (kind !== kindOf[request.type])
    return refuse(`it is a ${kind} vector, not a ${kindOf[request.type]} vector`);
  if (def.type === 'defLightVector' || def.perm === 'ro') return refuse('the vector is read-only');
  const seen = new Set<string>();
  for (const { name } of request.members) {
    if (seen.has(name)) return refuse(`member ${name} is given twice`);
    if (!def.members.some((member) => member.name === name)) return refuse(`no member ${name}`);
    seen.add(name);
  }
  const values: Record<string, unknown> = {};
  const problem = match([def, request] as const)
    .with([{ type: 'defNumberVector' }, { type: 'newNumberVector' }], ([numbers, { members }]) =>
      checkNumbers(numbers, members),
    )
    .with([{ type: 'defSwitchVector' }, { type: 'newSwitchVector' }], ([switches]) =>
      checkSwitches(switches, request),
    )
    .with([{ type: 'defBLOBVector' }, { type: 'newBLOBVector' }], ([, { members }]) => {
      for (const blob of members) {
        const data = decoded(blob);
        if (typeof data === 'string') return data;
        values[blob.name] = data;
      }
      return undefined;
    })
    .otherwise(() => undefined);
  if (problem !== undefined) return refuse(problem);
  for (const member of request.members) values[member.name] ??= member.value;
  return {
    ok: true,
    request: {
      device: request.device,
      name: request.name,
      kind,
      values: values as VectorRequest['values'],
      ...(request.timestamp === undefined ? {} : { timestamp: request.timestamp }),
      message: request,
    },
  };
}
