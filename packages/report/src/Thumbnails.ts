/**
 * Thumbnails that last: copies of the thumbnails the HTML shows, kept beside the report in `thumbs/`,
 * so the report outlives pre-signed URL expiry.
 *
 * Only `thumbnail_url` is ever fetched (the analysis has no download URL at all), with bounded
 * concurrency, a size cap and a timeout; a thumbnail that cannot be fetched falls back to its link.
 * Fetching is pluggable (`Fetch`): a source whose thumbnails need credentials (Immich) supplies its own,
 * or uses `fromHttpClient` with `authorize`, which sends the headers to that one origin only.
 *
 * The URLs come from the server, so `fromHttpClient` will not let them aim at the user's own
 * network (request forgery): a thumbnail is fetched from the source's own origin
 * (`trustedOrigin`), or over https from a public host. Loopback hosts are allowed only when the
 * trusted origin is loopback itself; private, link-local and unspecified addresses never are
 * (names are resolved first, and every address they resolve to must be public).
 */
import { createHash } from "node:crypto"
import { lookup } from "node:dns/promises"
import { isIP } from "node:net"
import type { Analysis } from "@albumsift/core"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as FileSystem from "@effect/platform/FileSystem"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Path from "@effect/platform/Path"
import { Duration, Effect, Redacted, Schema, Stream } from "effect"
import { makeDirectories, removeStaleTemps, writeAtomic } from "./internal/atomic.js"
import { collectShown, shownAssetIds } from "./internal/htmlData.js"
import { safeImageUrl } from "./internal/text.js"

/** The folder, beside the report, that kept thumbnails go to. */
export const DIRECTORY = "thumbs"

/** A fetched image. */
export interface Image {
  readonly bytes: Uint8Array
  /** The response's content type, as sent (the file type is decided from the bytes). */
  readonly contentType: string
}

/** A thumbnail could not be fetched. Names the host only: pre-signed URLs carry credentials in the query. */
export class ThumbnailFetchError extends Schema.TaggedError<ThumbnailFetchError>()("ThumbnailFetchError", {
  host: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `Cannot fetch a thumbnail from ${this.host}: ${this.reason}`
  }
}

/** Fetches one thumbnail URL. */
export type Fetch = (url: string) => Effect.Effect<Image, ThumbnailFetchError>

/** Options for `fromHttpClient`. */
export interface HttpFetchOptions {
  /** Larger responses are refused. Default 8 MiB. */
  readonly maxBytes?: number
  /** Per request, whole body included. Default 30 seconds. */
  readonly timeout?: Duration.DurationInput
  /**
   * The source's own origin (its base URL), from which thumbnails may always be fetched. Other
   * URLs must be https on a public host (loopback ones only when this origin is loopback).
   */
  readonly trustedOrigin?: string | undefined
  /**
   * Headers (e.g. an API key) sent only to this exact origin, say `http://immich.local:2283`. Redirects
   * are not followed for these requests, so the headers cannot travel to another host.
   */
  readonly authorize?: {
    readonly origin: string
    readonly headers: Readonly<Record<string, Redacted.Redacted<string>>>
  }
}

const hostOf = (url: string): string => {
  try {
    return new URL(url).host || "(no host)"
  } catch {
    return "(invalid URL)"
  }
}

/** What kind of address a host is, for the fetch policy. */
export type AddressKind = "public" | "loopback" | "private"

/** Classifies an IP address (v4 or v6) or `localhost`; a name that is not an address is `public` here. */
export const addressKind = (host: string): AddressKind => {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase()
  if (h === "localhost" || h.endsWith(".localhost")) return "loopback"
  const v4 = isIP(h) === 4 ? h : /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h)?.[1]
  if (v4 !== undefined) {
    const [a = 0, b = 0] = v4.split(".").map(Number)
    if (a === 127) return "loopback"
    if (a === 0 || a === 10 || a >= 224) return "private" // unspecified, private, multicast, reserved
    if (a === 100 && b >= 64 && b <= 127) return "private" // carrier-grade NAT
    if (a === 169 && b === 254) return "private" // link-local (cloud metadata)
    if (a === 172 && b >= 16 && b <= 31) return "private"
    if (a === 192 && b === 168) return "private"
    if (a === 198 && (b === 18 || b === 19)) return "private" // benchmarking
    return "public"
  }
  if (isIP(h) === 6) {
    if (h === "::1") return "loopback"
    if (h === "::" || /^f[cd]/.test(h) || /^fe[89ab]/.test(h) || /^ff/.test(h)) return "private"
    if (h.startsWith("::ffff:")) return "private" // a mapped address in hex form: refuse rather than guess
    return "public"
  }
  return "public"
}

