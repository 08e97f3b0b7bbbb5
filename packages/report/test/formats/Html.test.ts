import { createHash } from "node:crypto"
import { CaptureTime } from "@albumsift/core"
import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as Html from "../../src/formats/Html.js"
import {
  ASSET,
  ASSET_CLASS,
  ASSET_FIELDS,
  type AssetBlock,
  type AssetFields,
  type AssetRow,
  assetField,
  assetRow,
  assetWall,
  BLOCK_ROWS,
  DETAIL_CLASS,
  emptyAssetBlock,
  GROUP,
  GROUP_FIELDS,
  type GroupBlock,
  type GroupFields,
  groupBlock,
  groupRow,
  INDEX_FIELDS,
  MEMBER,
  MEMBER_FIELDS,
  type MemberFields,
  type MemberRow,
  memberSpan,
  type PageData,
  peopleOf,
  pushAssetRow,
  readPage,
  splitAssetBlock,
  thumbUrl,
  toRow,
  wallFrom
} from "../../src/internal/pageData.js"
import { httpUrlParser } from "../../src/internal/text.js"
import { asset, largeAnalysis, member, metadata, sampleAnalysis } from "../fixtures.js"

/** The data's texts, joined, and the data with every asset row built. */
const dataOf = (html: string) => {
  const texts = Html.embeddedTexts(html)
  const data = Html.embeddedData(html)
  return {
    text: [...texts.assets, ...texts.details, ...texts.groups, texts.meta].join(""),
    data: { ...data, assets: Html.assetRows(data), groups: Html.groupRows(data) }
  }
}

const thumbOf = (data: PageData & { readonly assets: ReadonlyArray<AssetRow> }, id: string) => {
  const row = data.assets.find((r) => r[ASSET.id] === id)
  return row === undefined ? null : thumbUrl(data, row)
}

const inlineScript = (html: string) => {
  const start = html.lastIndexOf("<script>") + "<script>".length
  return html.slice(start, html.indexOf("</script>", start))
}

