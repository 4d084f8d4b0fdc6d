"""Uploaded files opened safely: spreadsheets and photos are sized up before anything is decoded."""
import io
import warnings
import zipfile

from PIL import Image

from server.rules.errors import RuleError

# An .xlsx is a zip: each part is checked by the sizes its directory declares before openpyxl
# opens it (zipfile stops at the declared size, and a lie fails the part's CRC). A 5,000-row
# back-fill is about 1 MB of XML; these leave room for formatting and refuse a zip bomb.
XLSX_MAX_PART_BYTES = 16 * 1024 * 1024
XLSX_MAX_TOTAL_BYTES = 40 * 1024 * 1024
XLSX_MAX_PARTS = 200
# Phone photos are 12-50 megapixels; a bigger picture is a decompression bomb, not a photo.
PHOTO_MAX_PIXELS = 60_000_000
PHOTO_MAX_SIDE = 20_000
PHOTO_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def _bad_file(zh, en):
    return RuleError("bad_file", zh, en, field="file")


def check_xlsx_sizes(data):
    """RuleError unless the zip's parts, as declared, stay within the limits."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _bad_file("请上传从本页下载的 .xlsx 模板", "Upload the .xlsx template from this page") from None
    if (len(parts) > XLSX_MAX_PARTS or any(p.file_size > XLSX_MAX_PART_BYTES for p in parts)
            or sum(p.file_size for p in parts) > XLSX_MAX_TOTAL_BYTES):
        raise _bad_file(f"表格解压后过大（每部分最多 {XLSX_MAX_PART_BYTES // 2**20} MB），请只保留补录记录",
                        f"The spreadsheet unpacks too large (at most {XLSX_MAX_PART_BYTES // 2**20} MB a part);"
                        " keep only the records")


def check_photo(data):
    """The photo's real MIME type, after its header is read; RuleError for anything else or too big."""
    def refuse(zh, en):
        return RuleError("photos", zh, en, field="photos")
    too_big = refuse(f"照片像素过多（最多 {PHOTO_MAX_PIXELS // 1_000_000} 百万像素）",
                     f"Photo too large (at most {PHOTO_MAX_PIXELS // 1_000_000} megapixels)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(PHOTO_FORMATS)) as img:
                width, height, fmt = img.width, img.height, img.format
                if width * height > PHOTO_MAX_PIXELS or max(width, height) > PHOTO_MAX_SIDE:
                    raise too_big
                img.verify()  # checks the structure without decoding the pixels
    except RuleError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):  # Pillow's own cap, at open
        raise too_big from None
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError):
        raise refuse("照片须为 JPEG/PNG/WebP 图片", "Photos must be JPEG, PNG or WebP images") from None
    return PHOTO_FORMATS[fmt]
