/**
 * A vitest reporter that ends the run with one plain line, `tests: N passed, N failed, N skipped`,
 * which CI systems (and people reading logs without colour) can read without parsing vitest's layout.
 */
import type { Reporter, TestModule } from "vitest/node"

export default class PlainSummary implements Reporter {
  async onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<unknown>
  ): Promise<void> {
    let passed = 0
    let failed = unhandledErrors.length
    let skipped = 0
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state
        if (state === "passed") passed++
        else if (state === "failed") failed++
        else skipped++
      }
      // A file that failed to load has no tests but must still count as a failure.
      if (module.state() === "failed" && !module.children.size) failed++
    }
    // vitest prints its own summary in the same turn (onFinished); wait one turn so this line closes the log.
    await new Promise((resolve) => setImmediate(resolve))
    process.stdout.write(
      `\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}\n`
    )
  }
}
