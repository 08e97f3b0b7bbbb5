/**
 * End-to-end: what the built `albumsift` binary says when a file it is given cannot be used or an
 * option value is wrong: one line naming the cause and the option, never Effect Schema's tree, a
 * system call's raw text or a stack trace.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { runCli, tempDir } from "./support/runCli.js"

/** The one line of stderr, without the `albumsift: ` prefix (fails when there is not exactly one). */
const oneLine = (stderr: string): string => {
  const lines = stderr.trimEnd().split("\n")
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(/^albumsift: /)
  return lines[0]!.slice("albumsift: ".length)
}

describe("files albumsift cannot use", () => {
  it("a report.json that is not one names the missing field", async () => {
    const cwd = tempDir()
    writeFileSync(join(cwd, "bad.json"), "{}")
    const r = await runCli(["apply", "--report", "bad.json", "--action", "trash"], { cwd })
    expect(r.code).toBe(1)
    expect(oneLine(r.stderr)).toBe(
      "cannot use report bad.json: not an albumsift report.json: schema_version: is missing"
    )
  })

  it("a missing journal, or a folder given as one, says so in words", async () => {
    const cwd = tempDir()
    mkdirSync(join(cwd, "folder"))
    const missing = await runCli(["undo", "--journal", "missing.ndjson"], { cwd })
    expect(missing.code).toBe(1)
    expect(oneLine(missing.stderr)).toBe("cannot read journal missing.ndjson: no such file")
    const folder = await runCli(["undo", "--journal", "folder"], { cwd })
    expect(folder.code).toBe(1)
    expect(oneLine(folder.stderr)).toBe("cannot read journal folder: is a folder, not a file")
  })

  it("a folder given as --decisions, or as --input, is a folder, not a file", async () => {
    const cwd = tempDir()
    mkdirSync(join(cwd, "folder"))
    const demo = await runCli(["demo", "-q", "-o", "out", "--format", "json"], { cwd })
    expect(demo.code).toBe(0)
    const server = ["--source", "gumnut", "--base-url", "http://127.0.0.1:9"]
    const r = await runCli(
      ["apply", "--report", "out", "--action", "trash", "--decisions", "folder", ...server],
      { cwd }
    )
    expect(r.code).toBe(1)
    expect(oneLine(r.stderr)).toBe("folder: cannot read the file: is a folder, not a file")
    const input = await runCli(["report", "--input", "folder"], { cwd })
    expect(oneLine(input.stderr)).toBe("cannot read input folder: is a folder, not a file")
  })
  it("demo with a file where its thumbs folder goes names the folder and the reason", async () => {
    const cwd = tempDir()
    mkdirSync(join(cwd, "out"))
    writeFileSync(join(cwd, "out", "thumbs"), "")
    const r = await runCli(["demo", "-q", "-o", "out"], { cwd })
    expect(r.code).toBe(1)
    expect(oneLine(r.stderr)).toBe(`Cannot write ${join("out", "thumbs")}: already exists (EEXIST)`)
  })
})

describe("option values albumsift cannot use", () => {
  it("a value outside a flag's choices names the flag, its choices and the value: exit 2", async () => {
    const cases = [
      [
        ["apply", "--report", "r", "--action", "delete"],
        '--action: expected one of trash, remove-from-album, stack; got "delete"'
      ],
      [
        ["apply", "--report", "r", "--action", "trash", "--groups", "foo"],
        '--groups: expected one of exact, near, all; got "foo"'
      ],
      [
        ["report", "--input", "a.json", "--thumbnails", "maybe"],
        '--thumbnails: expected one of link, keep; got "maybe"'
      ],
      [["report", "--album", "a", "--source", "foo"], '--source: expected one of gumnut, immich; got "foo"'],
      [
        ["report", "--album", "a", "--listing=foo"],
        '--listing: expected one of auto, seed, cursor, album, search; got "foo"'
      ]
    ] as const
    for (const [args, message] of cases) {
      const r = await runCli(args)
      expect(r.code, args.join(" ")).toBe(2)
      expect(oneLine(r.stderr)).toBe(message)
    }
  })

  it("a flag that takes one value, given twice, says so: exit 2", async () => {
    const r = await runCli(["report", "--input", "a.json", "--input", "a.json"])
    expect(r.code).toBe(2)
    expect(oneLine(r.stderr)).toBe("--input was given twice; it takes one value")
  })
})
