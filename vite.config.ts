import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

const page = (name: string) => fileURLToPath(new URL(name, import.meta.url));

export default defineConfig({
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
        globPatterns: ['**/*.{js,css,html,wasm,json,webmanifest}'],
        globIgnores: ['**/kernelCheck*', 'kernel-check.html'],
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        navigateFallback: 'index.html',
        navigateFallbackDenylist: [/kernel-check/],
      },
    }),
  ],
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
