// Fixed secrets for tests only (never used outside the test pool).
export const TEST_SECRETS = {
  AUTH_SECRET: "test-auth-secret-0123456789abcdef0123456789abcdef",
  ADMIN_API_KEY: "test-admin-key-0123456789abcdef0123456789",
  // base64 of 32 bytes 0x01..0x20
  CREDENTIALS_KEY: "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=",
  // The GoHighLevel app's Shared Secret (custom-page SSO); GHL shows it as a UUID.
  GHL_SSO_KEY: "0c6f1e2a-5b7d-4c1e-9f3a-2d8b6e4a7c90",
};
