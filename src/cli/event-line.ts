import { match } from 'ts-pattern';
import type { IndiMessage } from '../protocol/messages.js';
import { serializeIndi } from '../protocol/serialize-indi.js';
import type { ServerEvent } from '../server/serve.js';

function summary(message: IndiMessage): string {
  const device = 'device' in message ? (message.device ?? '') : '';
  const name = 'name' in message ? (message.name ?? '') : '';
  return `<${message.type} device='${device}' name='${name}'>`;
}

/**
 * A server event as an indiserver-style log line (without the timestamp),
 * or undefined when `verbosity` (the number of `-v`) hides it. Problems are
 * shown at every verbosity; connections from -v; message summaries from
 * -vv; complete XML at -vvv.
 *
 * @example
 * ```ts
 * eventLine({ type: 'stderr', channel: 'indi_simulator_ccd', line: 'hello' }, 0); // 'Driver indi_simulator_ccd: hello'
 * ```
 */
export function eventLine(event: ServerEvent, verbosity: number): string | undefined {
  const quiet = (line: string, level: number): string | undefined => (verbosity >= level ? line : undefined);
  return match(event)
    .with({ type: 'stderr' }, ({ channel, line }) => `Driver ${channel}: ${line}`)
    .with(
      { type: 'protocolError' },
      ({ channel, error }) => `${channel}: skipped bad INDI input: ${error.message}`,
    )
    .with({ type: 'driverExited' }, ({ channel, error, restartIn }) =>
      restartIn === undefined
        ? `Driver ${channel}: ${error.message}; not restarting it again (raise the limit with -r)`
        : `Driver ${channel}: ${error.message}; restarting in ${restartIn} ms`,
    )
    .with(
      { type: 'queueOverflow' },
      ({ channel, queuedBytes }) =>
        `Client ${channel}: ${queuedBytes} bytes behind, shutting down (limit: -m)`,
    )
    .with(
      { type: 'blobDropped' },
      ({ channel, device, name, queuedBytes }) =>
        `Client ${channel}: ${queuedBytes} bytes behind. Dropping BLOB ${device}.${name} for this client (limits: -m, -d)`,
    )
    .with(
      { type: 'deviceConflict' },
      ({ device, channel, owner }) =>
        `${channel}: defines device '${device}', which ${owner} already serves; ignoring it from ${channel} (rename one of the devices)`,
    )
    .with({ type: 'definitionRefused' }, ({ channel, limit, max, device, name }) =>
      limit === 'devices'
        ? `${channel}: defines more than ${max} devices; not serving '${device}' or any further device (raise --max-devices if that is expected)`
        : `${channel}: defines more than ${max} properties; not serving ${device}.${name} or any further property (raise --max-properties if that is expected)`,
    )
    .with({ type: 'backlog' }, ({ channel, behind }) =>
      quiet(
        behind
          ? `Client ${channel}: behind; its messages wait, newer values replace older ones`
          : `Client ${channel}: caught up`,
        2,
      ),
    )
    .with({ type: 'refused' }, ({ address, reason }) => `Client ${address}: refused: ${reason}`)
    .with({ type: 'disconnected' }, ({ channel, kind, error }) =>
      error === undefined
        ? quiet(`${kind === 'client' ? 'Client' : 'Driver'} ${channel}: shut down complete - bye!`, 1)
        : `${kind === 'client' ? 'Client' : 'Driver'} ${channel}: closed: ${error.message}`,
    )
    .with({ type: 'listening' }, ({ host, port }) => quiet(`listening to port ${port} on ${host}`, 1))
    .with({ type: 'connected' }, ({ channel, kind }) =>
      kind === 'client' ? quiet(`Client ${channel}: new arrival - welcome!`, 1) : undefined,
    )
    .with({ type: 'linkUp' }, ({ channel }) => quiet(`Remote ${channel}: connected`, 1))
    .with(
      { type: 'linkDown' },
      ({ channel, error, retryIn }) =>
        `Remote ${channel}: ${error.message}; its devices are gone until it is back; retrying in ${retryIn} ms`,
    )
    .with({ type: 'driverStarted' }, ({ channel, pid }) => quiet(`Driver ${channel}: pid=${pid ?? '?'}`, 1))
    .with({ type: 'traffic' }, ({ channel, direction, message }) => {
      if (verbosity < 2) return undefined;
      const verb = direction === 'in' ? 'read' : 'queuing';
      return verbosity >= 3
        ? `${channel}: ${verb}\n${serializeIndi(message)}`
        : `${channel}: ${verb} ${summary(message)}`;
    })
    .exhaustive();
}
