// Secrets are not in wrangler.toml, so `wrangler types` cannot see them: declared here.
declare namespace Cloudflare {
  interface Env {
    /** HS256 key for the API's bearer tokens. */
    AUTH_SECRET: string;
    /** Bearer key of /api/admin/*. */
    ADMIN_API_KEY: string;
    /** Base64 of 32 random bytes: the AES-GCM key that encrypts upstream credentials. */
    CREDENTIALS_KEY: string;
  }
}
