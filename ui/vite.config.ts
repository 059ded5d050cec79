import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// The Tauri shell loads ui/dist in production and http://localhost:5173 in dev
// (see ../tauri.conf.json), so the port must never silently move.
export default defineConfig({
  plugins: [react()],
  clearScreen: false, // keep Rust compiler output from `tauri dev` visible
  server: {
    port: 5173,
    strictPort: true,
  },
  // TAURI_ENV_* lets the UI know the target platform/debug flag at build time.
  envPrefix: ["VITE_", "TAURI_ENV_"],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // WebView2, WKWebView and WebKitGTK all support ES2021.
    target: "es2021",
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    // Stylesheets stay empty in tests, except when read as text (the logical-properties check).
    css: { include: [/\.css\?raw$/] },
  },
});
