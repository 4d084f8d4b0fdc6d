"""QR codes: whole-pixel modules, a 4-module quiet zone, alphanumeric mode for badge tokens."""
import re

import qrcode
from qrcode.constants import ERROR_CORRECT_M, ERROR_CORRECT_Q
from qrcode.util import MODE_8BIT_BYTE, MODE_ALPHA_NUM, QRData

QUIET_ZONE = 4
ALPHANUMERIC = re.compile(r"[0-9A-Z $%*+\-./:]+")
LEVELS = {"M": ERROR_CORRECT_M, "Q": ERROR_CORRECT_Q}


def is_alphanumeric(data):
    """True when every character is in the QR alphanumeric set (badge tokens are)."""
    return bool(ALPHANUMERIC.fullmatch(data))


def make_code(data, level="M"):
    """The qrcode object: one alphanumeric segment when the data allows, else bytes (UTF-8)."""
    code = qrcode.QRCode(error_correction=LEVELS[level], border=QUIET_ZONE, box_size=1)
    mode = MODE_ALPHA_NUM if is_alphanumeric(data) else MODE_8BIT_BYTE
    code.add_data(QRData(data.encode("utf-8"), mode=mode), optimize=0)
    code.make(fit=True)
    return code


def qr_layout(data, max_px, level="M"):
    """(matrix, module px, side px): the code no wider than max_px, each module a whole number of pixels."""
    matrix = make_code(data, level).get_matrix()  # the quiet zone is already in the matrix
    count = len(matrix)
    module = int(max_px // count)
    if module < 1:
        raise ValueError(f"{max_px} px is too small for a {count}-module QR code")
    return matrix, module, count * module


def qr_image(data, max_px, level="M"):
    """A black-on-white QR image no wider than max_px, each module a whole number of pixels."""
    from printables.raster import qr_tile
    matrix, module, _side = qr_layout(data, max_px, level)
    return qr_tile(matrix, module)
