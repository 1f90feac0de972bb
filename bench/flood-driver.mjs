#!/usr/bin/env node
/**
 * A flood driver for bench/server.ts: an INDI driver on stdin/stdout that
 * writes what libindi 1.9 drivers write, as fast as the server takes it.
 *
 * On every `getProperties` it defines device 'Flood': VALUES (2 numbers),
 * IMAGE (a BLOB) and GO (a switch). A `newSwitchVector` for GO starts the
 * flood, configured by the environment:
 *
 *   FLOOD_MODE=numbers  FLOOD_COUNT `setNumberVector`s of VALUES, pre-built
 *                       before GO and written in 64 KiB writes;
 *   FLOOD_MODE=blobs    FLOOD_COUNT `setBLOBVector`s of IMAGE carrying
 *                       FLOOD_BLOB_BYTES (default 1 MiB) bytes, base64 in
 *                       72-character lines: image N starts with N as a
 *                       6-byte big-endian number, the same random bytes
 *                       follow in every image; each is followed by
 *                       `<pingRequest uid='SetBLOB/N' />` and paced by the
 *                       server's `pingReply`, as libindi 1.9 drivers do.
 *
 * Writes wait for 'drain'; the flood ends with `<message device='Flood'
 * message='done'/>`. A `newNumberVector` for VALUES is echoed at once as a
 * `setNumberVector` (the latency probe). The driver runs until stdin ends.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';

const device = 'Flood';
const mode = process.env.FLOOD_MODE ?? 'numbers';
const count = Number(process.env.FLOOD_COUNT ?? 1000);
const blobBytes = Number(process.env.FLOOD_BLOB_BYTES ?? 1024 * 1024);
const prolog = "<?xml version='1.0'?>\n";
const timestamp = () => new Date().toISOString().slice(0, 19);

function definitions() {
  const stamp = timestamp();
  const number = (name) => `  <defNumber
    name='${name}'
    label='${name}'
    format='%.6f'
    min='-1e9'
    max='1e9'
    step='0'>
      0
  </defNumber>
`;
  return `${prolog}<defNumberVector
  device='${device}'
  name='VALUES'
  label='Values'
  group='Main'
  state='Idle'
  perm='rw'
  timeout='60'
  timestamp='${stamp}'
>
${number('X')}${number('Y')}</defNumberVector>
${prolog}<defBLOBVector
  device='${device}'
  name='IMAGE'
  label='Image'
  group='Main'
  state='Idle'
  perm='ro'
  timeout='60'
  timestamp='${stamp}'
>
  <defBLOB
    name='IMAGE'
    label='Image'
  />
</defBLOBVector>
${prolog}<defSwitchVector
  device='${device}'
  name='GO'
  label='Go'
  group='Main'
  state='Idle'
  perm='rw'
  rule='AnyOfMany'
  timeout='60'
  timestamp='${stamp}'
>
  <defSwitch
    name='GO'
    label='Go'>
      Off
  </defSwitch>
</defSwitchVector>
`;
}

function numberUpdate(x, y, stamp) {
  return `${prolog}<setNumberVector
  device='${device}'
  name='VALUES'
  state='Ok'
  timeout='60'
  timestamp='${stamp}'
>
  <oneNumber name='X'>
      ${x}
  </oneNumber>
  <oneNumber name='Y'>
      ${y}
  </oneNumber>
</setNumberVector>
`;
}

/** All the number updates, as 64 KiB chunks ready to write. */
function numberChunks() {
  const stamp = timestamp();
  const chunks = [];
  let pending = '';
  for (let i = 0; i < count; i++) {
    pending += numberUpdate((i * 0.001).toFixed(6), (-i * 0.002).toFixed(6), stamp);
    if (pending.length >= 64 * 1024) {
      chunks.push(Buffer.from(pending, 'latin1'));
      pending = '';
    }
  }
  if (pending.length > 0) chunks.push(Buffer.from(pending, 'latin1'));
  return chunks;
}

