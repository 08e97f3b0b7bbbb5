/**
 * Whether a would-lose item can be merged into the keeper by `apply` (albums, rating, favourite,
 * description, GPS); people, faces, a RAW file and a Live Photo video cannot, nor GPS where the
 * server cannot merge it (`canMergeGps: false`: Immich cannot clear GPS, so undo could not take it back).
 */
export const isMergeable = (item: string, canMergeGps = true): boolean =>
  item === "favorite" ||
  (item === "gps" && canMergeGps) ||
  item === "description" ||
  /^(rating |albums: )/.test(item)
