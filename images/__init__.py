"""Captioned images: upload checks, normalisation, renditions and their storage."""
