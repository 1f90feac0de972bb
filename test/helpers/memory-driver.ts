import { Subject, share } from 'rxjs';
import type { Channel } from '../../src/channels/channel.js';
import type { DefNumberVector, IndiMessage, SetNumberVector } from '../../src/protocol/messages.js';

/** An in-process driver channel for server tests, driven by the test. */
export interface MemoryDriver {
  readonly channel: Channel;
  /** Everything the server sent this driver, in order. */
  readonly received: IndiMessage[];
  /** Sends a message from the driver to the server. */
  emit(message: IndiMessage): void;
  /** Ends the driver's messages (as if the process exited cleanly). */
  end(): void;
}

/** One number vector, `VALUE` inside, for a device: what {@link memoryDriver} defines. */
export function numberDef(device: string, name: string, value = 0): DefNumberVector {
  return {
    type: 'defNumberVector',
    device,
    name,
    state: 'Idle',
    perm: 'rw',
    members: [{ name: 'VALUE', format: '%g', min: 0, max: 1e9, step: 0, value }],
  };
}

/** A `setNumberVector` of {@link numberDef}'s vector. */
export function numberSet(device: string, name: string, value: number): SetNumberVector {
  return { type: 'setNumberVector', device, name, state: 'Ok', members: [{ name: 'VALUE', value }] };
}

/**
 * A driver in the test process: answers every `getProperties` (for all
 * devices or its own) with `defs()`, and records what it receives.
 */
export function memoryDriver(id: string, defs: () => readonly IndiMessage[]): MemoryDriver {
  const out = new Subject<IndiMessage>();
  const received: IndiMessage[] = [];
  let markClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (markClosed = resolve));
  const events$ = new Subject<never>();
  const channel: Channel = {
    id,
    kind: 'driver',
    messages$: out.pipe(share()),
    sink: {
      next: (message) => {
        received.push(message);
        if (message.type === 'getProperties') {
          const answer = defs().filter(
            (def) =>
              message.device === undefined ||
              message.device === '*' ||
              ('device' in def && def.device === message.device),
          );
          // Answer asynchronously, as a real driver does.
          queueMicrotask(() => {
            for (const def of answer) out.next(def);
          });
        }
      },
      error: () => undefined,
      complete: () => {
        out.complete();
        events$.complete();
        markClosed();
      },
    },
    events$,
    closed,
  };
  return {
    channel,
    received,
    emit: (message) => out.next(message),
    end: () => {
      out.complete();
      events$.complete();
      markClosed();
    },
  };
}
