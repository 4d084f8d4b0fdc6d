"""A volunteer's badge photo on the staff volunteer page: upload, show, remove."""
import io

from flask import abort, redirect, request, send_file, url_for
from flask_login import current_user
from PIL import Image, ImageOps

from server.auth import staff_only
from server.db import get_db, immediate
from server.errors import ApiError
from server.i18n import flash_t
from server.rules.errors import RuleError
from server.staff import bp
from server.staff.loaders import volunteer_or_404
from server.store import photos
from server.store.scope import roles_that_may
from server.uploads import check_photo

PHOTO_BOX = (600, 800)  # 3:4, plenty for a 15 x 20 mm print at 300 dpi (177 x 236 px)



def badge_jpeg(data):
    """The upload as a small upright JPEG without its metadata (no place, no camera); RuleError if not a photo."""
    check_photo(data)
    try:
        with Image.open(io.BytesIO(data)) as img:
            img = ImageOps.exif_transpose(img).convert("RGB")
    except (OSError, ValueError, SyntaxError):  # a header that passed and a body that does not decode
        raise RuleError("photos", "照片无法读取", "The photo cannot be read", field="photo") from None
    img.thumbnail(PHOTO_BOX, Image.LANCZOS)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return out.getvalue()


@bp.app_template_global()
def volunteer_has_photo(volunteer_id):
    return photos.photo_exists(get_db(), volunteer_id)


@bp.post("/volunteers/<int:volunteer_id>/photo")
@staff_only(*roles_that_may("edit_volunteers"))
def upload_volunteer_photo(volunteer_id):
    volunteer_or_404(volunteer_id)
    upload = request.files.get("photo")
    if upload is None or not upload.filename:
        raise ApiError(400, "photo_missing", "请选择一张照片", "Choose a photo", field="photo")
    try:
        jpeg = badge_jpeg(upload.read())
    except RuleError as err:
        raise ApiError(400, "photo_invalid", err.zh, err.en, field="photo") from None
    with immediate(get_db()):
        photos.set_photo(get_db(), current_user.actor, volunteer_id, jpeg)
    flash_t("照片已保存，将印在胸卡上", "Photo saved; it prints on the badge", "ok")
    return redirect(url_for("staff.volunteer_detail", volunteer_id=volunteer_id))


@bp.post("/volunteers/<int:volunteer_id>/photo/remove")
@staff_only(*roles_that_may("edit_volunteers"))
def remove_volunteer_photo(volunteer_id):
    volunteer_or_404(volunteer_id)
    with immediate(get_db()):
        removed = photos.remove_photo(get_db(), current_user.actor, volunteer_id)
    flash_t(*(("照片已删除", "Photo removed") if removed else ("没有照片", "No photo")), "ok")
    return redirect(url_for("staff.volunteer_detail", volunteer_id=volunteer_id))


@bp.get("/volunteers/<int:volunteer_id>/photo.jpg")
@staff_only()
def volunteer_photo(volunteer_id):
    volunteer_or_404(volunteer_id)
    jpeg = photos.photo_for(get_db(), volunteer_id)
    if jpeg is None:
        abort(404)
    response = send_file(io.BytesIO(jpeg), mimetype="image/jpeg", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"  # personal data: never kept by a shared cache
    return response
