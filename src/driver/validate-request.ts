import { checkNewVector, vectorKind, type RequestRefusal } from '../protocol/check-new-vector.js';
import type { DefVector, NewVector } from '../protocol/messages.js';
import { decodeBlob } from '../protocol/blob-data.js';
import type { ReceivedBlob } from './vector-definition.js';
import type { VectorRequest } from './vector-request.js';

/**
 * The outcome of {@link validateRequest}: the typed request, or why it is refused (the rule, the member, a phrase without the vector's name).
 *
 * @example
 * ```ts
 * const onRequest = (def: DefVector, request: NewVector) => {
 *   const check: RequestCheck = validateRequest(def, request);
 *   if (check.ok) console.log(check.request.values);
 * };
 * ```
 */
export type RequestCheck =
  { readonly ok: true; readonly request: VectorRequest } | ({ readonly ok: false } & RequestRefusal);

/**
 * Checks a client's `new*Vector` against the vector's current definition
 * ({@link checkNewVector}: the same rules a client applies before sending) and
 * turns an accepted one into a typed {@link VectorRequest}, BLOBs decoded.
 *
 * @example
 * ```ts
 * const connection: DefSwitchVector = {
 *   type: 'defSwitchVector', device: 'Telescope Simulator', name: 'CONNECTION', state: 'Idle', perm: 'rw', rule: 'OneOfMany',
 *   members: [{ name: 'CONNECT', value: 'Off' }, { name: 'DISCONNECT', value: 'On' }],
 * };
 * validateRequest(connection, { type: 'newSwitchVector', device: 'Telescope Simulator', name: 'CONNECTION', members: [{ name: 'CONNECT', value: 'Off' }] });
 * // { ok: false, rule: 'switchRule', reason: 'OneOfMany needs exactly one switch On, the request leaves 0 On' }
 * ```
 */
export function validateRequest(def: DefVector, request: NewVector): RequestCheck {
  const checked = checkNewVector(def, request);
  if (!checked.ok) return checked;
  // BLOBs are decoded here, once accepted: the checks only needed their length.
  const entries: [string, unknown][] =
    request.type === 'newBLOBVector'
      ? request.members.map(({ name, value, format, size }) => [
          name,
          { bytes: decodeBlob(value), format, size } satisfies ReceivedBlob,
        ])
      : request.members.map(({ name, value }) => [name, value]);
  const values: Record<string, unknown> = Object.fromEntries(entries);
  return {
    ok: true,
    request: {
      device: request.device,
      name: request.name,
      kind: vectorKind(def),
      values: values as VectorRequest['values'],
      ...(request.timestamp === undefined ? {} : { timestamp: request.timestamp }),
      message: request,
    },
  };
}
