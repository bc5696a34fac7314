import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { bundleSandbox } from "./scripts/bundle-sandbox.ts";
import { TEST_SECRETS } from "./test/worker/secrets.ts";
import { TEST_WEBHOOK_KEYS } from "./test/worker/webhook-keys.ts";

const root = import.meta.dirname;

// Two projects: the Worker inside workerd (real D1, Queues, DOs, the sandbox as a second Worker),
// and the widget in real Chromium against the local stack.
export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: path.join(root, "wrangler.toml") },
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations(path.join(root, "drizzle")),
                ...TEST_SECRETS,
                // Tests read what they just wrote; the hot-read cache has its own tests.
                LOCATION_STATE_CACHE_MS: "0",
                // A revocation takes effect at once in tests; the isolate's memo has its own test.
                REVOCATION_CACHE_MS: "0",
                // Import retries without backoff: dead letters arrive in tests within seconds.
                IMPORT_RETRY_BASE_SECONDS: "0",
                // The sandbox's own Marketplace app and AmoCRM integration (sandbox/ghl/oauth-state.ts).
                GHL_CLIENT_ID: "sbx-ghl-client",
                GHL_CLIENT_SECRET: "sbx-ghl-secret",
                AMOCRM_CLIENT_ID: "sbx-amo-client",
                AMOCRM_CLIENT_SECRET: "sbx-amo-secret",
                // The tests sign GoHighLevel webhooks with their own key pairs (test/worker/webhook-keys.ts).
                GHL_WEBHOOK_PUBLIC_KEY: TEST_WEBHOOK_KEYS.rsaPublicPem,
                GHL_WEBHOOK_ED25519_PUBLIC_KEY: TEST_WEBHOOK_KEYS.ed25519PublicPem,
              },
              // Short queue hops in tests; production batching lives in wrangler.toml.
              queueConsumers: {
                "crm-edge-sync": { maxBatchSize: 25, maxBatchTimeout: 0.05, maxRetries: 5, deadLetterQueue: "crm-edge-sync-dlq", retryDelay: 0 },
                "crm-edge-sync-dlq": { maxBatchSize: 10, maxBatchTimeout: 0.05 },
                "crm-edge-import": { maxBatchSize: 1, maxBatchTimeout: 0.05, maxRetries: 5, deadLetterQueue: "crm-edge-import-dlq", retryDelay: 0 },
                "crm-edge-import-dlq": { maxBatchSize: 10, maxBatchTimeout: 0.05, maxRetries: 5, retryDelay: 0 },
                "crm-edge-webhooks": { maxBatchSize: 25, maxBatchTimeout: 0.05, maxRetries: 5, retryDelay: 0 },
              },
              // The Worker's outbound fetches reach the sandbox: GHL_BASE_URL stays the real host name.
              outboundService: "sandbox",
              workers: [
                {
                  name: "sandbox",
                  modules: [{ type: "ESModule", path: "sandbox.mjs", contents: await bundleSandbox() }],
                  compatibilityDate: "2026-04-01",
                  compatibilityFlags: ["nodejs_compat"],
                  durableObjects: { SANDBOX: "SandboxState" },
                },
              ],
            },
          })),
        ],
        test: {
          name: "worker",
          // Sync tests wait (bounded, by polling run rows) for real queue and rate-limited work.
          testTimeout: 60_000,
          include: ["test/worker/**/*.test.ts"],
          setupFiles: ["test/worker/apply-migrations.ts"],
        },
      },
      {
        // Node-only checks of the repository's scripts and examples (no Worker, no browser).
        test: {
          name: "node",
          include: ["test/node/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          environment: "node",
          // wrangler dev, the widget build and the first sync take a while on 2 cores.
          hookTimeout: 240_000,
          testTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
