"""Template filters: mask personal data and show instants in Pu'er local time on every page."""
from server.rules.identity import mask_id_number, mask_name, mask_phone
from server.timeutil import local_day_text, local_text


def init_app(app):
    app.jinja_env.filters.update(mask_name=mask_name, mask_phone=mask_phone, mask_id=mask_id_number,
                                 local_time=local_text, local_day=local_day_text)
