// The one description of a wrong value that every boundary check uses (core, worker, widgets).
import { describe, expect, it } from 'vitest';
import { createInference } from '../../src/inference/create-inference.js';
import { decodePng } from '../../src/io/png.js';
import { toMnistPixels } from '../../src/preprocess/to-mnist-pixels.js';
import { loadPretrained } from '../../src/pretrained/load-pretrained.js';
import { describeValue } from '../../src/util/describe-value.js';

describe('describeValue', () => {
  it('names each kind of value, and the same wrong value reads the same from every check', () => {
    expect([null, undefined, -2, Number.NaN, true].map(describeValue)).toEqual(['null', 'undefined', '-2', 'NaN', 'true']);
    expect(describeValue('0.1,0.9')).toBe('a string "0.1,0.9"');
    expect(describeValue('x'.repeat(50))).toBe(`a string "${'x'.repeat(40)}…"`);
    expect(describeValue([1, 2])).toBe('an array of length 2');
    expect(describeValue(new Uint8Array(100))).toBe('a Uint8Array of length 100');
    expect(describeValue(new DataView(new ArrayBuffer(8)))).toBe('a DataView of 8 bytes');
    expect(describeValue(new ArrayBuffer(3))).toBe('an ArrayBuffer of 3 bytes');
    expect(describeValue(new Map())).toBe('a Map');
    expect(describeValue({ digit: 7, probabilities: [] })).toBe('an object with keys digit, probabilities');
    expect(describeValue({})).toBe('an empty object');
    expect(describeValue(() => 1)).toBe('a function');
    // Three boundaries, one wording for the same array.
    const inference = createInference(loadPretrained('mlp'));
    expect(() => inference.predict([1, 2] as never)).toThrow(/got an array of length 2$/);
    expect(() => decodePng([1, 2] as never, 'x.png')).toThrow(/got an array of length 2$/);
    expect(() => toMnistPixels({ width: 1, height: 1, data: [1, 2] } as never)).toThrow(/got an array of length 2$/);
  });
});
