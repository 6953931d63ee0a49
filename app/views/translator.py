"""Qt's side of the translations: our gettext catalogs for Qt's translate() calls, and
Qt's own qtbase catalogs so that standard dialogs and buttons follow the language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app import i18n


class GettextTranslator(QTranslator):
    """Forwards Qt's translate() to the gettext catalog of the current language."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None, not "", when untranslated: "" would blank Qt's own texts such as "Cancel".
        if not source or not i18n.catalog_has(i18n.current_language(), source):
            return None
        return i18n._(source)

    def isEmpty(self) -> bool:
        return False


# Texts Qt 6 moved to a new context, where its Finnish catalog does not have them yet.
_MOVED = {"QAbstractFileIconProvider": "QFileDialog"}  # the file dialog's "Folder", "Drive"


class QtFallback(QTranslator):
    """Asked after Qt's own catalog, for the texts its Finnish catalog lacks only because
    Qt 6 changed them a little, which left the Finnish file dialog partly in English:
    a shortcut added ("Look in:" became "&Look in:": the old text, translated, gets the
    shortcut on its first letter), or a new context ("Folder" in the file list)."""

    def __init__(self, qtbase: QTranslator) -> None:
        super().__init__()
        self.qtbase = qtbase

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        if not source:
            return None
        old = _MOVED.get(context)
        if old is not None:
            text = self.qtbase.translate(old, source, disambiguation, n)
            if text:
                return text
        if "&" not in source.replace("&&", ""):
            return None
        plain = source.replace("&&", "\0").replace("&", "").replace("\0", "&&")
        text = self.qtbase.translate(context, plain, disambiguation, n)
        return "&" + text if text else None

    def isEmpty(self) -> bool:
        return False


_active: LanguageSwitcher | None = None


class LanguageSwitcher:
    """Installs the translators for a language; Qt then sends LanguageChange to every
    widget, and each retranslates itself."""

    app: QCoreApplication

    def __init__(self, app: QCoreApplication) -> None:
        # One language per application: a new switcher (a new main window, as in the
        # tests) takes the place of the last one, whose Qt catalogs would otherwise still
        # be asked first (a Finnish file dialog after a switch to English).
        global _active
        if _active is not None and _active.app is app:
            _active.detach()
        _active = self
        self.app = app
        self.gettext = GettextTranslator()
        self.qtbase = QTranslator()
        self.fallback = QtFallback(self.qtbase)
        app.installTranslator(self.gettext)

    def switch(self, lang: str) -> None:
        i18n.set_language(lang)
        QLocale.setDefault(QLocale(i18n.babel_locale(lang)))
        self.app.removeTranslator(self.qtbase)
        self.app.removeTranslator(self.fallback)
        self.qtbase = QTranslator()
        self.fallback = QtFallback(self.qtbase)
        # In the bundle too: PyInstaller collects qtbase_*.qm with QtCore into the Qt
        # translations folder, and installer/desk.spec keeps the fi and sv ones.
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if lang != "en" and self.qtbase.load(f"qtbase_{lang}", folder):
            # The last installed is asked first: ours, then Qt's, then the fallback.
            self.app.installTranslator(self.fallback)
            self.app.installTranslator(self.qtbase)
        # Reinstalling ours makes Qt post LanguageChange even when qtbase did not change.
        self.app.removeTranslator(self.gettext)
        self.app.installTranslator(self.gettext)

    def detach(self) -> None:
        """Remove this switcher's translators (a dialog shown before the main window,
        whose own switcher takes over)."""
        self.app.removeTranslator(self.qtbase)
        self.app.removeTranslator(self.fallback)
        self.app.removeTranslator(self.gettext)
