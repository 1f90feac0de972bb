import { EMPTY, defer, ignoreElements, isObservable, type Observable } from 'rxjs';

const isPromiseLike = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';

/**
 * Handles one valid request. It may return a Promise or an Observable for
 * work that takes time; the driver waits for it, and whatever it throws,
 * rejects or errors with is reported, never fatal. Other results are ignored.
 * Give it {@link IndiDriver.handle}; name the type to write a handler apart from the driver.
 *
 * @example
 * ```ts
 * const ccd = defineDevice('CCD Simulator', { CCD_EXPOSURE: numberVector({ members: { CCD_EXPOSURE_VALUE: { min: 0, max: 3600 } } }) });
 * const camera = indiDriver([ccd]);
 * const expose = (seconds: number) => new Promise((done) => setTimeout(done, seconds * 1000));
 * const onExposure: RequestHandler<VectorRequest<typeof ccd.vectors.CCD_EXPOSURE>> = async ({ values }) => {
 *   camera.set('CCD Simulator', 'CCD_EXPOSURE', values, { state: 'Busy' });
 *   await expose(values.CCD_EXPOSURE_VALUE ?? 1); // a rejection turns into a message to clients
 *   camera.set('CCD Simulator', 'CCD_EXPOSURE', { CCD_EXPOSURE_VALUE: 0 }, { state: 'Ok' });
 * };
 * camera.handle('CCD Simulator', 'CCD_EXPOSURE', onExposure);
 * ```
 */
export type RequestHandler<R> = (request: R) => unknown;

/**
 * A handler's work for one request as an Observable that completes when the
 * work is done (at once, when the Promise settles, or when the Observable
 * completes) and errors with whatever the handler threw, rejected or errored
 * with, so that the caller decides what a failure means.
 *
 * @example
 * ```ts
 * runHandler(handler, request).pipe(catchError((error) => report(error)));
 * ```
 */
export function runHandler<R>(handler: RequestHandler<R>, request: R): Observable<never> {
  return defer(() => {
    const result = handler(request);
    return isObservable(result) || isPromiseLike(result) ? result : EMPTY;
  }).pipe(ignoreElements());
}
