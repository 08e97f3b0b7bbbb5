/**
 * A plain-Promise facade for callers who do not use Effect.
 */
import { Cause, Effect, Exit, Stream } from "effect"
import type { Analysis } from "./Analysis.js"
import type { AnalysisOptions } from "./Options.js"
import { analyzeValues } from "./Pipeline.js"

/**
 * Analyses an album given as raw asset objects (an array, any iterable, or an async iterable).
 * Rejects with the real error (an `InvalidOptions`, or whatever the async iterable threw).
 */
export const analyzeAssets = async (
  input: Iterable<unknown> | AsyncIterable<unknown>,
  options?: AnalysisOptions
): Promise<Analysis> => {
  const stream: Stream.Stream<unknown, unknown> =
    Symbol.asyncIterator in input
      ? Stream.rechunk(
          Stream.fromAsyncIterable(input as AsyncIterable<unknown>, (error) => error),
          1024
        )
      : Stream.fromIterable(input as Iterable<unknown>)
  const exit = await Effect.runPromiseExit(analyzeValues(stream, options))
  if (Exit.isSuccess(exit)) return exit.value
  // `originalError` strips the span proxy Effect may put around a thrown Error.
  throw Cause.originalError(Cause.squash(exit.cause))
}
