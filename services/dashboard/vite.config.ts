import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * Built into dist/ and served by the gateway at /app (same origin as the API, so no CORS and a
 * CSP of 'self'). The manifest lets scripts/report-bundle.ts measure what the first page loads.
 */
export default defineConfig({
  base: '/app/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    sourcemap: false,
    target: 'es2022',
    // Inlined assets would become data: URLs; every file stays a file so the CSP can stay 'self'.
    assetsInlineLimit: 0,
  },
  server: {
    // `pnpm --filter @callvault/dashboard dev` against the local gateway.
    proxy: { '/v1': 'http://127.0.0.1:3000', '/app/config.json': 'http://127.0.0.1:3000' },
  },
});
