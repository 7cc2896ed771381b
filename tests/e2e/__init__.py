"""End-to-end tests: the wizard in headless Chromium against a live server."""
