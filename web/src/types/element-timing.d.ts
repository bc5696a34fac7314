// The Element Timing API's attribute (Chromium): marks an element whose first paint is reported as a
// PerformanceElementTiming entry. React passes unknown lowercase attributes through; this types it.
import "react";

declare module "react" {
  interface HTMLAttributes<T> {
    elementtiming?: string;
  }
}
