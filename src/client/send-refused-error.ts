import type { RequestRefusal, RequestRule } from '../protocol/check-new-vector.js';

/**
 * Why a client refused to send: a rule of {@link checkNewVector}, or 'notDefined' for a vector the server has not defined on this connection.
 *
 * @example
 * ```ts
 * try {
 *   client.setSwitch('Telescope Simulator', 'CONNECTION', { CONNECT: 'On' });
 * } catch (error) {
 *   if (error instanceof SendRefusedError && error.rule === 'notDefined') client.getProperties(error.device);
 * }
 * ```
 */
export type SendRule = RequestRule | 'notDefined';

/**
 * A client refused to send a request, because the vector as the server
 * defined it would refuse it (or is not defined on this connection at all).
 * Nothing was sent. It names the device, the vector, the member at fault (if
 * one is) and the rule.
 *
 * @example
 * ```ts
 * try {
 *   client.setNumber('Telescope Simulator', 'EQUATORIAL_EOD_COORD', { DEC: 200 });
 * } catch (error) {
 *   if (error instanceof SendRefusedError) console.error(error.message, error.rule); // … 'outOfRange'
 * }
 * ```
 */
export class SendRefusedError extends Error {
  override readonly name = 'SendRefusedError';
  readonly device: string;
  readonly vector: string;
  readonly member: string | undefined;
  readonly rule: SendRule;

  constructor(device: string, vector: string, refusal: RequestRefusal | { readonly rule: 'notDefined' }) {
    const reason =
      refusal.rule === 'notDefined'
        ? 'the server has not defined it on this connection (check the spelling, call getProperties and wait for the definition, or the link is down)'
        : refusal.reason;
    super(`${device}.${vector} not sent: ${reason}`);
    this.device = device;
    this.vector = vector;
    this.member = refusal.rule === 'notDefined' ? undefined : refusal.member;
    this.rule = refusal.rule;
  }
}
