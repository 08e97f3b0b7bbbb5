/**
 * A large unpaginated listing (Gumnut's seed array, Immich's album object) streamed item by item
 * and resumed after a failed attempt without duplicates or gaps.
 *
 * Items are passed on as they are parsed. When an attempt fails part-way, the next attempt reads
 * the listing from the start again, skips the items already passed on, and checks (with a running
 * hash of their ids) that they are the same ones in the same order; if not, the album changed
 * between the reads and the listing fails with `AlbumChanged` rather than stitching two versions.
 */
import type { HttpClientRequest } from "@effect/platform"
import { Chunk, Effect, Stream } from "effect"
import type { SourceItem } from "../../SourceItem.js"
import { AlbumChanged, type SourceError } from "../AlbumSource.js"
import * as Http from "../Http.js"
import type { Parser } from "../JsonInput.js"
import { Hasher, idOf } from "./sourceIds.js"

/** What a listing has passed on so far, across attempts. */
export interface Progress {
  emitted: number
  readonly hash: Hasher
}

/** A fresh progress record, one per listing. */
export const progress = (): Progress => ({ emitted: 0, hash: new Hasher() })

export interface ListingOptions {
  readonly api: Http.Api
  readonly album: string
  readonly request: HttpClientRequest.HttpClientRequest
  /** The member of an object body that holds the items (default `data`). */
  readonly itemsKey?: string | undefined
  /** Maps each raw item to the shape the core reads. */
  readonly map: (value: unknown) => unknown
  /** Checks the format once items start: an error stops the listing before any item of it is passed on. */
  readonly checkFormat: (parser: Parser) => SourceError | undefined
  /** Checks the envelope at the end (e.g. a page that says it has more). */
  readonly checkEnd?: ((parser: Parser) => SourceError | undefined) | undefined
  readonly progress: Progress
}

/** A non-retried attempt failure carrying a source error. */
export const fatal = (error: SourceError): Http.AttemptFailure =>
  new Http.AttemptFailure({ retryable: false, summary: error.message, error })

/** The listing's items, with retries; failures stay `AttemptFailure` for the caller to map. */
export const streamListing = (o: ListingOptions): Stream.Stream<SourceItem, Http.AttemptFailure> =>
  o.api.retryingStream(() =>
    Stream.unwrapScoped(
      Effect.map(o.api.send(o.request), (response) => {
        const { values, parser } = o.api.json(response, { itemsKey: o.itemsKey })
        const state = o.progress
        const resumeAt = state.emitted
        const again = new Hasher()
        let seen = 0
        const changed = (detail: string) =>
          fatal(new AlbumChanged({ service: o.api.service, album: o.album, detail }))
        return values.pipe(
          Stream.mapChunksEffect((chunk) => {
            const wrong = o.checkFormat(parser)
            if (wrong !== undefined) return Effect.fail(fatal(wrong))
            const out: Array<SourceItem> = []
            for (const value of chunk) {
              const id = idOf(value)
              if (seen < resumeAt) {
                again.add(id)
                seen++
                if (seen === resumeAt && !again.equals(state.hash)) {
                  return Effect.fail(changed(`its first ${resumeAt} assets are not the ones read before`))
                }
                continue
              }
              state.hash.add(id)
              state.emitted++
              out.push({ value: o.map(value), index: seen, album: o.album })
              seen++
            }
            return Effect.succeed(Chunk.unsafeFromArray(out))
          }),
          Stream.concat(
            Stream.suspend(() => {
              const wrong = o.checkFormat(parser) ?? o.checkEnd?.(parser)
              if (wrong !== undefined) return Stream.fail(fatal(wrong))
              if (seen < resumeAt) {
                return Stream.fail(changed(`it now lists ${seen} assets, but ${resumeAt} had been read`))
              }
              return Stream.empty
            })
          )
        )
      })
    )
  )
