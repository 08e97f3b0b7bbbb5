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
    json: "f95ab963f545d7dabf6290f073bb9883b896053c99588fbc8263cecd3cefe507",
    csv: "a7c707dfb934b6e5e05307af0574675041941552e5d2540b7ef3dcccfa40698c",
    htmlData: "a68b04d4226bb6b8e07ab46892ce4d4854883fd92ae1482afb7a490798fae561"
  },
  {
    count: 5_000,
    json: "8d8d7713a91209928391bd554b4e47179af2b8ea08bd844a31be5d20c8e3d185",
    csv: "eb91611a0eaaf3abadb8bfea209f2971006a1d2a034a19dcfdcfc73c6f536dda",
    htmlData: "c7ce8579cad5c093a53f09d502041a12d4af5a7ed980b76516532aad9d38dec5"
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
