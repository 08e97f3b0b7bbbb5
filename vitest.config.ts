import { defineConfig } from "vitest/config"

// One config, one project per package plus the end-to-end suite in test/.
// Packages import each other through their built dist/ (the `test` script builds first),
// which is exactly what users and the CLI binary get.
const TIMEOUTS = { testTimeout: 30_000, hookTimeout: 30_000 }

export default defineConfig({
  test: {
    // The default report, then one plain closing line (`tests: N passed, N failed`) for CI logs.
    reporters: ["default", "./test/support/plainSummary.ts"],
    projects: [
      // Property tests run hundreds of cases: on a loaded 2-core machine one took 5.9 s (0.7 s idle),
      // past the default 5 s. A timeout guards against hangs; speed is measured by `pnpm bench`. Hooks
      // get as long: removing a suite's temporary reports once took over the default 10 s there.
      { test: { name: "core", root: "packages/core", include: ["test/**/*.test.ts"], ...TIMEOUTS } },
      { test: { name: "report", root: "packages/report", include: ["test/**/*.test.ts"], ...TIMEOUTS } },
      { test: { name: "cli", root: "packages/cli", include: ["test/**/*.test.ts"], ...TIMEOUTS } },
      {
        test: {
          name: "e2e",
          root: "test",
          include: ["**/*.test.ts"],
          exclude: ["node_modules/**"],
          testTimeout: 60_000,
          hookTimeout: 60_000
        }
      }
    ]
  }
})