/** Why a thumbnail URL may not be fetched, or undefined when it may (resolving its name if needed). */
const refusal = (
  url: URL,
  trusted: URL | null,
  resolve: (host: string) => Promise<ReadonlyArray<{ readonly address: string }>>
): Effect.Effect<string | undefined> => {
  if (trusted !== null && url.origin === trusted.origin) return Effect.succeed(undefined)
  const loopbackOk = trusted !== null && addressKind(trusted.hostname) === "loopback"
  const judge = (kind: AddressKind): string | undefined =>
    kind === "private"
      ? "a private address (only the source's own origin or public hosts)"
      : kind === "loopback" && !loopbackOk
        ? "a loopback address (allowed only when the source itself is on this machine)"
        : kind === "public" && url.protocol !== "https:"
          ? "not https (plain http only from the source's own origin)"
          : undefined
  const host = url.hostname
  const direct = addressKind(host)
  if (direct !== "public" || isIP(host.replace(/^\[|\]$/g, "")) !== 0) return Effect.succeed(judge(direct))
  const early = judge("public")
  if (early !== undefined) return Effect.succeed(early)
  // A public-looking name may still point inside the network: every address it has must be public.
  return Effect.tryPromise(() => resolve(host)).pipe(
    Effect.map((addresses) => {
      for (const { address } of addresses) {
        const why = judge(addressKind(address))
        if (why !== undefined) return why.replace(/^a /, "a name for a ")
      }
      return addresses.length === 0 ? "its name does not resolve" : undefined
    }),
    Effect.orElseSucceed(() => "its name does not resolve")
  )
}

/**
 * A `Fetch` over an `HttpClient`: 2xx only, size-capped, with a timeout, headers only for
 * `authorize.origin`, and only from allowed hosts (see the module comment).
 */
export const fromHttpClient = (client: HttpClient.HttpClient, options: HttpFetchOptions = {}): Fetch => {
  const maxBytes = options.maxBytes ?? 8 * 1024 * 1024
  const timeout = options.timeout ?? Duration.seconds(30)
  const authorizedOrigin = options.authorize !== undefined ? new URL(options.authorize.origin).origin : null
  const trustedText = options.trustedOrigin ?? options.authorize?.origin
  const trusted = trustedText === undefined ? null : URL.canParse(trustedText) ? new URL(trustedText) : null
  // One lookup per host name for the whole run.
  const resolved = new Map<string, Promise<ReadonlyArray<{ readonly address: string }>>>()
  const resolve = (host: string) => {
    let found = resolved.get(host)
    if (found === undefined) {
      found = lookup(host, { all: true, verbatim: true })
      found.catch(() => undefined)
      resolved.set(host, found)
    }
    return found
  }
  return (url) => {
    const host = hostOf(url)
    const fail = (reason: string) => new ThumbnailFetchError({ host, reason })
    return Effect.gen(function* () {
      let parsed: URL
      try {
        parsed = new URL(url)
      } catch {
        return yield* fail("not a URL")
      }
      if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
        return yield* fail("not an http(s) URL")
      const refused = yield* refusal(parsed, trusted, resolve)
      if (refused !== undefined) return yield* fail(`refused: ${refused}`)
      const authorized = authorizedOrigin !== null && parsed.origin === authorizedOrigin
      let request = HttpClientRequest.get(url).pipe(HttpClientRequest.accept("image/*"))
      if (authorized && options.authorize !== undefined) {
        for (const [name, value] of Object.entries(options.authorize.headers)) {
          request = HttpClientRequest.setHeader(request, name, Redacted.value(value))
        }
      }
      const send = client.execute(request).pipe(
        Effect.flatMap((response) =>
          Effect.gen(function* () {
            if (response.status < 200 || response.status >= 300) return yield* fail(`HTTP ${response.status}`)
            const declared = Number(response.headers["content-length"])
            if (Number.isFinite(declared) && declared > maxBytes)
              return yield* fail(`larger than ${maxBytes} bytes`)
            const chunks: Array<Uint8Array> = []
            let size = 0
            yield* response.stream.pipe(
              Stream.mapError(() => fail("the body was cut off")),
              Stream.runForEachWhile((chunk) => {
                size += chunk.length
                if (size > maxBytes) return Effect.succeed(false)
                chunks.push(chunk)
                return Effect.succeed(true)
              })
            )
            if (size > maxBytes) return yield* fail(`larger than ${maxBytes} bytes`)
            const bytes = new Uint8Array(size)
            let offset = 0
            for (const chunk of chunks) {
              bytes.set(chunk, offset)
              offset += chunk.length
            }
            return { bytes, contentType: response.headers["content-type"] ?? "" }
          })
        ),
        Effect.scoped,
        Effect.catchTag("RequestError", () => fail("connection failed")),
        Effect.catchTag("ResponseError", () => fail("bad response"))
      )
      // A fetch-based client follows redirects by itself: it would carry custom headers along, and
      // could be sent from a public host to a private one. A redirect is a failure here.
      return yield* Effect.provideService(send, FetchHttpClient.RequestInit, { redirect: "manual" })
    }).pipe(Effect.timeoutFail({ duration: timeout, onTimeout: () => fail("timed out") }))
  }
}

