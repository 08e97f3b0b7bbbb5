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

describe("report checksums", () => {
  it("a seeded 20k-item album gives the pinned report.json, report.csv and report.html data", async () => {
    const dir = tempDir()
    await generate(["--count", "20000", "--seed", "42", "--out", join(dir, "album.json")])
    const r = await runCli(["report", "--input", "album.json", "--out", "out", "--quiet"], {
      cwd: dir,
      env: { SOURCE_DATE_EPOCH: "1795669200" }
    })
    expect(r.stderr).toBe("")
    expect(r.code).toBe(0)
    const read = (file: string) => readFileSync(join(dir, "out", file))
    const html = read("report.html").toString("utf8")
    expect(htmlData(html).length).toBeGreaterThan(100_000)
    expect({
      json: sha256(read("report.json")),
      csv: sha256(read("report.csv")),
      htmlData: sha256(htmlData(html))
    }).toEqual({
      json: "99f7429ae54922fd92836f4bb2bcab984cabc2d24704cb16d85f98f88a8d107c",
      csv: "d4082f895098fb1d038e2029dda9a00938210e1dce2136433fd500e64db16414",
      htmlData: "4194b06028a24aa8dd3fa4f53a73343e85a071aa14c18273de78ee0d63cb5c86"
    })
  })
})
