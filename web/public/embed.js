/*!
 * CRM Edge embed loader: places the contacts widget in an iframe, hands it a token by postMessage
 * (never in the URL) and sizes the iframe from the widget's height messages. No dependencies.
 *
 * Declarative:
 *   <div id="crm-edge"></div>
 *   <script src="https://<widget host>/embed.js" data-target="#crm-edge"
 *           data-token="<location-scoped token>" data-location-id="<location id>" async></script>
 *
 * Programmatic:
 *   const widget = CrmEdge.mount({
 *     target: "#crm-edge",                      // element or selector
 *     getToken: () => fetch("/my/token").then((r) => r.text()),  // or token: "…"
 *     locationId: "loc-1",                      // optional when the token covers one location
 *     src: "https://<widget host>/",            // default: where embed.js came from
 *     height: 600, minHeight: 320, maxHeight: 2000, autoHeight: true,
 *     onHeight: (px) => {},                     // optional
 *   });
 *   widget.destroy();
 *
 * The widget only trusts a parent whose origin is in the server's EMBED_ALLOWED_ORIGINS, and the
 * server's Content-Security-Policy frame-ancestors refuses any other page: add your origin there.
 */
(function () {
  "use strict";
  var script = document.currentScript;

  function resolveTarget(target) {
    var el = typeof target === "string" ? document.querySelector(target) : target;
    if (!el) throw new Error("CrmEdge.mount: target " + String(target) + " not found");
    return el;
  }

  function mount(opts) {
    opts = opts || {};
    var target = resolveTarget(opts.target);
    var base = script && script.src ? script.src : window.location.href;
    var src = new URL(opts.src || "/", base).href;
    var widgetOrigin = new URL(src).origin;
    var getToken = typeof opts.getToken === "function" ? opts.getToken : function () { return opts.token; };
    var minHeight = opts.minHeight || 0;
    var maxHeight = opts.maxHeight || Infinity;
    var autoHeight = opts.autoHeight !== false;

    var iframe = document.createElement("iframe");
    iframe.src = src;
    iframe.title = opts.title || "CRM Edge contacts";
    iframe.setAttribute("allow", "clipboard-write");
    iframe.style.cssText = "display:block;width:100%;border:0;height:" + (opts.height || 600) + "px";

    function onMessage(event) {
      // Only our iframe, only from the widget's origin.
      if (event.source !== iframe.contentWindow || event.origin !== widgetOrigin) return;
      var data = event.data;
      if (!data || typeof data !== "object") return;
      if (data.type === "crm-edge:hello") {
        Promise.resolve()
          .then(getToken)
          .then(function (token) {
            if (typeof token !== "string" || !token || !iframe.contentWindow) return;
            // targetOrigin = the widget's origin: if the frame was navigated elsewhere, nothing is sent.
            iframe.contentWindow.postMessage(
              { type: "crm-edge:token", token: token, location_id: opts.locationId || null },
              widgetOrigin
            );
          })
          .catch(function (err) {
            console.error("CrmEdge: getToken failed", err);
          });
      } else if (data.type === "crm-edge:height" && typeof data.height === "number" && isFinite(data.height)) {
        var px = Math.min(maxHeight, Math.max(minHeight, Math.ceil(data.height)));
        if (autoHeight) iframe.style.height = px + "px";
        if (typeof opts.onHeight === "function") opts.onHeight(px);
      }
    }

    window.addEventListener("message", onMessage);
    target.appendChild(iframe);
    return {
      iframe: iframe,
      destroy: function () {
        window.removeEventListener("message", onMessage);
        if (iframe.parentNode) iframe.parentNode.removeChild(iframe);
      },
    };
  }

  window.CrmEdge = { mount: mount, version: "1" };

  // Declarative use: <script src=".../embed.js" data-target="#el" data-token="…" data-location-id="…">
  var data = script ? script.dataset : null;
  if (data && data.target) {
    var go = function () {
      mount({
        target: data.target,
        token: data.token,
        locationId: data.locationId,
        src: data.src,
        height: data.height ? Number(data.height) : undefined,
      });
    };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", go);
    else go();
  }
})();
