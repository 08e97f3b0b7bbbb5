/**
 * Whether a would-lose item can be merged into the keeper by `apply` (albums, rating, favourite,
 * description, GPS); people, faces, a RAW file and a Live Photo video cannot.
 */
export const isMergeable = (item: string): boolean =>
  item === "favorite" || item === "gps" || item === "description" || /^(rating |albums: )/.test(item)
