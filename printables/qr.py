"""QR codes: whole-pixel modules, a 4-module quiet zone, alphanumeric mode for badge tokens."""
import re

import qrcode
from qrcode.constants import ERROR_CORRECT_M, ERROR_CORRECT_Q
from qrcode.util import MODE_ALPHA_NUM, QRData

_ALNUM = re.compile(r"^[0-9A-Z $%*+\-./:]+$")


def qr_image(data, target_px, quality="Q"):
    """A black-on-white QR at most target_px square, with whole-pixel modules."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_Q if quality == "Q" else ERROR_CORRECT_M,
                         border=4, box_size=1)
    code.add_data(QRData(data, mode=MODE_ALPHA_NUM) if _ALNUM.match(data) else data)
    code.make(fit=True)
    modules = code.modules_count + 8
    code.box_size = max(1, target_px // modules)
    return code.make_image(fill_color="black", back_color="white").get_image().convert("RGB")


def is_alphanumeric(data):
    return bool(_ALNUM.match(data))
