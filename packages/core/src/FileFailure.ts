/**
 * Why a file could not be read or written, in a few words (`no such file`, `is a folder, not a
 * file`, `permission denied`), from Node's errors and @effect/platform's alike: the raw texts
 * (`ENOENT: no such file or directory, open …`, `BadResource: FileSystem.readFile (…): EISDIR…`)
 * repeat the path and name system calls no user made.
 *
 * @since 0.2.0
 */

/** The reason for a folder given where a file was expected. @since 0.2.0 */
export const IS_A_FOLDER = "is a folder, not a file"

const BY_CODE: Readonly<Record<string, string>> = {
  EISDIR: IS_A_FOLDER,
  ENOTDIR: "a parent is not a folder",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EEXIST: "already exists",
  ENAMETOOLONG: "name too long",
  EIO: "input/output error"
}

/** @effect/platform's SystemError reasons, for when no system code is given (NotFound: `no such <what>`). */
const BY_PLATFORM_REASON: Readonly<Record<string, string>> = {
  PermissionDenied: "permission denied",
  AlreadyExists: "already exists",
  BadResource: "not a readable file"
}

const field = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined

/** The system code (`ENOENT`...) of a Node error, or of the one a SystemError wraps or describes. */
const codeOf = (error: unknown): string | undefined => {
  for (const candidate of [field(error, "code"), field(field(error, "cause"), "code")]) {
    if (typeof candidate === "string" && /^E[A-Z]+$/.test(candidate)) return candidate
  }
  const description = field(error, "description")
  return typeof description === "string" ? /\b(E[A-Z]{2,})\b/.exec(description)?.[1] : undefined
}

/**
 * A short reason for a failed file operation on a `what` (`no such folder`); an error that is no
 * system error keeps its own message (on one line).
 *
 * @since 0.2.0
 */
export const reason = (error: unknown, what: "file" | "folder" = "file"): string => {
  const code = codeOf(error)
  const platform = field(error, "_tag") === "SystemError" ? String(field(error, "reason")) : undefined
  if (code === "ENOENT" || (code === undefined && platform === "NotFound")) return `no such ${what}`
  const known =
    (code === undefined ? undefined : BY_CODE[code]) ??
    (platform === undefined ? undefined : BY_PLATFORM_REASON[platform])
  if (known !== undefined) return known
  const message = field(error, "message")
  return (typeof message === "string" ? message : String(error)).replace(/\s+/g, " ").trim()
}
