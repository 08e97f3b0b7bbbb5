/**
 * The source of every package is an acyclic import graph (type-only imports count too): each module
 * can be read, tested and moved without dragging its importers along. A tiny walk over relative
 * imports, no dependency needed. And no module loads `@effect/platform`'s index at run time.
 */
import { readdirSync, readFileSync, statSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import { describe, expect, it } from "vitest"

const ROOT = resolve(import.meta.dirname, "..")
const IMPORT = /(?:import|export)\s+(?:type\s+)?(?:[^"';]*?\s+from\s+)?["'](\.[^"']+)["']/g

const sources = (dir: string): Array<string> =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sources(path) : name.endsWith(".ts") ? [path] : []
  })

/** The import graph of the files under `dir`: file → the files it imports relatively. */
export const importGraph = (dir: string): Map<string, Array<string>> => {
  const graph = new Map<string, Array<string>>()
  for (const file of sources(dir)) {
    const targets = [...readFileSync(file, "utf8").matchAll(IMPORT)].map((m) =>
      resolve(dirname(file), m[1]!.replace(/\.js$/, ".ts"))
    )
    graph.set(file, targets)
  }
  return graph
}

/** The first cycle found, as a list of files (empty when the graph is acyclic). */
export const findCycle = (graph: ReadonlyMap<string, ReadonlyArray<string>>): Array<string> => {
  const state = new Map<string, "open" | "done">()
  const path: Array<string> = []
  const visit = (file: string): Array<string> => {
    if (state.get(file) === "done") return []
    if (state.get(file) === "open") return [...path.slice(path.indexOf(file)), file]
    state.set(file, "open")
    path.push(file)
    for (const next of graph.get(file) ?? []) {
      const cycle = visit(next)
      if (cycle.length > 0) return cycle
    }
    path.pop()
    state.set(file, "done")
    return []
  }
  for (const file of graph.keys()) {
    const cycle = visit(file)
    if (cycle.length > 0) return cycle
  }
  return []
}

/**
 * Value imports of `@effect/platform`'s index (type-only imports are erased). Importing the index loads
 * every platform module: importing @albumsift/core took 1.0–1.2 s with one such import, 0.7 s without.
 */
export const platformIndexImports = (text: string): Array<string> =>
  [...text.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^"';]*?from\s+["']@effect\/platform["']/gm)].map(
    (m) => m[0].trim()
  )

describe("import graph", () => {
  it("finds a cycle when there is one (the check can fail)", () => {
    const graph = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a"]],
      ["d", ["a"]]
    ])
    expect(findCycle(graph)).toEqual(["a", "b", "c", "a"])
    expect(
      findCycle(
        new Map([
          ["a", ["b"]],
          ["b", []]
        ])
      )
    ).toEqual([])
  })

  it("finds value imports of @effect/platform's index, not type-only or deep ones", () => {
    expect(
      platformIndexImports(
        [
          'import { FileSystem } from "@effect/platform"',
          'import type { HttpClient } from "@effect/platform"',
          'import * as Path from "@effect/platform/Path"',
          "export { Error } from '@effect/platform'"
        ].join("\n")
      )
    ).toEqual(['import { FileSystem } from "@effect/platform"', "export { Error } from '@effect/platform'"])
  })

  for (const pkg of ["core", "report", "cli"]) {
    it(`packages/${pkg}/src never loads @effect/platform's index`, () => {
      const found = sources(join(ROOT, "packages", pkg, "src")).flatMap((file) =>
        platformIndexImports(readFileSync(file, "utf8")).map((line) => `${relative(ROOT, file)}: ${line}`)
      )
      expect(found).toEqual([])
    })

    it(`packages/${pkg}/src has no import cycle`, () => {
      const graph = importGraph(join(ROOT, "packages", pkg, "src"))
      expect(graph.size).toBeGreaterThan(5)
      expect(findCycle(graph).map((f) => relative(ROOT, f))).toEqual([])
    })
  }
})
