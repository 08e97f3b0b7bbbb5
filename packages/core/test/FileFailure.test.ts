import { SystemError } from "@effect/platform/Error"
import { assert, describe, it } from "@effect/vitest"
import { reason } from "../src/FileFailure.js"

const nodeError = (code: string, message: string) => Object.assign(new Error(message), { code })

describe("FileFailure.reason", () => {
  it("words Node's errors without their system call or path", () => {
    assert.strictEqual(
      reason(nodeError("ENOENT", "ENOENT: no such file or directory, open 'x'")),
      "no such file"
    )
    assert.strictEqual(
      reason(nodeError("EACCES", "EACCES: permission denied, open '/r/j'")),
      "permission denied"
    )
  })

  it("words @effect/platform's errors by the code they wrap, else by their reason", () => {
    const isDir = new SystemError({
      reason: "BadResource",
      module: "FileSystem",
      method: "readFile",
      pathOrDescriptor: "d",
      cause: nodeError("EISDIR", "EISDIR: illegal operation on a directory, read")
    })
    assert.strictEqual(reason(isDir), "is a folder, not a file")
    const denied = new SystemError({
      reason: "PermissionDenied",
      module: "FileSystem",
      method: "makeDirectory",
      pathOrDescriptor: "/r/thumbs",
      description: "EACCES: permission denied, mkdir '/r/thumbs'"
    })
    assert.strictEqual(reason(denied), "permission denied")
    assert.strictEqual(
      reason(
        new SystemError({ reason: "NotFound", module: "FileSystem", method: "stat", pathOrDescriptor: "x" })
      ),
      "no such file"
    )
  })

  it("keeps the message of anything else, on one line", () => {
    assert.strictEqual(reason(new Error("line 3 is not JSON\n  at x")), "line 3 is not JSON at x")
  })
})
