/**
 * Starting the webgpu backend for the kernel-check page, and catching what WebGPU reports only
 * asynchronously: an invalid pipeline (a shader that does not compile, too many storage buffers)
 * does not throw, it drops the whole command buffer and leaves stale numbers behind. The device's
 * uncaptured errors are collected so a check can fail on them.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { registerFusedKernels } from '../core/kernels/register';

interface GpuErrorEvent {
  error: { message: string };
}

/** The part of WebGPUBackend and GPUDevice used here (the webgpu types are not in the project). */
interface BackendWithDevice {
  device: { addEventListener(type: 'uncapturederror', cb: (e: GpuErrorEvent) => void): void };
}

export type GpuStart =
  { ok: true; adapter: string; errors: string[] } | { ok: false; error: string };

/** Registers the fused kernels and starts webgpu; `errors` fills with the device's errors. */
export async function startWebgpu(): Promise<GpuStart> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return { ok: false, error: 'navigator.gpu is missing: WebGPU is not enabled' };
  const adapter = (await gpu.requestAdapter()) as {
    info?: { vendor?: string; architecture?: string };
  } | null;
  if (!adapter) {
    return { ok: false, error: 'no WebGPU adapter: navigator.gpu.requestAdapter() returned null' };
  }
  registerFusedKernels();
  if (!(await tf.setBackend('webgpu')))
    return { ok: false, error: 'tf.setBackend("webgpu") failed' };
  await tf.ready();
  const errors: string[] = [];
  const backend = tf.backend() as unknown as Partial<BackendWithDevice>;
  backend.device?.addEventListener('uncapturederror', (e) => {
    errors.push(e.error.message.split('\n')[0]);
  });
  const info = adapter.info;
  return { ok: true, adapter: `${info?.vendor ?? '?'} ${info?.architecture ?? ''}`.trim(), errors };
}

export function errorText(e: unknown): string {
  return e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
}
