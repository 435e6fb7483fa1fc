import { fileURLToPath } from 'node:url';
import { tanstackRouter } from '@tanstack/router-plugin/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { compression } from 'vite-plugin-compression2';
import { routePreloads } from './build/route-preloads';

/** Where `pnpm dev` forwards API calls: the server started with `pnpm --filter @crm/server dev`. */
const apiTarget = process.env.CRM_API_URL ?? 'http://localhost:3000';

// The server refuses state-changing requests whose Origin is not its own, so the dev proxy
// presents the API's own origin instead of the Vite dev server's.
const proxy = { target: apiTarget, changeOrigin: true, headers: { origin: new URL(apiTarget).origin } };

export default defineConfig({
  plugins: [
    // Must come before react(): it generates src/routeTree.gen.ts and splits route components.
    // Tests beside the pages (sign-in.test.tsx) are not routes.
    tanstackRouter({ target: 'react', autoCodeSplitting: true, routeFileIgnorePattern: '\\.test\\.tsx?$' }),
    react(),
    // route-preloads.json: each page's scripts beyond the shell, named in that page's HTML by the server.
    routePreloads(fileURLToPath(new URL('./src/routes', import.meta.url))),
    // Brotli and gzip copies of every text asset beside it: the server sends the smallest the
    // browser accepts (serveStatic's `precompressed`), with no compression work per request.
    compression({
      algorithms: ['brotliCompress', 'gzip'],
      include: /\.(js|mjs|css|html|svg|json|txt)$/,
      threshold: 1024,
    }),
  ],
  server: {
    port: 5173,
    proxy: { '/trpc': proxy, '/api': proxy, '/healthz': proxy },
  },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // The app shell (the entry and everything it imports statically) in one chunk: one
            // request instead of a dozen small ones. A browser opens six connections to the
            // server at most, and a cold page's own scripts and its data wait behind them.
            { name: 'shell', tags: ['$initial'] },
          ],
        },
      },
      treeshake: {
        // antd's building blocks declare no `sideEffects` (antd itself does), so importing one
        // export of a package's index kept the whole package: the config provider's form
        // context brought all of @rc-component/form and its validator into the app shell.
        // Their modules do nothing on import but define components and helpers.
        moduleSideEffects: [
          { test: /\/node_modules\/@rc-component\//, sideEffects: false },
          {
            test: /\/node_modules\/@ant-design\/(cssinjs|cssinjs-utils|colors|fast-color)\//,
            sideEffects: false,
          },
        ],
      },
    },
  },
});
