# CRM Edge contacts widget inside Odoo 17: a client action (menu "CRM Edge > Contacts") that embeds
# the widget in an iframe and hands it a short-lived token through the postMessage handshake.
{
    "name": "CRM Edge Contacts",
    "summary": "Embed the CRM Edge contacts widget (edge-cached CRM contacts) in Odoo",
    "version": "17.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "depends": ["web"],
    "data": [
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
