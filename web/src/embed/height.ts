// Tells the parent how tall our document is, whenever that changes: {type:"crm-edge:height", height}
// posted to one verified parent origin only. Own ResizeObserver code (iframe-resizer's licence does
// not suit us). Observes the root elements and whatever React mounts in #root; one message per frame
// at most, and only when the rounded height changed.
import { HEIGHT } from "./protocol";

export function measureHeight(doc: Document = document): number {
  const el = doc.documentElement;
  return Math.ceil(Math.max(el.scrollHeight, el.getBoundingClientRect().height));
}

export function startHeightReporter(targetOrigin: string): () => void {
  let last = -1;
  let frame = 0;
  const report = () => {
    frame = 0;
    const height = measureHeight();
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: HEIGHT, height }, targetOrigin);
  };
  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(report);
  };
  const resize = new ResizeObserver(schedule);
  const observed = new WeakSet<Element>();
  const observe = (el: Element) => {
    if (!observed.has(el)) {
      observed.add(el);
      resize.observe(el);
    }
  };
  observe(document.documentElement);
  observe(document.body);
  // React's top two levels (e.g. <main> and its sections): their boxes move when the content does.
  // Deeper nodes (table rows) are left alone so scrolling a virtual list posts nothing.
  const root = document.getElementById("root");
  const watched = new WeakSet<Node>();
  const mutations = new MutationObserver(() => {
    scan();
    schedule();
  });
  const scan = () => {
    if (!root) return;
    for (const child of Array.from(root.children)) {
      observe(child);
      for (const grandchild of Array.from(child.children)) observe(grandchild);
      if (!watched.has(child)) {
        watched.add(child);
        mutations.observe(child, { childList: true });
      }
    }
  };
  if (root) mutations.observe(root, { childList: true });
  scan();
  schedule();
  return () => {
    resize.disconnect();
    mutations.disconnect();
    if (frame) cancelAnimationFrame(frame);
  };
}
