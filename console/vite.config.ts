import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served by the API at /console (same origin as the API it calls). `npm run dev -w console` proxies the API.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1000 },
  server: {
    proxy: { '/v1': 'http://127.0.0.1:3000' },
    // The type-compatibility table is imported from the API's sources (one table decides compatibility).
    fs: { allow: ['..'] },
  },
});
