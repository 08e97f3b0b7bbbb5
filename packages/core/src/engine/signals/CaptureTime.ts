/**
 * `capture_time`: consecutive shots of one camera (make + model + device id) at most `burstGapSeconds`
 * apart, a chain ending `maxBurstSpanSeconds` after its first shot. Only camera-timed shots (EXIF
 * make/model present) count: scans imported together only join via checksum. Times compare by true
 * instant when every shot of that camera states an offset, else by wall clock.
 */
import type { Signal } from "./Signal.js"

/** Links consecutive shots of one camera within the burst gap, chains bounded in span. */
export const captureTime: Signal = {
  evidence: "capture_time",
  propose: ({ table: store, shots, options }, link) => {
    // Per camera: compare true instants only when every shot of that camera states its offset.
    const allOffsets = new Map<number, boolean>()
    const timed: Array<number> = []
    for (let s = 0; s < shots.count; s++) {
      const p = shots.primary[s]!
      const cam = store.cameraKeyOf(p)
      if (!store.cameraTime(p) || cam < 0) continue
      if (store.offsetOf(p) === null) allOffsets.set(cam, false)
      else if (!allOffsets.has(cam)) allOffsets.set(cam, true)
      timed.push(s)
    }
    const cam = new Int32Array(shots.count)
    const time = new Float64Array(shots.count)
    for (const s of timed) {
      const p = shots.primary[s]!
      const c = store.cameraKeyOf(p)
      cam[s] = c
      time[s] = allOffsets.get(c) ? store.wallMsOf(p) - store.offsetOf(p)! * 60_000 : store.wallMsOf(p)
    }
    // A plain array sorts with TimSort, which is linear on the already time-ordered runs albums usually have.
    const order = timed.sort(
      (x, y) =>
        cam[x]! - cam[y]! || time[x]! - time[y]! || store.compareIds(shots.primary[x]!, shots.primary[y]!)
    )
    const gap = options.burstGapSeconds * 1000
    const span = options.maxBurstSpanSeconds * 1000
    let chainStart = 0
    for (let k = 0; k < order.length; k++) {
      const cur = order[k]!
      const prev = k === 0 ? -1 : order[k - 1]!
      if (prev === -1 || cam[prev] !== cam[cur]) {
        chainStart = time[cur]!
        continue
      }
      if (time[cur]! - time[prev]! <= gap && time[cur]! - chainStart <= span) link(prev, cur)
      else chainStart = time[cur]!
    }
  }
}
