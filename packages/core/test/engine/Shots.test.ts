import { describe, expect, it } from "vitest"
import * as Shots from "../../src/engine/Shots.js"
import { load, raw, shot, shuffle } from "../fixtures.js"

/** Shots as sorted lists of asset ids, primary first. */
const shotsOf = (raws: ReadonlyArray<unknown>): Array<Array<string>> => {
  const { store, ids } = load(raws)
  const shots = Shots.build(store, ids)
  const out: Array<Array<string>> = []
  for (let s = 0; s < shots.count; s++) out.push(Array.from(Shots.membersOf(shots, s), (i) => store.idOf(i)))
  return out.sort((a, b) => (a[0]! < b[0]! ? -1 : 1))
}

describe("Shots", () => {
  it("classifies RAW files by MIME or extension", () => {
    expect(Shots.isRaw("image/x-sony-arw", "a.ARW")).toBe(true)
    expect(Shots.isRaw("image/x-canon-cr3", "a.cr3")).toBe(true)
    expect(Shots.isRaw("image/x-adobe-dng", "a.dng")).toBe(true)
    expect(Shots.isRaw("image/dng", "a.dng")).toBe(true)
    expect(Shots.isRaw("application/octet-stream", "DSC_1.NEF")).toBe(true)
    expect(Shots.isRaw("image/tiff", "DSC_1.dng")).toBe(true)
    expect(Shots.isRaw("image/jpeg", "DSC_1.jpg")).toBe(false)
    expect(Shots.isRaw("image/jpeg", "weird.nef")).toBe(false)
    expect(Shots.isRaw("video/quicktime", "IMG_1.MOV")).toBe(false)
    expect(Shots.basename("IMG_0001.CR3")).toBe("img_0001")
    expect(Shots.basename("dir/IMG_0001.tar.jpg")).toBe("img_0001.tar")
  })

  it("folds a Live Photo (same live_photo_cid) into one shot, still first", () => {
    const t = "2024-05-01T12:00:00"
    const shots = shotsOf([
      shot(
        "b-video",
        t,
        { mime_type: "video/quicktime", original_file_name: "IMG_1.MOV" },
        { live_photo_cid: "cid-1" }
      ),
      shot(
        "a-still",
        t,
        { mime_type: "image/heic", original_file_name: "IMG_1.HEIC" },
        { live_photo_cid: "cid-1" }
      ),
      shot("c-other", t, {}, { live_photo_cid: "cid-2" })
    ])
    expect(shots).toEqual([["a-still", "b-video"], ["c-other"]])
  })

  it("links a still to its video through live_photo_video_id", () => {
    const shots = shotsOf([
      raw("z-still", { live_photo_video_id: "y-video" }),
      raw("y-video", { mime_type: "video/mp4" }),
      raw("x-dangling", { live_photo_video_id: "missing" })
    ])
    expect(shots).toEqual([["x-dangling"], ["z-still", "y-video"]])
  })

  it("pairs RAW+JPEG by basename, camera and time, never two JPEGs or across cameras", () => {
    const t = "2024-05-01T12:00:00"
    const shots = shotsOf([
      shot("r1", t, { mime_type: "image/x-canon-cr3", original_file_name: "IMG_0001.CR3" }),
      shot("j1", "2024-05-01T12:00:00.400", { original_file_name: "img_0001.jpg" }),
      // the same basename on another camera stays apart
      shot("j1-other-cam", t, { original_file_name: "IMG_0001.JPG" }, { model: "EOS R6" }),
      // too far apart in time
      shot("r2", t, { mime_type: "image/x-canon-cr3", original_file_name: "IMG_0002.CR3" }),
      shot("j2", "2024-05-01T12:00:02", { original_file_name: "IMG_0002.JPG" }),
      // two JPEGs: neither is RAW, no pair
      shot("j3a", t, { original_file_name: "IMG_0003.JPG" }),
      shot("j3b", t, { original_file_name: "IMG_0003.jpeg" })
    ])
    expect(shots).toEqual([["j1", "r1"], ["j1-other-cam"], ["j2"], ["j3a"], ["j3b"], ["r2"]])
  })

  it("pairs a Live Photo video with the still from its own device, not with a re-upload", () => {
    const t = "2024-05-01T12:00:00"
    const cid = { live_photo_cid: "c" }
    // "a-copy" sorts first and has the same capture time, as an exact re-upload from a laptop does.
    const album = [
      shot(
        "a-copy",
        t,
        { mime_type: "image/heic", device_id: "laptop", created_at: "2024-07-01T00:00:00Z" },
        cid
      ),
      shot(
        "z-still",
        t,
        { mime_type: "image/heic", device_id: "phone", created_at: "2024-05-02T00:00:00Z" },
        cid
      ),
      shot("v", "2024-05-01T12:00:00.100", { mime_type: "video/quicktime", device_id: "phone" }, cid)
    ]
    expect(shotsOf(album)).toEqual([["a-copy"], ["z-still", "v"]])
  })

  it("does not depend on input order", () => {
    const t = "2024-05-01T12:00:00"
    const album = [
      shot("s1", t, { mime_type: "image/heic" }, { live_photo_cid: "c" }),
      shot("s2", t, { mime_type: "image/heic" }, { live_photo_cid: "c" }),
      shot("v1", "2024-05-01T12:00:00.200", { mime_type: "video/quicktime" }, { live_photo_cid: "c" }),
      shot("r", t, { mime_type: "image/x-sony-arw", original_file_name: "DSC1.ARW" }),
      shot("ja", t, { original_file_name: "DSC1.JPG" }),
      shot("jb", t, { original_file_name: "dsc1.jpg" })
    ]
    const expected = shotsOf(album)
    for (let seed = 1; seed < 20; seed++) expect(shotsOf(shuffle(album, seed))).toEqual(expected)
    // the re-uploaded still stays its own shot; the video joins one still only
    expect(expected).toEqual([["ja", "r"], ["jb"], ["s1", "v1"], ["s2"]])
  })
})
