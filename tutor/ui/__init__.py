"""The Textual front end: screens and widgets that only call `tutor.session` and the checker."""
