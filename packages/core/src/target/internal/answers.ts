/**
 * Reading the servers' JSON answers defensively, and sending one mutating request: what the Gumnut
 * and Immich targets share.
 */
import { Effect, type Scope } from "effect"
import type * as Http from "../../source/Http.js"
import type { OpResult } from "../Target.js"

/** An object, or `{}` for anything else. */
export const record = (v: unknown): Record<string, unknown> => (isObject(v) ? v : {})
/** Whether a value is a JSON object (not null, not an array). */
export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v)
/** A finite number, or null. */
export const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null)
/** A string, or null. */
export const str = (v: unknown): string | null => (typeof v === "string" ? v : null)

/**
 * The people of an answer's `people` list, named as the report names them (the name, else the id);
 * undefined when the answer has no list (a server or `include=` that did not say), [] for null.
 */
export const peopleNames = (v: unknown): ReadonlyArray<string> | undefined => {
  if (v === null) return []
  if (!Array.isArray(v)) return undefined
  return v.flatMap((p) => {
    const name = str(record(p).name)?.trim()
    const id = str(record(p).id)
    return name !== undefined && name !== "" ? [name] : id !== null ? [id] : []
  })
}

/** One attempt of a mutating request; answers its JSON body (undefined when empty or not JSON). */
export const mutation =
  (api: Http.Api) =>
  (
    method: "POST" | "PUT" | "PATCH" | "DELETE",
    path: string,
    body?: unknown
  ): Effect.Effect<unknown, Http.AttemptFailure, Scope.Scope> =>
    Effect.flatMap(api.send(api.mutate(method, path, body)), (response) =>
      response.status === 204
        ? Effect.succeed(undefined)
        : api.whole(response).pipe(Effect.orElseSucceed(() => undefined))
    )

/**
 * The id of a stack just created, read from the answer (both servers answer `{ id, … }`); none when
 * the answer carries none or cannot be read: the target then looks the stack up.
 */
export const stackCreated = (body: unknown): OpResult => {
  const id = str(record(body).id)
  return id === null ? {} : { stack_id: id }
}
