/**
 * The parts of an in-memory photo library both loopback servers share: album memberships that keep
 * their listing order across remove/re-add (so an undo lists exactly as before), stacks with the
 * move/fold/dissolve rule of a stack create, and the `albums` view the servers expose to tests.
 * Server-specific asset records (Gumnut's seed shape, Immich's AssetResponseDto) live in
 * gumnutState.ts and immichState.ts.
 */

/** Album id -> the ids of its members, in listing order. A re-added member takes its old place. */
export class Memberships {
  private readonly members = new Map<string, Map<string, number>>()
  /** Every rank an asset ever had in an album (kept after removal). */
  private readonly ranks = new Map<string, Map<string, number>>()

  /** Replaces an album's members with `ids`, in this order. */
  set(album: string, ids: ReadonlyArray<string>): void {
    const ranks = new Map<string, number>()
    ids.forEach((id, k) => {
      if (!ranks.has(id)) ranks.set(id, k)
    })
    this.ranks.set(album, new Map(ranks))
    this.members.set(album, ranks)
  }

  has(album: string): boolean {
    return this.members.has(album)
  }

  albums(): Array<string> {
    return [...this.members.keys()]
  }

  /** Whether `id` is a member of `album`. */
  contains(album: string, id: string): boolean {
    return this.members.get(album)?.has(id) ?? false
  }

  /** Adds a member (at its former place if it had one); false when it already was one. */
  add(album: string, id: string): boolean {
    const members = this.members.get(album)
    const ranks = this.ranks.get(album)
    if (members === undefined || ranks === undefined || members.has(id)) return false
    let rank = ranks.get(id)
    if (rank === undefined) {
      rank = ranks.size === 0 ? 0 : Math.max(...ranks.values()) + 1
      ranks.set(id, rank)
    }
    members.set(id, rank)
    return true
  }

  /** Removes a member; false when it was not one. */
  remove(album: string, id: string): boolean {
    return this.members.get(album)?.delete(id) ?? false
  }

  /** Deletes an album (the owner does, in the app); its assets stay in the library. */
  deleteAlbum(album: string): void {
    this.members.delete(album)
    this.ranks.delete(album)
  }

  /** Removes an asset from every album (a permanent delete). */
  forget(id: string): void {
    for (const members of this.members.values()) members.delete(id)
  }

  /** The members of an album in listing order. */
  ids(album: string): Array<string> {
    const members = this.members.get(album)
    if (members === undefined) return []
    return [...members].sort((a, b) => a[1] - b[1]).map(([id]) => id)
  }

  /** The albums an asset is in, sorted. */
  albumsOf(id: string): Array<string> {
    return [...this.members]
      .filter(([, m]) => m.has(id))
      .map(([album]) => album)
      .sort()
  }

  /** Album id -> sorted member ids, for deep-equality snapshots. */
  snapshot(): Record<string, Array<string>> {
    return sortedRecord(
      [...this.members].map(([album, m]) => [album, [...m.keys()].sort()] as [string, Array<string>])
    )
  }
}

/** One stack: its members in the order they joined, its pinned cover and how it came to be. */
export interface Stack {
  readonly id: string
  readonly assetIds: Array<string>
  primaryAssetId: string | null
  origin: "auto_burst" | "user"
}

/**
 * Stacks by id, with each asset in at most one. `create` follows Gumnut's documented rule (TS SDK
 * `src/resources/stacks.ts@33b8af6`, createStack): an asset already in another stack is moved into
 * the new one, folding that stack in whole if the asset was its pinned cover; a stack left with
 * fewer than 2 members dissolves.
 */
export class StackBook {
  readonly stacks = new Map<string, Stack>()
  private readonly byAsset = new Map<string, string>()

  /** The stack an asset is in. */
  of(assetId: string): Stack | undefined {
    const id = this.byAsset.get(assetId)
    return id === undefined ? undefined : this.stacks.get(id)
  }

  /** Adds a stack as it is (seeding). */
  put(stack: Stack): void {
    this.stacks.set(stack.id, stack)
    for (const a of stack.assetIds) this.byAsset.set(a, stack.id)
  }

  /** Seeds an asset into the stack it arrived with, making the stack on its first member. */
  join(stackId: string, assetId: string, primaryAssetId: string | null, origin: Stack["origin"]): void {
    const known = this.stacks.get(stackId)
    this.put({ id: stackId, assetIds: [...(known?.assetIds ?? []), assetId], primaryAssetId, origin })
  }

