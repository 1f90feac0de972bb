#!/usr/bin/env node
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findExecutable } from '../channels/find-executable.js';
import { indiTimestamp } from '../protocol/timestamp.js';
import { IndiServer } from '../server/indi-server.js';
import { eventLine } from './event-line.js';
import { exampleDevices } from './example-devices.js';
import { fifoLines, parseFifoCommand, type FifoCommand } from './fifo-commands.js';
import { parseArgs, usage, UsageError, type CliOptions } from './parse-args.js';

const program = 'rxindi';
const log = (line: string): void => {
  process.stderr.write(`${indiTimestamp()}: ${line}\n`);
};

function readOptions(): CliOptions {
  try {
    const parsed = parseArgs(process.argv.slice(2));
    if (parsed === 'help') {
      process.stdout.write(usage(program));
      process.exit(0);
    }
    return parsed;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${program}: ${error.message}\n\n${usage(program)}`);
    process.exit(2);
  }
}

function checkDrivers(drivers: readonly string[]): void {
  for (const driver of drivers) {
    if (findExecutable(driver) === undefined) {
      log(
        `Driver ${driver}: not found: it is not an executable path nor a program on PATH (is the driver package installed?)`,
      );
      log('good bye');
      process.exit(1);
    }
  }
}

function followFifo(server: IndiServer, path: string): void {
  const running = new Map<string, string[]>();
  const apply = (command: FifoCommand): void => {
    if (command.action === 'start') {
      const env = Object.fromEntries(
        [
          ['INDIDEV', command.name],
          ['INDICONFIG', command.config],
          ['INDISKEL', command.skeleton],
          ['INDIPREFIX', command.prefix],
        ].filter((entry): entry is [string, string] => entry[1] !== undefined),
      );
      const driver =
        command.prefix === undefined ? command.driver : join(command.prefix, 'bin', command.driver);
      log(`FIFO: Starting driver ${command.driver}`);
      running.set(command.driver, [
        ...(running.get(command.driver) ?? []),
        server.startDriver(driver, { env }),
      ]);
      return;
    }
    const [id, ...others] = running.get(command.driver) ?? [];
    if (id === undefined) return;
    log(`FIFO: Shutting down driver: ${command.driver}`);
    running.set(command.driver, others);
    server.removeDriver(id);
  };
  fifoLines(path).subscribe({
    next: (line) => {
      const command = parseFifoCommand(line);
      if (command) apply(command);
      else log(`FIFO: ignored '${line}': expected 'start driver [-n "name"]' or 'stop driver'`);
    },
    error: (error: unknown) => {
      log(`FIFO ${path}: ${error instanceof Error ? error.message : String(error)}`);
      log('good bye');
      process.exit(1);
    },
  });
}

function logDriverMessages(server: IndiServer, dir: string): void {
  server.traffic$.subscribe(({ direction, message }) => {
    if (direction !== 'in' || message.type !== 'message' || message.message === undefined) return;
    const stamp = message.timestamp ?? indiTimestamp();
    const line = `${stamp}: ${message.device ?? ''}: ${message.message}\n`;
    void appendFile(join(dir, `${stamp.slice(0, 10)}.islog`), line).catch((error: unknown) =>
      log(
        `-l ${dir}: cannot write the message log: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
  });
}

const options = readOptions();
log(`startup: ${process.argv.slice(2).join(' ')}`);
checkDrivers(options.drivers);
const server = new IndiServer({
  host: options.host,
  port: options.port,
  maxConnections: options.maxConnections,
  ...(options.maxConnectionsPerAddress === undefined
    ? {}
    : { maxConnectionsPerAddress: options.maxConnectionsPerAddress }),
  maxMessageBytes: options.maxMessageMB * 1024 * 1024,
  maxTagBytes: options.maxTagKB * 1024,
  maxDevices: options.maxDevices,
  maxProperties: options.maxProperties,
  restarts: options.restarts,
  maxQueueBytes: options.maxQueueMB * 1024 * 1024,
  maxStreamBytes: options.maxStreamMB * 1024 * 1024,
});
server.events$.subscribe((event) => {
  const line = eventLine(event, options.verbosity);
  if (line !== undefined) log(line);
});
if (options.logDir !== undefined) logDriverMessages(server, options.logDir);
// Traffic events are produced only while someone listens: -vv and -vvv do.
if (options.verbosity >= 2) server.traffic$.subscribe();
for (const driver of options.drivers) server.addExDriver(driver);
for (const { host, port, device } of options.remotes) server.addRemote(host, port, { device });
if (options.examples) for (const device of exampleDevices()) server.addDriver(device);
if (options.fifo !== undefined) followFifo(server, options.fifo);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  // `on`, not `once`: execa's exit hook re-raises a signal that has no other listener.
  process.on(signal, () => {
    log(`${signal}: shutting down`);
    void server.shutdown();
  });
}
server.run().then(
  () => process.exit(0),
  (error: unknown) => {
    log(error instanceof Error ? error.message : String(error));
    log('good bye');
    process.exit(1);
  },
);
