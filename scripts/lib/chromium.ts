// Debian's Chromium, headless, as the browser tests and bench:web drive it (Playwright's own
// browser download does not work here).
import { type Browser, chromium } from "playwright-core";

/**
 * Browser-UI work a page never sees. Headless Chromium 156 opens every new page in a new window and
 * preloads that window's omnibox popup, a WebUI page in its own renderer: about 0.9 s of CPU per
 * page (traced: 400+ chrome://resources requests), on the same 2 cores as the page being measured.
 * A widget inside a CRM's iframe does not pay for that.
 */
const BROWSER_UI_FEATURES = ["WebUIOmniboxPopup", "WebUIOmniboxFullPopup", "WebUIOmniboxAimPopup", "PreloadTopChromeWebUI"];
/**
 * Chromium keeps only the last --disable-features, and Playwright passes its own list first: that
 * list (playwright-core 1.65) is repeated here so that adding ours does not switch its entries back on.
 */
const PLAYWRIGHT_DISABLED_FEATURES = [
  "AvoidUnnecessaryBeforeUnloadCheckSync",
  "DestroyProfileOnBrowserClose",
  "HttpsUpgrades",
  "HttpsFirstBalancedModeAutoEnable",
  "LensOverlay",
  "MediaRouter",
  "PaintHolding",
  "ThirdPartyStoragePartitioning",
  "AvoidCorsURLLoaderRestartOnRedirect",
  "TcpPortRandomizationWin",
  "OptimizationHints",
  "NetworkTimeServiceQuerying",
  "AimEnabled",
  "PreconnectToSearch",
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--disable-features=${[...PLAYWRIGHT_DISABLED_FEATURES, ...BROWSER_UI_FEATURES].join(",")}`,
    ],
  });
}
