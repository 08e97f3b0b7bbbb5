/**
 * The reports of a seeded generated album are pinned by their SHA-256 under SOURCE_DATE_EPOCH, so a
 * change meant to be output-neutral (a faster walk, rank-once, concurrent writing) is proven to be.
 * A change that means to alter a report updates the pinned value here, and says so in its commit.
 */
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { generate, runCli, tempDir } from "./support/runCli.js"

const sha256 = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex")

/** The page's embedded data, without the page script and style (which change with the page's code). */
const htmlData = (html: string): string => {
  const open = html.indexOf('<script type="application/json"')
  const start = html.indexOf(">", open) + 1
  return html.slice(start, html.indexOf("</script>", start))
}

/** Pinned per album: at 20k the page chooses its worst low-quality assets (over 500); at 5k it shows them all. */
const PINNED = [
  {
    count: 20_000,
    json: "29911eff103121b9678c99cf076269f40dfbbe1a19d3995d1f273c10165836a1",
    csv: "92422f1e3aa382b4d73acff999aeb4c2f3a678954c64d75fcbccb8abaae64958",
    htmlData: "16db1a2c6d129c07a00b39ddfef38702f3a437379c11c974f79e3d93e062ff89"
  },
  {
    count: 5_000,
    json: "8b14ade2eadad6d9cecbb514669cb72ee0a68dbbe35e12479c1e1a4e108b01f3",
    csv: "e359ee37ba538f54ac56897c1bf00e2ffef0e0e46f504d6d18f29885e5e53e56",
    htmlData: "ef03d9751c5b48025a1f6b749f579ed841fdc0be461cef05702ada282912a6f0"
  }
]

describe("report checksums", () => {
  it.each(PINNED)(
    "a seeded $count-item album gives the pinned report.json, report.csv and report.html data",
    async ({ count, ...pinned }) => {
      const dir = tempDir()
      await generate(["--count", String(count), "--seed", "42", "--out", join(dir, "album.json")])
      const r = await runCli(["report", "--input", "album.json", "--out", "out", "--quiet"], {
        cwd: dir,
        env: { SOURCE_DATE_EPOCH: "1795669200" }
      })
      expect(r.stderr).toBe("")
      expect(r.code).toBe(0)
      const read = (file: string) => readFileSync(join(dir, "out", file))
      const html = read("report.html").toString("utf8")
      expect(htmlData(html).length).toBeGreaterThan(100_000)
      const lowQuality = JSON.parse(read("report.json").toString("utf8")).summary.low_quality
      expect(lowQuality > 500).toBe(count === 20_000)
      expect({
        json: sha256(read("report.json")),
        csv: sha256(read("report.csv")),
        htmlData: sha256(htmlData(html))
      }).toEqual(pinned)
    }
  )
})
