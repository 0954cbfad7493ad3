"""Any decoded picture to upright sRGB RGB: the one colour form every copy is made from."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageCms, ImageFile

_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _to_8bit(image: Image.Image) -> Image.Image:
    """16-bit and float greyscale to 8-bit by scaling, not clipping."""
    array = np.asarray(image)
    if array.dtype.kind == "f":
        scaled = np.clip(array * 255.0 if array.max() <= 1.0 else array, 0, 255)
    else:
        scaled = array / 257.0 if array.max() > 255 else array
    return Image.fromarray(np.round(scaled).astype(np.uint8), "L")


def to_srgb(image: Image.Image) -> Image.Image:
    """Any decoded mode to sRGB RGB: alpha composited on white, ICC profile honoured."""
    icc = image.info.get("icc_profile")
    if image.mode in ("P", "PA"):
        image = image.convert(
            "RGBA" if "transparency" in image.info or image.mode == "PA" else "RGB"
        )
    elif image.mode == "LA":
        image = image.convert("RGBA")
    elif image.mode.startswith("I") or image.mode == "F":
        image = _to_8bit(image)
    elif image.mode == "1":
        image = image.convert("L")
    if image.mode in ("RGBA", "RGBa"):
        base = Image.new("RGB", image.size, (255, 255, 255))
        base.paste(image.convert("RGB"), mask=image.getchannel("A"))
        image = base
    if icc and image.mode in ("RGB", "L", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if "srgb" not in ImageCms.getProfileDescription(source).lower():
                converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
                if converted is not None:
                    return converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # an unusable profile: fall back to a plain conversion below
    return image if image.mode == "RGB" else image.convert("RGB")


def normalise(image: ImageFile.ImageFile) -> Image.Image:
    """The loaded image upright (EXIF orientation applied) in sRGB RGB, with no metadata.

    Pillow writes some ``info`` entries back when saving (a JPEG comment, for one, which may hold
    anything, HTML included), so nothing read from the upload stays on the image copies come from.
    """
    orientation = image.getexif().get(0x0112)
    rgb = to_srgb(image)
    method = _ORIENTATION.get(orientation or 1)
    upright = rgb.transpose(method) if method is not None else rgb
    upright.info = {}
    return upright
