"""Screens: the course map, a lesson, help, and small dialogs."""
