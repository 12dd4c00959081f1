"""Widgets: exercise cards, 2-D math, and the lesson's table of contents."""
