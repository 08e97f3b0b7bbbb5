/**
 * Guards for paged listings (Gumnut's cursor, Immich's search): a listing that would never end,
 * because the server loops or keeps inventing assets, fails with a clear error instead of growing
 * memory for ever. It checks every page for
 * - more assets than were asked for;
 * - an asset listed before (a loop, whatever the cursor says);
 * - the page ceiling (default 50,000 pages: 10 million assets at Gumnut's 200 a page).
 */
import { idOf } from "./sourceIds.js"

/** The most pages one album's listing may take. */
export const DEFAULT_MAX_PAGES = 50_000

/** One listing's pages so far. */
export class PageGuard {
  private pages = 0
  private readonly ids = new Set<string>()

  constructor(
    private readonly pageSize: number,
    private readonly maxPages = DEFAULT_MAX_PAGES
  ) {}

  /** Records one page; the reason the listing must stop, if there is one. */
  check(items: ReadonlyArray<unknown>): string | undefined {
    this.pages++
    if (items.length > this.pageSize) {
      return `a page has ${items.length} assets, more than the ${this.pageSize} asked for`
    }
    for (const item of items) {
      const id = idOf(item)
      if (id.startsWith("#")) continue // no id: the pipeline rejects the item on its own
      if (this.ids.has(id)) return `asset ${id.slice(0, 100)} was listed twice: the paging loops`
      this.ids.add(id)
    }
    return undefined
  }

  /** The reason to stop before asking for another page, if the ceiling is reached. */
  ceiling(): string | undefined {
    return this.pages >= this.maxPages
      ? `the listing still had more after ${this.maxPages.toLocaleString("en-US")} pages (the page ceiling, maxPages)`
      : undefined
  }
}
