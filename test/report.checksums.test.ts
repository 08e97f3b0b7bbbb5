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
    json: "afe41884779e6c2392f75f9a8e407ae62d40f16312198b88a4e09ca05d50827d",
    csv: "4f8cd8daf238bfb5697474eccc8634eaff62dba6fa15ee4227e67b809b018661",
    htmlData: "7d4413717e6bf4f65d1e4232fe9f0d42991c077ef8c9f5939c697adde594077a"
  },
  {
    count: 5_000,
    json: "da5b11e04038b76d10e3aa1e577dd9148b73460236fa31840412f9045c355ce9",
    csv: "280fe88985af4c1ddc37240324e65f532e3fd8f86e5750ee32c0816d20318922",
    htmlData: "9e279f784f1748c53e2902175c6a320e088691cef4d30d7155da4dab7b0a395d"
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
