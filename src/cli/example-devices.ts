import { from, interval, map, switchMap, takeUntil, takeWhile, timer } from 'rxjs';
import type { Channel } from '../channels/channel.js';
import { defineDevice } from '../driver/define-device.js';
import { indiDriver, type IndiDriver } from '../driver/indi-driver.js';
import { blobVector } from '../driver/blob-vector.js';
import { lightVector } from '../driver/light-vector.js';
import { numberVector } from '../driver/number-vector.js';
import { switchVector } from '../driver/switch-vector.js';

const thermostat = defineDevice('Thermostat', {
  TEMPERATURE: numberVector({
    label: 'Temperature',
    group: 'Main',
    perm: 'ro',
    members: { CELSIUS: { label: 'Temperature (°C)', format: '%.2f', min: -50, max: 50, value: 12 } },
  }),
  TARGET: numberVector({
    label: 'Target',
    group: 'Main',
    members: { CELSIUS: { label: 'Target (°C)', format: '%.1f', min: -20, max: 40, step: 0.5, value: 15 } },
  }),
  HEATER: lightVector({ label: 'Heater', group: 'Main', members: { ON: { label: 'Heating' } } }),
  ENABLE: switchVector({
    label: 'Control',
    group: 'Main',
    rule: 'OneOfMany',
    members: { ENABLE: { label: 'Enable' }, DISABLE: { label: 'Disable', value: 'On' } },
  }),
});

const camera = defineDevice('Example Camera', {
  CCD_EXPOSURE: numberVector({
    label: 'Expose',
    group: 'Main Control',
    members: { CCD_EXPOSURE_VALUE: { label: 'Duration (s)', format: '%5.2f', min: 0, max: 60, step: 0.1 } },
  }),
  CCD1: blobVector({
    label: 'Image',
    group: 'Image',
    perm: 'ro',
    members: { CCD1: { label: 'Image', format: '.fits' } },
  }),
});

/**
 * A thermostat: the temperature drifts towards the target while enabled (the
 * heater light shows when it heats) and towards 5 °C while disabled.
 *
 * @example
 * ```ts
 * server.addDriver(thermostatDriver());
 * ```
 */
export function thermostatDriver(): IndiDriver<typeof thermostat> {
  const driver = indiDriver([thermostat], { id: 'Thermostat' });
  let temperature = 12;
  let target = 15;
  let enabled = false;
  driver.handle('Thermostat', 'TARGET', (request) => {
    target = request.values.CELSIUS ?? target;
    driver.set('Thermostat', 'TARGET', { CELSIUS: target }, { state: 'Ok' });
  });
  driver.handle('Thermostat', 'ENABLE', (request) => {
    enabled = request.values.ENABLE === 'On';
    driver.set('Thermostat', 'ENABLE', request.values, { state: 'Ok' });
  });
  driver.handle('Thermostat', 'TEMPERATURE', () => undefined);
  interval(1000)
    .pipe(takeUntil(from(driver.closed)))
    .subscribe(() => {
      const goal = enabled ? target : 5;
      temperature += Math.sign(goal - temperature) * Math.min(0.25, Math.abs(goal - temperature));
      driver.set('Thermostat', 'TEMPERATURE', { CELSIUS: temperature }, { state: 'Ok' });
      driver.set('Thermostat', 'HEATER', { ON: enabled && temperature < target ? 'Ok' : 'Idle' });
    });
  return driver;
}

/** A FITS-like image: a header block and a gradient of 16-bit pixels. */
function fakeImage(seconds: number): Uint8Array {
  const width = 64;
  const height = 48;
  const header = [
    'SIMPLE  =                    T',
    'BITPIX  =                   16',
    'NAXIS   =                    2',
    `NAXIS1  = ${String(width).padStart(20)}`,
    `NAXIS2  = ${String(height).padStart(20)}`,
    `EXPTIME = ${seconds.toFixed(2).padStart(20)}`,
    'END',
  ]
    .map((card) => card.padEnd(80))
    .join('')
    .padEnd(2880);
  const pixels = Buffer.alloc(width * height * 2);
  for (let i = 0; i < width * height; i++) pixels.writeUInt16BE((i * 17) % 65536, i * 2);
  return Buffer.concat([Buffer.from(header, 'latin1'), pixels]);
}

/**
 * A camera: an exposure is Busy for its duration, counting down, then sends a
 * FITS-like image as a BLOB and turns Ok.
 *
 * @example
 * ```ts
 * server.addDriver(cameraDriver());
 * ```
 */
export function cameraDriver(): IndiDriver<typeof camera> {
  const driver = indiDriver([camera], { id: 'Example Camera' });
  driver
    .requests('Example Camera', 'CCD_EXPOSURE')
    .pipe(
      map((request) => request.values.CCD_EXPOSURE_VALUE ?? 0),
      switchMap((seconds) =>
        timer(0, 100).pipe(
          map((tick) => Math.max(0, seconds - tick / 10)),
          takeWhile((left) => left > 0, true),
          map((left) => ({ seconds, left })),
        ),
      ),
    )
    .subscribe(({ seconds, left }) => {
      if (left > 0) {
        driver.set('Example Camera', 'CCD_EXPOSURE', { CCD_EXPOSURE_VALUE: left }, { state: 'Busy' });
        return;
      }
      const image = fakeImage(seconds);
      driver.set('Example Camera', 'CCD1', { CCD1: { bytes: image, format: '.fits' } }, { state: 'Ok' });
      driver.set('Example Camera', 'CCD_EXPOSURE', { CCD_EXPOSURE_VALUE: 0 }, { state: 'Ok' });
    });
  return driver;
}

/**
 * The devices `rxindi --examples` (and `npm start`) serves.
 *
 * @example
 * ```ts
 * for (const device of exampleDevices()) server.addDriver(device);
 * ```
 */
export function exampleDevices(): Channel[] {
  return [thermostatDriver(), cameraDriver()];
}
