"""Word lists for the demo data (app.demo.area): names per language, addresses and the
short Finnish texts staff would write. Kept apart so the generator stays readable.

Names are common ones in each language, written in the Latin script the Finnish
population register uses (transliterated where the language has another script).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NameSet:
    male: tuple[str, ...]
    female: tuple[str, ...]
    last: tuple[str, ...]
    # Languages whose surnames change with gender (Russian); else the same list.
    last_female: tuple[str, ...] = ()


FI_MALE = (
    "Juha", "Timo", "Matti", "Kari", "Mikko", "Jari", "Antti", "Jukka", "Mika", "Markku",
    "Pekka", "Janne", "Hannu", "Heikki", "Sami", "Petri", "Ville", "Lauri", "Jussi", "Tuomas",
    "Aleksi", "Eetu", "Joonas", "Niko", "Juho", "Olli", "Teemu", "Veeti", "Onni", "Eino",
    "Väinö", "Topias", "Arttu", "Jani", "Tapio", "Esa", "Reijo", "Seppo", "Pentti", "Raimo",
    "Aki", "Jarmo", "Kalle", "Henri", "Ilkka", "Toni", "Riku", "Samuli", "Valtteri", "Jere",
)
FI_FEMALE = (
    "Aino", "Maria", "Anna", "Helena", "Johanna", "Kaarina", "Marjatta", "Tuula", "Päivi",
    "Sari", "Minna", "Tiina", "Anne", "Pirjo", "Merja", "Leena", "Satu", "Sanna", "Laura",
    "Jenni", "Katja", "Heidi", "Emilia", "Sofia", "Venla", "Ella", "Iida", "Emma", "Elina",
    "Henna", "Riikka", "Outi", "Hanna", "Kirsi", "Suvi", "Noora", "Milla", "Veera", "Oona",
    "Siiri", "Eveliina", "Inkeri", "Marja", "Tuija", "Ulla", "Raija", "Anu", "Maarit", "Terhi",
)
FI_LAST = (
    "Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Heikkinen", "Koskinen", "Järvinen",
    "Lehtonen", "Hämäläinen", "Laine", "Niemi", "Heikkilä", "Kemppainen", "Salo", "Turunen",
    "Rantala", "Lappalainen", "Pietilä", "Mattila", "Karjalainen", "Kangas", "Kinnunen",
    "Jokela", "Ylitalo", "Alatalo", "Keskitalo", "Kangasniemi", "Rovanperä", "Kuusela",
    "Lakkala", "Vuolle", "Kivelä", "Mäntyniemi", "Ruokangas", "Ruokojärvi", "Lehtola",
    "Niskanen", "Rautio", "Lohi", "Kotila", "Niva", "Palojärvi", "Saarela", "Hietala",
    "Jääskeläinen", "Lantto", "Junttila", "Karvonen", "Oikarinen", "Pulju", "Kyrö", "Aho",
    "Hannula", "Tervo", "Yliniemi", "Kallioniemi", "Pekkala", "Väänänen", "Ollila", "Isola",
    "Karhu", "Mustonen", "Ojala", "Paavola", "Vaara", "Hirvasniemi", "Alaraudanjoki",
    "Ylinampa", "Kumpula", "Hiltunen", "Seppänen", "Pelkonen", "Tornberg", "Kaikkonen",
    "Lampela", "Kärkkäinen", "Honkanen", "Manninen", "Kauppinen", "Räisänen", "Sarajärvi",
)

NAMES: dict[str, NameSet] = {
    "fi": NameSet(FI_MALE, FI_FEMALE, FI_LAST),
    "sv": NameSet(
        ("Erik", "Johan", "Anders", "Mikael", "Henrik", "Fredrik", "Kristian", "Oskar",
         "Axel", "Lars", "Carl", "Gustav"),
        ("Anna", "Maria", "Sofia", "Ida", "Emma", "Linnea", "Elin", "Kristina", "Karin",
         "Ebba", "Matilda", "Sara"),
        ("Lindqvist", "Nyberg", "Sundström", "Björklund", "Holmström", "Lindholm",
         "Blomqvist", "Eriksson", "Karlsson", "Forsman", "Grönroos", "Åberg", "Wikström",
         "Öhman"),
    ),
    # Northern Sámi spellings (Áillohaš, Iŋgá): the UI and the PDFs must show them.
    "se": NameSet(
        ("Áilu", "Ánde", "Niillas", "Piera", "Áslak", "Jovnna", "Mihkkal", "Heaika",
         "Máhtte", "Ántte", "Áillohaš", "Isak", "Jovsset", "Ivvár"),
        ("Máret", "Sárá", "Iŋgá", "Elle", "Biret", "Ánne", "Risten", "Márjá", "Sunná",
         "Ellá", "Áile", "Kárin"),
        ("Aikio", "Guttorm", "Valkeapää", "Näkkäläjärvi", "Magga", "Länsman", "Labba",
         "Kitti", "Helander", "Pieski", "Morottaja", "Sammallahti", "Somby", "Lukkari"),
    ),
    "ru": NameSet(
        ("Aleksandr", "Dmitri", "Sergei", "Andrei", "Mihail", "Ivan", "Nikolai", "Pavel",
         "Vladimir", "Aleksei"),
        ("Olga", "Tatjana", "Jelena", "Natalia", "Irina", "Svetlana", "Anna", "Marina",
         "Julia", "Jekaterina"),
        ("Ivanov", "Smirnov", "Kuznetsov", "Popov", "Vasiljev", "Petrov", "Sokolov",
         "Mihailov", "Fjodorov", "Morozov"),
        ("Ivanova", "Smirnova", "Kuznetsova", "Popova", "Vasiljeva", "Petrova", "Sokolova",
         "Mihailova", "Fjodorova", "Morozova"),
    ),
    "uk": NameSet(
        ("Oleksandr", "Andrii", "Serhii", "Volodymyr", "Dmytro", "Mykola", "Yurii", "Taras",
         "Bohdan", "Vasyl"),
        ("Olena", "Tetiana", "Nataliia", "Iryna", "Oksana", "Yuliia", "Svitlana", "Kateryna",
         "Mariia", "Liudmyla"),
        ("Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk",
         "Boiko", "Koval", "Oliinyk", "Lysenko", "Moroz", "Marchenko"),
    ),
    "ar": NameSet(
        ("Ahmed", "Mohammed", "Ali", "Hassan", "Omar", "Yousef", "Khaled", "Mustafa",
         "Ibrahim", "Karim"),
        ("Fatima", "Aisha", "Mariam", "Noor", "Layla", "Huda", "Zainab", "Sara", "Amina",
         "Rania"),
        ("Al-Hassan", "Hussein", "Abdullah", "Al-Jaburi", "Khalil", "Mahmoud", "Saleh",
         "Haddad", "Nasser", "Al-Obaidi"),
    ),
    "so": NameSet(
        ("Abdi", "Mohamed", "Ahmed", "Hassan", "Abdirahman", "Yusuf", "Farah", "Ismail"),
        ("Hodan", "Fadumo", "Asha", "Hawa", "Sahra", "Ifrah", "Ayan", "Nimco"),
        ("Warsame", "Abdullahi", "Farah", "Hussein", "Mohamud", "Osman", "Jama", "Ali",
         "Aden", "Egal"),
    ),
    "fa": NameSet(
        ("Ali", "Reza", "Mehdi", "Hossein", "Amir", "Hamid", "Farhad", "Dariush", "Saeed",
         "Babak"),
        ("Maryam", "Zahra", "Fatemeh", "Shirin", "Leila", "Neda", "Parisa", "Sara", "Mina",
         "Roya"),
        ("Ahmadi", "Hosseini", "Rezaei", "Mohammadi", "Karimi", "Rahimi", "Moradi", "Jafari",
         "Hashemi", "Sadeghi", "Azizi"),
    ),
    "et": NameSet(
        ("Andres", "Jaan", "Margus", "Rein", "Tarmo", "Priit", "Toomas", "Urmas", "Kristjan",
         "Tõnu"),
        ("Kadri", "Katrin", "Mari", "Tiina", "Liis", "Triin", "Kristiina", "Piret", "Maarja",
         "Ülle"),
        ("Tamm", "Saar", "Sepp", "Mägi", "Kask", "Kukk", "Rebane", "Ilves", "Pärn", "Koppel",
         "Lepik", "Õunapuu"),
    ),
    "th": NameSet(
        ("Somchai", "Somsak", "Prasert", "Anan", "Chaiwat", "Kittisak"),
        ("Siriporn", "Malee", "Kanya", "Pranee", "Supaporn", "Ratana", "Wanida", "Sunisa",
         "Jintana"),
        ("Srisuk", "Saetang", "Wongsa", "Chaiyaporn", "Boonmee", "Suwannarat", "Thongchai",
         "Rattanakorn", "Kaewmanee", "Phromma"),
    ),
    "en": NameSet(
        ("James", "John", "Michael", "David", "Daniel", "Thomas", "Christopher", "Matthew",
         "Samuel", "Joseph"),
        ("Emily", "Sarah", "Jessica", "Laura", "Hannah", "Rebecca", "Rachel", "Emma",
         "Olivia", "Grace"),
        ("Smith", "Jones", "Williams", "Brown", "Taylor", "Wilson", "Evans", "Thomas",
         "Johnson", "O'Brien", "Murphy", "Walker"),
    ),
}

# Customer languages and their weights per service point (Ranua has fewer newcomers).
LANGUAGE_WEIGHTS: dict[str, dict[str, float]] = {
    "ROV": {"fi": 83.5, "sv": 1.0, "se": 1.5, "ru": 2.5, "uk": 2.5, "ar": 2.5, "en": 2.0,
            "so": 1.0, "fa": 1.0, "et": 1.5, "th": 1.0},
    "RAN": {"fi": 93.0, "sv": 0.5, "se": 1.0, "ru": 1.0, "uk": 2.0, "ar": 0.5, "en": 0.5,
            "so": 0.0, "fa": 0.5, "et": 0.5, "th": 0.5},
}
# Share needing an interpreter, per language.
INTERPRETER_SHARE = {"ar": 0.7, "so": 0.7, "fa": 0.7, "th": 0.6, "uk": 0.5, "ru": 0.4,
                     "et": 0.1, "se": 0.05}
# Languages of people who moved to Finland (residence permits, integration services).
NEWCOMER_LANGUAGES = frozenset({"ru", "uk", "ar", "so", "fa", "th", "en", "et"})

# Addresses: streets and postal codes per municipality.
STREETS = {
    "Rovaniemi": (
        "Koskikatu", "Rovakatu", "Valtakatu", "Pohjolankatu", "Hallituskatu",
        "Ounasvaarantie", "Sairaalakatu", "Nuortenkatu", "Lapinkävijäntie", "Korkalonkatu",
        "Ruokasenkatu", "Jänkätie", "Ahjotie", "Urheilukatu", "Poromiehentie", "Kairatie",
        "Santamäentie", "Vapaudentie", "Pekankatu", "Lähteentie", "Revontulentie",
        "Kemijoenpuistikko", "Rauhankatu", "Ylikyläntie", "Napapiirintie",
    ),
    "Ranua": ("Keskustie", "Ranuantie", "Kuusamontie", "Pudasjärventie", "Asematie",
              "Simontie", "Kirkkotie", "Vanhatie", "Riihitie"),
    "other": ("Kauppakatu", "Asemakatu", "Koulutie", "Rantatie", "Pappilantie", "Kirkkotie",
              "Myllytie", "Kuusitie"),
}
POSTAL_CODES = {
    "Rovaniemi": ("96100", "96190", "96200", "96300", "96320", "96400", "96440", "96460",
                  "96500", "96600", "96800", "96900", "96910", "96930"),
    "Ranua": ("97700",),
    "Kemijärvi": ("98100",),
    "Sodankylä": ("99600",),
    "Tervola": ("95300",),
    "Kittilä": ("99100",),
    "Posio": ("97900",),
    "Pudasjärvi": ("93100",),
}
# Home municipalities other than the service point's own (commuters, recent movers).
OTHER_MUNICIPALITIES = {
    "ROV": ("Kemijärvi", "Sodankylä", "Tervola", "Kittilä", "Ranua"),
    "RAN": ("Rovaniemi", "Posio", "Pudasjärvi"),
}
# RFC 2606 domains only: demo addresses must never reach a real mailbox.
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
MOBILE_PREFIXES = ("040", "041", "044", "045", "046", "050")

# --- texts staff write -------------------------------------------------------------

VISIT_TOPICS = (
    "Työnhakijaksi ilmoittautuminen", "Työnhaku ja avoimet paikat", "CV:n päivitys",
    "Koulutusmahdollisuudet", "Työttömyysetuus ja Kela", "Palkkatuki",
    "Työkokeilu", "Kotoutumiskoulutus", "Työkyvyn selvittely", "Oppisopimus",
    "Yrittäjyys ja starttiraha", "Kesätyöt", "Verkkoasioinnin opastus", "Työmarkkinatori",
)
VISIT_OUTCOMES = (
    "Asia hoidettu", "Varattu aika omavalmentajalle", "Ohjattu verkkoasiointiin",
    "Suunnitelma päivitetty", "Lähetetty työpaikkavinkkejä", "Ohjattu Ohjaamoon",
    "Ohjattu kotoutumisen palveluihin", "Annettu hakemuslomake", "Soitetaan takaisin",
)
FOLLOW_UPS = (
    "Soitto kahden viikon päästä", "Tarkistetaan hakemusten tilanne", "Uusi käynti sovittu",
    "Odotetaan lääkärinlausuntoa",
)
CANCEL_REASONS = (
    "Asiakas sairastunut", "Asiakas sai töitä", "Päällekkäinen meno",
    "Omavalmentajan sairausloma", "Asiakas perui tekstiviestillä", "Asiakas aloitti koulutuksen",
)
# Plan content is written in the plan's language (the customer's: fi, sv or en, see
# plan_vocabulary.print_language), so each text is a (fi, sv, en) triple; the generator
# draws the triple and takes the plan's language (the draws stay those of one language).
PLAN_GOALS = {
    "work": (
        ("Työllistyminen avoimille työmarkkinoille",
         "Sysselsättning på den öppna arbetsmarknaden", "Employment on the open labour market"),
        ("Työpaikka asiakaspalvelutehtävistä", "Ett arbete inom kundservice",
         "A job in customer service"),
        ("Työpaikka rakennusalalta Rovaniemen seudulta",
         "Ett arbete inom byggbranschen i Rovaniemiregionen",
         "A job in construction in the Rovaniemi region"),
        ("Osa-aikatyö matkailualalta", "Deltidsarbete inom turismen",
         "Part-time work in tourism"),
        ("Työllistyminen hoiva-alalle", "Sysselsättning inom vårdbranschen",
         "Employment in the care sector"),
        ("Kausityö matkailusesonkiin", "Säsongsarbete under turistsäsongen",
         "Seasonal work in the tourist season"),
    ),
    "education": (
        ("Ammatillisen perustutkinnon suorittaminen", "Att avlägga en yrkesinriktad grundexamen",
         "Completing a vocational qualification"),
        ("Lähihoitajakoulutukseen hakeutuminen", "Att söka till närvårdarutbildning",
         "Applying to practical nurse training"),
        ("Suomen kielen taito tasolle B1", "Kunskaper i finska på nivå B1",
         "Finnish language skills at level B1"),
        ("Ajokortin C-luokka kuljetusalan töihin", "Körkort i klass C för arbete inom transport",
         "A category C driving licence for transport work"),
        ("Oppisopimuskoulutus", "Läroavtalsutbildning", "Apprenticeship training"),
    ),
    "other": (
        ("Työkyvyn selvittäminen", "Att utreda arbetsförmågan", "Assessing work ability"),
        ("Arjenhallinnan vahvistaminen", "Att stärka vardagshanteringen",
         "Strengthening the management of everyday life"),
        ("Yritystoiminnan aloittamisen selvittäminen",
         "Att utreda möjligheterna att starta företagsverksamhet",
         "Exploring starting a business"),
    ),
}
PLAN_ACTIONS = {
    "customer": (
        ("Hakee neljää työpaikkaa kuukaudessa", "Söker fyra jobb i månaden",
         "Applies for four jobs a month"),
        ("Päivittää CV:n Työmarkkinatorille", "Uppdaterar sitt CV på Jobbmarknaden",
         "Updates the CV on the Job Market Finland service"),
        ("Ilmoittautuu kielikurssille", "Anmäler sig till en språkkurs",
         "Enrols on a language course"),
        ("Osallistuu rekrytointitapahtumaan", "Deltar i ett rekryteringsevenemang",
         "Takes part in a recruitment event"),
        ("Hakee koulutukseen yhteishaussa", "Söker till utbildning i den gemensamma ansökan",
         "Applies to education in the joint application"),
        ("Varaa ajan työterveyteen", "Bokar en tid hos företagshälsovården",
         "Books an appointment with occupational health"),
    ),
    "coach": (
        ("Selvittää palkkatuen mahdollisuuden", "Utreder möjligheten till lönesubvention",
         "Finds out whether pay subsidy is possible"),
        ("Ohjaa työkokeiluun", "Hänvisar till en arbetsprövning", "Arranges a work trial"),
        ("Lähettää työpaikkavinkit", "Skickar jobbtips", "Sends job openings"),
        ("Järjestää monialaisen tapaamisen", "Ordnar ett sektorsövergripande möte",
         "Arranges a multi-professional meeting"),
        ("Tarkistaa työnhakuvelvoitteen toteutumisen",
         "Följer upp att jobbsökningsskyldigheten uppfylls",
         "Checks that the job-search obligation is met"),
    ),
    "partner": (
        ("Työterveyslääkärin arvio työkyvystä",
         "Företagsläkarens bedömning av arbetsförmågan",
         "The occupational health doctor's assessment of work ability"),
        ("Aikuisopisto: soveltuvuuden arviointi", "Vuxeninstitutet: lämplighetsbedömning",
         "Adult education centre: suitability assessment"),
        ("Sosiaalityö: talous- ja velkaneuvonta", "Socialarbetet: ekonomi- och skuldrådgivning",
         "Social work: financial and debt advice"),
        ("Ohjaamo: nuoren ohjaus", "Ohjaamo: vägledning för unga",
         "Ohjaamo: guidance for young people"),
    ),
}
# service_type is a code; provider and note are what the coach writes (the note a triple).
PLAN_SERVICES = (
    ("coaching", "Lapin työvalmennus Oy",
     ("Työnhakuvalmennus 8 viikkoa", "Jobbsökarträning 8 veckor", "Job-search coaching, 8 weeks")),
    ("work_trial", "Rovaniemen kaupunki",
     ("Työkokeilu varastotyössä", "Arbetsprövning i lagerarbete", "Work trial in a warehouse")),
    ("labour_market_training", "Lapin ammattiopisto",
     ("Logistiikan koulutus", "Utbildning i logistik", "Logistics training")),
    ("pay_subsidy", None,
     ("Palkkatuki selvitetään työnantajan kanssa",
      "Lönesubventionen utreds med arbetsgivaren",
      "Pay subsidy is being arranged with the employer")),
    ("expert_assessment", "Työkykykeskus",
     ("Työkyvyn asiantuntija-arvio", "Expertbedömning av arbetsförmågan",
      "Expert assessment of work ability")),
    ("start_up_grant", "Yritys Lappi",
     ("Starttirahan edellytysten selvitys", "Utredning av villkoren för startpeng",
      "Checking the conditions for a start-up grant")),
)
PLAN_SUMMARIES = (
    ("Asiakas hakee aktiivisesti töitä ja on valmis lyhyisiinkin työsuhteisiin.",
     "Kunden söker aktivt arbete och är beredd att ta emot också korta anställningar.",
     "The customer is actively looking for work and is open to short jobs as well."),
    ("Asiakas tarvitsee tukea koulutusvaihtoehtojen selvittämiseen.",
     "Kunden behöver stöd för att utreda sina utbildningsalternativ.",
     "The customer needs support in finding out the options for education."),
    ("Työkyky selvitetään ennen työnhakua; yhteistyö työterveyden kanssa.",
     "Arbetsförmågan utreds före arbetssökandet, i samarbete med företagshälsovården.",
     "Work ability is assessed before job search, together with occupational health."),
    ("Kielitaidon vahvistaminen ja työkokeilu tukevat työllistymistä.",
     "Att stärka språkkunskaperna och en arbetsprövning stöder sysselsättningen.",
     "Better language skills and a work trial support finding work."),
    ("Asiakas harkitsee alanvaihtoa; kartoitetaan osaaminen.",
     "Kunden överväger att byta bransch; kompetensen kartläggs.",
     "The customer is considering a change of field; their skills are mapped."),
)
CONTACT_METHODS = (
    ("Puhelin", "Telefon", "Phone"),
    ("Käynti palvelupisteessä", "Besök på servicestället", "Visit at the service point"),
    ("Etätapaaminen", "Distansmöte", "Video meeting"),
    ("Puhelin ja OmaAsiointi", "Telefon och e-tjänsten", "Phone and the e-service"),
)
# The statutory rhythm (plan_wordings has the same ready wording).
CONTACT_FREQUENCY = ("Työnhakukeskustelu kolmen kuukauden välein",
                     "Jobbsökningssamtal var tredje månad",
                     "A job-search conversation every three months")
FEEDBACK_COMMENTS = {
    "good": (
        "Sain hyvää palvelua, kiitos!", "Ystävällinen ja asiantunteva työntekijä.",
        "Nopea palvelu ilman ajanvarausta.", "Sain selkeät ohjeet jatkoon.",
        "Hyvä että täällä voi asioida kasvokkain.",
    ),
    "neutral": (
        "Jonotus kesti vähän liian kauan.", "Ihan ok, mutta asia jäi osin kesken.",
        "Parkkipaikkoja on liian vähän.",
    ),
    "bad": (
        "Odotin pitkään enkä saanut apua.", "En ymmärtänyt kaikkia ohjeita.",
        "Puhelimeen ei vastattu sovittuna aikana.",
    ),
}
