import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const page = (name: string) => fileURLToPath(new URL(name, import.meta.url));

export default defineConfig({
  plugins: [react()],
  // Relative base so the built app works from any static host path (GitHub Pages, a USB stick).
  base: './',
  worker: { format: 'es' },
  server: { host: '127.0.0.1', port: 5173 },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 6000,
    // kernel-check.html is the WebGPU kernel test's page (tests/browser/kernels-webgpu.spec.ts).
    rollupOptions: { input: { main: page('index.html'), kernelCheck: page('kernel-check.html') } },
  },
});
