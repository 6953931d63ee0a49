"""The customer-facing feedback texts in the customer's language, whatever the worker's.

The catalogs (translations/) are the source; until a message is in them, the Finnish and
Swedish wording below is used so that a customer never meets an English-only kiosk. The
entries double as the suggested translations when the catalogs are updated."""

from __future__ import annotations

from app.i18n import catalog_has, translate_in

_FALLBACK: dict[str, tuple[str, str]] = {  # msgid: (fi, sv)
    "How did we serve you today?": ("Miten palvelimme sinua tänään?",
                                    "Hur betjänade vi dig i dag?"),
    "Tap a face. Your answer is anonymous.": ("Kosketa kasvoja. Vastauksesi on nimetön.",
                                              "Tryck på ett ansikte. Ditt svar är anonymt."),
    "Thank you for your feedback!": ("Kiitos palautteestasi!", "Tack för din respons!"),
    "Very poor": ("Erittäin huono", "Mycket dålig"),
    "Poor": ("Huono", "Dålig"),
    "Neither good nor poor": ("Ei hyvä eikä huono", "Varken bra eller dålig"),
    "Good": ("Hyvä", "Bra"),
    "Very good": ("Erittäin hyvä", "Mycket bra"),
    "Your feedback": ("Palautteesi", "Din respons"),
    "How satisfied were you with our service today?": (
        "Kuinka tyytyväinen olit palveluumme tänään?",
        "Hur nöjd var du med vår service i dag?"),
    "How likely would you recommend our services to a friend?": (
        "Kuinka todennäköisesti suosittelisit palvelujamme ystävällesi?",
        "Hur troligt är det att du skulle rekommendera våra tjänster till en vän?"),
    "not at all likely": ("en lainkaan todennäköisesti", "inte alls troligt"),
    "very likely": ("erittäin todennäköisesti", "mycket troligt"),
    "Recommend: {n} of 10": ("Suosittelu: {n}/10", "Rekommendation: {n} av 10"),
    "&Comment (optional)": ("&Kommentti (vapaaehtoinen)", "&Kommentar (frivillig)"),
    "Comment (optional)": ("Kommentti (vapaaehtoinen)", "Kommentar (frivillig)"),
    "I would like a &reply": ("Haluan &vastauksen", "Jag vill ha ett &svar"),
    "Phone number or e-mail address": ("Puhelinnumero tai sähköpostiosoite",
                                       "Telefonnummer eller e-postadress"),
    "Contact for the reply": ("Yhteystieto vastausta varten", "Kontaktuppgift för svaret"),
    "Your answer is anonymous. A contact you give is kept apart from the answer and used "
    "only to reply to you.": (
        "Vastauksesi on nimetön. Antamasi yhteystieto säilytetään erillään vastauksesta, "
        "ja sitä käytetään vain sinulle vastaamiseen.",
        "Ditt svar är anonymt. En kontaktuppgift som du ger hålls åtskild från svaret och "
        "används bara för att svara dig."),
    "No, thank you": ("Ei kiitos", "Nej tack"),
    "&Send": ("&Lähetä", "&Skicka"),
    "Choose one of the five faces.": ("Valitse yksi viidestä kasvosta.",
                                      "Välj ett av de fem ansiktena."),
    "Give a phone number or an e-mail address for the reply.": (
        "Anna puhelinnumero tai sähköpostiosoite vastausta varten.",
        "Ange ett telefonnummer eller en e-postadress för svaret."),
    "The comment is too long.": ("Kommentti on liian pitkä.", "Kommentaren är för lång."),
    "The contact is too long.": ("Yhteystieto on liian pitkä.",
                                 "Kontaktuppgiften är för lång."),
}


def customer_text(lang: str, message: str) -> str:
    if lang in ("fi", "sv") and message in _FALLBACK and not catalog_has(lang, message):
        return _FALLBACK[message][0 if lang == "fi" else 1]
    return translate_in(lang, message)
