/** @odoo-module **/
// Odoo 17 and 18 client action embedding the CRM Edge widget. It speaks the widget's postMessage
// protocol (the same as web/public/embed.js in the CRM Edge repository):
//   widget → Odoo {type: "crm-edge:hello"}     → Odoo answers {type: "crm-edge:token", token, location_id}
//   widget → Odoo {type: "crm-edge:height", height}  → the iframe takes that height (at least minHeight)
// Messages are read only from our iframe and the widget's origin; the token is posted to that
// origin only. Odoo's origin must be listed in the Worker's EMBED_ALLOWED_ORIGINS.
import { Component, onWillStart, onWillUnmount, useRef, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";

/**
 * Calls a type="json" route as Odoo's own client does (JSON-RPC 2.0, POST, the session cookie),
 * with the browser's fetch. Odoo 17 offers this as the "rpc" service and Odoo 18 as `rpc` from
 * "@web/core/network/rpc"; neither exists in the other version, so this file imports neither.
 */
async function jsonRpc(route, params) {
    const response = await fetch(route, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", method: "call", id: Date.now(), params }),
    });
    if (!response.ok) throw new Error(`${route}: HTTP ${response.status}`);
    const reply = await response.json();
    if (reply.error) throw new Error((reply.error.data && reply.error.data.message) || reply.error.message);
    return reply.result;
}

export class CrmEdgeContacts extends Component {
    static template = "crm_edge_widget.CrmEdgeContacts";
    static props = ["*"];

    setup() {
        this.iframe = useRef("iframe");
        this.minHeight = 480;
        this.state = useState({ src: null, height: 640, error: null });
        this.onMessage = (event) => this.handleMessage(event);

        onWillStart(async () => {
            try {
                this.session = await jsonRpc("/crm_edge/session", {});
                this.widgetOrigin = new URL(this.session.widget_url).origin;
                this.state.src = this.session.widget_url;
                window.addEventListener("message", this.onMessage);
            } catch (err) {
                this.state.error = (err && err.message) || String(err);
            }
        });
        onWillUnmount(() => window.removeEventListener("message", this.onMessage));
    }

    handleMessage(event) {
        const frame = this.iframe.el && this.iframe.el.contentWindow;
        if (!frame || event.source !== frame || event.origin !== this.widgetOrigin) return;
        const data = event.data || {};
        if (data.type === "crm-edge:hello") {
            frame.postMessage(
                { type: "crm-edge:token", token: this.session.token, location_id: this.session.location_id },
                this.widgetOrigin,
            );
        } else if (data.type === "crm-edge:height" && Number.isFinite(data.height)) {
            this.state.height = Math.max(this.minHeight, Math.ceil(data.height));
        }
    }
}

registry.category("actions").add("crm_edge_widget.contacts", CrmEdgeContacts);
