import { describe, expect, it } from "vitest"
import * as Time from "../../src/engine/CaptureTime.js"

describe("CaptureTime.parse", () => {
  it("keeps UTC, offsets and naive times as given", () => {
    expect(Time.parse("2023-11-07T05:31:56Z")).toEqual({
      raw: "2023-11-07T05:31:56Z",
      wall: "2023-11-07T05:31:56",
      offsetMinutes: 0
    })
    expect(Time.parse("2024-02-25T06:57:27.660000-08:00")).toEqual({
      raw: "2024-02-25T06:57:27.660000-08:00",
      wall: "2024-02-25T06:57:27.660",
      offsetMinutes: -480
    })
    expect(Time.parse("2024-02-25T06:57:27")?.offsetMinutes).toBeNull()
    expect(Time.parse("2024-02-25 06:57:27.5")?.wall).toBe("2024-02-25T06:57:27.500")
    expect(Time.parse("2024-02-25T06:57:27+0530")?.offsetMinutes).toBe(330)
    expect(Time.parse("2024-02-25T06:57:27-00:00")?.offsetMinutes).toBe(0)
    expect(Time.parse("2024-02-25T06:57")?.wall).toBe("2024-02-25T06:57:00")
  })

  it("refuses what is not a date-time", () => {
    for (const bad of [
      "",
      "yesterday",
      "2024-13-01T00:00:00Z",
      "2023-02-29T00:00:00",
      "2024:02:25 06:57:27",
      "2024-02-25"
    ]) {
      expect(Time.parse(bad), bad).toBeUndefined()
    }
    expect(Time.parse("2024-02-29T00:00:00")).toBeDefined()
  })

  it("gives the true instant only when the offset is known", () => {
    const t = Time.parse("2024-02-25T06:57:27-08:00")!
    expect(Time.instantMillis(t)).toBe(Date.parse("2024-02-25T14:57:27Z"))
    expect(Time.instantMillis(Time.parse("2024-02-25T06:57:27")!)).toBeNull()
  })

  it("recognises whole time-zone steps", () => {
    const h = 3_600_000
    expect(Time.zoneShiftMinutes(0, 3 * h)).toBe(180)
    expect(Time.zoneShiftMinutes(0, -5.5 * h)).toBe(-330)
    expect(Time.zoneShiftMinutes(0, 0)).toBeNull()
    expect(Time.zoneShiftMinutes(0, 3 * h + 1000)).toBeNull()
    expect(Time.zoneShiftMinutes(0, 30 * h)).toBeNull()
    expect(Time.formatOffset(180)).toBe("3h")
    expect(Time.formatOffset(-330)).toBe("-5h30m")
  })
})

import * as fc from "fast-check"

describe("CaptureTime.parseMillis (property)", () => {
  it("agrees with Date.parse on ISO strings with any offset and fraction", () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date("1900-01-01T00:00:00Z"),
          max: new Date("2199-12-31T23:59:59Z"),
          noInvalidDate: true
        }),
        fc.integer({ min: -14 * 4, max: 14 * 4 }),
        fc.integer({ min: 0, max: 6 }),
        (date, quarter, fractionDigits) => {
          const iso = date.toISOString() // YYYY-MM-DDTHH:MM:SS.sssZ
          const fraction =
            fractionDigits === 0
              ? ""
              : `.${iso.slice(20, 23).padEnd(fractionDigits, "0").slice(0, fractionDigits)}`
          const minutes = quarter * 15
          const sign = minutes < 0 ? "-" : "+"
          const abs = Math.abs(minutes)
          const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`
          const text = `${iso.slice(0, 19)}${fraction}${zone}`
          const parsed = Time.parse(text)!
          expect(parsed.offsetMinutes).toBe(minutes === 0 ? 0 : minutes)
          expect(Time.instantMillis(parsed)).toBe(Date.parse(text))
          expect(Time.parse(`${iso.slice(0, 19)}${fraction}`)!.offsetMinutes).toBeNull()
        }
      ),
      { numRuns: 1000 }
    )
  }, 60_000)
})

describe("CaptureTime.wallString (property)", () => {
  it("formats like Date#toISOString without the zone", () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_000_000_000_000, max: 250_000_000_000_000 }), (ms) => {
        const iso = new Date(ms).toISOString()
        expect(Time.wallString(ms)).toBe(ms % 1000 === 0 ? iso.slice(0, 19) : iso.slice(0, 23))
      }),
      { numRuns: 5000 }
    )
  }, 60_000)
})

describe("CaptureTime.parseMillisRecent (property)", () => {
  // A few date-times and near-misses, drawn with repeats so the remembered answers are hit and evicted.
  const pool = [
    "2025-06-01T08:13:01.124000+01:00",
    "2025-06-01T08:13:01.124000+01:00 ",
    "2025-06-01T08:13:01Z",
    "2025-06-03T09:33:21Z",
    "2025-06-03 09:33:21",
    "2025-02-30T09:33:21Z",
    "not a time",
    "",
    "2024-02-29T23:59:60.5-05:30"
  ]
  it("answers as parseMillis does, whatever it was asked before", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...pool), fc.string()), { maxLength: 40 }), (asked) => {
        for (const raw of asked) {
          // A fresh copy of the text, as each parsed item brings its own strings.
          const copy = raw.split("").join("")
          expect(Time.parseMillisRecent(copy)).toEqual(Time.parseMillis(raw))
        }
      }),
      { numRuns: 500 }
    )
  })

  it("remembers an answer: the same text asked again gives the same object", () => {
    const first = Time.parseMillisRecent("2030-01-02T03:04:05Z")
    Time.parseMillisRecent("2030-01-02T03:04:06Z")
    expect(Time.parseMillisRecent("2030-01-02T03:04:05Z")).toBe(first)
    for (let k = 0; k < 4; k++) Time.parseMillisRecent(`2030-01-02T03:04:1${k}Z`)
    // Four newer texts later it is parsed again: equal, but a new answer.
    const again = Time.parseMillisRecent("2030-01-02T03:04:05Z")
    expect(again).toEqual(first)
    expect(again).not.toBe(first)
  })
})
