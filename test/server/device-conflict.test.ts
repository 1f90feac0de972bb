import { Subject, filter, firstValueFrom, map, merge, of, share, timer } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { serve, type ServerEvent } from '../../src/server/serve.js';
import { memoryDriver, numberDef } from '../helpers/memory-driver.js';

describe('two channels defining the same device', () => {
  it('serves the first and reports the second once, naming both', async () => {
    const first = memoryDriver('first scope', () => [numberDef('Scope', 'POSITION', 1)]);
    const second = memoryDriver('second scope', () => [numberDef('Scope', 'POSITION', 2)]);
    const stop$ = new Subject<void>();
    const events$ = serve({
      listen: false,
      channels$: merge(of(first.channel), timer(20).pipe(map(() => second.channel))),
      stop$,
    }).pipe(share());
    const conflict = firstValueFrom(
      events$.pipe(
        filter(
          (event): event is Extract<ServerEvent, { type: 'deviceConflict' }> =>
            event.type === 'deviceConflict',
        ),
      ),
    );
    const seen: ServerEvent[] = [];
    events$.subscribe((event) => seen.push(event));
    first.emit(numberDef('Scope', 'POSITION', 1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    second.emit(numberDef('Scope', 'POSITION', 2));
    second.emit(numberDef('Scope', 'POSITION', 3));
    expect(await conflict).toEqual({
      type: 'deviceConflict',
      device: 'Scope',
      channel: 'second scope',
      owner: 'first scope',
    });
    stop$.next();
    expect(seen.filter((event) => event.type === 'deviceConflict')).toHaveLength(1);
  });
});
