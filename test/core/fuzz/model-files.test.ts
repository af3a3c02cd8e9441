/**
 * Fuzzing `loadModelDir` on hostile files in a temp dir: model.json mutated
 * or replaced by junk, weights.bin truncated, extended, corrupted, missing,
 * a directory, a device or a sparse 100 MB file; manifests naming missing
 * shards, directories, model.json itself, or the same shard twice; compact
 * files mutated. A model that predicts, or a `ModelFormatError` naming the
 * file, or a `ModelFileError` naming the path that is not there; an
 * oversized file is refused by its size, before it is read.
 */
import fc from 'fast-check';
import { mkdir, mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelFileError, ModelFormatError } from '../../../src/errors.js';
import { encodeCompactModel } from '../../../src/io/compact-model.js';
import { toLayersModelArtifacts } from '../../../src/io/layers-model.js';
import { loadModelDir } from '../../../src/node/model-files.js';
import type { ModelWeights } from '../../../src/models/spec.js';
import { FuzzTarget, timeoutFor } from './harness.js';
import { applyByteEdits, applyJsonEdits, byteEdits, jsonEdits, type ByteEdit, type JsonEdit } from './mutators.js';
import { BASE_MODELS, checkAcceptedModel } from './model-bases.js';

const target = new FuzzTarget('model-files', 'model files on disk (Node)', ['loadModelDir'], {
  notes: 'Besides `ModelFormatError`, `loadModelDir` throws `ModelFileError` for a path that cannot be read ' +
    '(a manifest naming a missing shard, a path through a file, a symlink loop), naming the path and the reason (ENOENT, ENOTDIR, ELOOP). ' +
    'Every such error here named a path inside the case folder.',
});

let root: string;
let caseNo = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'digit-classifier-fuzz-model-files-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const SMALL = BASE_MODELS.slice(0, 2); // the tiny MLP and CNN: cheap to write many times
const LAYERS = SMALL.map((m) => {
  const { modelJson, weightData } = toLayersModelArtifacts(m);
  return { modelJson: modelJson as unknown, weights: new Uint8Array(weightData) };
});
const COMPACT = SMALL.flatMap((m) => [encodeCompactModel(m, { dtype: 'int8' }), encodeCompactModel(m, { dtype: 'float16' })]);
const SPARSE_BYTES = 100 * 1024 * 1024;

type ModelJsonForm = { kind: 'edited'; edits: JsonEdit[] } | { kind: 'junk'; bytes: Uint8Array } | { kind: 'cut'; at: number } | { kind: 'sparse' } | { kind: 'device' };
type WeightsForm = { kind: 'edited'; edits: ByteEdit[] } | { kind: 'missing' } | { kind: 'directory' } | { kind: 'sparse' } | { kind: 'device' } | { kind: 'loop' };
type Scenario =
  | { kind: 'layers'; base: number; json: ModelJsonForm; weights: WeightsForm; paths: string[] | null; byFolder: boolean }
  | { kind: 'compact'; base: number; edits: ByteEdit[]; name: string }
  | { kind: 'no-model'; withWeights: boolean };

const scenario: fc.Arbitrary<Scenario> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('layers' as const),
      base: fc.constantFrom(...LAYERS.keys()),
      json: fc.oneof(
        { weight: 5, arbitrary: jsonEdits(2).map((edits) => ({ kind: 'edited' as const, edits })) },
        { weight: 1, arbitrary: fc.constant({ kind: 'edited' as const, edits: [] as JsonEdit[] }) },
        { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ kind: 'junk' as const, bytes })) },
        { weight: 1, arbitrary: fc.nat().map((at) => ({ kind: 'cut' as const, at })) },
        { weight: 1, arbitrary: fc.constantFrom({ kind: 'sparse' as const }, { kind: 'device' as const }) },
      ),
      weights: fc.oneof(
        { weight: 5, arbitrary: byteEdits(32, 3).map((edits) => ({ kind: 'edited' as const, edits })) },
        { weight: 2, arbitrary: fc.constant({ kind: 'edited' as const, edits: [] as ByteEdit[] }) },
        { weight: 2, arbitrary: fc.constantFrom({ kind: 'missing' as const }, { kind: 'directory' as const }, { kind: 'sparse' as const }, { kind: 'device' as const }, { kind: 'loop' as const }) },
      ),
      paths: fc.option(fc.array(fc.constantFrom('weights.bin', 'missing.bin', 'model.json', 'sub', 'weights.bin/x', 'sub/weights.bin', 'loop'), { minLength: 1, maxLength: 3 }), { freq: 3 }),
      byFolder: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('compact' as const),
      base: fc.constantFrom(...COMPACT.keys()),
      edits: fc.oneof(fc.constant([] as ByteEdit[]), byteEdits(200, 3)),
      name: fc.constantFrom('model.dcm', 'model.json', 'cnn.bin'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('no-model' as const), withWeights: fc.boolean() }) },
);

