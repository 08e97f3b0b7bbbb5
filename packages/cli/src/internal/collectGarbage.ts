/**
 * A full garbage collection between the analysis and the reports. Finishing the analysis leaves tens of
 * MB of garbage; the report worker's start and the first rows would otherwise add up with it before V8
 * collects: at 1M assets the peak was 495–510 MB without this collection, 475–484 MB with it
 * (bench/NOTES.md). Node exposes `gc` only behind `--expose-gc`: the flag is set at run time and `gc`
 * read from a fresh context, as jest's leak detector does. Where that is refused, nothing is collected.
 * launch.ts sets the flag as well, before compiling the bundle, so the code cache fits the run's flags.
 */
import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"

let gc: (() => void) | undefined

export const collectGarbage = (): void => {
  try {
    if (gc === undefined) {
      setFlagsFromString("--expose-gc")
      gc = runInNewContext("gc") as () => void
    }
    gc()
  } catch {
    // Only memory is at stake: the reports are written either way.
  }
}
