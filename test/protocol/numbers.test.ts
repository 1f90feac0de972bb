import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { formatNumber, parseNumber } from '../../src/protocol/numbers.js';

interface Row {
  readonly format: string;
  /** The double as JavaScript's `String(value)` spells it, or `-0`; `Number(value)` decodes it exactly. */
  readonly value: string;
  readonly expected: string;
}

/**
 * What libindi prints for each (format, value). Produced by a throwaway C program (not committed),
 * built with gcc 12.2 and run against glibc 2.36 on x86-64: it read each value with strtod and
 * printed libindi's numberFormat() for it — snprintf(buf, size, format, value), or libindi's
 * fs_sexa() for `%<w>.<f>m` — into a buffer large enough never to truncate.
 */
const table = JSON.parse(
  readFileSync(new URL('fixtures/printf-table.json', import.meta.url), 'utf8'),
) as readonly Row[];

describe('formatNumber', () => {
  it('prints what glibc printf and libindi fs_sexa print, for every row of the C-generated table', () => {
    expect(table.length).toBeGreaterThan(4000);
    const mismatches = table
      .map((row) => ({ ...row, actual: formatNumber(Number(row.value), row.format) }))
      .filter((row) => row.actual !== row.expected);
    expect(mismatches).toEqual([]);
  });

  it.each<[number, string, string]>([
    [12.5, '%010.6m', '  12:30:00'],
    [-0.5, '%9.6m', ' -0:30:00'],
    [23.999999, '%10.6m', '  24:00:00'],
    [12.3456789, '%12.9m', ' 12:20:44.44'],
    [-12.3456789, '%11.8m', '-12:20:44.4'],
    [12.3456789, '%10.5m', '   12:20.7'],
    [12.3456789, '%8.3m', '   12:21'],
    [-0.0001, '%9.6m', ' -0:00:00'],
    [-0, '%9.6m', '  0:00:00'],
    [5, '%3.6m', '5  :00:00'],
    [-12.5, '%-10.6m', '-12             :30:00'],
    [12.5, '%10.6m trailing text is ignored', '  12:30:00'],
    [2.675, '%.2f mm', '2.67 mm'],
    [15, '%.3e', '1.500e+01'],
    [0.0001, '%g', '0.0001'],
    [0.00001, '%g', '1e-05'],
    [1000000, '%g', '1e+06'],
    [0.5, '%.0f', '0'],
    [2.5, '%.0f', '2'],
    [0.125, '%.2f', '0.12'],
    [125, '%.1e', '1.2e+02'],
    [-0.001, '%.2f', '-0.00'],
    [3.14159, '%+08.2f', '+0003.14'],
    [3.14159, '%-8.2f|', '3.14    |'],
    [1, '% .3e', ' 1.000e+00'],
    [2, '%#.0f', '2.'],
    [1, '%#g', '1.00000'],
    [0.1, '%.55f', '0.1000000000000000055511151231257827021181583404541015625'],
    [5e-324, '%.3e', '4.941e-324'],
    [-1e100, '%E', '-1.000000E+100'],
    [-Infinity, '%F', '-INF'],
    [NaN, '%5.1f', '  nan'],
    [Infinity, '%-6e|', 'inf   |'],
    [50, '%%%.1f', '%50.0'],
  ])('formatNumber(%s, %j) is %j (checked against C)', (value, format, expected) => {
    expect(formatNumber(value, format)).toBe(expected);
  });

  it.each<[number, string, string]>([
    [12.7, '%d', '12'],
    [-12.7, '%i', '-12'],
    [-0.5, '%d', '0'],
    [3.9, '%ld', '3'],
    [0, '%.0d', ''],
    [5, '%.3d', '005'],
    [5, '%05d', '00005'],
    [-5, '%05d', '-0005'],
    [5, '%05.3d', '  005'],
    [5, '%+d', '+5'],
    [5, '% d', ' 5'],
    [5, '%-4d|', '5   |'],
    [1e20, '%d', '100000000000000000000'],
    [NaN, '%d', 'nan'],
    [-Infinity, '%05i', ' -inf'],
  ])('formatNumber(%s, %j) is %j: integer conversions truncate toward zero', (value, format, expected) => {
    expect(formatNumber(value, format)).toBe(expected);
  });

  it.each<[string, string]>([
    ['', ''],
    ['no conversion', 'no conversion'],
    ['100%%', '100%'],
  ])('prints a format without a conversion, %j, as its literal text %j', (format, expected) => {
    expect(formatNumber(1.5, format)).toBe(expected);
  });

  it.each([
    '%s',
    '%x',
    '%a',
    '%Lf',
    '%*f',
    '%.*f',
    '%f %f',
    '%',
    '%5',
    '%.6m',
    'RA %10.6m',
    '%2000f',
    '%.2000f',
    '%2000.6m',
  ])('prints the unsupported format %j as the default, g with precision 6', (format) => {
    expect(formatNumber(1234567.5, format)).toBe('1.23457e+06');
  });

  it.each<[number, string, string]>([
    [NaN, '%10.6m', '       nan'],
    [-Infinity, '%9.6m', '     -inf'],
    [Infinity, '%-10.6m', 'inf       '],
    [1e12, '%10.6m', '1000000000000:00:00'],
  ])('prints sexagesimal %s with %j as %j where C is undefined', (value, format, expected) => {
    expect(formatNumber(value, format)).toBe(expected);
  });
});