describe("Html", () => {
  it("embeds hostile strings as escaped JSON that cannot close the script element", () => {
    const nasty = "</script><script>window.__xss=1</script><!--\u2028\u2029&"
    const base = sampleAnalysis()
    const analysis = {
      ...base,
      assets: base.assets.map((a) =>
        a.id === "asset_b1" ? { ...a, fileName: nasty, description: nasty, people: [nasty] } : a
      ),
      groups: base.groups.map((g) =>
        g.id === "g-burst" ? { ...g, members: g.members.map((m) => ({ ...m, reasons: [nasty] })) } : g
      ),
      rejected: [{ index: 0, id: nasty, reason: nasty }]
    }
    const html = Html.render(analysis, metadata)
    const { text, data } = dataOf(html)
    for (const bad of ["<", ">", "\u2028", "\u2029"]) expect(text).not.toContain(bad)
    // Exactly five script elements: the data (one block of assets in two, one of groups, the rest) and the
    // page script.
    expect(html.match(/<script/g)).toHaveLength(5)
    expect(html.match(/<\/script>/g)).toHaveLength(5)
    const row = data.assets.find((r) => r[ASSET.id] === "asset_b1")!
    expect(row[ASSET.fileName]).toBe(nasty)
    expect(row[ASSET.description]).toBe(nasty)
    expect(peopleOf(data, row)).toEqual([nasty])
    expect(data.rejected.items[0]).toEqual([0, nasty, null, nasty])
  })

  it("pins the page script and style by hash in a strict Content-Security-Policy", () => {
    const html = Html.render(sampleAnalysis(), metadata)
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? ""
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("img-src 'self' http: https:")
    expect(csp).not.toContain("unsafe-inline")
    const script = inlineScript(html)
    const sha = createHash("sha256").update(script).digest("base64")
    expect(csp).toContain(`script-src 'sha256-${sha}'`)
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? ""
    expect(csp).toContain(`style-src 'sha256-${createHash("sha256").update(style).digest("base64")}'`)
    // Nothing is fetched but thumbnails: no external script, stylesheet or font.
    expect(html).not.toMatch(/<(link|iframe|object|embed)\b/)
    expect(html).not.toMatch(/src="http/)
  })

  it("the footer says what albumsift apply may do: at most move photos to the server's trash", () => {
    const footer = /<footer>([\s\S]*?)<\/footer>/.exec(Html.render(sampleAnalysis(), metadata))?.[1] ?? ""
    const text = footer.replace(/\s+/g, " ")
    expect(text).toContain("this report changes nothing")
    expect(text).toContain("moving photos to the server's trash, never deleting them")
    expect(text).not.toContain("never deletes anything")
  })

  it("judges an http(s) URL the same whether its host's answer is remembered or not", () => {
    // Hosts, ports and user info that parse and that do not, followed by any path, query or fragment.
    const part = (chars: string) =>
      fc.array(fc.constantFrom(...chars.split("")), { maxLength: 8 }).map((cs) => cs.join(""))
    const url = fc
      .tuple(
        fc.constantFrom("http:", "https:", "HTTP:", "hTtPs:"),
        fc.constantFrom("//", "/", "", "///"),
        part("ab.-:@[]%0129xé _|<>^`{}"),
        part("/?#ab.:@%[] é"),
        part("?#/&=abé %")
      )
      .map((parts) => parts.join(""))
    const remembered = httpUrlParser()
    fc.assert(
      fc.property(url, (u) => {
        expect(Html.safeImageUrl(u, remembered)).toBe(Html.safeImageUrl(u))
      }),
      { numRuns: 3000 }
    )
    expect(Html.safeImageUrl("http://exa mple/a.jpg", remembered)).toBeNull()
    expect(Html.safeImageUrl("http://example:99999/a.jpg", remembered)).toBeNull()
  })

  it("keeps only http(s) and relative image URLs", () => {
    expect(Html.safeImageUrl("https://cdn.example/a.jpg?sig=1")).toBe("https://cdn.example/a.jpg?sig=1")
    expect(Html.safeImageUrl("thumbs/a.jpg")).toBe("thumbs/a.jpg")
    expect(Html.safeImageUrl("thumbs/a:b.jpg")).toBe("thumbs/a:b.jpg")
    for (const bad of [
      "javascript:alert(1)",
      " JaVaScRiPt:alert(1)",
      "java\tscript:alert(1)",
      "data:image/png;base64,AAAA",
      "file:///etc/passwd",
      "//evil.example/x.png",
      "\\\\evil\\share\\x.png",
      "vbscript:x",
      "a:b",
      ""
    ]) {
      expect(Html.safeImageUrl(bad)).toBeNull()
    }
    const base = sampleAnalysis()
    const analysis = {
      ...base,
      assets: base.assets.map((a) =>
        a.id === "asset_b1" ? { ...a, thumbnailUrl: "javascript:alert(1)" } : a
      )
    }
    const { data } = dataOf(Html.render(analysis, metadata))
    expect(thumbOf(data, "asset_b1")).toBeNull()
  })

  it("prefers kept thumbnails over remote links", () => {
    const { data } = dataOf(
      Html.render(sampleAnalysis(), metadata, { thumbnails: new Map([["asset_b1", "thumbs/asset_b1.jpg"]]) })
    )
    expect(thumbOf(data, "asset_b1")).toBe("thumbs/asset_b1.jpg")
    expect(data.thumbPrefixes).toEqual(["https://assets.example.com/"])
    expect(thumbOf(data, "asset_b2")).toBe("https://assets.example.com/asset_b2.jpg?sig=abc")
    // A URL holding its asset id keeps only what follows its last "=": the rest is shared.
    expect(data.assets.find((r: AssetRow) => r[ASSET.id] === "asset_b2")?.[ASSET.thumb]).toEqual([
      0,
      0,
      "abc"
    ])
    expect(data.thumbMiddles).toEqual([".jpg?sig="])
    // One that does not (a kept copy) is stored whole.
    expect(data.assets.find((r: AssetRow) => r[ASSET.id] === "asset_b1")?.[ASSET.thumb]).toEqual([
      -1,
      "thumbs/asset_b1.jpg"
    ])
  })

  it("embeds group members and the worst low-quality assets, not every ungrouped asset", () => {
    const base = sampleAnalysis()
    const singles = Array.from({ length: 3000 }, (_, i) =>
      asset(`single${i}`, {
        score: 0.1 + i / 3000,
        flags: i < 700 ? ["low_quality"] : []
      })
    )
    const analysis = { ...base, assets: [...base.assets, ...singles] }
    const { data } = dataOf(Html.render(analysis, metadata))
    const memberCount = base.groups.reduce((n, g) => n + g.members.length, 0)
    expect(data.lowQuality.items).toHaveLength(Html.LOW_QUALITY_LIMIT)
    // The worst first.
    expect(data.assets[data.lowQuality.items[0]!]![ASSET.id]).toBe("asset_s1")
    expect(data.assets[data.lowQuality.items[1]!]![ASSET.id]).toBe("single0")
    expect(data.assets.length).toBeLessThanOrEqual(memberCount + Html.LOW_QUALITY_LIMIT + 2)
    expect(data.groups).toHaveLength(2)
  })

  it("shows a member the assets lack (not expected) by its id rather than fail", () => {
    const base = sampleAnalysis()
    const group = base.groups[0] as (typeof base.groups)[number]
    const analysis = {
      ...base,
      groups: [
        { ...group, members: [...group.members, member("asset_gone", { rank: 9 })] },
        ...base.groups.slice(1)
      ]
    }
    const { data } = dataOf(Html.render(analysis, metadata))
    const members = data.groups[0]![GROUP.members]
    const gone = data.assets[members[members.length - 1]![MEMBER.asset]]!
    expect([gone[ASSET.id], gone[ASSET.fileName], gone[ASSET.thumb]]).toStrictEqual([
      "asset_gone",
      "asset_gone",
      null
    ])
    // The other members still point at their own rows.
    expect(members.slice(0, -1).map((m) => data.assets[m[MEMBER.asset]]?.[ASSET.id])).toStrictEqual(
      group.members.map((m) => m.assetId)
    )
  })

  it("marks members whose bytes equal the keeper's and keeps companions in one shot", () => {
    const base = sampleAnalysis()
    const { data } = dataOf(Html.render(base, metadata))
    const exact = data.groups.find((g) => g[GROUP.id] === "g-exact")!
    expect(exact[GROUP.members].map((m) => m[MEMBER.sameBytesAsKeeper])).toEqual([0, 1]) // the keeper, then its identical copy
    const shared = {
      ...base,
      groups: [
        {
          ...(base.groups[1] as (typeof base.groups)[number]),
          members: [member("asset_b1", { shotId: "s1" }), member("asset_b2", { shotId: "s1" })]
        }
      ]
    }
    const g = dataOf(Html.render(shared, metadata)).data.groups[0]!
    expect(g[GROUP.members].map((m) => m[MEMBER.shot])).toEqual([0, 0])
    expect(g[GROUP.members].map((m) => m[MEMBER.still])).toEqual([1, 0]) // no member names the shot: the first
    // A Live Photo video listed before its still: the still is the member the shot is named after.
    const video = {
      ...shared,
      groups: [
        {
          ...(shared.groups[0] as (typeof base.groups)[number]),
          members: [member("asset_b2", { shotId: "asset_b1" }), member("asset_b1", { shotId: "asset_b1" })]
        }
      ]
    }
    const v = dataOf(Html.render(video, metadata)).data.groups[0]!
    expect(v[GROUP.members].map((m) => m[MEMBER.still])).toEqual([0, 1])
  })

  it("embeds blocks of 1024 asset rows as columns, and group rows in blocks, each element whole JSON", () => {
    const analysis = largeAnalysis()
    const html = Html.render(analysis, metadata)
    const texts = Html.embeddedTexts(html)
    const shown = Html.shownAssetIds(analysis)
    expect(shown.length).toBeGreaterThan(2 * BLOCK_ROWS)
    expect(texts.assets).toHaveLength(Math.ceil(shown.length / BLOCK_ROWS))
    // Each element parses on its own; every block but the last holds 1024 rows.
    const blocks = texts.assets.map((text) => JSON.parse(text) as AssetBlock)
    expect(blocks.map((block) => block[ASSET.id].length)).toEqual(
      blocks.map((_, b) => Math.min(BLOCK_ROWS, shown.length - b * BLOCK_ROWS))
    )
    for (const block of blocks) expect(block).toHaveLength(ASSET_FIELDS.length)
    // One details element per block, right after it, parsing on its own.
    expect(texts.details).toHaveLength(blocks.length)
    for (const text of texts.details) expect(JSON.parse(text)).toHaveLength(ASSET_FIELDS.length)
    // The element after each asset block is its details.
    const tag = `<script type="application/json" class="${DETAIL_CLASS}">`
    const next = html
      .split(`class="${ASSET_CLASS}"`)
      .slice(1)
      .map((after) => after.slice(after.indexOf("</script>\n") + "</script>\n".length).startsWith(tag))
    expect(next).toEqual(blocks.map(() => true))
    const groupBlocks = texts.groups.map((text) => JSON.parse(text) as GroupBlock)
    expect(groupBlocks.flatMap(([groups]) => groups[GROUP.id])).toEqual(analysis.groups.map((g) => g.id))
    expect(JSON.parse(texts.meta).v).toBe(4)
    // The rows built from the blocks are the shown assets, each once; members point at their own rows.
    const data = Html.embeddedData(html)
    const rows = Html.assetRows(data)
    expect(new Set(rows.map((row) => row[ASSET.id]))).toEqual(new Set(shown))
    expect(rows).toHaveLength(shown.length)
    const groupRows = Html.groupRows(data)
    for (const [k, group] of analysis.groups.entries()) {
      const members = groupRows[k]![GROUP.members]
      expect(members.map((m) => rows[m[MEMBER.asset]]?.[ASSET.id])).toEqual(
        group.members.map((m) => m.assetId)
      )
    }
    expect(thumbOf({ ...data, assets: rows }, "x0299-9")).toBe(
      analysis.assets.find((a) => a.id === "x0299-9")?.thumbnailUrl ?? null
    )
  })

  it("stores asset rows as columns without losing a field", () => {
    const base = toRow(ASSET_FIELDS, {
      id: "a",
      fileName: "a.jpg",
      mimeType: 0,
      wall: "2024-01-01T00:00:00.000",
      offsetMinutes: 60,
      camera: 1,
      rating: 5,
      favorite: 1,
      width: 4000,
      height: 3000,
      fileSize: 123,
      people: [2, 3],
      faceCount: 2,
      description: "d",
      thumb: [0, 1, "sig"],
      score: 0.5,
      flags: 3,
      metrics: [0.25, null],
      hasGps: 1,
      hasExif: 1,
      group: 0,
      cameraTime: 1,
      autoStackId: 4
    } satisfies AssetFields)
    const variants: Array<Partial<AssetFields>> = [
      {},
      { people: [], thumb: null, metrics: [null, null] },
      { thumb: [-1, "https://x/a.jpg"], description: null, camera: null },
      { thumb: [2, "a.jpg"], metrics: [null, 7], wall: "", offsetMinutes: null },
      { wall: "2024-02-29T23:59:59.999" },
      { wall: "1969-12-31T00:00:00" },
      { wall: "2023-02-29T00:00:00" },
      { wall: "2024-07-14 09:12" }
    ]
    const rows = variants.map(
      (change, i) =>
        base.map((value, f) => {
          const name = ASSET_FIELDS[f]!
          return name === "id" ? `a${i}` : name in change ? change[name] : value
        }) as unknown as AssetRow
    )
    const block = emptyAssetBlock(2)
    for (const row of rows) pushAssetRow(block, row)
    const [index, details] = splitAssetBlock(block)
    // Each field is in exactly one of the two elements.
    for (const [f, name] of ASSET_FIELDS.entries()) {
      const inIndex = (INDEX_FIELDS as ReadonlyArray<string>).includes(name)
      expect([index[f] === null, details[f] === null]).toEqual([!inIndex, inIndex])
    }
    let reads = 0
    const data = readPage({
      assets: [JSON.stringify(index)],
      details: [
        () => {
          reads++
          return JSON.stringify(details)
        }
      ],
      groups: [],
      meta: JSON.stringify({ v: 4 })
    })
    expect(data.assetCount).toBe(rows.length)
    // Index fields are read without the details.
    expect(rows.map((_, i) => assetField(data, i, "fileSize"))).toEqual(
      rows.map((row) => row[ASSET.fileSize])
    )
    expect(rows.map((_, i) => assetWall(data, i))).toEqual(rows.map((row) => row[ASSET.wall]))
    expect(reads).toBe(0)
    expect(Html.assetRows(data)).toStrictEqual(rows)
    expect(reads).toBe(1)
    expect(assetRow(data, rows.length)).toBeUndefined()
    expect(assetRow(data, -1)).toBeUndefined()
    expect(() =>
      readPage({ assets: [JSON.stringify(index)], details: [], groups: [], meta: '{"v":4}' })
    ).toThrow(/1 asset blocks but 0 details/)
    expect(() => readPage({ assets: [], details: [], groups: [], meta: '{"v":3}' })).toThrow(
      /layout 3, not 4/
    )
  })

  it("stores capture times as two columns of small integers and gives back the same text", () => {
    const columnsOf = (walls: ReadonlyArray<string>) => {
      const block = emptyAssetBlock(0)
      for (const wall of walls) {
        const fields: AssetFields = {
          ...{ id: "a", fileName: "a", mimeType: 0, wall, offsetMinutes: null, camera: null, rating: null },
          ...{ favorite: 0, width: null, height: null, fileSize: null, people: [], faceCount: 0 },
          ...{ description: null, thumb: null, score: null, flags: 0, metrics: [], hasGps: 0, hasExif: 0 },
          ...{ group: -1, cameraTime: 0, autoStackId: null }
        }
        pushAssetRow(block, toRow(ASSET_FIELDS, fields))
      }
      return block[ASSET.wall]
    }
    // Every wall clock core writes, years 0000 to 9999, whole seconds or not.
    const coreWall = fc
      .integer({
        min: Date.parse("0000-01-01T00:00:00.000Z"),
        max: Date.parse("9999-12-31T23:59:59.999Z")
      })
      .map((ms) => CaptureTime.wallString(ms))
    fc.assert(
      fc.property(fc.array(coreWall, { maxLength: 20 }), (walls) => {
        const [days, times] = columnsOf(walls)
        expect(days.every((day) => Number.isInteger(day) && Math.abs(day as number) < 2 ** 30)).toBe(true)
        expect(times.every((t) => Number.isInteger(t) && (t as number) >= 0 && (t as number) < 864e5)).toBe(
          true
        )
        expect(days.map((day, j) => wallFrom(day, times[j]))).toEqual(walls)
      })
    )
    // Any other text is kept as it is.
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 24 }), { maxLength: 20 }), (walls) => {
        const [days, times] = columnsOf(walls)
        expect(days.map((day, j) => wallFrom(day, times[j]))).toEqual(walls)
      })
    )
    expect(columnsOf(["2025-06-01T08:13:01.124", "", "2025-06-01T08:13:01.000"])).toEqual([
      [20240, null, "2025-06-01T08:13:01.000"],
      [29581124, null, null]
    ])
  })

  it("stores group rows and their members as columns without losing a field", () => {
    const memberRow = (asset: number, reasons: ReadonlyArray<number>, wouldLose: ReadonlyArray<number>) =>
      toRow(MEMBER_FIELDS, {
        asset,
        shot: asset % 2,
        rank: asset + 1,
        score: asset === 3 ? null : asset / 10,
        margin: asset === 0 ? 0 : null,
        recommendation: asset % 3,
        reasons,
        wouldLose,
        sameBytesAsKeeper: asset === 1 ? 1 : 0,
        still: asset === 2 ? 0 : 1
      } satisfies MemberFields)
    const groupRowOf = (id: string, members: Array<MemberRow>, notes: ReadonlyArray<string>) =>
      toRow(GROUP_FIELDS, {
        id,
        kind: 1,
        evidence: 5,
        shotCount: members.length,
        keeper: 0,
        reclaimableBytes: 42,
        // Plain wall clocks become numbers, other text stays as it is; both come back the same.
        from: id === "g-b" ? "2024-01-01T00:00:00" : "2024-01-01T00:00:00.000",
        to: id === "g-b" ? "2024-01-01T00:00:01.500" : "",
        members,
        decidedByYou: id === "g-b" ? 1 : 0,
        notes
      } satisfies GroupFields)
    const rows = [
      groupRowOf("g-a", [memberRow(0, [1, 2], []), memberRow(1, [3], [4, 5])], []),
      groupRowOf(
        "g-b",
        [memberRow(2, [1, 2], []), memberRow(3, [], []), memberRow(4, [3], [4, 5])],
        ["a note"]
      ),
      groupRowOf("g-c", [memberRow(5, [9], [])], [])
    ]
    const lists: Array<ReadonlyArray<number>> = []
    const listIndex = (list: ReadonlyArray<number>) => {
      const at = lists.findIndex((seen) => seen.join() === list.join())
      return at >= 0 ? at : lists.push(list) - 1
    }
    const block = groupBlock(rows, listIndex)
    expect([block[0][GROUP.from], block[0][GROUP.to]]).toEqual([
      [
        ["2024-01-01T00:00:00.000", 19723, "2024-01-01T00:00:00.000"],
        [null, 0, null]
      ],
      [
        [null, 19723, null],
        [null, 1500, null]
      ]
    ])
    // Each distinct list once.
    expect(lists.map((list) => list.join()).sort()).toEqual(["", "1,2", "3", "4,5", "9"])
    const data = readPage({
      assets: [],
      details: [],
      groups: [JSON.stringify(block)],
      meta: JSON.stringify({ v: 4, lists })
    })
    expect(data.groupCount).toBe(3)
    expect(Html.groupRows(data)).toStrictEqual(rows)
    expect(groupRow(data, 3)).toBeUndefined()

    // Across blocks: 2,049 groups in three blocks, the last holding one.
    const many = Array.from({ length: 2 * BLOCK_ROWS + 1 }, (_, i) =>
      groupRowOf(`g-${i}`, [memberRow(i % 5, [1, 2], []), memberRow((i + 1) % 5, [i % 3], [])], [])
    )
    const blocks = [0, BLOCK_ROWS, 2 * BLOCK_ROWS].map((from) =>
      JSON.stringify(groupBlock(many.slice(from, from + BLOCK_ROWS), listIndex))
    )
    const across = readPage({
      assets: [],
      details: [],
      groups: blocks,
      meta: JSON.stringify({ v: 4, lists })
    })
    expect(across.groupCount).toBe(many.length)
    expect(Html.groupRows(across)).toStrictEqual(many)
    expect(memberSpan(across, 2 * BLOCK_ROWS)).toMatchObject({ start: 0, end: 2 })
    expect(memberSpan(across, BLOCK_ROWS + 1)).toMatchObject({ start: 2, end: 4 })
  })

  it("says a page cut off inside its data is cut off", () => {
    const html = Html.render(largeAnalysis(), metadata)
    const second = html.indexOf(`class="${ASSET_CLASS}"`, html.indexOf(`class="${ASSET_CLASS}"`) + 1)
    expect(second).toBeGreaterThan(0)
    expect(() => Html.embeddedData(html.slice(0, second + 1000))).toThrow(
      /cut off: its data element at character \d+/
    )
  })

  it("renders the same bytes for the same input, in pieces", () => {
    const pieces = Array.from(Html.chunks(sampleAnalysis(), metadata))
    expect(pieces.join("")).toBe(Html.render(sampleAnalysis(), metadata))
  })
})
