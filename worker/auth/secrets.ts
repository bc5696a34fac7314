// The Worker's secrets, checked and decoded once per isolate: the token and credential key rings,
// the admin key and the GoHighLevel SSO shared secret. A bad secret fails every request that
// needs it with one clear sentence (worker/app.ts turns SecretError into `misconfigured`).
import { type KeyRing, SecretError, authKeyRing, credentialsKeyRing, textSecretBytes } from "./keyring";

export type Secrets = {
  auth: KeyRing;
  credentials: KeyRing;
  adminKey: string;
  /** The GoHighLevel app's Shared Secret; null when SSO is not set up. */
  ghlSsoKey: string | null;
};

export type SecretEnv = Pick<Env, "AUTH_SECRET" | "ADMIN_API_KEY" | "CREDENTIALS_KEY" | "GHL_SSO_KEY"> & {
  AUTH_SECRET_PREVIOUS?: string;
  CREDENTIALS_KEY_PREVIOUS?: string;
};

const cache = new WeakMap<object, Promise<Secrets>>();

async function load(env: SecretEnv): Promise<Secrets> {
  if (!env.ADMIN_API_KEY) throw new SecretError("ADMIN_API_KEY is not set: `wrangler secret put ADMIN_API_KEY`.");
  textSecretBytes("ADMIN_API_KEY", env.ADMIN_API_KEY);
  const [auth, credentials] = await Promise.all([authKeyRing(env), credentialsKeyRing(env)]);
  return { auth, credentials, adminKey: env.ADMIN_API_KEY, ghlSsoKey: env.GHL_SSO_KEY || null };
}

export function readSecrets(env: SecretEnv): Promise<Secrets> {
  let secrets = cache.get(env);
  if (!secrets) {
    secrets = load(env);
    // A failure is not cached: fixing the secret (a redeploy) gives a new env anyway.
    secrets.catch(() => cache.delete(env));
    cache.set(env, secrets);
  }
  return secrets;
}
