/** `checksum`: the same content hash of the same hash kind (SHA-256 and SHA-1 never match): an exact copy. */
import type { Signal } from "./Signal.js"
import { BucketLinker } from "./Signal.js"

/** Links each asset's shot with the shots of the other assets with the same bytes. */
export const checksum: Signal = {
  evidence: "checksum",
  propose: ({ copyOf, shots }, link) => {
    const bucket = new BucketLinker<number>(link)
    for (let i = 0; i < copyOf.length; i++) {
      const f = copyOf[i]!
      if (f !== i) bucket.add(f, shots.shotOf[f]!, shots.shotOf[i]!)
    }
  }
}
