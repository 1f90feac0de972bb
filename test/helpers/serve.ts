import { Subject, type Subscription } from 'rxjs';
import { serve, type ServeOptions, type ServerEvent } from '../../src/server/serve.js';
import { waitUntil } from './wait-until.js';

/** A running `serve` on 127.0.0.1, its events so far, and how to stop it. */
export interface Served {
  readonly port: number;
  readonly events: ServerEvent[];
  readonly stop$: Subject<void>;
  /** True once the server's Observable completed. */
  readonly isStopped: () => boolean;
}

const running: Subscription[] = [];

/** Starts `serve` with `options` on a free port of 127.0.0.1; resolves once it listens. */
export async function startServe(options: Omit<ServeOptions, 'host' | 'port' | 'stop$'>): Promise<Served> {
  const events: ServerEvent[] = [];
  const stop$ = new Subject<void>();
  let stopped = false;
  running.push(
    serve({ ...options, host: '127.0.0.1', port: 0, stop$ }).subscribe({
      next: (event) => events.push(event),
      complete: () => (stopped = true),
    }),
  );
  const port = await waitUntil('the server to listen', () => {
    const listening = events.find((event) => event.type === 'listening');
    return listening?.type === 'listening' ? listening.port : undefined;
  });
  return { port, events, stop$, isStopped: () => stopped };
}

/** Unsubscribes every server {@link startServe} started (for afterEach): each stops at once. */
export function stopServes(): void {
  for (const subscription of running.splice(0)) subscription.unsubscribe();
}
