"""Lessons as typed data: the model, the loader (`loader.load_course`) and the validator.

Pure domain code: nothing under this package imports the UI.
"""
