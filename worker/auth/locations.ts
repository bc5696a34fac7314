// Which location a request acts on: the one it names, which the token must cover, or the token's
// only location when it names none.
import { AppError } from "../http/errors";

export function resolveLocation(auth: { loc: string[] }, requested: string | undefined): string {
  if (requested === undefined) {
    const only = auth.loc.length === 1 ? auth.loc[0] : undefined;
    if (!only) throw new AppError("invalid_parameter", "location_id is required: the token covers several locations.");
    return only;
  }
  if (!auth.loc.includes(requested)) {
    throw new AppError("forbidden_location", `The token does not cover location '${requested}'.`);
  }
  return requested;
}
