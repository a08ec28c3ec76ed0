import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // The JSON report lets .ci/run print a plain "N passed, N failed" closing line.
    reporters: ["default", ["json", { outputFile: "test-output/vitest.json" }]],
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: ["test/browser/**"],
          environment: "node",
          // A guard against hangs, not a speed assertion: rendering and encoding tests take seconds on 2 busy cores.
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          environment: "node",
          // Builds dist/ when it is older than its sources, once for all browser tests.
          globalSetup: ["test/browser/global-setup.ts"],
          // One Chromium at a time: the machine has 2 cores and DuckDB-WASM is heavy.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