/** Bytes that start every image (its number), 8 characters in base64. */
const serialBytes = 6;

/** The random rest of every image in base64, 72 characters a line, encoded once and reused. */
function blobPayload() {
  const base64 = randomBytes(blobBytes - serialBytes).toString('base64');
  const lines = base64.match(/.{1,72}/g) ?? [];
  return { enclen: base64.length + 8, text: Buffer.from(`${lines.join('\n')}\n`, 'latin1') };
}

/** Image `n`'s own first line: its number in base64. */
function serialLine(n) {
  const serial = Buffer.alloc(serialBytes);
  serial.writeUIntBE(n, 0, serialBytes);
  return `${serial.toString('base64')}\n`;
}

async function write(bytes) {
  if (!process.stdout.write(bytes)) await once(process.stdout, 'drain');
}

const pingWaiters = new Map();
const pingReplied = (uid) => new Promise((resolve) => pingWaiters.set(uid, resolve));

async function floodNumbers(chunks) {
  for (const chunk of chunks) await write(chunk);
}

async function floodBlobs(payload) {
  for (let n = 1; n <= count; n++) {
    const head = `${prolog}<setBLOBVector
  device='${device}'
  name='IMAGE'
  state='Ok'
  timeout='60'
  timestamp='${timestamp()}'
>
  <oneBLOB
    name='IMAGE'
    size='${blobBytes}'
    enclen='${payload.enclen}'
    format='.fits'>
`;
    const uid = `SetBLOB/${n}`;
    const replied = pingReplied(uid);
    await write(head + serialLine(n));
    await write(payload.text);
    await write(`  </oneBLOB>\n</setBLOBVector>\n<pingRequest uid='${uid}' />\n`);
    await replied;
  }
}

let flood;
const prepared = mode === 'blobs' ? blobPayload() : numberChunks();

function startFlood() {
  if (flood !== undefined) return;
  flood = (mode === 'blobs' ? floodBlobs(prepared) : floodNumbers(prepared)).then(() =>
    write(`${prolog}<message\n  device='${device}'\n  timestamp='${timestamp()}'\n  message='done'\n/>\n`),
  );
}

const attributes = (text) =>
  Object.fromEntries([...text.matchAll(/(\w+)\s*=\s*(['"])(.*?)\2/g)].map((m) => [m[1], m[3]]));

function handle(tag, attrs, body) {
  const { device: target, name, uid } = attributes(attrs);
  if (tag === 'getProperties') void write(definitions());
  else if (tag === 'pingReply') {
    pingWaiters.get(uid)?.();
    pingWaiters.delete(uid);
  } else if (target !== device) return;
  else if (tag === 'newSwitchVector' && name === 'GO') startFlood();
  else if (tag === 'newNumberVector' && name === 'VALUES') {
    const value = (member) =>
      new RegExp(`name=['"]${member}['"][^>]*>([^<]*)<`).exec(body)?.[1].trim() ?? '0';
    void write(numberUpdate(value('X'), value('Y'), timestamp()));
  }
}

// Top-level elements one at a time from the start of the buffer; an element
// not complete yet waits for more input.
const element = /<(\w+)([^>]*?)(?:\/>|>([\s\S]*?)<\/\1\s*>)/y;
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (text) => {
  input += text;
  let at = 0;
  for (;;) {
    at = input.indexOf('<', at);
    if (at < 0 || at + 1 >= input.length) break;
    if (input[at + 1] === '?' || input[at + 1] === '!') {
      const end = input.indexOf('>', at);
      if (end < 0) break;
      at = end + 1;
      continue;
    }
    element.lastIndex = at;
    const match = element.exec(input);
    if (match === null) break;
    handle(match[1], match[2], match[3] ?? '');
    at = element.lastIndex;
  }
  input = at < 0 ? '' : input.slice(at);
});
process.stdin.on('end', () => process.exit(0));
