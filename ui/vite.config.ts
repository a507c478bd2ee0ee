import react from '@vitejs/plugin-react';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The content security policy the desktop window enforces, read from the app's tauri.conf.json so
 * there is one source of truth. `vite preview` serves the built UI with it, so the browser tests
 * catch anything that would break inside Tauri (inline scripts, eval, web fonts, CDNs).
 */
function contentSecurityPolicy(): string {
  const fallback: Record<string, string> = {
    'default-src': "'self'",
    'script-src': "'self'",
    'style-src': "'self' 'unsafe-inline'",
    'img-src': "'self' data:",
    'connect-src': 'ipc: http://ipc.localhost',
    'object-src': "'none'",
  };
  let csp: Record<string, string> | string = fallback;
  const conf = fileURLToPath(new URL('../tauri.conf.json', import.meta.url));
  if (existsSync(conf)) {
    const parsed = JSON.parse(readFileSync(conf, 'utf8')) as {
      app?: { security?: { csp?: Record<string, string> | string | null } };
    };
    csp = parsed.app?.security?.csp ?? fallback;
  }
  return typeof csp === 'string' ? csp : Object.entries(csp).map(([k, v]) => `${k} ${v}`).join('; ');
}

export default defineConfig({
  // Served from Tauri's custom protocol, so every asset path must be relative.
  base: './',
  plugins: [react()],
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    watch: { ignored: ['**/src-tauri/**'] },
  },
  preview: {
    headers: { 'Content-Security-Policy': contentSecurityPolicy() },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 700,
  },
  test: {
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'happy-dom',
    setupFiles: ['src/test/setup.ts'],
    css: false,
    restoreMocks: true,
  },
});
