/**
 * One walk, several files: runs every writer's head, then hands each asset's row to every writer,
 * then runs every tail, and yields each writer's text tagged with its position, in pieces of about
 * 64 KiB per writer.
 */
import * as Writer from "../Writer.js"

const TARGET = 64 * 1024

/** `[writer position, text]` pieces, lazily. */
export function* interleave(
  writers: ReadonlyArray<Writer.Writer>,
  context: Writer.Context
): Generator<readonly [number, string]> {
  const buffers: Array<Array<string>> = writers.map(() => [])
  const lengths: Array<number> = writers.map(() => 0)
  const flush = (i: number): readonly [number, string] => {
    const text = (buffers[i] as Array<string>).join("")
    buffers[i] = []
    lengths[i] = 0
    return [i, text]
  }
  /** Adds text for writer i; true when its buffer is full. */
  const add = (i: number, text: string): boolean => {
    if (text === "") return false
    ;(buffers[i] as Array<string>).push(text)
    lengths[i] = (lengths[i] as number) + text.length
    return (lengths[i] as number) >= TARGET
  }
  for (const [i, writer] of writers.entries()) {
    for (const text of writer.head()) if (add(i, text)) yield flush(i)
  }
  const count = writers.length
  for (const row of Writer.rows(context)) {
    for (let i = 0; i < count; i++) if (add(i, (writers[i] as Writer.Writer).asset(row))) yield flush(i)
  }
  for (const [i, writer] of writers.entries()) {
    for (const text of writer.tail()) if (add(i, text)) yield flush(i)
    if ((lengths[i] as number) > 0) yield flush(i)
  }
}
