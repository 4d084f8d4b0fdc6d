"""Template filters that mask personal data on every page."""
from server.rules.identity import mask_id_number, mask_name, mask_phone


def init_app(app):
    app.jinja_env.filters.update(mask_name=mask_name, mask_phone=mask_phone, mask_id=mask_id_number)
