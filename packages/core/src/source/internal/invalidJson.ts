/**
 * The stand-in for an element of a JSON input that could be cut out but not parsed (see
 * `JsonInput`, which re-exports it). A module of its own, so sources can recognise it without
 * importing the reader.
 */

/**
 * Stands in for an element that was cut out of the input but is not valid JSON. The pipeline
 * rejects it with `reason`; `id` is the element's `"id"` when one could still be read.
 */
export class InvalidJson {
  readonly _tag = "InvalidJson" as const
  constructor(
    /** e.g. `invalid JSON: Unexpected token 'o', "{"id": oops}" is not valid JSON`. */
    readonly reason: string,
    readonly id: string | undefined
  ) {}
}

/** Whether a raw value is the stand-in for an unparsable element. */
export const isInvalidJson = (value: unknown): value is InvalidJson => value instanceof InvalidJson
