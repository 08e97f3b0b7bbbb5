// Summarises a V8 .cpuprofile: self time per function and per area (package or runtime part).
// Locations are line:column: the CLI bundle has no indentation, so many functions share a line.

/** Where a frame's code lives, for the by-area table. */
function area(url, name) {
  if (!url) return name.startsWith("(") ? name : "(native)"
  const pkg = /\/packages\/([^/]+)\//.exec(url)
  if (pkg && !url.includes("node_modules")) return `@albumsift/${pkg[1]}`
  const nm = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)
  if (nm) return nm[1]
  if (url.startsWith("node:")) return "node internals"
  if (url.includes("/bench/")) return "bench"
  return "other"
}

/** Self time by frame and by area, top `limit` frames. */
export function summariseProfile(profile, root, limit = 20) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map()
  const { samples, timeDeltas } = profile
  for (let i = 0; i < samples.length; i++) {
    const dt = (timeDeltas[i + 1] ?? 0) / 1000 // a sample's time is the gap to the next one
    self.set(samples[i], (self.get(samples[i]) ?? 0) + dt)
  }
  const frames = new Map()
  const areas = new Map()
  let total = 0
  for (const [id, ms] of self) {
    const { callFrame: cf } = byId.get(id)
    const name = cf.functionName || "(anonymous)"
    const url = cf.url
      .replace(`file://${root}/`, "")
      .replace(/^.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, "")
    const location = url ? `${url}:${cf.lineNumber + 1}:${cf.columnNumber + 1}` : ""
    const key = `${name}@${location}`
    const f = frames.get(key) ?? { name, location, ms: 0 }
    f.ms += ms
    frames.set(key, f)
    const a = area(cf.url, name)
    areas.set(a, (areas.get(a) ?? 0) + ms)
    total += ms
  }
  const top = [...frames.values()].sort((a, b) => b.ms - a.ms).slice(0, limit)
  return {
    totalMs: total,
    inclusive: inclusive(profile, byId, self, root, total, limit),
    top: top.map((f) => ({ ...f, share: f.ms / total })),
    byArea: [...areas].map(([a, ms]) => ({ area: a, ms, share: ms / total })).sort((a, b) => b.ms - a.ms)
  }
}

/** Total (self + callees) time of our own functions (packages/*), each counted once per stack. */
function inclusive(profile, byId, self, root, total, limit) {
  const parent = new Map()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const keyOf = (cf) => {
    const url = cf.url.replace(`file://${root}/`, "")
    return /^packages\/[^/]+\/(dist|src)\//.test(url)
      ? `${cf.functionName || "(anonymous)"}@${url}:${cf.lineNumber + 1}:${cf.columnNumber + 1}`
      : null
  }
  const acc = new Map()
  for (const [id, ms] of self) {
    const seen = new Set()
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const k = keyOf(byId.get(cur).callFrame)
      if (k !== null && !seen.has(k)) {
        seen.add(k)
        acc.set(k, (acc.get(k) ?? 0) + ms)
      }
    }
  }
  return [...acc]
    .map(([k, ms]) => {
      const at = k.indexOf("@")
      return { name: k.slice(0, at), location: k.slice(at + 1), ms, share: ms / total }
    })
    .sort((a, b) => b.ms - a.ms)
    .slice(0, limit)
}
