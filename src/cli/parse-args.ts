/** What the command line asks for. */
export interface CliOptions {
  readonly port: number;
  readonly host: string;
  readonly restarts: number;
  readonly maxQueueMB: number;
  readonly maxStreamMB: number;
  readonly maxConnections: number;
  /** Undefined: no limit per address beyond `maxConnections`. */
  readonly maxConnectionsPerAddress: number | undefined;
  readonly maxMessageMB: number;
  readonly maxTagKB: number;
  readonly maxDevices: number;
  readonly maxProperties: number;
  readonly verbosity: number;
  readonly fifo: string | undefined;
  readonly logDir: string | undefined;
  readonly examples: boolean;
  readonly remotes: readonly RemoteAddress[];
  readonly drivers: readonly string[];
}

/** A server to link to: indiserver's `[device]@host[:port]`, or `--remote host[:port]`. */
export interface RemoteAddress {
  readonly device: string | undefined;
  readonly host: string;
  readonly port: number;
}

/**
 * Reads `[device]@host[:port]` (indiserver's remote driver) or, with
 * `all`, `host[:port]`; the port defaults to 7624.
 *
 * @example
 * ```ts
 * parseRemote('Telescope Simulator@observatory:7625'); // { device: 'Telescope Simulator', host: 'observatory', port: 7625 }
 * ```
 */
export function parseRemote(text: string): RemoteAddress {
  const at = text.lastIndexOf('@');
  const device = at > 0 ? text.slice(0, at) : undefined;
  const address = text.slice(at + 1);
  const match = /^([^:]+)(?::(\d+))?$/.exec(address);
  if (!match?.[1]) throw new UsageError(`bad remote '${text}': expected [device]@host[:port] or host[:port]`);
  const port = match[2] === undefined ? 7624 : integer('port', match[2], 1, 65_535);
  return { device, host: match[1], port };
}

/** The command line could not be understood; `message` says what to fix. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The usage text, laid out like indiserver's, plus rxindi's own options. */
export function usage(program: string): string {
  return `Usage: ${program} [options] driver [driver ...]
Purpose: server for local and remote INDI drivers (rxindi, a drop-in for indiserver)
Protocol 1.7.
Options:
 -l d     : log driver messages to <d>/YYYY-MM-DD.islog
 -m m     : kill client if gets more than this many MB behind, default 128
 -d m     : drop streaming blobs if client gets more than this many MB behind, default 5. 0 to disable
 -u path  : accepted for compatibility; rxindi has no local (unix) socket
 -p p     : alternate IP port, default 7624
 -r r     : maximum driver restarts on error, default 10
 -f path  : Path to fifo for dynamic startup and shutdown of drivers.
 -v       : show key events, no traffic
 -vv      : -v + key message content
 -vvv     : -vv + complete xml
 --host h : interface to listen on, default localhost; 0.0.0.0 exposes your instruments to the whole network
 --max-connections n : clients at once, default 10
 --max-connections-per-address n : clients at once from one IP address, default no limit of its own
 --max-message-mb n : largest INDI element (a BLOB included) any connection may send, default 512;
                      a connection that sends a larger one is closed
 --max-tag-kb n : longest tag (all attributes of one element), default 1024
 --max-devices n : devices one driver or remote may define, default 1000
 --max-properties n : properties one driver or remote may define in all, default 20000
 --remote host[:port] : link to another INDI server and serve all its devices (repeatable)
 --examples : serve rxindi's built-in example devices (what npm start does)
 -h, --help : this text
driver    : executable or [device]@host[:port]
`;
}

const valueFlags: Readonly<Record<string, string>> = {
  l: '-l requires log directory',
  m: '-m requires max MB behind',
  d: '-d requires max stream MB behind',
  u: '-u requires local socket path',
  p: '-p requires port value',
  r: '-r requires number of restarts',
  f: '-f requires fifo node',
};

/** rxindi's long options that take a whole number, with the largest each accepts. */
const numberOptions: Readonly<Record<string, number>> = {
  '--max-connections': 100_000,
  '--max-connections-per-address': 100_000,
  '--max-message-mb': 4096,
  '--max-tag-kb': 1024 * 1024,
  '--max-devices': 1_000_000,
  '--max-properties': 10_000_000,
};

function integer(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag} needs a whole number from ${min} to ${max}, not '${text}'`);
  }
  return value;
}

/**
 * Reads indiserver's command line: single-letter flags that combine (`-vvv`,
 * `-vp 7625`, the value in the next argument), drivers after the first
 * argument that is not a flag; plus rxindi's long options.
 *
 * @example
 * ```ts
 * parseArgs(['-v', '-p', '7625', 'indi_simulator_telescope']).port; // 7625
 * ```
 */
export function parseArgs(argv: readonly string[]): CliOptions | 'help' {
  const values = new Map<string, string>();
  let verbosity = 0;
  let host = 'localhost';
  const numbers = new Map<string, number>();
  let examples = false;
  const remotes: RemoteAddress[] = [];
  let at = 0;
  for (; at < argv.length; at++) {
    const arg = argv[at] ?? '';
    if (!arg.startsWith('-')) break;
    if (arg === '-h' || arg === '--help') return 'help';
    if (arg === '--examples') {
      examples = true;
      continue;
    }
    if (arg === '--host' || arg === '--remote' || arg in numberOptions) {
      const value = argv[++at];
      if (value === undefined) throw new UsageError(`${arg} requires a value`);
      if (arg === '--host') host = value;
      else if (arg === '--remote') remotes.push(parseRemote(`@${value}`));
      else numbers.set(arg, integer(arg, value, 1, numberOptions[arg] ?? 1));
      continue;
    }
    if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    for (const flag of arg.slice(1)) {
      if (flag === 'v') {
        verbosity += 1;
        continue;
      }
      const missing = valueFlags[flag];
      if (missing === undefined) throw new UsageError(`unknown option -${flag}`);
      const value = argv[++at];
      if (value === undefined) throw new UsageError(missing);
      values.set(flag, value);
    }
  }
  const number = (flag: string, fallback: number, max: number): number => {
    const text = values.get(flag);
    return text === undefined ? fallback : integer(`-${flag}`, text, 0, max);
  };
  const drivers = argv.slice(at).filter((driver) => !driver.includes('@'));
  remotes.push(
    ...argv
      .slice(at)
      .filter((driver) => driver.includes('@'))
      .map(parseRemote),
  );
  const fifo = values.get('f');
  if (drivers.length === 0 && remotes.length === 0 && fifo === undefined && !examples) {
    throw new UsageError('no drivers: name at least one driver, or use -f or --examples');
  }
  return {
    port: number('p', 7624, 65_535),
    host,
    restarts: number('r', 10, 1_000_000),
    maxQueueMB: number('m', 128, 1_000_000),
    maxStreamMB: number('d', 5, 1_000_000),
    maxConnections: numbers.get('--max-connections') ?? 10,
    maxConnectionsPerAddress: numbers.get('--max-connections-per-address'),
    maxMessageMB: numbers.get('--max-message-mb') ?? 512,
    maxTagKB: numbers.get('--max-tag-kb') ?? 1024,
    maxDevices: numbers.get('--max-devices') ?? 1000,
    maxProperties: numbers.get('--max-properties') ?? 20_000,
    verbosity,
    fifo,
    logDir: values.get('l'),
    examples,
    remotes,
    drivers,
  };
}
