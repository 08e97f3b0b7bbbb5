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
    json: "9d7531bc8c84865be8c10ae2923737c3c86c7ef50697b922e9551fd5a2fefb4a",
    csv: "a199bcbce77299f18a51e00404243661223855ddeec6608fd992b28654e52f4e",
    htmlData: "d234eca22d68143565dd561668e720df3e8ba8106a5b7b36120a0e226fa51151"
  },
  {
    count: 5_000,
    json: "6ccdafa2d80d4a7068f3a7de4970762e9d6e8b2898459bc0626d73264a9595ef",
    csv: "50bcdd21b98c5ba0d3fc609b6ffd837d99f3ee77ef970d1f652c3a8569823611",
    htmlData: "6f65d32257fd92967ac27e8b87fd58080854fca5dc785fb03296790a09bbd9c1"
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
