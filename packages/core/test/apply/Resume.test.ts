import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Either } from "effect"
import { describe, expect, it, onTestFinished } from "vitest"
import * as Apply from "../../src/apply/Apply.js"

/** A journal of one `apply trash` run on Gumnut at `baseUrl`, and the outcome of resuming it on `given`. */
const resume = (baseUrl: string, given: string, source: "gumnut" | "immich" = "gumnut") => {
  const dir = mkdtempSync(join(tmpdir(), "albumsift-resume-"))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  const path = join(dir, "j.ndjson")
  const header = {
    type: "run",
    journal_version: 1,
    command: "apply",
    action: "trash",
    server: { source: "gumnut", base_url: baseUrl },
    at: "t"
  }
  writeFileSync(path, `${JSON.stringify(header)}\n`)
  return Effect.runSync(
    Effect.either(
      Apply.resumable(path, {
        command: "apply",
        action: "trash",
        server: { source, base_url: given }
      })
    )
  )
}

describe("Apply.resumable", () => {
  it("resumes a journal for the same server however its URL is spelled (trailing slash, host case, default port)", () => {
    for (const given of [
      "https://photos.example",
      "https://photos.example/",
      "https://Photos.Example:443//",
      "HTTPS://photos.example",
      " https://photos.example/?page=2#top"
    ]) {
      const r = resume("https://photos.example/", given)
      expect(Either.isRight(r), given).toBe(true)
    }
    expect(Either.isRight(resume("http://127.0.0.1:8080/api", "http://127.0.0.1:8080/api/"))).toBe(true)
  })

  it("refuses a journal for another server: another host, port, scheme or path", () => {
    for (const given of [
      "https://photos.example:8443",
      "http://photos.example",
      "https://other.example",
      "https://photos.example/api"
    ]) {
      const r = resume("https://photos.example/", given)
      expect(Either.isLeft(r), given).toBe(true)
      if (Either.isLeft(r)) {
        expect(r.left._tag).toBe("JournalMismatch")
        expect(r.left.message).toContain(
          `on gumnut https://photos.example/, not apply trash on gumnut ${given}`
        )
      }
    }
  })

  it("refuses a journal for the same URL on another kind of server", () => {
    const r = resume("http://127.0.0.1:2283/", "http://127.0.0.1:2283/", "immich")
    expect(Either.isLeft(r) && r.left.message).toContain(
      "is for apply trash on gumnut http://127.0.0.1:2283/, not apply trash on immich http://127.0.0.1:2283/"
    )
  })
})
