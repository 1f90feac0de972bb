import { closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

/**
 * Both ends of a driver's stdin and stdout, as real pipes: what
 * {@link openDriverPipes} returns.
 *
 * @example
 * ```ts
 * import { spawn } from 'node:child_process';
 * const pipes: DriverPipes = openDriverPipes();
 * const child = spawn('indi_simulator_ccd', { stdio: [pipes.childStdin, pipes.childStdout, 'inherit'] });
 * pipes.releaseChildEnds();
 * ```
 */
export interface DriverPipes {
  /** File descriptors to hand to the child as its stdin and stdout. */
  readonly childStdin: number;
  readonly childStdout: number;
  /** Our end of the driver's stdin: write INDI to it. */
  readonly toDriver: Socket;
  /** Our end of the driver's stdout, non-blocking: read it with {@link pipeBytes}, which closes it. */
  readonly fromDriver: number;
  /** Closes the child's descriptors in this process (call once it has started). */
  releaseChildEnds(): void;
}

/** Linux's F_SETPIPE_SZ, and the size asked for (an unprivileged process may go up to /proc/sys/fs/pipe-max-size, 1 MiB by default). */
const setPipeSize = 1031;
const pipeSize = 1024 * 1024;

/**
 * Gives both FIFOs 1 MiB of buffer instead of Linux's 64 KiB, so that a
 * driver writes a 1.4 MB image in two turns instead of twenty-two (each one
 * a wake-up of the driver and of the server). Node has no fcntl; perl
 * (Essential in Debian, so always there) does it while our ends keep the
 * pipes open. Where perl is missing or refuses, the pipes keep their size.
 */
function enlargePipes(...paths: string[]): void {
  try {
    execFileSync(
      'perl',
      ['-e', `for (@ARGV) { open(PIPE, '+<', $_) and fcntl(PIPE, ${setPipeSize}, ${pipeSize}) }`, ...paths],
      { stdio: 'ignore', timeout: 2000 },
    );
  } catch {
    // A smaller pipe is slower, not wrong.
  }
}

/**
 * Opens a FIFO pair for a driver's stdin and stdout.
 *
 * Why not Node's default child stdio: it is a Unix socketpair, and libindi
 * drivers that find a Unix socket on stdout send BLOBs as `attached='true'`
 * with the image passed as a file descriptor (SCM_RIGHTS), which Node cannot
 * receive: the image is lost. With FIFOs they send BLOBs inline as base64.
 *
 * The child's ends are opened blocking (libindi expects blocking stdio), ours
 * non-blocking and wrapped in sockets so libuv reads and writes them
 * asynchronously. The FIFO files are removed at once; the descriptors remain.
 * Both pipes hold 1 MiB where Linux allows it (see `enlargePipes`).
 *
 * @example
 * ```ts
 * import { spawn } from 'node:child_process';
 * const pipes = openDriverPipes();
 * spawn('indi_simulator_ccd', [], { stdio: [pipes.childStdin, pipes.childStdout, 'inherit'] })
 *   .once('spawn', () => pipes.releaseChildEnds());
 * pipeBytes(pipes.fromDriver).subscribe((chunk) => process.stdout.write(Buffer.from(chunk)));
 * ```
 */
export function openDriverPipes(): DriverPipes {
  const dir = mkdtempSync(join(tmpdir(), 'rxindi-'));
  try {
    const stdinPath = join(dir, 'stdin');
    const stdoutPath = join(dir, 'stdout');
    execFileSync('mkfifo', [stdinPath, stdoutPath]);
    // stdout: our read end first (non-blocking open succeeds without a writer),
    // then the child's blocking write end, which now finds a reader.
    const ourStdout = openSync(stdoutPath, constants.O_RDONLY | constants.O_NONBLOCK);
    const childStdout = openSync(stdoutPath, constants.O_WRONLY);
    // stdin: a read-write placeholder lets the child's blocking read end open
    // at once; then our non-blocking write end; then the placeholder goes, so
    // the child sees end-of-file when we close our end.
    const placeholder = openSync(stdinPath, constants.O_RDWR);
    const childStdin = openSync(stdinPath, constants.O_RDONLY);
    const ourStdin = openSync(stdinPath, constants.O_WRONLY | constants.O_NONBLOCK);
    enlargePipes(stdinPath, stdoutPath);
    closeSync(placeholder);
    return {
      childStdin,
      childStdout,
      toDriver: new Socket({ fd: ourStdin, readable: false, writable: true }),
      fromDriver: ourStdout,
      releaseChildEnds: () => {
        closeSync(childStdin);
        closeSync(childStdout);
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
