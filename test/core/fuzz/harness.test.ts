/**
 * The harness checks itself: the allocation spy sees allocations made by
 * src/ modules and by dependencies, counts views as free, and restores the
 * globals; a property that breaks the contract fails. (A fuzzer whose checks
 * cannot fail would be worse than none.)
 */
import fc from 'fast-check';
import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { IdxFormatError, ModelFormatError } from '../../../src/errors.js';
import { readFloat32LE } from '../../../src/io/little-endian.js';
import { withAllocationSpy } from './allocation-spy.js';
import { FuzzTarget } from './harness.js';
import { applyByteEdits, applyJsonEdits } from './mutators.js';

describe('withAllocationSpy', () => {
  it('counts new backing stores, including from(), in src/ and in dependencies; views are free', async () => {
    const original = Float32Array;
    const bytes = new Uint8Array(64);
    const { allocations } = await withAllocationSpy(() => {
      void new Float32Array(10); // 40
      void Float32Array.from([1, 2]); // 8
      void new Uint8Array(bytes.buffer, 8, 16); // a view: 0
      void new ArrayBuffer(100); // 100
      void readFloat32LE(bytes, 0, 4); // src/: 16
    });
    expect(allocations.total).toBe(40 + 8 + 100 + 16);
    expect(allocations.largest).toBe(100);
    expect(Float32Array).toBe(original);
    // fast-png (a dependency) is seen too.
    const png = await withAllocationSpy(() => encode({ width: 4, height: 4, data: new Uint8Array(16), channels: 1, depth: 8 }));
    expect(png.allocations.total).toBeGreaterThan(0);
  });

  it('catches a parser that allocates from its header, and restores globals after a throw', async () => {
    const naive = (b: Uint8Array) => new Uint8Array(new DataView(b.buffer).getUint32(0));
    const header = Uint8Array.of(0, 0x10, 0, 0);
    const { allocations, error } = await withAllocationSpy(() => naive(header));
    expect(error).toBeUndefined();
    expect(allocations.total).toBe(0x100000);
    const thrown = await withAllocationSpy(() => {
      throw new Error('boom');
    });
    expect((thrown.error as Error).message).toBe('boom');
    expect(new Uint8Array(1).constructor).toBe(Uint8Array);
  });
});

describe('FuzzTarget.property fails a broken contract', () => {
  const target = new FuzzTarget('harness-self-test', 'harness self-test', [], { record: false });
  const base = { names: 'src', runs: 20 } as const;
  const rejects = async (p: Promise<unknown>, pattern: RegExp) => {
    await expect(p).rejects.toThrow(pattern);
  };

  it('an untyped exception, a typed one not naming the source, a broken invariant, an allocation over the bound', async () => {
    await rejects(target.property('untyped', fc.nat(), { ...base, errors: [IdxFormatError], run: () => { throw new RangeError('Invalid array length'); }, check: () => undefined }), /expected one of IdxFormatError, got RangeError/);
    await rejects(target.property('unnamed', fc.nat(), { ...base, errors: [IdxFormatError], run: () => { throw new IdxFormatError('bad'); }, check: () => undefined }), /to name "src"/);
    await rejects(target.property('wrong class', fc.nat(), { ...base, errors: [IdxFormatError], run: () => { throw new ModelFormatError('src: bad'); }, check: () => undefined }), /got ModelFormatError/);
    await rejects(target.property('invariant', fc.nat(), { ...base, errors: [IdxFormatError], run: (n) => n, check: (n) => expect(n).toBeLessThan(0) }), /to be less than 0/);
    await rejects(target.property('allocation', fc.nat({ max: 100 }), {
      ...base, errors: [IdxFormatError], allocBound: () => 0, allocText: 'none',
      run: (n) => new Float64Array(n + 1), check: () => undefined,
    }), /allocated \d+ bytes/);
    await rejects(target.property('must reject', fc.nat(), { ...base, errors: [IdxFormatError], mustReject: true, run: (n) => n, check: () => undefined }), /expected this hostile input to be rejected/);
  });
});

describe('mutators', () => {
  it('apply byte edits without throwing on any length, and JSON edits on copies', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), fc.array(fc.record({ op: fc.constant('truncate' as const), at: fc.nat() })), (bytes, edits) => {
      expect(applyByteEdits(bytes, edits).length).toBeLessThanOrEqual(bytes.length);
    }), { seed: 1, numRuns: 100 });
    const tree = { a: [1, 2, { b: 3 }] };
    // Paths: [], [a], [a, 0], [a, 1], [a, 2], [a, 2, b]: pick 4 is the inner object.
    const edited = applyJsonEdits(tree, [{ op: 'addKey', pick: 4, key: '__proto__', value: { polluted: true } }]) as { a: [number, number, object] };
    expect(Object.prototype.hasOwnProperty.call(edited.a[2], '__proto__')).toBe(true);
    expect(JSON.parse(JSON.stringify(edited))).toEqual(JSON.parse('{"a":[1,2,{"b":3,"__proto__":{"polluted":true}}]}'));
    expect(tree).toEqual({ a: [1, 2, { b: 3 }] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
