/**
 * Writes reports for browser tests through the public `Report.write`, on the real file system.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { Analysis } from "@albumsift/core"
import { Metadata, Report } from "@albumsift/report"
import type { FileSystem, Path } from "@effect/platform"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import { Effect, Layer } from "effect"
import { realisticAnalysis } from "./analysis.js"
import { scenePng } from "./png.js"

const NodeLayer = Layer.merge(NodeFileSystem.layer, NodePath.layer)

/** Runs an effect that needs the file system, as the CLI would. */
export const runNode = <A, E>(effect: Effect.Effect<A, E, FileSystem.FileSystem | Path.Path>): Promise<A> =>
  Effect.runPromise(effect.pipe(Effect.provide(NodeLayer)))

/** Writes all three report files for `analysis` into `outDir`, stamped 2026-11-27 for reproducibility. */
export const writeReport = (
  analysis: Analysis.Analysis,
  outDir: string,
  options: Partial<Report.WriteOptions> = {}
) =>
  runNode(
    Effect.gen(function* () {
      const metadata = yield* Metadata.make({
        sources: [{ kind: "file", path: "album.json" }],
        env: { SOURCE_DATE_EPOCH: "1795669200" }
      })
      // The test albums' relative thumbnails sit beside the report, as if the album were there too.
      return yield* Report.write(analysis, { outDir, metadata, thumbnailBase: outDir, ...options })
    })
  )

/** The realistic analysis with its thumbnails drawn into `<outDir>/thumbs/`, and its report written. */
export const writeRealisticReport = async (outDir: string) => {
  const { analysis, thumbnails } = realisticAnalysis()
  mkdirSync(join(outDir, "thumbs"), { recursive: true })
  for (const [id, seed] of thumbnails) {
    const scene = seed >= 1000 ? Math.floor(seed / 1000) : seed
    const frame = seed >= 1000 ? seed % 1000 : 0
    // Later frames of a burst drift and blur, the way a hand-held burst does.
    writeFileSync(
      join(outDir, "thumbs", `${id}.png`),
      scenePng(scene, { shift: frame * 7, blur: 1.5 + frame * 2.5, dim: 1 - frame * 0.06 })
    )
  }
  const written = await writeReport(analysis, outDir)
  return { analysis, written, html: join(outDir, "report.html") }
}
