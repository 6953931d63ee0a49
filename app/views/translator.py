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


class LanguageSwitcher:
    """Installs the translators for a language; Qt then sends LanguageChange to every
    widget, and each retranslates itself."""

    def __init__(self, app: QCoreApplication) -> None:
        self.app = app
        self.gettext = GettextTranslator()
        self.qtbase = QTranslator()
        app.installTranslator(self.gettext)

    def switch(self, lang: str) -> None:
        i18n.set_language(lang)
        QLocale.setDefault(QLocale(i18n.babel_locale(lang)))
        self.app.removeTranslator(self.qtbase)
        self.qtbase = QTranslator()
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if lang != "en" and self.qtbase.load(f"qtbase_{lang}", folder):
            self.app.installTranslator(self.qtbase)
        # Reinstalling ours makes Qt post LanguageChange even when qtbase did not change.
        self.app.removeTranslator(self.gettext)
        self.app.installTranslator(self.gettext)

    def detach(self) -> None:
        """Remove this switcher's translators (a dialog shown before the main window,
        whose own switcher takes over)."""
        self.app.removeTranslator(self.qtbase)
        self.app.removeTranslator(self.gettext)
