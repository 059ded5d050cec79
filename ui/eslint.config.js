import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import { defineConfig, globalIgnores } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig([
  // src/bindings is generated from the Rust types by ts-rs; it is still typechecked.
  globalIgnores(["dist/", "node_modules/", "src/bindings/"]),
  {
    files: ["**/*.{ts,tsx}"],
    extends: [
      js.configs.recommended,
      tseslint.configs.recommendedTypeChecked,
      reactHooks.configs.flat["recommended-latest"],
    ],
    languageOptions: {
      ecmaVersion: 2022,
      globals: globals.browser,
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Tauri calls return promises; every one must be awaited or explicitly voided.
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      // The IPC contract rejects with plain IpcError objects, not Error instances.
      "@typescript-eslint/only-throw-error": ["error", { allow: [{ from: "file", name: "IpcError" }] }],
    },
  },
  {
    // Tests impersonate the Tauri bridge, which rejects with plain objects.
    files: ["src/test/**", "**/*.test.{ts,tsx}"],
    rules: {
      "@typescript-eslint/only-throw-error": "off",
      "@typescript-eslint/prefer-promise-reject-errors": "off",
    },
  },
  {
    files: ["eslint.config.js"],
    languageOptions: { globals: globals.node },
  },
]);
