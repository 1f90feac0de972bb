/**
 * examples/camera.ts over a raw TCP connection: the XML a client sends for an
 * exposure, and what comes back: CCD_EXPOSURE counting down while Busy, the
 * image as a setBLOBVector (to the client that asked for BLOBs only), then Ok.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { decodeBlob, type IndiMessage, type SetBlobVector, type SetNumberVector } from '../src/index.js';
import { RawIndiClient } from '../test/helpers/indi-client.js';
import { killAllProcesses, removeTempDirs } from '../test/helpers/processes.js';
import { startExample, stopExample } from './support/start-example.js';

const camera = 'Example Camera';

afterEach(async () => {
  await RawIndiClient.closeAll();
  await killAllProcesses();
  removeTempDirs();
});

const isExposure = (message: IndiMessage): message is SetNumberVector =>
  message.type === 'setNumberVector' && message.device === camera && message.name === 'CCD_EXPOSURE';
const isImage = (message: IndiMessage): message is SetBlobVector =>
  message.type === 'setBLOBVector' && message.device === camera && message.name === 'CCD1';

describe('examples/camera.ts', () => {
  it('exposes for 0.3 s (Busy), sends a FITS image to the client that enabled BLOBs, then turns Ok', async () => {
    const running = await startExample('camera');
    const { port } = running;
    const viewer = await RawIndiClient.connect(port);
    const bystander = await RawIndiClient.connect(port);
    bystander.send('<getProperties version="1.7"/>\n');
    await bystander.waitFor('the camera', (message) => message.type === 'defNumberVector');

    viewer.send(
      '<getProperties version="1.7"/>\n' +
        `<enableBLOB device="${camera}">Also</enableBLOB>\n` +
        `<newNumberVector device="${camera}" name="CCD_EXPOSURE">\n` +
        '  <oneNumber name="CCD_EXPOSURE_VALUE">0.3</oneNumber>\n' +
        '</newNumberVector>\n',
    );
    const isDone = (message: IndiMessage) => isExposure(message) && message.state === 'Ok';
    await viewer.waitFor('CCD_EXPOSURE Ok', isDone, { timeout: 5000 });
    await bystander.waitFor('CCD_EXPOSURE Ok', isDone, { timeout: 5000 });

    // While exposing: Busy, counting down from 0.3 s.
    const exposures = viewer.received(isExposure);
    const busy = exposures.filter((message) => message.state === 'Busy');
    expect(busy.length).toBeGreaterThanOrEqual(2);
    const left = busy.map((message) => message.members[0]!.value);
    expect(left[0]).toBeCloseTo(0.3);
    for (let at = 1; at < left.length; at++) expect(left[at]!).toBeLessThan(left[at - 1]!);

    // Then one image, before CCD_EXPOSURE turns Ok: a FITS file of the size announced.
    const images = viewer.received(isImage);
    expect(images).toHaveLength(1);
    const [image] = images;
    expect(image!.state).toBe('Ok');
    const [blob] = image!.members;
    expect(blob).toMatchObject({ name: 'CCD1', format: '.fits' });
    const bytes = Buffer.from(decodeBlob(blob!.value));
    expect(bytes.length).toBe(blob!.size);
    expect(bytes.subarray(0, 6).toString('latin1')).toBe('SIMPLE');
    expect(bytes.subarray(0, 2880).toString('latin1')).toContain('EXPTIME =                 0.30');
    const order = viewer.messages.filter((message) => isExposure(message) || isImage(message));
    expect(order.map((message) => `${message.type} ${message.state ?? ''}`).slice(-2)).toEqual([
      'setBLOBVector Ok',
      'setNumberVector Ok',
    ]);

    // The client that did not send enableBLOB saw the exposure but not the image (INDI 1.7: Never by default).
    expect(bystander.received(isExposure).length).toBe(exposures.length);
    expect(bystander.received(isImage)).toEqual([]);

    expect(await stopExample(running)).toEqual({ code: 0, signal: undefined });
  });
});
