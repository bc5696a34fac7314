// Placeholder: contact lists and CSV imports are being written (issue #5).
import { createRouter } from "../http/router";

export const importRoutes = createRouter();
