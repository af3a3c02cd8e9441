/**
 * Fuzzing `fromLayersModelArtifacts`, the reader of TensorFlow.js Layers
 * models (model.json + weights) from untrusted files: structural mutations of
 * valid model.json trees (wrong shapes, dtypes, names, extra and missing
 * weights, huge dims, prototype keys, deep nesting), JSON that is not an
 * object, and weight bytes of the wrong length or content. Every case gives a
 * model whose weights match `layerShapes(spec)` and which predicts, or a
 * `ModelFormatError` naming the file; and no case allocates more than its
 * weight bytes can fill (4 bytes of float32 per stored byte, for uint8
 * quantization), whatever the manifest claims.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { ModelFormatError } from '../../../src/errors.js';
import { fromLayersModelArtifacts, toLayersModelArtifacts } from '../../../src/io/layers-model.js';
import { FuzzTarget, timeoutFor } from './harness.js';
import { applyByteEdits, applyJsonEdits, byteEdits, hostileJsonValue, jsonEdits } from './mutators.js';
import { BASE_MODELS, checkAcceptedModel, quantizedLayersArtifacts } from './model-bases.js';

const target = new FuzzTarget('layers-model', 'TensorFlow.js Layers model loader (model.json + weights)', ['fromLayersModelArtifacts']);
const SOURCE = 'fuzz/model.json';

/** Valid artifacts: each base model as float32, and quantized (float16 / uint8) the way the TF.js converter writes them. */
const BASES = BASE_MODELS.flatMap((m) => {
  const plain = toLayersModelArtifacts(m);
  return [{ modelJson: plain.modelJson as unknown, weightData: new Uint8Array(plain.weightData) }, quantizedLayersArtifacts(m)];
});
const base = fc.constantFrom(...BASES.keys());

/** Weight bytes can grow by at most 4× when decoded (uint8 → float32), plus small bookkeeping. */
const allocBound = (bytes: Uint8Array): number => 4 * bytes.length + 64 * 1024;
const allocText = '4 × the weight bytes given (uint8 → float32) + 64 KiB';
const contract = { errors: [ModelFormatError], names: SOURCE, allocText, check: checkAcceptedModel } as const;

describe('fromLayersModelArtifacts', () => {
  it('the untouched bases load (the fixtures are sound)', async () => {
    await target.property('valid bases are accepted', base, {
      ...contract, runs: BASES.length * 2, longShare: 0,
      allocBound: (i) => allocBound(BASES[i].weightData),
      run: (i) => fromLayersModelArtifacts(BASES[i].modelJson, BASES[i].weightData, SOURCE),
    });
  });

  it('JSON that is not a model: any value, non-objects, deep nesting, broken text', async () => {
    const deep = (n: number, open: string, close: string) => open.repeat(n) + close.repeat(n);
    const arb = fc.oneof(
      hostileJsonValue,
      fc.jsonValue({ maxDepth: 6 }),
      fc.string({ maxLength: 40 }),
      fc.integer({ min: 1, max: 100_000 }).map((n) => deep(n, '[', ']')),
      fc.integer({ min: 1, max: 100_000 }).map((n) => deep(n, '{"a":', '}').replace(/}$/, '0}')),
      fc.tuple(base, fc.nat()).map(([i, cut]) => {
        const text = JSON.stringify(BASES[i].modelJson);
        return text.slice(0, cut % text.length);
      }),
    );
    await target.property('non-model JSON and broken text', fc.tuple(arb, base), {
      ...contract, runs: 200, longShare: 0.25,
      allocBound: ([, i]) => allocBound(BASES[i].weightData),
      run: ([json, i]) => fromLayersModelArtifacts(json, BASES[i].weightData, SOURCE),
    });
  }, timeoutFor(60_000, 0.25));

  it('structural mutations of valid model.json trees (as objects and as text), weights untouched', async () => {
    await target.property('mutated model.json', fc.tuple(base, jsonEdits(3), fc.boolean()), {
      ...contract, runs: 400, longShare: 1,
      prepare: ([i, edits, asText]) => {
        const json = applyJsonEdits(BASES[i].modelJson, edits);
        return { i, json: asText ? JSON.stringify(json) : json };
      },
      allocBound: ({ i }) => allocBound(BASES[i].weightData),
      run: ({ i, json }) => fromLayersModelArtifacts(json, BASES[i].weightData, SOURCE),
    });
  }, timeoutFor(90_000));

  it('weight bytes that lie: truncated, extended, corrupted (NaN, Infinity), empty', async () => {
    await target.property('mutated weight bytes', fc.tuple(base, byteEdits(64, 4)), {
      ...contract, runs: 300, longShare: 0.5,
      prepare: ([i, edits]) => ({ i, bytes: applyByteEdits(BASES[i].weightData, edits) }),
      allocBound: ({ bytes }) => allocBound(bytes),
      run: ({ i, bytes }) => fromLayersModelArtifacts(BASES[i].modelJson, bytes, SOURCE),
    });
  }, timeoutFor(60_000, 0.5));

  it('huge dims anywhere a size is read (units, filters, kernels, pools, shapes): refused before allocating for them', async () => {
    const HUGE = fc.constantFrom(2 ** 31 - 1, 2 ** 32, 1e9, 65536, 65537, 1 << 24, 1e15, 2 ** 53);
    // Numeric leaves of the tree, found by path; each case sets one or two of them huge.
    const arb = fc.tuple(base, fc.array(fc.tuple(fc.nat(), HUGE), { minLength: 1, maxLength: 2 }));
    const prepare = ([i, picks]: [number, [number, number][]]) => {
      const json = JSON.parse(JSON.stringify(BASES[i].modelJson)) as unknown;
      const leaves: { parent: Record<string | number, unknown>; key: string | number }[] = [];
      const walk = (node: unknown): void => {
        if (node === null || typeof node !== 'object') return;
        for (const [k, v] of Object.entries(node)) {
          const key = Array.isArray(node) ? Number(k) : k;
          if (typeof v === 'number') leaves.push({ parent: node as Record<string | number, unknown>, key });
          else walk(v);
        }
      };
      walk(json);
      for (const [pick, value] of picks) {
        const leaf = leaves[pick % leaves.length];
        leaf.parent[leaf.key] = value;
      }
      return { i, json };
    };
    await target.property('huge dims', arb, {
      ...contract, runs: 300, longShare: 0.25, prepare,
      allocBound: ({ i }) => allocBound(BASES[i].weightData),
      run: ({ i, json }) => fromLayersModelArtifacts(json, BASES[i].weightData, SOURCE),
    });
  }, timeoutFor(60_000, 0.25));

  it('both at once: mutated model.json with mutated weight bytes', async () => {
    await target.property('mutated model.json and weights', fc.tuple(base, jsonEdits(2), byteEdits(32, 2)), {
      ...contract, runs: 300, longShare: 0.5,
      prepare: ([i, jEdits, bEdits]) => ({ json: applyJsonEdits(BASES[i].modelJson, jEdits), bytes: applyByteEdits(BASES[i].weightData, bEdits) }),
      allocBound: ({ bytes }) => allocBound(bytes),
      run: ({ json, bytes }) => fromLayersModelArtifacts(json, bytes, SOURCE),
    });
  }, timeoutFor(60_000, 0.5));
});
