import { defineConfig } from "vitest/config"

// `pnpm bench:apply`: bench/apply/scale.ts on its own (not part of `pnpm test`).
export default defineConfig({
  test: { root: "bench/apply", include: ["scale.ts"], testTimeout: 3_600_000, hookTimeout: 60_000 }
})