/** `toExponential` spelled as C spells it: a sign on -0 and an exponent of at least two digits. */
function cExponential(value: number, precision: number): string {
  const text = value.toExponential(precision).replace(/e([+-])(\d)$/, 'e$10$2');
  return Object.is(value, -0) ? `-${text}` : text;
}

/** `toFixed` spelled as C spells it (a sign on -0). */
function cFixed(value: number, precision: number): string {
  return Object.is(value, -0) ? `-${value.toFixed(precision)}` : value.toFixed(precision);
}

/** C's `%.<precision>g`, following the C standard's definition, built on toExponential and toFixed. */
function cGeneral(value: number, precision: number): string {
  const significant = precision === 0 ? 1 : precision;
  const exponent = Number(value.toExponential(significant - 1).split('e')[1]);
  const text =
    exponent >= -4 && exponent < significant
      ? cFixed(value, significant - 1 - exponent)
      : cExponential(value, significant - 1);
  const [mantissa = '', power] = text.split('e');
  const trimmed = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
  return power === undefined ? trimmed : `${trimmed}e${power}`;
}

/**
 * Whether `value` might lie exactly halfway between two results when rounded to `significant`
 * digits. JavaScript breaks such ties upward and glibc to even, so they are left to the table.
 * A tie makes `value * 2 ** (significant - exponent)` an integer (`exponent` being the power of ten
 * of the first digit), so this is a conservative test.
 */
function mayTie(value: number, significant: number): boolean {
  const exponent = Math.floor(Math.log10(Math.abs(value)));
  return Number.isInteger(value * 2 ** (significant - exponent + 1));
}

