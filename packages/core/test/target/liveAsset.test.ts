import { describe, expect, it } from "vitest"
import * as Asset from "../../src/Asset.js"
import * as ImmichAsset from "../../src/source/ImmichAsset.js"
import * as GumnutTarget from "../../src/target/GumnutTarget.js"
import * as ImmichTarget from "../../src/target/ImmichTarget.js"

// The live check before trashing compares people by name with the report's: both must name them alike.
const people = [
  { id: "person_1", name: "Ann" },
  { id: "person_2", name: "  Ben  " },
  { id: "person_3", name: "" },
  { id: "person_4", name: "   " },
  { id: "person_5" }
]

describe("people and faces in the look-up, named as the report names them", () => {
  it("Gumnut", () => {
    const wire = { id: "asset_1", people, faces: [{ id: "f1" }, { id: "f2" }, { id: "f3" }] }
    const reported = Asset.fromWire(wire as unknown as Asset.AssetResponse)
    const live = GumnutTarget.liveAsset(wire)!
    expect(live.people).toEqual(reported.people)
    expect(live.people).toEqual(["Ann", "Ben", "person_3", "person_4", "person_5"])
    expect(live.faceCount).toBe(reported.faceCount)
  })

  it("Immich, faces of named people and unassigned ones", () => {
    const face = (id: string) => ({
      id,
      boundingBoxX1: 0,
      boundingBoxY1: 0,
      boundingBoxX2: 1,
      boundingBoxY2: 1
    })
    const dto = {
      id: "0b8d3c5e-0000-4000-8000-000000000001",
      people: people.map((p, k) => ({ ...p, faces: [face(`f${k}`)] })),
      unassignedFaces: [face("u1"), face("u2")]
    }
    const reported = ImmichAsset.fields(dto, "http://immich.local")
    const live = ImmichTarget.liveAsset(dto)!
    expect(live.people).toEqual(reported.people)
    expect(live.faceCount).toBe(reported.faceCount)
    expect(live.faceCount).toBe(7)
  })

  it("a list the answer leaves out is unknown, and null is none", () => {
    expect(GumnutTarget.liveAsset({ id: "asset_1" })).toMatchObject({
      people: undefined,
      faceCount: undefined
    })
    expect(GumnutTarget.liveAsset({ id: "asset_1", people: null, faces: null })).toMatchObject({
      people: [],
      faceCount: 0
    })
    expect(ImmichTarget.liveAsset({ id: "a" })).toMatchObject({ people: undefined, faceCount: undefined })
  })
})
