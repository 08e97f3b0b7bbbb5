/**
 * Compressed response bodies, decoded as a stream: the HTTP layer asks for `gzip` or `br` (a JSON
 * listing shrinks several times) and decodes what comes back chunk by chunk with node:zlib, never
 * holding the whole body. A fetch-based client decodes by itself (its `Response` keeps the
 * `content-encoding` header), so such a body is passed through as it is.
 */
import * as zlib from "node:zlib"
import type { HttpClientError, HttpClientResponse } from "@effect/platform"
import { Effect, Stream } from "effect"

/** What the HTTP layer asks for in `Accept-Encoding`. */
export const ACCEPT_ENCODING = "gzip, br"

const decoderFor = (encoding: string): zlib.Gunzip | zlib.BrotliDecompress | zlib.Inflate | undefined => {
  switch (encoding) {
    case "gzip":
    case "x-gzip":
      return zlib.createGunzip()
    case "br":
      return zlib.createBrotliDecompress()
    case "deflate":
      return zlib.createInflate()
    default:
      return undefined
  }
}

/** Whether the client already decoded the body (a WHATWG `Response`, as fetch gives). */
const decodedByClient = (response: HttpClientResponse.HttpClientResponse): boolean =>
  typeof Response !== "undefined" && (response as { readonly source?: unknown }).source instanceof Response

/**
 * The response's body bytes, decoded when it came compressed (`content-encoding: gzip | br |
 * deflate`). A broken compressed stream fails with `onError`; an encoding it does not know is passed
 * through (the JSON reader then says what it got).
 */
export const bodyBytes = <E>(
  response: HttpClientResponse.HttpClientResponse,
  onError: (cause: unknown) => E
): Stream.Stream<Uint8Array, E | HttpClientError.ResponseError> => {
  const encoding = (response.headers["content-encoding"] ?? "").trim().toLowerCase()
  const raw = response.stream
  if (encoding === "" || encoding === "identity" || decodedByClient(response)) return raw
  return Stream.suspend(() => {
    const decoder = decoderFor(encoding)
    if (decoder === undefined) return raw
    // Feed the compressed chunks in (respecting back-pressure) while the decoded ones are read out.
    const feed = Stream.runForEach(raw, (chunk) =>
      Effect.async<void>((resume) => {
        if (decoder.write(chunk)) resume(Effect.void)
        else decoder.once("drain", () => resume(Effect.void))
      })
    ).pipe(
      Effect.tap(() => Effect.sync(() => decoder.end())),
      Effect.tapErrorCause(() => Effect.sync(() => decoder.destroy()))
    )
    return Stream.fromAsyncIterable(decoder as AsyncIterable<Uint8Array>, onError).pipe(
      Stream.drainFork(Stream.fromEffect(feed))
    )
  })
}
