"""The ready wording coaches insert into employment plans.

Ready wording is plan *content*: it is written in the plan's language (the customer's, see
`plan_vocabulary.print_language`), not in the language of the user interface, so it is
kept here as data in Finnish, Swedish and English rather than as gettext messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.rules.codes import PlanType
from app.rules.plan_vocabulary import PRINT_LANGUAGES

ALL_TYPES = frozenset(PlanType)


@dataclass(frozen=True)
class Wording:
    """One ready wording: `kind` is the goal kind or the actor it fills in."""

    section: str
    fi: str
    sv: str
    en: str
    kind: str = ""
    plan_types: frozenset[str] = field(default=ALL_TYPES)

    def text(self, lang: str) -> str:
        return getattr(self, lang if lang in PRINT_LANGUAGES else "fi")


_W = Wording
_MULTI = frozenset({PlanType.MULTI_PROFESSIONAL, PlanType.ACTIVATION})
_INTEGRATION = frozenset({PlanType.INTEGRATION})

WORDINGS: tuple[Wording, ...] = (
    # --- situation ------------------------------------------------------------------
    _W("summary",
       "Asiakas hakee aktiivisesti töitä ja on valmis myös lyhyisiin työsuhteisiin.",
       "Kunden söker aktivt arbete och är beredd att ta emot också korta anställningar.",
       "The customer is actively looking for work and is open to short jobs as well."),
    _W("summary",
       "Asiakas tarvitsee tukea koulutusvaihtoehtojen selvittämiseen.",
       "Kunden behöver stöd för att utreda sina utbildningsalternativ.",
       "The customer needs support in finding out the options for education."),
    _W("summary",
       "Työkyky selvitetään ennen työnhakua yhteistyössä työterveyden kanssa.",
       "Arbetsförmågan utreds före arbetssökandet i samarbete med företagshälsovården.",
       "Work ability is assessed before job search together with occupational health."),
    _W("summary",
       "Kielitaidon vahvistaminen ja työkokeilu tukevat työllistymistä.",
       "Att stärka språkkunskaperna och en arbetsprövning stöder sysselsättningen.",
       "Better language skills and a work trial support finding work.",
       plan_types=_INTEGRATION),
    # --- goals ----------------------------------------------------------------------
    _W("goals", "Työllistyminen avoimille työmarkkinoille.",
       "Sysselsättning på den öppna arbetsmarknaden.",
       "Employment on the open labour market.", kind="work"),
    _W("goals", "Osa-aikatyö, joka sopii asiakkaan tilanteeseen.",
       "Deltidsarbete som passar kundens situation.",
       "Part-time work that suits the customer's situation.", kind="work"),
    _W("goals", "Ammatillisen perustutkinnon suorittaminen.",
       "Att avlägga en yrkesinriktad grundexamen.",
       "Completing a vocational upper secondary qualification.", kind="education"),
    _W("goals", "Hakeutuminen koulutukseen seuraavassa yhteishaussa.",
       "Att söka till utbildning i nästa gemensamma ansökan.",
       "Applying to education in the next joint application.", kind="education"),
    _W("goals", "Suomen kielen taito tasolle B1.",
       "Kunskaper i finska på nivå B1.",
       "Finnish language skills at level B1.", kind="education", plan_types=_INTEGRATION),
    _W("goals", "Työ- ja toimintakyvyn selvittäminen.",
       "Att utreda arbets- och funktionsförmågan.",
       "Assessing work ability and functional capacity.", kind="other"),
    _W("goals", "Arjenhallinnan vahvistaminen.",
       "Att stärka vardagshanteringen.",
       "Strengthening the management of everyday life.", kind="other", plan_types=_MULTI),
    _W("goals", "Yritystoiminnan aloittamisen selvittäminen.",
       "Att utreda möjligheterna att starta företagsverksamhet.",
       "Exploring starting a business.", kind="other"),
    # --- the customer's own actions -------------------------------------------------
    _W("customer_actions", "Hakee työpaikkoja työnhakuvelvollisuuden mukaisesti.",
       "Söker arbetsplatser enligt jobbsökningsskyldigheten.",
       "Applies for jobs as the job-search obligation requires.", kind="customer"),
    _W("customer_actions", "Päivittää CV:n ja työnhakuprofiilin Työmarkkinatorille.",
       "Uppdaterar sitt CV och sin jobbsökarprofil på Jobbmarknaden.",
       "Updates the CV and the jobseeker profile on the Job Market Finland service.",
       kind="customer"),
    _W("customer_actions", "Osallistuu rekrytointitapahtumaan.",
       "Deltar i ett rekryteringsevenemang.",
       "Takes part in a recruitment event.", kind="customer"),
    _W("customer_actions", "Hakee koulutukseen yhteishaussa.",
       "Söker till utbildning i den gemensamma ansökan.",
       "Applies to education in the joint application.", kind="customer"),
    _W("customer_actions", "Ilmoittautuu kielikurssille.",
       "Anmäler sig till en språkkurs.",
       "Enrols on a language course.", kind="customer", plan_types=_INTEGRATION),
    _W("customer_actions", "Varaa ajan työterveyshuoltoon työkyvyn arviointia varten.",
       "Bokar en tid hos företagshälsovården för en bedömning av arbetsförmågan.",
       "Books an appointment with occupational health for a work ability assessment.",
       kind="customer"),
    # --- the coach's and partners' actions ------------------------------------------
    _W("partner_actions", "Selvittää palkkatuen mahdollisuuden.",
       "Utreder möjligheten till lönesubvention.",
       "Finds out whether pay subsidy is possible.", kind="coach"),
    _W("partner_actions", "Lähettää asiakkaalle sopivia työpaikkavinkkejä.",
       "Skickar lämpliga jobbtips till kunden.",
       "Sends the customer suitable job openings.", kind="coach"),
    _W("partner_actions", "Järjestää monialaisen tapaamisen.",
       "Ordnar ett sektorsövergripande möte.",
       "Arranges a multi-professional meeting.", kind="coach", plan_types=_MULTI),
    _W("partner_actions", "Kela: kuntoutusmahdollisuuksien selvittäminen.",
       "FPA: utreder möjligheterna till rehabilitering.",
       "Kela: finds out the options for rehabilitation.", kind="partner",
       plan_types=_MULTI),
    _W("partner_actions", "Sosiaalityö: talous- ja velkaneuvonta.",
       "Socialarbetet: ekonomi- och skuldrådgivning.",
       "Social work: financial and debt advice.", kind="partner", plan_types=_MULTI),
    _W("partner_actions", "Kotoutumispalvelut: kotoutumiskoulutuksen järjestäminen.",
       "Integrationstjänsterna: ordnar integrationsutbildning.",
       "Integration services: arrange integration training.", kind="partner",
       plan_types=_INTEGRATION),
    # --- job-search obligation: why it is lowered ----------------------------------
    _W("lowered_reason", "Asiakas on osa-aikatyössä.",
       "Kunden har deltidsarbete.",
       "The customer works part time."),
    _W("lowered_reason", "Asiakas osallistuu palveluun, joka vie suuren osan ajasta.",
       "Kunden deltar i en tjänst som tar en stor del av tiden.",
       "The customer takes part in a service that takes much of the time."),
    _W("lowered_reason", "Terveydentila rajoittaa työnhakua.",
       "Hälsotillståndet begränsar arbetssökandet.",
       "The customer's health limits job search."),
    _W("lowered_reason", "Sopivia avoimia työpaikkoja on alueella vähän.",
       "Det finns få lämpliga lediga jobb i området.",
       "There are few suitable vacancies in the area."),
    # --- contact ------------------------------------------------------------------
    _W("contact_method", "Puhelin", "Telefon", "Phone"),
    _W("contact_method", "Käynti palvelupisteessä", "Besök på servicestället",
       "Visit at the service point"),
    _W("contact_method", "Etätapaaminen", "Distansmöte", "Video meeting"),
    _W("contact_method", "OmaAsiointi-viestit", "Meddelanden i e-tjänsten",
       "Messages in the e-service"),
    _W("contact_frequency", "Työnhakukeskustelu kolmen kuukauden välein",
       "Jobbsökningssamtal var tredje månad",
       "A job-search conversation every three months"),
    _W("contact_frequency", "Kerran kuukaudessa", "En gång i månaden", "Once a month"),
    _W("contact_frequency", "Kahden viikon välein", "Varannan vecka", "Every two weeks"),
)


def wordings(section: str, plan_type: str, lang: str) -> list[tuple[str, str]]:
    """The ready wording for a section of a plan type: (kind, text in `lang`)."""
    return [
        (w.kind, w.text(lang))
        for w in WORDINGS
        if w.section == section and plan_type in w.plan_types
    ]
