/** `checksum`: the same content hash of the same hash kind (SHA-256 and SHA-1 never match): an exact copy. */
import type { Signal } from "./Signal.js"

/** Links each asset's shot to the shot of the first asset with the same bytes. */
export const checksum: Signal = {
  evidence: "checksum",
  propose: ({ copyOf, shots }, link) => {
    for (let i = 0; i < copyOf.length; i++) {
      const f = copyOf[i]!
      if (f !== i) link(shots.shotOf[f]!, shots.shotOf[i]!)
    }
  }
}
