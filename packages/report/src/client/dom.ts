/**
 * Tiny DOM helpers for the page. Every string in the data is hostile: text goes in through text nodes,
 * attributes through DOM properties, URLs only when http(s) or relative; `innerHTML` is never used.
 */

type Child = Node | string | null | undefined | false

/** An element with a class and children; strings become text nodes. */
export const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  ...children: Array<Child>
): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag)
  if (className) node.className = className
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    node.append(typeof child === "string" ? document.createTextNode(child) : child)
  }
  return node
}

/** Text whose words with digits never break inside (a line may still break between words). */
export const unbroken = (text: string, className?: string): HTMLElement =>
  el(
    "span",
    className,
    ...text
      .split(" ")
      .flatMap((word, i) => [i > 0 ? " " : "", /\d/.test(word) ? el("span", "nb", word) : word])
  )

/** An SVG element with attributes. */
export const svg = (tag: string, attrs: Record<string, string | number>): SVGElement => {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag) as SVGElement
  for (const key of Object.keys(attrs)) node.setAttribute(key, String(attrs[key]))
  return node
}

/** The element with this id (the page's skeleton always has it). */
export const byId = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const node = document.getElementById(id)
  if (node === null) throw new Error(`missing #${id}`)
  return node as T
}

/** A button that runs `onClick`. */
export const button = (
  label: string,
  className: string | undefined,
  onClick: () => void
): HTMLButtonElement => {
  const node = el("button", className, label)
  node.type = "button"
  node.addEventListener("click", onClick)
  return node
}

/** Only http(s) and relative URLs may become an image source or link. */
export const safeUrl = (url: string | null): string | null => {
  if (typeof url !== "string" || url === "") return null
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f\\]/.test(url) || url.startsWith("//")) return null
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url)
  if (scheme) return /^https?$/i.test(scheme[1] ?? "") ? url : null
  if (url.includes(":") && !/^[^:]*[/?#]/.test(url)) return null
  try {
    const resolved = new URL(url, document.baseURI)
    return resolved.protocol === "http:" || resolved.protocol === "https:" || resolved.protocol === "file:"
      ? url
      : null
  } catch {
    return null
  }
}

/** Lets the browser skip laying out `node` while it is off screen; `height` stands in for it until then. */
export const layoutWhenNear = (node: HTMLElement, height: number): void => {
  node.style.setProperty("content-visibility", "auto")
  // After its first layout the browser remembers the real height.
  node.style.setProperty("contain-intrinsic-size", `auto ${Math.round(height)}px`)
}
