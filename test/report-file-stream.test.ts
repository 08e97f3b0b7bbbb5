/**
 * report.json past `ReportFile.WHOLE_UP_TO` is read as a stream (whole, a million assets' report
 * would pass V8's longest string). Read either way, a report gives the same groups, header and the
 * assets its groups name, in our layout, pretty-printed, or with the assets before the groups.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ReportFile } from "@albumsift/core"
import { Effect, Either } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { runCli, SAMPLE, tempDir } from "./support/runCli.js"

let path = ""
let whole: ReportFile.ReportFile

const read = (file: string, wholeUpTo?: number) =>
  Effect.runSync(Effect.either(ReportFile.read(file, { wholeUpTo })))

const named = (report: ReportFile.ReportFile) =>
  new Set(report.groups.flatMap((g) => [g.keeper, ...g.members.map((m) => m.asset_id)]))

// One report for every test (tempDir's cleanup belongs to a test).
const cwd = mkdtempSync(join(tmpdir(), "albumsift-stream-"))
afterAll(() => rmSync(cwd, { recursive: true, force: true }))

beforeAll(async () => {
  const r = await runCli(["report", "--input", SAMPLE, "--format", "json", "--quiet", "--out", "r"], { cwd })
  expect(r.code).toBe(0)
  path = join(cwd, "r", "report.json")
  whole = Either.getOrThrow(read(path))
})

describe("ReportFile.read, streamed", () => {
  // Each padded past the first 1 MiB read with copies under ids no group names (which are not kept),
  // so that assets arrive while the file is read, before or after the groups are known.
  const padded = (assets: Array<{ id: string }>) => [
    ...assets,
    ...[1, 2, 3, 4, 5, 6, 7, 8].flatMap((k) => assets.map((a) => ({ ...a, id: `${a.id}_${k}` })))
  ]
  const variants: ReadonlyArray<[string, (json: Record<string, unknown>) => string]> = [
    ["our layout, on one line", (json) => JSON.stringify({ ...json, assets: padded(json.assets as never) })],
    ["pretty-printed", (json) => JSON.stringify({ ...json, assets: padded(json.assets as never) }, null, 2)],
    [
      "with a byte order mark",
      (json) => `\ufeff${JSON.stringify({ ...json, assets: padded(json.assets as never) })}`
    ],
    [
      "assets before the groups",
      ({ assets, ...rest }) => JSON.stringify({ assets: padded(assets as never), ...rest }, null, 2)
    ]
  ]
  it.each(variants)("%s: the same groups, header and named assets as read whole", (_, layout) => {
    const file = join(tempDir(), "report.json")
    writeFileSync(file, layout(JSON.parse(readFileSync(path, "utf8"))))
    expect(statSync(file).size).toBeGreaterThan(2 * 1024 * 1024)
    const streamed = Either.getOrThrow(read(file, 0))
    // Read whole, the padded file gives the same header and named assets.
    const wholeAgain = Either.getOrThrow(read(file))
    expect(wholeAgain.groups).toEqual(whole.groups)
    expect(whole.groups.length).toBeGreaterThan(0)
    const { assets, ...header } = whole
    const { assets: streamedAssets, ...streamedHeader } = streamed
    expect(streamedHeader).toEqual(header)
    const ids = named(whole)
    // Only the assets a group names are kept, and every one of them.
    expect(assets.length).toBeGreaterThan(ids.size)
    expect(streamedAssets).toEqual(assets.filter((a) => ids.has(a.id)))
  })

  it("a report cut short, or not an object, fails in one line naming the file", () => {
    const text = readFileSync(path, "utf8")
    const cut = join(tempDir(), "report.json")
    writeFileSync(cut, text.slice(0, Math.floor(text.length * 0.8)))
    const failed = read(cut, 0)
    expect(Either.isLeft(failed) && failed.left.message).toMatch(
      /^cannot use report .*report\.json: not JSON \(/
    )
    const array = join(tempDir(), "report.json")
    writeFileSync(array, "[1, 2]")
    const notObject = read(array, 0)
    expect(Either.isLeft(notObject) && notObject.left.message).toContain("expected an object, got an array")
    const noAssets = join(tempDir(), "report.json")
    writeFileSync(noAssets, '{"schema_version": 1, "groups": []}')
    const none = read(noAssets, 0)
    expect(Either.isLeft(none) && none.left.message).toContain("no object holding an assets array")
  })
})
