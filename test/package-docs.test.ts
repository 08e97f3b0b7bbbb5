/**
 * Each package is packed on its own (its `files`), so a document it ships must not link outside it:
 * an installed reader has only the package. Links to the web and to anchors in the same file are fine.
 */
import { existsSync, readFileSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const PACKAGES = ["core", "report", "cli"]

/** The Markdown files a package ships: those its `files` list names, and its README (always packed). */
const shippedDocs = (dir: string): Array<string> => {
  const files =
    (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { files?: Array<string> }).files ?? []
  return [...new Set(["README.md", ...files.filter((f) => f.endsWith(".md"))])].filter((f) =>
    existsSync(join(dir, f))
  )
}

/** Relative link targets in a Markdown text (inline links; web, mail and same-file anchors left out). */
const relativeLinks = (text: string): Array<string> =>
  [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith("#"))

describe("the documents each package ships", () => {
  it.each(PACKAGES)("%s: every relative link stays inside the package and finds its file", (name) => {
    const dir = join(root, "packages", name)
    const docs = shippedDocs(dir)
    expect(docs).toContain("README.md")
    for (const doc of docs) {
      for (const target of relativeLinks(readFileSync(join(dir, doc), "utf8"))) {
        const file = resolve(dirname(join(dir, doc)), target.split("#")[0]!)
        expect(
          relative(dir, file).startsWith(".."),
          `${name}/${doc} links outside the package: ${target}`
        ).toBe(false)
        expect(existsSync(file), `${name}/${doc} links to a missing file: ${target}`).toBe(true)
      }
    }
  })

  it("each package ships a README (npm shows it; an installed reader has only the package)", () => {
    for (const name of PACKAGES) {
      const { files } = JSON.parse(readFileSync(join(root, "packages", name, "package.json"), "utf8")) as {
        files: Array<string>
      }
      expect(files, name).toContain("README.md")
      expect(existsSync(join(root, "packages", name, "README.md")), name).toBe(true)
    }
  })

  it("finds the links it checks (a link outside the package is caught)", () => {
    expect(
      relativeLinks("see [a](../../README.md#x), [b](https://x.org), [c](#here), [d](REPORT_FORMAT.md)")
    ).toEqual(["../../README.md#x", "REPORT_FORMAT.md"])
  })
})
