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
    json: "59243493c3ec836dd9b82e0b7bf9beabe0819a350f4ff409a20c85d0372a83b0",
    csv: "403feebef6f258b71160b28d3c8439cf799a6f67a27d8cf3479cf171607b1fda",
    htmlData: "558bf038f95b34f9d62b0d3c95490a3adb116ca057d86547dddb7e368c41ef8b"
  },
  {
    count: 20_000,
    json: "4913d950917bbe33a4cd7ee7e28c16a007abd440441764caef7724176b008b3d",
    csv: "2991dc57b6e42934c2ebaccf0f981fb3e230866559bcd3236fd968b75746d2d6",
    htmlData: "527eff14e96111a92a4ec8f740a4a7c3ca6114a87bc3fa896cc07e53d4002d60"
  },
  {
    count: 5_000,
    json: "83ad06c00354af646607da559268221f9b3ee39bee3658b35c8c10f53a2f9302",
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
