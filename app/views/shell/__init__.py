"""The window's collaborators, one job each: the page protocol and the list of pages
(page.py, pages.py), the signed-in session with its lock and its sync (session.py), the
Settings menu (menus.py), the lobby and kiosk windows (displays.py) and the language and
text size (preferences.py). app.views.main_window puts them together.

Nothing here may import the services or a page's module at the top: the window is built
before either is loaded (see app.views.main_window.SHELL_MODULES)."""
