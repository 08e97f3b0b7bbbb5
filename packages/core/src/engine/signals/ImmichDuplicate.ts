/** `immich_duplicate`: Immich's own CLIP-based duplicate group (`duplicateId`). */
import type { Signal } from "./Signal.js"
import { linkByKey } from "./Signal.js"

/** Links shots with the same Immich duplicate id. */
export const immichDuplicate: Signal = {
  evidence: "immich_duplicate",
  propose: (input, link) => linkByKey(input, (i) => input.table.sparseOf("duplicateId", i), link)
}
