# Mints a short-lived, location-scoped CRM Edge token for the logged-in Odoo user, if they are in the
# "CRM Edge: contacts widget" group. The admin key stays on the Odoo server; the browser only ever
# sees the minted token (default lifetime: the Worker's TOKEN_TTL_SECONDS, one hour).
# A type="json" route: Odoo 17 and 18 both answer it as JSON-RPC 2.0.
import json
import logging
import urllib.error
import urllib.request

from odoo import _, http
from odoo.exceptions import AccessError, UserError
from odoo.http import request

_logger = logging.getLogger(__name__)

WIDGET_GROUP = "crm_edge_widget.group_crm_edge_user"


class CrmEdgeController(http.Controller):
    @http.route("/crm_edge/session", type="json", auth="user")
    def session(self):
        # Checked here, not only in the menu: any logged-in user could call the route directly.
        if not request.env.user.has_group(WIDGET_GROUP):
            raise AccessError(_("Only members of the group 'CRM Edge: contacts widget' may open CRM Edge."))
        params = request.env["ir.config_parameter"].sudo()
        base = (params.get_param("crm_edge.url") or "").rstrip("/")
        admin_key = params.get_param("crm_edge.admin_key")
        location_id = params.get_param("crm_edge.location_id")
        if not (base and admin_key and location_id):
            raise UserError(_("Set crm_edge.url, crm_edge.admin_key and crm_edge.location_id in System Parameters."))
        body = json.dumps({
            "locations": [location_id],
            "subject": "odoo:%s" % request.env.user.login,
        }).encode()
        req = urllib.request.Request(
            base + "/api/admin/tokens",
            data=body,
            method="POST",
            headers={"Authorization": "Bearer " + admin_key, "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(req, timeout=10) as res:
                data = json.load(res)
        except (urllib.error.URLError, ValueError) as err:
            _logger.warning("CRM Edge token request failed: %s", err)
            raise UserError(_("CRM Edge did not issue a token (%s).") % err) from err
        return {"widget_url": base + "/", "token": data["token"], "location_id": location_id}
