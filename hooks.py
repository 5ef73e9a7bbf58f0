def uninstall_hook(env):
    """Remove the activities of the addon's documents before its data goes.

    Uninstalling deletes the addon's activity types before the models' tables, and an activity
    still pointing at one of those types blocks that delete (``ondelete='restrict'``): the types
    would stay behind, with an error in the log. The activities of the addon's documents (done
    ones too: they are archived, not deleted) go away with those documents anyway.
    """
    types = env["ir.model.data"].sudo().search([("module", "=", "qms_customer"), ("model", "=", "mail.activity.type")])
    env["mail.activity"].sudo().with_context(active_test=False).search([
        "|", ("activity_type_id", "in", types.mapped("res_id")), ("res_model", "=like", "qms.%"),
    ]).unlink()
