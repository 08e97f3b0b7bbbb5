import { createHash } from "node:crypto"
import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as Html from "../../src/formats/Html.js"
import {
  ASSET,
  type AssetRow,
  GROUP,
  MEMBER,
  type PageData,
  peopleOf,
  thumbUrl
} from "../../src/internal/pageData.js"
import { httpUrlParser } from "../../src/internal/text.js"
import * as Writer from "../../src/Writer.js"
import { asset, largeAnalysis, member, metadata, sampleAnalysis } from "../fixtures.js"

const dataOf = (html: string) => {
  const text = Html.embeddedData(html)
  return { text, data: JSON.parse(text) }
}

const thumbOf = (data: PageData, id: string) => {
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
    // Exactly two script elements: the data (one part for a page this small) and the page script.
    expect(html.match(/<script/g)).toHaveLength(2)
    expect(html.match(/<\/script>/g)).toHaveLength(2)
    const row = data.assets.find((r: Array<unknown>) => r[ASSET.id] === "asset_b1")
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
    expect(data.assets[data.lowQuality.items[0]][ASSET.id]).toBe("asset_s1")
    expect(data.assets[data.lowQuality.items[1]][ASSET.id]).toBe("single0")
    expect(data.assets.length).toBeLessThanOrEqual(memberCount + Html.LOW_QUALITY_LIMIT + 2)
    expect(data.groups).toHaveLength(2)
    // Compact rows: arrays, not objects.
    expect(Array.isArray(data.assets[0])).toBe(true)
  })

  it("marks members whose bytes equal the keeper's and keeps companions in one shot", () => {
    const base = sampleAnalysis()
    const { data } = dataOf(Html.render(base, metadata))
    const exact = data.groups.find((g: Array<unknown>) => g[GROUP.id] === "g-exact")
    expect(exact[GROUP.members].map((m: Array<unknown>) => m[MEMBER.sameBytesAsKeeper])).toEqual([0, 1]) // the keeper, then its identical copy
    const shared = {
      ...base,
      groups: [
        {
          ...(base.groups[1] as (typeof base.groups)[number]),
          members: [member("asset_b1", { shotId: "s1" }), member("asset_b2", { shotId: "s1" })]
        }
      ]
    }
    const g = dataOf(Html.render(shared, metadata)).data.groups[0]
    expect(g[GROUP.members].map((m: Array<unknown>) => m[MEMBER.shot])).toEqual([0, 0])
    expect(g[GROUP.members].map((m: Array<unknown>) => m[MEMBER.still])).toEqual([1, 0]) // no member names the shot: the first
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
    const v = dataOf(Html.render(video, metadata)).data.groups[0]
    expect(v[GROUP.members].map((m: Array<unknown>) => m[MEMBER.still])).toEqual([0, 1])
  })

  it("embeds the data in parts of about 256 KiB that join into the text one part would hold", () => {
    const context = () => Writer.context(largeAnalysis(), { metadata })
    const split = Array.from(Writer.pieces(Html.writer, context())).join("")
    const whole = Array.from(Writer.pieces(Html.writerWithParts(Number.POSITIVE_INFINITY), context())).join(
      ""
    )
    // What follows each part's opening tag, to the end of the page.
    const partsOf = (html: string) =>
      html.split('<script type="application/json" class="albumsift-data">').slice(1)
    expect(partsOf(whole)).toHaveLength(1)
    expect(partsOf(split).length).toBeGreaterThan(2)
    // Every part but the last is full; none is cut before its 256 KiB.
    for (const text of partsOf(split).slice(0, -1))
      expect(text.indexOf("</script>")).toBeGreaterThanOrEqual(256 * 1024)
    // Joined, the parts are the one part's text, character for character.
    expect(Html.embeddedData(split)).toBe(Html.embeddedData(whole))
    expect(JSON.parse(Html.embeddedData(split)).groups).toHaveLength(largeAnalysis().groups.length)
    // The page that `render` writes is the split one.
    expect(Html.render(largeAnalysis(), metadata)).toBe(split)
  })

  it("says a page cut off inside its data is cut off", () => {
    const html = Html.render(largeAnalysis(), metadata)
    expect(() => Html.embeddedData(html.slice(0, 400_000))).toThrow(/cut off: its data part at character \d+/)
  })

  it("renders the same bytes for the same input, in pieces", () => {
    const pieces = Array.from(Html.chunks(sampleAnalysis(), metadata))
    expect(pieces.join("")).toBe(Html.render(sampleAnalysis(), metadata))
  })
})
