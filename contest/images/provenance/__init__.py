"""What an uploaded file says about its own making, read before its metadata is dropped: a C2PA
manifest, the IPTC digital source type in XMP, a generator's text chunks, EXIF Software.

Only a small typed record is kept (record.Provenance): never the raw blocks, never a location or
a person. Everything here treats the file as hostile: sizes are capped before anything is read,
and the C2PA library runs in a child process with a deadline (c2pa_read.py).
"""
