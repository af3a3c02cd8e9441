/**
 * Says in words which backend the worker runs on and why: what was asked for,
 * the WASM variant and threads or the GPU adapter, and each faster option
 * that was passed over with its reason.
 */
import type { BackendReport } from '../../workers/index.js';
import { duration } from './dom.js';

const NAMES: Readonly<Record<string, string>> = { webgpu: 'WebGPU', wasm: 'WASM', cpu: 'CPU (plain JS)' };

/** "WASM (threaded SIMD, 4 threads)", or "WASM, fused engine (relaxed-simd, 2 threads)". */
export function backendName(report: BackendReport): string {
  const name = NAMES[report.name] ?? report.name;
  const engine = report.trainingEngine;
  if (engine?.name === 'fused' && engine.variant) {
    return `${name}, fused engine (${engine.variant.simd}, ${engine.variant.threads} thread${engine.variant.threads === 1 ? '' : 's'})`;
  }
  if (report.name === 'wasm') {
    const variant = report.wasmVariant === 'threaded-simd' ? 'threaded SIMD' : report.wasmVariant === 'simd' ? 'SIMD' : 'plain';
    return `${name} (${variant}${report.threads ? `, ${report.threads} thread${report.threads === 1 ? '' : 's'}` : ''})`;
  }
  if (report.name === 'webgpu' && report.adapter) {
    const a = report.adapter;
    return `${name} (${[a.vendor, a.architecture || a.description].filter(Boolean).join(' ') || 'adapter'}${a.isFallbackAdapter ? ', software' : ''})`;
  }
  return name;
}

/** Why this backend: the request, then every option passed over and its reason. */
export function backendReason(report: BackendReport): string {
  const asked = report.requested === 'auto' ? 'auto picks the fastest backend that really works' : `you asked for ${NAMES[report.requested] ?? report.requested}`;
  const passed = report.passedOver.map((p) => `${p.engine === 'fused' ? 'the fused engine' : (NAMES[p.backend] ?? p.backend)}${p.variant ? ` ${p.variant}` : ''}: ${p.reason}`);
  const isolated = report.crossOriginIsolated ? 'the page is cross-origin isolated' : 'the page is not cross-origin isolated';
  const measured = report.calibration?.length
    ? `; measured per training step: ${report.calibration.map((c) => `${c.engine === 'fused' ? 'fused engine' : `tfjs ${NAMES[c.backend] ?? c.backend}`}${c.variant ? ` (${c.variant})` : ''} ${c.stepMs.toFixed(2)} ms`).join(', ')}`
    : '';
  const trains = report.trainingEngine ? `; trains on ${report.trainingEngine.name === 'fused' ? 'the fused SIMD-WASM engine' : 'tfjs ops'}: ${report.trainingEngine.reasons.join('; ')}` : '';
  return `${asked}; ${isolated}${measured}${passed.length ? `; passed over ${passed.join('; ')}` : ''}${trains}. Started in ${duration(report.initMs)}.`;
}
