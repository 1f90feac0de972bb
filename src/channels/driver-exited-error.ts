/**
 * A driver process ended (or could not start). Carries what a person needs to
 * act: the driver, its exit code or signal, and its last words on stderr.
 *
 * @example
 * ```ts
 * driver.messages$.subscribe({ error: (e) => e instanceof DriverExitedError && console.log(e.code, e.signal) });
 * ```
 */
export class DriverExitedError extends Error {
  override readonly name = 'DriverExitedError';
  readonly driver: string;
  readonly code: number | undefined;
  readonly signal: string | undefined;

  constructor(driver: string, code: number | undefined, signal: string | undefined, detail?: string) {
    const how = signal !== undefined ? `was killed by ${signal}` : `exited with code ${code ?? 'unknown'}`;
    super(`driver ${driver} ${how}${detail === undefined ? '' : `: ${detail}`}`);
    this.driver = driver;
    this.code = code;
    this.signal = signal;
  }
}

/**
 * A driver command that is neither a path to an executable nor a program on PATH.
 *
 * @example
 * ```ts
 * new DriverNotFoundError('indi_simulator_telscope'); // "driver indi_simulator_telscope not found …"
 * ```
 */
export class DriverNotFoundError extends Error {
  override readonly name = 'DriverNotFoundError';
  readonly driver: string;

  constructor(driver: string) {
    super(
      `driver ${driver} not found: it is not an executable path nor a program on PATH (is indi-bin or the driver package installed?)`,
    );
    this.driver = driver;
  }
}
