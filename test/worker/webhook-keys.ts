// The webhook key pairs of the tests: the simulator's own (sandbox/webhook-keys.ts), so deliveries
// the tests sign and deliveries the sandbox signs both verify. The Worker under test is configured
// with the public halves (vitest.config.mts), in place of the keys GoHighLevel publishes.
export { SANDBOX_WEBHOOK_KEYS as TEST_WEBHOOK_KEYS } from "../../sandbox/webhook-keys";