/** Writes the scenario into a fresh folder; returns the path to load. */
async function materialise(s: Scenario): Promise<{ path: string; dir: string }> {
  const dir = join(root, `case-${++caseNo}`);
  await mkdir(join(dir, 'sub'), { recursive: true });
  const modelJsonPath = join(dir, 'model.json');
  if (s.kind === 'compact') {
    const path = join(dir, s.name);
    await writeFile(path, applyByteEdits(COMPACT[s.base], s.edits));
    return { path, dir };
  }
  if (s.kind === 'no-model') {
    if (s.withWeights) await writeFile(join(dir, 'weights.bin'), LAYERS[0].weights);
    return { path: dir, dir };
  }
  const base = LAYERS[s.base];
  let json = base.modelJson as { weightsManifest?: { paths?: string[] }[] };
  if (s.json.kind === 'edited') json = applyJsonEdits(json, s.json.edits) as typeof json;
  if (s.paths && json && typeof json === 'object' && Array.isArray(json.weightsManifest) && json.weightsManifest[0] && typeof json.weightsManifest[0] === 'object') {
    json.weightsManifest[0].paths = s.paths;
  }
  const text = JSON.stringify(json) ?? 'null';
  switch (s.json.kind) {
    case 'edited':
      await writeFile(modelJsonPath, text);
      break;
    case 'junk':
      await writeFile(modelJsonPath, s.json.bytes);
      break;
    case 'cut':
      await writeFile(modelJsonPath, text.slice(0, s.json.at % (text.length + 1)));
      break;
    case 'sparse':
      await writeFile(modelJsonPath, text);
      await truncate(modelJsonPath, SPARSE_BYTES);
      break;
    case 'device':
      await symlink('/dev/zero', modelJsonPath);
      break;
  }
  const weightsPath = join(dir, 'weights.bin');
  switch (s.weights.kind) {
    case 'edited':
      await writeFile(weightsPath, applyByteEdits(base.weights, s.weights.edits));
      break;
    case 'missing':
      break;
    case 'directory':
      await mkdir(weightsPath);
      break;
    case 'sparse':
      await writeFile(weightsPath, base.weights);
      await truncate(weightsPath, SPARSE_BYTES);
      break;
    case 'device':
      await symlink('/dev/zero', weightsPath);
      break;
    case 'loop':
      await symlink('weights.bin', weightsPath);
      break;
  }
  await symlink('loop', join(dir, 'loop')).catch(() => undefined);
  await writeFile(join(dir, 'sub', 'weights.bin'), base.weights);
  return { path: s.byFolder ? dir : modelJsonPath, dir };
}

describe('loadModelDir', () => {
  it('hostile folders and files: a model, a ModelFormatError naming the file, or a ModelFileError naming the path', async () => {
    await target.property('hostile model folders', scenario, {
      errors: [ModelFormatError, ModelFileError], runs: 120, longShare: 0.05,
      // Every error names a path inside the case's folder.
      names: () => root,
      run: async (s) => {
        const { path, dir } = await materialise(s);
        try {
          const rssBefore = process.memoryUsage().arrayBuffers;
          const model = await loadModelDir(path).catch((e: unknown) => {
            // An oversized file must be refused by its size, before anything is read.
            if (process.memoryUsage().arrayBuffers - rssBefore > SPARSE_BYTES / 2) throw new Error(`read ${SPARSE_BYTES} bytes of a sparse file instead of refusing it by size`);
            throw e;
          });
          return { model, scenario: s };
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
      check: ({ model }) => checkAcceptedModel(model as ModelWeights),
    });
  }, timeoutFor(90_000, 0.05));

  it('a sparse 100 MB model.json or weights.bin is refused by its size, without reading it', async () => {
    for (const which of ['model.json', 'weights.bin'] as const) {
      const dir = join(root, `sparse-${which}`);
      await mkdir(dir, { recursive: true });
      const { modelJson, weightData } = toLayersModelArtifacts(SMALL[0]);
      await writeFile(join(dir, 'model.json'), JSON.stringify(modelJson));
      await writeFile(join(dir, 'weights.bin'), new Uint8Array(weightData));
      await truncate(join(dir, which), SPARSE_BYTES);
      const before = process.memoryUsage();
      const t0 = performance.now();
      const error = await loadModelDir(dir).catch((e: unknown) => e as Error);
      const ms = performance.now() - t0;
      expect(error).toBeInstanceOf(ModelFormatError);
      expect((error as Error).message).toMatch(new RegExp(`${which.replace('.', '\\.')}: expected at most \\d+ bytes, got ${SPARSE_BYTES}`));
      expect(process.memoryUsage().arrayBuffers - before.arrayBuffers).toBeLessThan(8 << 20);
      expect(ms).toBeLessThan(1000);
    }
  });
});