/** `fromHttpClient` with the `HttpClient` from the context. */
export const httpFetch = (
  options: HttpFetchOptions = {}
): Effect.Effect<Fetch, never, HttpClient.HttpClient> =>
  Effect.map(HttpClient.HttpClient, (client) => fromHttpClient(client, options))

/** The file extension for an image, judged from its first bytes; null for anything else (SVG, HTML...). */
export const imageExtension = (bytes: Uint8Array): string | null => {
  const at = (i: number) => bytes[i] ?? -1
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to))
  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return "jpg"
  if (at(0) === 0x89 && ascii(1, 4) === "PNG") return "png"
  if (ascii(0, 4) === "GIF8") return "gif"
  if (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "webp"
  if (ascii(4, 8) === "ftyp" && /^avi[fs]$/.test(ascii(8, 12))) return "avif"
  return null
}

const EXTENSIONS = ["jpg", "png", "gif", "webp", "avif"]

/** A file name stem for an asset id: the id itself when plainly safe, else a hash of it. */
export const fileStem = (assetId: string): string =>
  /^[A-Za-z0-9_-]{1,100}$/.test(assetId)
    ? assetId
    : `h-${createHash("sha256").update(assetId, "utf8").digest("hex").slice(0, 32)}`

/** Options for `keep`. */
export interface KeepOptions {
  readonly fetch: Fetch
  /** Simultaneous fetches. Default 8. */
  readonly concurrency?: number
  /** Fetch again even when a kept copy exists. Default false: a kept copy is reused. */
  readonly refresh?: boolean
}

/** What `keep` did. */
export interface Kept {
  /** Asset id to the kept file, relative to the report folder (`thumbs/<id>.jpg`). */
  readonly paths: ReadonlyMap<string, string>
  readonly downloaded: number
  readonly reused: number
  /** Thumbnails left as links because they could not be fetched. */
  readonly failed: number
  /** The first few failures, for a warning. */
  readonly failures: ReadonlyArray<{ readonly assetId: string; readonly reason: string }>
}

/** Keeps the thumbnails of every asset the HTML shows in `<outDir>/thumbs/`. Never fails: failures stay links. */
export const keep = Effect.fn("Thumbnails.keep")(function* (
  analysis: Analysis.Analysis,
  outDir: string,
  options: KeepOptions
) {
  const fs = yield* FileSystem.FileSystem
  const path = yield* Path.Path
  const dir = path.join(outDir, DIRECTORY)
  const shown = collectShown(analysis, (asset) => asset.thumbnailUrl)
  const wanted = shownAssetIds(analysis, shown).flatMap((id) => {
    const url = safeImageUrl(shown.byId.get(id))
    // Relative URLs are already local files; only absolute http(s) links are worth keeping.
    return url !== null && /^https?:/i.test(url) ? [{ id, url }] : []
  })
  const paths = new Map<string, string>()
  const failures: Array<{ assetId: string; reason: string }> = []
  let downloaded = 0
  let reused = 0
  let failed = 0
  if (wanted.length === 0) return { paths, downloaded, reused, failed, failures } satisfies Kept
  const made = yield* Effect.either(makeDirectories(dir))
  if (made._tag === "Left") {
    const reason = `cannot create ${DIRECTORY}/: ${made.left.message}`
    return {
      paths,
      downloaded,
      reused,
      failed: wanted.length,
      failures: wanted.slice(0, 20).map(({ id }) => ({ assetId: id, reason }))
    } satisfies Kept
  }

  yield* removeStaleTemps(dir, /^[^/]+\.(jpg|png|gif|webp|avif)$/)
  // One listing instead of a check per asset and extension.
  const existing = new Set(yield* fs.readDirectory(dir).pipe(Effect.orElseSucceed(() => [] as Array<string>)))
  yield* Effect.forEach(
    wanted,
    ({ id, url }) =>
      Effect.gen(function* () {
        const stem = fileStem(id)
        if (options.refresh !== true) {
          const ext = EXTENSIONS.find((e) => existing.has(`${stem}.${e}`))
          if (ext !== undefined) {
            paths.set(id, `${DIRECTORY}/${stem}.${ext}`)
            reused++
            return
          }
        }
        const outcome = yield* options.fetch(url).pipe(
          Effect.flatMap((image) => {
            const ext = imageExtension(image.bytes)
            if (ext === null) return Effect.fail(`not an image (${image.contentType || "no content type"})`)
            return writeAtomic(path.join(dir, `${stem}.${ext}`), Stream.succeed(image.bytes)).pipe(
              Effect.as(ext),
              Effect.mapError((error) => `cannot save: ${error.message}`)
            )
          }),
          Effect.mapError((error) => (typeof error === "string" ? error : error.message)),
          Effect.either
        )
        if (outcome._tag === "Right") {
          paths.set(id, `${DIRECTORY}/${stem}.${outcome.right}`)
          downloaded++
        } else {
          failed++
          if (failures.length < 20) failures.push({ assetId: id, reason: outcome.left })
        }
      }),
    { concurrency: options.concurrency ?? 8, discard: true }
  )
  return { paths, downloaded, reused, failed, failures } satisfies Kept
})
