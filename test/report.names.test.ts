/**
 * Metric names that collide with Object.prototype (`toString`, `constructor`, `__proto__`) go through
 * the whole CLI run: every report is written, with the values as given.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Html } from "@albumsift/report"
import { describe, expect, it } from "vitest"
import { generate, runCli, tempDir } from "./support/runCli.js"

const NAMES = ["__proto__", "constructor", "toString"]

describe("hostile metric names", () => {
  it("toString, constructor and __proto__ metrics reach report.json, report.csv and report.html", async () => {
    const dir = tempDir()
    const album = JSON.parse(await generate(["--count", "120", "--seed", "5"])) as Array<
      Record<string, unknown>
    >
    // Every third asset carries the hostile metrics (as JSON.parse gives them: own keys); the rest none.
    const text = `[${album
      .map((item, i) =>
        JSON.stringify(item).replace(
          /"metrics":(\{[^}]*\}|null)/,
          i % 3 === 0
            ? `"metrics":{"__proto__":${i + 0.25},"constructor":${i},"toString":0.5}`
            : '"metrics":{}'
        )
      )
      .join(",\n")}]`
    writeFileSync(join(dir, "album.json"), text)
    const r = await runCli(["report", "--input", "album.json", "--out", "out", "--quiet"], { cwd: dir })
    expect(r.stderr).toBe("")
    expect(r.code).toBe(0)

    const json = JSON.parse(readFileSync(join(dir, "out", "report.json"), "utf8"))
    expect(json.metrics.map((m: { name: string }) => m.name)).toEqual(NAMES)
    const carriers = json.assets.filter((a: { metrics: object }) => Object.keys(a.metrics).length > 0)
    expect(carriers.length).toBeGreaterThan(30)
    for (const a of carriers) {
      expect(Object.keys(a.metrics)).toEqual(NAMES)
      expect(Object.getOwnPropertyDescriptor(a.metrics, "__proto__")?.value).toBe(a.index + 0.25)
      expect(a.metrics.constructor).toBe(a.index)
    }

    const [header, ...rows] = readFileSync(join(dir, "out", "report.csv"), "utf8")
      .trimEnd()
      .split("\r\n")
    expect(header?.endsWith(",metric:__proto__,metric:constructor,metric:toString")).toBe(true)
    expect(rows).toHaveLength(json.assets.length)
    // Assets without the metrics have empty cells, never an inherited function's text.
    expect(rows.join("\n")).not.toContain("function")
    expect(rows.filter((row) => row.endsWith(",,,"))).toHaveLength(json.assets.length - carriers.length)

    const html = readFileSync(join(dir, "out", "report.html"), "utf8")
    const data = Html.embeddedData(html)
    expect(data.metricNames).toEqual(NAMES)
  })
})
