import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

const page = (name: string) => fileURLToPath(new URL(name, import.meta.url));

const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * `vite build` is the app alone. `vite build --mode devpages` adds the pages only tests use
 * (devpages/kernel-check.html, the WebGPU kernel check of tests/browser/kernels-webgpu.spec.ts):
 * `npm test` builds that way; a deployment never ships them.
 */
export default defineConfig(({ mode }) => ({
  plugins: [
    react(),
    // Offline after one visit: a service worker precaches the app, its workers, the WebAssembly
    // files, Plotly's bundles and the shipped presets (the dev and test pages stay out).
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: 'script-defer',
      manifest: {
        name: 'NM-RNN Playground',
        short_name: 'NM-RNN',
        description: 'Train neuromodulated recurrent neural networks live in the browser.',
        display: 'standalone',
        icons: [],
      },
      workbox: {
        // Adds the cross-origin-isolation headers on hosts that do not send them (public/).
        importScripts: ['coi-headers.js'],
        globPatterns: ['**/*.{js,css,html,wasm,json,webmanifest}'],
        globIgnores: ['**/kernelCheck*', 'devpages/**'],
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        navigateFallback: 'index.html',
        navigateFallbackDenylist: [/kernel-check/],
      },
    }),
  ],
  // Relative base so the built app works from any static host path (GitHub Pages, a USB stick).
  base: './',
  worker: { format: 'es' },
  // Cross-origin isolation (COOP + COEP), so the training worker may share memory with its step
  // threads (src/worker/stepThreads.ts). The app loads nothing from other origins.
  server: { host: '127.0.0.1', port: 5173, headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 6000,
    rollupOptions: {
      input: {
        main: page('index.html'),
        ...(mode === 'devpages' ? { kernelCheck: page('devpages/kernel-check.html') } : {}),
      },
    },
  },
}));
