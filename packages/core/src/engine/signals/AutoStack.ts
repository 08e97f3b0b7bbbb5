/** `auto_stack_id`: the same camera burst id (`exif.auto_stack_id`) from the same camera. */
import type { Signal } from "./Signal.js"
import { linkByKey } from "./Signal.js"

/** Links shots that share a burst id within one camera (a burst id means nothing across cameras). */
export const autoStack: Signal = {
  evidence: "auto_stack_id",
  propose: (input, link) => {
    const table = input.table
    linkByKey(
      input,
      (i) => {
        const id = table.sparseOf("autoStackId", i)
        if (id === null) return null
        const cam = table.cameraKeyOf(i)
        return `${cam >= 0 ? cam : `d${table.deviceCodeOf(i)}`}\u0000${id}`
      },
      link
    )
  }
}
