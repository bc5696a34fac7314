# CRM Edge contacts widget inside Odoo 17 and 18: a client action (menu "CRM Edge > Contacts") that
# embeds the widget in an iframe and hands it a short-lived token through the postMessage handshake.
# Only members of the "CRM Edge: contacts widget" group may open it and mint a token.
# The version has no series prefix: Odoo prefixes its own (17.0. or 18.0.), and rejects a version
# that starts with another series.
{
    "name": "CRM Edge Contacts",
    "summary": "Embed the CRM Edge contacts widget (edge-cached CRM contacts) in Odoo",
    "version": "1.1.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "depends": ["web"],
    "data": [
        "security/crm_edge_security.xml",
        "data/config_parameters.xml",
        "views/crm_edge_views.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "crm_edge_widget/static/src/crm_edge_action.js",
            "crm_edge_widget/static/src/crm_edge_action.xml",
        ],
    },
    "installable": True,
    "application": True,
}
