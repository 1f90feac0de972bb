#!/usr/bin/env node
/**
 * A raw TCP relay for bench/server.ts: the ceiling for any INDI server in
 * Node, since it moves the same bytes without parsing them.
 *
 *   node bench/raw-relay.mjs [--host HOST] -p PORT [--] COMMAND [ARG…]
 *
 * Starts COMMAND (the driver) with pipes for stdin and stdout, listens on
 * HOST:PORT (default 127.0.0.1), and relays bytes: whatever the driver writes
 * goes to every connected client, unchanged, in the order it came; whatever a
 * client writes goes to the driver. The one exception: it answers the
 * driver's `<pingRequest uid='…'/>` itself with a `<pingReply uid='…'/>` and
 * does not forward it (libindi drivers, and the flood driver, pace BLOBs on
 * it), found by a cheap byte scan that holds back a partial tag at the end of
 * a chunk until the next one. No XML parsing, no enableBLOB filtering, no
 * per-device routing, no flow control towards the driver; a client whose
 * unsent bytes pass 256 MiB is disconnected so memory stays bounded.
 * Exits when the driver does.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';

const maxBacklog = 256 * 1024 * 1024;
/** A pingRequest tag not closed within this many bytes is not one: forwarded as it is. */
const maxTag = 1024;
const needle = Buffer.from('<pingRequest', 'latin1');
const uidAttribute = /\buid\s*=\s*(['"])(.*?)\1/;

const { values, positionals } = parseArgs({
  options: { host: { type: 'string', default: '127.0.0.1' }, port: { type: 'string', short: 'p' } },
  allowPositionals: true,
});
const [command, ...args] = positionals;
if (command === undefined || values.port === undefined) {
  console.error('usage: node bench/raw-relay.mjs [--host HOST] -p PORT [--] COMMAND [ARG…]');
  process.exit(2);
}

const driver = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
const clients = new Set();

driver.on('error', (error) => {
  console.error(`raw-relay: cannot start the driver ${command}: ${error.message}`);
  process.exit(1);
});
driver.on('exit', (code, signal) => {
  console.error(`raw-relay: the driver ${command} exited (${signal ?? `code ${code}`})`);
  process.exit(1);
});
driver.stdin.on('error', () => {
  // the driver is gone; 'exit' reports it
});

/** Sends bytes of the driver's output to every client, dropping one too far behind. */
function broadcast(bytes) {
  if (bytes.length === 0) return;
  for (const client of clients) {
    client.write(bytes);
    if (client.writableLength > maxBacklog) {
      console.error(
        `raw-relay: ${client.remoteAddress}:${client.remotePort} is over 256 MiB behind: dropped`,
      );
      client.destroy();
      clients.delete(client);
    }
  }
}

function answerPing(tag) {
  const uid = uidAttribute.exec(tag.toString('latin1'));
  if (uid !== null) driver.stdin.write(`<pingReply uid=${uid[1]}${uid[2]}${uid[1]}/>\n`);
}

/** Where a suffix of `data` from `from` on could still become `<pingRequest`, or -1. */
function partialNeedle(data, from) {
  for (
    let at = data.indexOf(needle[0], Math.max(from, data.length - needle.length + 1));
    at >= 0;
    at = data.indexOf(needle[0], at + 1)
  ) {
    if (data.subarray(at).equals(needle.subarray(0, data.length - at))) return at;
  }
  return -1;
}

/** Bytes of the driver's output held back because they may be the start of a pingRequest. */
let held = Buffer.alloc(0);

driver.stdout.on('data', (chunk) => {
  const data = held.length === 0 ? chunk : Buffer.concat([held, chunk]);
  held = Buffer.alloc(0);
  let from = 0;
  for (;;) {
    const at = data.indexOf(needle, from);
    if (at < 0) break;
    const end = data.indexOf(0x3e /* > */, at + needle.length);
    if (end < 0) {
      if (data.length - at <= maxTag) {
        broadcast(data.subarray(from, at));
        held = Buffer.from(data.subarray(at));
        return;
      }
      break;
    }
    broadcast(data.subarray(from, at));
    answerPing(data.subarray(at, end + 1));
    from = end + 1;
  }
  const partial = partialNeedle(data, from);
  if (partial < 0) {
    broadcast(data.subarray(from));
    return;
  }
  broadcast(data.subarray(from, partial));
  held = Buffer.from(data.subarray(partial));
});

const server = createServer((client) => {
  clients.add(client);
  client.setNoDelay(true);
  client.on('data', (bytes) => driver.stdin.write(bytes));
  client.on('error', () => {
    // a reset; 'close' follows
  });
  client.on('close', () => clients.delete(client));
});
server.on('error', (error) => {
  console.error(`raw-relay: cannot listen on ${values.host}:${values.port}: ${error.message}`);
  driver.kill();
  process.exit(1);
});
server.listen(Number(values.port), values.host);
