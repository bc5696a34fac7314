// What the widget calls the API with: a token, and the location it names (its own module so that the
// ways a session is obtained, src/auth.ts and src/embed/connect.ts, share it without a cycle).
export type Session = {
  token: string | null;
  /** Absent: the API uses the token's only location. */
  locationId: string | null;
};