  /** Makes a new stack of `assetIds` (moving, folding and dissolving others); returns it. */
  create(id: string, assetIds: ReadonlyArray<string>, primaryAssetId: string | null): Stack {
    const members = [...new Set(assetIds)]
    for (const a of assetIds) {
      const old = this.of(a)
      if (old !== undefined && old.primaryAssetId === a) {
        for (const m of old.assetIds) if (!members.includes(m)) members.push(m)
      }
    }
    for (const a of members) this.leave(a)
    const stack: Stack = { id, assetIds: members, primaryAssetId, origin: "user" }
    this.put(stack)
    return stack
  }

  /** Dissolves a stack; false when there is none with this id. */
  delete(id: string): boolean {
    const stack = this.stacks.get(id)
    if (stack === undefined) return false
    for (const a of stack.assetIds) this.byAsset.delete(a)
    this.stacks.delete(id)
    return true
  }

  /** Takes an asset out of its stack, dissolving the stack when fewer than 2 remain. */
  leave(assetId: string): void {
    const stack = this.of(assetId)
    if (stack === undefined) return
    stack.assetIds.splice(stack.assetIds.indexOf(assetId), 1)
    this.byAsset.delete(assetId)
    if (stack.primaryAssetId === assetId) stack.primaryAssetId = null
    if (stack.assetIds.length < 2) this.delete(stack.id)
  }

  /** Stack id -> cover, sorted members and origin, for deep-equality snapshots. */
  snapshot(): Record<string, { primaryAssetId: string | null; assetIds: Array<string>; origin: string }> {
    return sortedRecord(
      [...this.stacks.values()].map((s) => [
        s.id,
        { primaryAssetId: s.primaryAssetId, assetIds: [...s.assetIds].sort(), origin: s.origin }
      ])
    )
  }
}

/**
 * Seeds an album: the ids of `assets` (those with a string id), in order, calling `add` for each one
 * the library does not `know` yet (a known asset keeps its state).
 */
export const seedAlbum = (
  memberships: Memberships,
  album: string,
  assets: ReadonlyArray<Record<string, unknown>>,
  know: (id: string) => boolean,
  add: (id: string, raw: Record<string, unknown>) => void
): void => {
  const ids: Array<string> = []
  for (const raw of assets) {
    const id = raw.id
    if (typeof id !== "string") continue
    ids.push(id)
    if (!know(id)) add(id, raw)
  }
  memberships.set(album, ids)
}

/**
 * A copy of an asset record that the servers may change: the top level and the one nested object
 * they write to (`exif` on Gumnut, `exifInfo` on Immich) are copied; everything else is shared and
 * never changed. (No deep clone: hostile fixtures nest thousands of levels deep.)
 */
export const editableCopy = <T extends object>(record: T, nested: string): T => {
  const copy = { ...record } as Record<string, unknown>
  const inner = copy[nested]
  if (inner !== null && typeof inner === "object" && !Array.isArray(inner)) copy[nested] = { ...inner }
  return copy as T
}

/** A record with its keys in sorted order (stable snapshots and diffs). */
export const sortedRecord = <V>(entries: ReadonlyArray<readonly [string, V]>): Record<string, V> =>
  Object.fromEntries([...entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)))

/**
 * The `albums` record a server exposes: reading an album gives its live listing, assigning one
 * seeds it (new assets join the library; the album's order becomes the given one).
 */
export const albumsView = (
  memberships: Memberships,
  list: (album: string) => ReadonlyArray<Record<string, unknown>>,
  seed: (album: string, assets: ReadonlyArray<Record<string, unknown>>) => void
): Record<string, ReadonlyArray<Record<string, unknown>>> =>
  new Proxy({} as Record<string, ReadonlyArray<Record<string, unknown>>>, {
    get: (_, key) => (typeof key === "string" && memberships.has(key) ? list(key) : undefined),
    set: (_, key, value) => {
      if (typeof key !== "string") return false
      seed(key, value as ReadonlyArray<Record<string, unknown>>)
      return true
    },
    has: (_, key) => typeof key === "string" && memberships.has(key),
    ownKeys: () => memberships.albums(),
    getOwnPropertyDescriptor: (_, key) =>
      typeof key === "string" && memberships.has(key)
        ? { enumerable: true, configurable: true, writable: true, value: list(key) }
        : undefined
  })