describe('formatNumber properties', () => {
  const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
  const precision = fc.integer({ min: 0, max: 20 });

  it('round-trips every finite double through %.17g', () => {
    fc.assert(
      fc.property(finite, (value) => {
        expect(Object.is(parseNumber(formatNumber(value, '%.17g')), value)).toBe(true);
      }),
    );
  });

  it('agrees with toFixed for %.<p>f away from exact ties', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e20, max: 1e20, noNaN: true }), precision, (value, p) => {
        fc.pre(!Number.isInteger(value * 2 ** (p + 1)));
        expect(formatNumber(value, `%.${p}f`)).toBe(cFixed(value, p));
      }),
    );
  });

  it('agrees with toExponential for %.<p>e away from exact ties', () => {
    fc.assert(
      fc.property(finite, precision, (value, p) => {
        fc.pre(!mayTie(value, p + 1));
        expect(formatNumber(value, `%.${p}e`)).toBe(cExponential(value, p));
      }),
    );
  });

  it('agrees with the C definition of %.<p>g away from exact ties', () => {
    fc.assert(
      fc.property(finite, fc.integer({ min: 0, max: 17 }), (value, p) => {
        fc.pre(!mayTie(value, Math.max(p, 1)));
        expect(formatNumber(value, `%.${p}g`)).toBe(cGeneral(value, p));
      }),
    );
  });

  it('pads to the width on the left, or on the right with -, without changing the number', () => {
    fc.assert(
      fc.property(finite, fc.integer({ min: 0, max: 40 }), precision, (value, width, p) => {
        const bare = formatNumber(value, `%.${p}e`);
        expect(formatNumber(value, `%${width}.${p}e`)).toBe(bare.padStart(width));
        expect(formatNumber(value, `%-${width}.${p}e`)).toBe(bare.padEnd(width));
      }),
    );
  });

  it.each<[string, number]>([
    ['%8.3m', 60],
    ['%10.5m', 600],
    ['%9.6m', 3600],
    ['%10.6m', 3600],
    ['%11.8m', 36000],
    ['%12.9m', 360000],
  ])('prints %j that parses back within half a unit of its last place', (format, fracbase) => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (value) => {
        const parsed = parseNumber(formatNumber(value, format));
        expect(parsed).toBeDefined();
        expect(Math.abs((parsed ?? NaN) - value)).toBeLessThanOrEqual(
          0.5 / fracbase + Math.abs(value) * 1e-14,
        );
      }),
    );
  });
});

describe('parseNumber', () => {
  it.each<[string, number]>([
    ['12.5', 12.5],
    ['-3', -3],
    ['+4', 4],
    ['1e-8', 1e-8],
    ['1E+3', 1000],
    ['.5', 0.5],
    ['5.', 5],
    ['-.5e1', -5],
    ['0', 0],
    ['-0', -0],
    ['  42\t\n', 42],
    ['1e400', Infinity],
    ['-12:30:15.5', -(12 + 30 / 60 + 15.5 / 3600)],
    ['12:30:15', 12 + 30 / 60 + 15 / 3600],
    ['12 30 15', 12 + 30 / 60 + 15 / 3600],
    ['12\t30  15', 12 + 30 / 60 + 15 / 3600],
    ['12;30;15', 12 + 30 / 60 + 15 / 3600],
    ['12 : 30 ; 15', 12 + 30 / 60 + 15 / 3600],
    ['12:30', 12.5],
    ['12;30', 12.5],
    ['12 30', 12.5],
    ['+12:30', 12.5],
    ['-0:30', -0.5],
    ['-0 30', -0.5],
    ['-0:00', -0],
    [' -0:30:00', -0.5],
    ['12:30.5', 12 + 30.5 / 60],
    ['12.5:30', 13],
    ['0:00:00.01', 0.01 / 3600],
    ['12:75', 12 + 75 / 60],
    ['nan', NaN],
    ['-nan', NaN],
    ['NaN', NaN],
    ['inf', Infinity],
    ['-inf', -Infinity],
    ['+INF', Infinity],
    ['Infinity', Infinity],
    ['-infinity', -Infinity],
  ])('parses %j as %s', (text, expected) => {
    expect(parseNumber(text)).toBe(expected);
  });

  it.each([
    '',
    '   ',
    'abc',
    '12a',
    '12abc',
    'a12',
    '.',
    '-',
    '+',
    '--1',
    '+-1',
    '1e',
    'e5',
    '1.2.3',
    '1,5',
    '0x10',
    '1_000',
    'nan(1)',
    'nanx',
    'infinit',
    'Inf12',
    '12:',
    ':30',
    '12::30',
    '12:30:',
    '12:30:15:10',
    '1 2 3 4',
    '12:-30',
    '12:+30',
    '12:30:-15',
    '12 -30',
    '- 12:30',
    '12:abc',
    '12:30s',
    '12:30:1e1',
    '1e1:30',
    'nan:30',
    '12°30′',
  ])('rejects %j', (text) => {
    expect(parseNumber(text)).toBeUndefined();
  });
});
