/** `stack`: the server already stacked them (Immich `stack`, Gumnut `stack_id`). */
import type { Signal } from "./Signal.js"
import { linkByKey } from "./Signal.js"

/** Links shots with the same server stack id. */
export const stack: Signal = {
  evidence: "stack",
  propose: (input, link) => linkByKey(input, (i) => input.table.sparseOf("stackId", i), link)
}
