/** @odoo-module **/
// Odoo 17 client action embedding the CRM Edge widget. It speaks the widget's postMessage protocol
// (the same as web/public/embed.js in the CRM Edge repository):
//   widget → Odoo {type: "crm-edge:hello"}     → Odoo answers {type: "crm-edge:token", token, location_id}
//   widget → Odoo {type: "crm-edge:height", height}  → the iframe takes that height (at least minHeight)
// Messages are read only from our iframe and the widget's origin; the token is posted to that
// origin only. Odoo's origin must be listed in the Worker's EMBED_ALLOWED_ORIGINS.
import { Component, onWillStart, onWillUnmount, useRef, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

export class CrmEdgeContacts extends Component {
    static template = "crm_edge_widget.CrmEdgeContacts";
    static props = ["*"];

    setup() {
        this.rpc = useService("rpc");
        this.iframe = useRef("iframe");
        this.minHeight = 480;
        this.state = useState({ src: null, height: 640, error: null });
        this.onMessage = (event) => this.handleMessage(event);

        onWillStart(async () => {
            try {
                this.session = await this.rpc("/crm_edge/session", {});
                this.widgetOrigin = new URL(this.session.widget_url).origin;
                this.state.src = this.session.widget_url;
                window.addEventListener("message", this.onMessage);
            } catch (err) {
                this.state.error = (err && err.data && err.data.message) || String(err);
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
