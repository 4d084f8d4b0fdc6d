"""Personal data at rest: Fernet encryption and a keyed hash for exact look-ups."""
import hashlib
import hmac

from cryptography.fernet import Fernet
from flask import current_app


def _fernet():
    return Fernet(current_app.config["DATA_KEY"].encode())


def encrypt(text):
    return _fernet().encrypt(text.encode()).decode()


def decrypt(cipher):
    return _fernet().decrypt(cipher.encode()).decode()


def lookup_hash(text, purpose="id_number"):
    """A keyed hash, so equal values can be found without storing them in the clear."""
    key = current_app.config["HASH_KEY"].encode()
    return hmac.new(key, f"{purpose}:{text}".encode(), hashlib.sha256).hexdigest()
