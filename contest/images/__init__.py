"""Pure Pillow: decide an upload's format by its bytes, check it, decode it once, make the copies
others see.
"""
