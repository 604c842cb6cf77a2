import { describe, expect, it } from 'vitest';
import { decodeValue, encodeValue, UnsupportedValueError } from './backup-format.ts';

/** Through a JSON line and back, as a backup file carries it. */
const carried = (value: unknown, target: 'sqlite' | 'postgres' = 'postgres') =>
  decodeValue(JSON.parse(JSON.stringify(encodeValue(value))), target);

describe('backup column values', () => {
  it('carries text, numbers, NULL and bytes exactly through a JSON line', () => {
    for (const v of [
      null,
      '',
      'é🎓\n"{\\"json\\": [1]}"\u2028',
      0,
      -42,
      1_767_225_600_123,
      0.1 + 0.2,
      1e-300,
      1.7976931348623157e308,
    ])
      expect(carried(v)).toBe(v);
    expect(carried(undefined)).toBeNull();
    expect(carried(Buffer.from([0, 1, 254, 255]))).toEqual(Buffer.from([0, 1, 254, 255]));
    expect(carried(new Uint8Array(0))).toEqual(Buffer.alloc(0));
    expect(carried(Number.NaN)).toBeNaN();
    expect(carried(-Infinity)).toBe(-Infinity);
  });

  it('carries what JSON numbers cannot hold, and booleans, in the form each database binds', () => {
    const big = 2n ** 63n - 1n;
    expect(carried(big, 'sqlite')).toBe(big);
    expect(carried(big, 'postgres')).toBe('9223372036854775807');
    expect(carried(true, 'sqlite')).toBe(1);
    expect(carried(false, 'postgres')).toBe(false);
  });

  it('refuses to write a value it could not give back exactly', () => {
    expect(() => encodeValue(new Date())).toThrow(UnsupportedValueError);
    expect(() => encodeValue({ a: 1 })).toThrow(UnsupportedValueError);
  });

  it('refuses to read anything it never writes', () => {
    for (const cell of [
      [1],
      { $bytes: 1 },
      { $bytes: 'AA==', more: 1 },
      { $bigint: '1.5' },
      { $number: '1' },
      { x: 'y' },
    ])
      expect(() => decodeValue(cell, 'sqlite')).toThrow(/not a column value/);
  });
});
