// Prototype (to be ported into core as internal/Guard.ts): compiles an effect Schema AST into a
// plain predicate that accepts exactly what `Schema.decodeUnknownEither(schema, { onExcessProperty:
// "ignore" })` accepts, for the subset of AST nodes albumsift's input schema uses. The decoder is
// then only needed to explain a rejection. Unsupported nodes throw at compile time.
//
// Struct property checks are generated as straight-line code (`new Function`) so every field read
// is a named property load with its own inline cache: ~10x faster than looping over names.

const PARSE_OPTIONS = { errors: "first", onExcessProperty: "ignore" }

/** A predicate equivalent to decoding with the schema whose AST is `ast` (type-level, no transforms). */
export function compileGuard(ast) {
  const refs = [] // filters and nested guards the generated code calls
  const ref = (x) => {
    refs.push(x)
    return `r[${refs.length - 1}]`
  }
  let fresh = 0
  // Returns a JS expression testing the value in variable `v`.
  const expr = (node, v) => {
    switch (node._tag) {
      case "StringKeyword":
        return `typeof ${v} === "string"`
      case "NumberKeyword":
        return `typeof ${v} === "number"`
      case "BooleanKeyword":
        return `typeof ${v} === "boolean"`
      case "UnknownKeyword":
      case "AnyKeyword":
        return "true"
      case "UndefinedKeyword":
        return `${v} === undefined`
      case "Literal":
        return node.literal === null
          ? `${v} === null`
          : `${v} === ${typeof node.literal === "string" ? JSON.stringify(node.literal) : ref(node.literal)}`
      case "Union":
        return `(${node.types.map((t) => expr(t, v)).join(" || ")})`
      case "Refinement":
        return `(${expr(node.from, v)} && ${ref(node)}.filter(${v}, o, ${ref(node)})._tag === "None")`
      case "TupleType": {
        if (node.elements.length !== 0 || node.rest.length !== 1) throw new Error("guard: only Schema.Array")
        return `(Array.isArray(${v}) && ${ref(fn(node.rest[0].type))}.arr(${v}))`
      }
      case "TypeLiteral": {
        const parts = [`typeof ${v} === "object"`, `${v} !== null`, `!Array.isArray(${v})`]
        for (const ps of node.propertySignatures) {
          if (typeof ps.name !== "string") throw new Error("guard: only string keys")
          const x = `x${fresh++}`
          const name = JSON.stringify(ps.name)
          const test = expr(ps.type, x)
          parts.push(
            ps.isOptional
              ? `((${x} = ${v}[${name}]) === undefined && !h.call(${v}, ${name}) || ${test})`
              : `(${x} = ${v}[${name}], ${test})`
          )
        }
        for (const is of node.indexSignatures) {
          if (is.parameter._tag !== "StringKeyword") throw new Error("guard: only string-keyed records")
          parts.push(`${ref(fn(is.type))}.rec(${v})`)
        }
        return `(${parts.join(" && ")})`
      }
      default:
        throw new Error(`guard: unsupported schema node ${node._tag}`)
    }
  }
  // A compiled sub-guard with helpers for arrays and records.
  function fn(node) {
    const g = compileGuard(node)
    return {
      arr: (a) => {
        for (let k = 0; k < a.length; k++) if (!g(a[k])) return false
        return true
      },
      rec: (u) => {
        for (const key of Object.keys(u)) if (!g(u[key])) return false
        return true
      }
    }
  }
  const body = expr(ast, "u")
  const vars = Array.from({ length: fresh }, (_, k) => `x${k}`)
  const src = `${vars.length ? `let ${vars.join(", ")};` : ""} return ${body}`
  const inner = new Function("r", "o", "h", `return (u) => { ${src} }`)
  return inner(refs, PARSE_OPTIONS, Object.prototype.hasOwnProperty)
}
