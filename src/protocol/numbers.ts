/**
 * INDI number text: `formatNumber` prints a value the way libindi's `numberFormat()` does for a
 * number member's `format` attribute, and `parseNumber` reads the numbers clients and drivers send.
 *
 * Decimal conversions are exact: a double is expanded to its exact decimal value and rounded
 * half-to-even, as glibc's printf does, so `formatNumber(2.675, '%.2f')` is `'2.67'` and
 * `formatNumber(0.125, '%.2f')` is `'0.12'`.
 *
 * @module
 */

/** libindi's `sscanf(format, "%%%d.%d%c", &w, &f, &m) == 3 && m == 'm'`; trailing text is ignored. */
const SEXAGESIMAL_FORMAT = /^%[ \t\n\v\f\r]*([+-]?\d+)\.[ \t\n\v\f\r]*([+-]?\d+)m/;
/** One printf conversion we support; `l` is accepted and, as in C99, has no effect. */
const CONVERSION = /%([-+ 0#]*)(\d*)(?:\.(\d*))?l?([diFfEeGg])/y;
/** Widths and precisions above this are treated as unsupported (they only serve to exhaust memory). */
const MAX_FIELD = 1024;
/** Pieces of a whole per sexagesimal precision; any other precision means whole minutes (60). */
const FRACBASE: Readonly<Record<number, number>> = { 9: 360000, 8: 36000, 6: 3600, 5: 600 };

/** A C-style decimal: optional sign, digits with an optional point, optional exponent. */
const DECIMAL_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
/** What C's printf prints for NaN and infinities, and strtod reads back. */
const NON_FINITE_TEXT = /^([+-]?)(?:(nan)|inf(?:inity)?)$/i;
const UNSIGNED = String.raw`(\d+(?:\.\d*)?|\.\d+)`;
const SEPARATOR = String.raw`(?:\s*[:;]\s*|\s+)`;
/** Signed degrees, then unsigned minutes and optional seconds. */
const SEXAGESIMAL_TEXT = new RegExp(
  `^([+-]?)${UNSIGNED}${SEPARATOR}${UNSIGNED}(?:${SEPARATOR}${UNSIGNED})?$`,
);

interface Conversion {
  readonly flags: string;
  readonly width: number;
  readonly precision: number | undefined;
  readonly letter: string;
}

/** A non-negative finite double as exact decimal digits (no trailing zeros) with the point after `point` of them. */
interface Decimal {
  readonly digits: string;
  readonly point: number;
}

/**
 * Format `value` as INDI does for a number member's `format` attribute.
 *
 * - `%<w>.<f>m` is INDI sexagesimal, printed as libindi's `fs_sexa(value, w - f, fracbase)`:
 *   `f` = 9 → `:mm:ss.ss`, 8 → `:mm:ss.s`, 6 → `:mm:ss`, 5 → `:mm.m`, anything else → `:mm`.
 * - Anything else is a C printf format with one `%f %F %e %E %g %G %d %i` conversion (flags
 *   `- + space 0 #`, width, precision, optional `l`) and literal text (`%%` is `%`); output is
 *   what glibc prints, including `nan`, `inf`, `-inf` (upper case for `%F %E %G`).
 *
 * Where C is undefined or differs from this we choose:
 * - `%d` / `%i` print the value truncated toward zero (C passes a double to an int conversion).
 * - A format with no conversion prints as its literal text; a format with an unsupported or
 *   second conversion, `*`, or a width or precision above 1024, prints as `%g` rather than throwing.
 * - NaN never prints as `-nan` (JavaScript does not reliably keep a NaN's sign).
 * - Sexagesimal NaN and ±Infinity print as `%<w>f` would; huge values print their exact whole
 *   part instead of wrapping at C's `int` range.
 * - Output is never truncated to libindi's 64-byte buffer.
 *
 * @example
 * formatNumber(12.5, '%010.6m'); // '  12:30:00'
 * formatNumber(-0.5, '%9.6m'); // ' -0:30:00'
 * formatNumber(2.675, '%.2f mm'); // '2.67 mm'
 * formatNumber(15, '%.3e'); // '1.500e+01'
 * formatNumber(0.0001, '%g'); // '0.0001'
 */
export function formatNumber(value: number, format: string): string {
  const sexagesimal = SEXAGESIMAL_FORMAT.exec(format);
  if (sexagesimal) {
    const width = Number(sexagesimal[1]);
    const fraction = Number(sexagesimal[2]);
    if (!Number.isFinite(value)) return formatNumber(value, `%${width}f`);
    if (Math.abs(width - fraction) > MAX_FIELD) return formatNumber(value, '%g');
    return fsSexa(value, width - fraction, FRACBASE[fraction] ?? 60);
  }
  const parsed = parseFormat(format);
  if (parsed === undefined) return formatNumber(value, '%g');
  const [before, conversion, after] = parsed;
  return conversion === undefined ? before : before + convert(value, conversion) + after;
}

/**
 * Parse a number as INDI clients and drivers send it; undefined when it is not a number.
 *
 * Surrounding whitespace is ignored. Accepted: C-style decimals (`12.5`, `-3`, `+4`, `1e-8`, `.5`,
 * `5.`); `nan`, `inf` and `infinity` with an optional sign, in any case, as C's printf and strtod
 * spell them (so `NaN` and `Infinity` too); and sexagesimal `d:m` or `d:m:s` separated by `:`,
 * `;` or spaces, where only the degrees may carry a sign and it applies to the whole value
 * (`-0:30` is -0.5). Components are decimals without exponents; minutes and seconds are not
 * range-checked, as in libindi's `f_scansexa`. Anything else, including trailing junk, is rejected.
 *
 * @example
 * parseNumber(' 1e-8 '); // 1e-8
 * parseNumber('-12:30:15.5'); // -12.504305555555556
 * parseNumber('-0 30'); // -0.5
 * parseNumber('12abc'); // undefined
 */
export function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (DECIMAL_TEXT.test(trimmed)) return Number(trimmed);
  const special = NON_FINITE_TEXT.exec(trimmed);
  if (special) return special[2] !== undefined ? NaN : special[1] === '-' ? -Infinity : Infinity;
  const sexagesimal = SEXAGESIMAL_TEXT.exec(trimmed);
  if (!sexagesimal) return undefined;
  const [, sign, degrees = '', minutes = '', seconds = '0'] = sexagesimal;
  const magnitude = Number(degrees) + Number(minutes) / 60 + Number(seconds) / 3600;
  return sign === '-' ? -magnitude : magnitude;
}

/** Split a printf format into [text before, its conversion, text after]; undefined if unsupported. */
function parseFormat(format: string): [string, Conversion | undefined, string] | undefined {
  let before = '';
  let text = '';
  let conversion: Conversion | undefined;
  let i = 0;
  while (i < format.length) {
    const percent = format.indexOf('%', i);
    if (percent < 0) {
      text += format.slice(i);
      break;
    }
    text += format.slice(i, percent);
    if (format[percent + 1] === '%') {
      text += '%';
      i = percent + 2;
      continue;
    }
    CONVERSION.lastIndex = percent;
    const match = CONVERSION.exec(format);
    if (!match || conversion) return undefined;
    const [, flags = '', width = '', precision, letter = ''] = match;
    if (Number(width) > MAX_FIELD || Number(precision ?? 0) > MAX_FIELD) return undefined;
    conversion = {
      flags,
      width: Number(width),
      precision: precision === undefined ? undefined : Number(precision),
      letter,
    };
    before = text;
    text = '';
    i = CONVERSION.lastIndex;
  }
  return conversion ? [before, conversion, text] : [text, undefined, ''];
}

/** One printf conversion of `value`, padded to its width. */
function convert(value: number, { flags, width, precision, letter }: Conversion): string {
  const upper = letter === 'F' || letter === 'E' || letter === 'G';
  const alternate = flags.includes('#');
  let negative = value < 0;
  let body: string;
  let zeroPad = flags.includes('0') && Number.isFinite(value);
  if (!Number.isFinite(value)) {
    body = Number.isNaN(value) ? 'nan' : 'inf';
    if (upper) body = body.toUpperCase();
  } else if (letter === 'd' || letter === 'i') {
    const whole = BigInt(Math.trunc(value));
    const digits = (whole < 0n ? -whole : whole).toString();
    negative = whole < 0n;
    zeroPad &&= precision === undefined;
    body = precision === 0 && whole === 0n ? '' : digits.padStart(precision ?? 0, '0');
  } else {
    negative ||= Object.is(value, -0);
    const decimal = toDecimal(Math.abs(value));
    const digits = precision ?? 6;
    if (letter === 'f' || letter === 'F') body = fixed(decimal, digits, alternate);
    else if (letter === 'e' || letter === 'E') body = exponential(decimal, digits, alternate, upper);
    else body = general(decimal, digits, alternate, upper);
  }
  const sign = negative ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
  if (sign.length + body.length >= width) return sign + body;
  if (flags.includes('-')) return (sign + body).padEnd(width);
  if (zeroPad) return sign + body.padStart(width - sign.length, '0');
  return (sign + body).padStart(width);
}

/** `%f`: `precision` digits after the point. */
function fixed(decimal: Decimal, precision: number, alternate: boolean): string {
  const digits = round(decimal, decimal.point + precision)
    .toString()
    .padStart(precision + 1, '0');
  const whole = digits.slice(0, digits.length - precision);
  return precision > 0 || alternate ? `${whole}.${digits.slice(whole.length)}` : whole;
}

/** `%e`: one digit, the point, `precision` digits, and an exponent of at least two digits. */
function exponential(decimal: Decimal, precision: number, alternate: boolean, upper: boolean): string {
  const { digits, exponent } = scientific(decimal, precision + 1);
  const point = precision > 0 || alternate ? '.' : '';
  const magnitude = String(Math.abs(exponent)).padStart(2, '0');
  return `${digits[0] ?? ''}${point}${digits.slice(1)}${upper ? 'E' : 'e'}${exponent < 0 ? '-' : '+'}${magnitude}`;
}

/** `%g`: `%e` when the exponent is below -4 or at least the precision, else `%f`; trailing zeros go unless `#`. */
function general(decimal: Decimal, precision: number, alternate: boolean, upper: boolean): string {
  const significant = precision === 0 ? 1 : precision;
  const { exponent } = scientific(decimal, significant);
  const text =
    exponent >= -4 && exponent < significant
      ? fixed(decimal, significant - 1 - exponent, alternate)
      : exponential(decimal, significant - 1, alternate, upper);
  return alternate
    ? text
    : text.replace(/\.(\d*?)0*(?=$|[eE])/, (_, kept: string) => (kept ? `.${kept}` : ''));
}

/** The first `significant` digits of `decimal`, rounded, and the power of ten of the first. */
function scientific(decimal: Decimal, significant: number): { digits: string; exponent: number } {
  const digits = round(decimal, significant).toString().padStart(significant, '0');
  return digits.length > significant
    ? { digits: digits.slice(0, significant), exponent: decimal.point }
    : { digits, exponent: decimal.point - 1 };
}

/** The integer formed by the first `keep` digits of `decimal`, rounded half to even on the exact value. */
function round({ digits }: Decimal, keep: number): bigint {
  if (keep < 0) return 0n;
  const head = BigInt(digits.slice(0, keep).padEnd(keep, '0'));
  if (keep >= digits.length) return head;
  const next = Number(digits[keep]);
  const up = next > 5 || (next === 5 && (digits.length > keep + 1 || head % 2n === 1n));
  return up ? head + 1n : head;
}

/** The exact decimal expansion of a non-negative finite double. */
function toDecimal(value: number): Decimal {
  if (value === 0) return { digits: '', point: 1 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const biased = Number(bits >> 52n);
  const fraction = bits & 0xf_ffff_ffff_ffffn;
  const mantissa = biased === 0 ? fraction : fraction | 0x10_0000_0000_0000n;
  const exponent = Math.max(biased, 1) - 1075;
  const digits = (
    exponent >= 0 ? mantissa << BigInt(exponent) : mantissa * 5n ** BigInt(-exponent)
  ).toString();
  return { digits: digits.replace(/0+$/, ''), point: digits.length + Math.min(exponent, 0) };
}

/** libindi's `fs_sexa(out, value, width, fracbase)` for a finite value, with unbounded integers. */
function fsSexa(value: number, width: number, fracbase: number): string {
  const negative = value < 0;
  const n = BigInt(Math.trunc(Math.abs(value) * fracbase + 0.5));
  const degrees = n / BigInt(fracbase);
  const f = Number(n % BigInt(fracbase));
  const whole =
    negative && degrees === 0n
      ? `${' '.repeat(Math.abs(width - 2))}-0`
      : justify(String(negative ? -degrees : degrees), width);
  const perMinute = fracbase / 60;
  const minutes = two(Math.trunc(f / perMinute));
  const s = f % perMinute;
  switch (fracbase) {
    case 60:
      return `${whole}:${minutes}`;
    case 600:
      return `${whole}:${minutes}.${f % 10}`;
    case 3600:
      return `${whole}:${minutes}:${two(s)}`;
    case 36000:
      return `${whole}:${minutes}:${two(Math.trunc(s / 10))}.${s % 10}`;
    default:
      return `${whole}:${minutes}:${two(Math.trunc(s / 100))}.${two(s % 100)}`;
  }
}

/** C's `%*s` / `%*d` padding: right-justify in `width`, or left-justify in `-width` when negative. */
function justify(text: string, width: number): string {
  return width < 0 ? text.padEnd(-width) : text.padStart(width);
}

/** C's `%02d` for a small non-negative integer. */
function two(n: number): string {
  return String(n).padStart(2, '0');
}
