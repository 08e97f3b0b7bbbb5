/**
 * The reports of a seeded generated album are pinned by their SHA-256 under SOURCE_DATE_EPOCH, so a
 * change meant to be output-neutral (a faster walk, rank-once, concurrent writing) is proven to be.
 * A change that means to alter a report updates the pinned value here, and says so in its commit.
 */
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { Html } from "@albumsift/report"
import { describe, expect, it } from "vitest"
import { generate, runCli, tempDir } from "./support/runCli.js"

const sha256 = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex")

/** The page's embedded data, without the page script and style (which change with the page's code). */
const htmlData = (html: string): string => JSON.stringify(Html.embeddedTexts(html))

/**
 * Pinned per album: at 20k and 100k the page chooses its worst low-quality assets (over 500); at 5k it
 * shows them all. The 100k album is the one `pnpm bench` measures (issue 13: every optimisation must
 * leave its report.json identical).
 */
const PINNED = [
  {
    count: 100_000,
    json: "9b634c80f51cc6fbf6975430b8bbc47a416e204c3533238553124dac0247ba76",
    csv: "d8b63c279bf29ffc29c86c36607963c28b770054790af472841cad3761c54c07",
    htmlData: "2affb54a81f6a733965ef3c6e9ad6062110f9628413ba53611bb2c429516de1d"
  },
  {
    count: 20_000,
    json: "a074b0593f7d877bb400d1341dce7ad55ae82ba24236b368ca98bce17ce7f95e",
    csv: "f245f40e77abd828bf74ffa01f3688ec80a238be8807ec79dfe154eba9eee750",
    htmlData: "5e85d288bc0da196c1659e86bdc9f634b3c78095f35cc6a5deca2b86dd22773b"
  },
  {
    count: 5_000,
    json: "1db6fe1517c1fdf123591ee577e0e37b8a0fb30ec86be667e87a73e58959d980",
    csv: "90934c38fc6dd611d5cd7a729075c6a9f1319bfbaec0ec3e81cb40e824eb1c9f",
    htmlData: "9b35e516e67c7bdb5d989e6fbda30cfb0c2a018d25885a21a8b19d66cf306e99"
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
      expect(lowQuality > 500).toBe(count !== 5_000)
      expect({
        json: sha256(read("report.json")),
        csv: sha256(read("report.csv")),
        htmlData: sha256(htmlData(html))
      }).toEqual(pinned)
    },
    // The 100k album alone takes ≈10 s on an idle 2-core machine; leave room for a busy CI box.
    300_000
  )
})
