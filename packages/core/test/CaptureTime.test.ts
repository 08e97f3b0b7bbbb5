import { describe, expect, it } from "vitest"
import * as Time from "../src/CaptureTime.js"

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
