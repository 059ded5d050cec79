import { cleanup } from "@testing-library/react";
import { afterEach, vi } from "vitest";

// Vitest runs without globals, so Testing Library cannot register this itself.
afterEach(() => {
  cleanup();
  vi.clearAllMocks();
  // Language, theme and inbox filters are remembered here; each test starts without them.
  localStorage.clear();
});
