"""Fill a site with demo content: briefings, article excerpts, their authors and publications.

Every text below is invented for the demo. The publication names are real; the articles are not.
"""

from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar
from urllib.parse import urljoin

from django.core.management.base import BaseCommand
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article
from briefings.models import Briefing, Bullet, Figure, Section
from people.models import Person, Publication
from publishing.models import Status
from sources.services import refresh_citations

M = TypeVar("M", bound=models.Model)

SERIES = "Spotlight on Iran"
PUBLISHER = "Centre for Regional Studies"
PERIOD_DAYS = 14
CONTINUE_LABELS = {"en": "Continue reading", "de": "Weiterlesen"}

PUBLICATIONS: list[dict[str, str]] = [
    {
        "name": "Institute for the Study of War (ISW)",
        "homepage": "https://www.understandingwar.org/",
        "aliases": "ISW",
    },
    {
        "name": "INSS",
        "homepage": "https://www.inss.org.il/",
        "aliases": "Institute for National Security Studies",
    },
    {
        "name": "Al-Monitor",
        "homepage": "https://www.al-monitor.com/",
        "aliases": "AL MONITOR\nAl Monitor",
    },
    {
        "name": "The Soufan Center",
        "homepage": "https://thesoufancenter.org/",
        "aliases": "Soufan Center",
    },
    {
        "name": "The Washington Institute",
        "homepage": "https://www.washingtoninstitute.org/",
        "aliases": "Washington Institute for Near East Policy",
    },
    {
        # Invented: a reserved .example domain, so no link can lead to a real site.
        "name": "Nahost-Rundschau",
        "homepage": "https://www.nahost-rundschau.example/",
        "aliases": "NAHOST-RUNDSCHAU",
    },
]
HOMEPAGES = {p["name"]: p["homepage"] for p in PUBLICATIONS}

BIOS: dict[str, str] = {
    "Leah Sorensen": "Senior analyst at the Centre for Regional Studies, covering Iran and Iraq.",
    "Tobias Marlow": "Research fellow at the Centre for Regional Studies, covering Syria.",
}

# Bullets and figure credits cite dates inside the briefing's period: {d3} is the period's
# fourth day as "March 5", {y3} the same with the year. See citation_dates().
BRIEFINGS: list[dict[str, Any]] = [
    {
        "slug": "demo-spotlight-on-iran-1",
        "ends_days_ago": 145,
        "editor": "Leah Sorensen",
        "tags": ["Iran", "Syria", "Iraq"],
        "overview": [
            """Tehran continued to present its regional posture as defensive, with state media
            framing *deterrence* rather than expansion as its guiding principle (IRNA, {d2}).""",
            """In Iraq, Iranian outlets gave prominent coverage to talks on the next government and
            cast the pro-Iranian parties as guarantors of stability (Tasnim, {d5}).""",
            """Coverage of Syria remained guarded: the new authorities in Damascus were reported on
            with suspicion, but without calls for confrontation (Mehr, {d9}).""",
        ],
        "sections": [
            (
                "Iranian Involvement in Syria",
                [
                    """Iranian commentators still described the loss of Syria as a strategic
                    setback, but argued that Iran's *long-term* ties with local communities had not
                    disappeared (Khabar Online, {d1}). One analyst wrote that influence would now
                    have to be rebuilt through economic and religious channels rather than military
                    ones. The argument reflects a wider debate in Tehran about what a lower profile
                    could achieve.""",
                    """Tasnim reported that Syrian security forces had seized a weapons shipment
                    near the Lebanese border and blamed "foreign-backed smugglers" (Tasnim, {d4}).
                    The report did not mention any link to Iran. It was framed mainly as evidence of
                    instability under the new government.""",
                    """Fars published a long interview with a former adviser who called for a
                    "patient" policy toward Damascus (Fars, {d10}). Open hostility, he argued, would
                    only push the Syrian leadership closer to Ankara and the Gulf capitals.""",
                ],
            ),
            (
                "Iranian Involvement in Iraq",
                [
                    """Iranian media welcomed a meeting in Baghdad between leaders of the Shiite
                    Coordination Framework and a visiting Iranian delegation (IRNA, {d3}). The
                    reports stressed *Iraqi sovereignty* while noting that the two sides had
                    discussed "security cooperation on the borders".""",
                    """Several outlets warned that Washington was pressing Baghdad to restrict the
                    Popular Mobilization Forces (Mehr, {d6}). Tasnim called the pressure an attempt
                    "to disarm the resistance by legal means" (Tasnim, {d7}). Neither report named
                    an Iraqi official.""",
                    """Reporting on gas and electricity exports to Iraq resumed after a period of
                    silence, with IRNA saying that Iraqi payments were again being processed
                    (IRNA, {d12}). See our background note on
                    [the payment channel](https://example.org/notes/iraq-gas-payments).""",
                ],
            ),
        ],
        "figure": {
            "caption": "Iraqi and Iranian officials meet in Baghdad.",
            "alt": "Officials seated at a long table with Iraqi and Iranian flags behind them.",
            "credit": "IRNA, {y3}",
        },
    },
    {
        "slug": "demo-spotlight-on-iran-2",
        "ends_days_ago": 120,
        "editor": "Tobias Marlow",
        "tags": ["Iran", "Hezbollah", "Syria"],
        "overview": [
            """Iranian media devoted much of the period to Lebanon, where the debate over
            Hezbollah's weapons intensified (Tasnim, {d3}).""",
            """Official statements on Syria remained sparse; most commentary came from analysts
            writing in conservative outlets (Javan, {d6}).""",
            """Outreach to the Gulf continued with consultations at deputy foreign minister level
            (IRNA, {d11}).""",
        ],
        "sections": [
            (
                "Iranian Involvement in Syria",
                [
                    """Javan argued that the new Syrian government was "repeating the mistakes of
                    the past" by relying on outside patrons (Javan, {d6}). The paper urged Tehran to
                    keep channels open to tribal leaders and to minority communities on the coast.
                    It gave no detail on how such contacts would be kept up.""",
                    """Mehr reported renewed clashes in southern Syria and presented them as proof
                    that Damascus could not guarantee security (Mehr, {d8}). The coverage leaned
                    heavily on *unnamed local sources*, a pattern typical of Iranian reporting on
                    Syria since the change of government.""",
                ],
            ),
            (
                "Iran and Hezbollah",
                [
                    """Tasnim gave wide coverage to Hezbollah officials rejecting any timetable for
                    handing weapons over to the Lebanese state (Tasnim, {d3}). Iranian commentators
                    described the arsenal as "a national asset of Lebanon" rather than an Iranian
                    instrument.""",
                    """Kayhan went further and accused Lebanese supporters of disarmament of serving
                    foreign interests (Kayhan, {d5}). Entekhab, by contrast, suggested that
                    Hezbollah might accept a gradual, negotiated arrangement (Entekhab, {d9}). The
                    gap mirrors a debate inside the Iranian establishment itself.""",
                    """A senior foreign ministry official visited Beirut and said Iran would support
                    "any decision taken by the Lebanese people" (IRNA, {d10}). The phrase was
                    repeated in several editorials the following day.""",
                ],
            ),
            (
                "Iran and the Gulf",
                [
                    """Iranian and Saudi deputy foreign ministers met to review their normalization
                    agreement (IRNA, {d11}). Both sides called the talks *constructive*, and the
                    readout mentioned pilgrimage and trade.""",
                    """Tehran Times argued that Gulf states now see Iran as "a neighbour to be
                    managed, not isolated" (Tehran Times, {d12}). The author cited new flight routes
                    and business delegations as evidence.""",
                ],
            ),
        ],
        "figure": {
            "caption": "A rally in the southern suburbs of Beirut.",
            "alt": "A crowd in a street, many people holding yellow flags.",
            "credit": "Tasnim, {y3}",
        },
    },
    {
        "slug": "demo-spotlight-on-iran-3",
        "ends_days_ago": 95,
        "editor": "Leah Sorensen",
        "tags": ["Iran", "Iraq", "Kurds"],
        "overview": [
            """The Kurdistan Region of Iraq featured prominently, with renewed warnings about
            Iranian Kurdish opposition groups based there (Fars, {d2}).""",
            """Arbaeen preparations dominated reporting on Iraq, with officials stressing the number
            of Iranian pilgrims expected at the border (IRNA, {d7}).""",
            """Relations with the UAE were presented in economic terms, with trade figures rather
            than security in the foreground (Donya-e-Eqtesad, {d10}).""",
        ],
        "sections": [
            (
                "Iranian Involvement in Iraq",
                [
                    """Fars reported that border forces had intercepted an armed group trying to
                    enter from Iraqi Kurdistan (Fars, {d2}). The report repeated the demand that
                    Baghdad and Erbil fully implement their security agreement with Tehran. The
                    same demand has been made at almost every opportunity since the agreement was
                    signed.""",
                    """IRGC ground forces held an exercise near the northwestern border (Tasnim,
                    {d4}). State television showed artillery and drone units, and a commander said
                    the drill was meant to *deter*, not to threaten.""",
                    """IRNA covered Arbaeen logistics in detail, from new border terminals to extra
                    bus services between Mehran and Karbala (IRNA, {d7}). Such reporting highlights
                    the religious and popular side of Iran's ties with Iraq, distinct from the
                    political and military one.""",
                    """Mehr interviewed an Iraqi Shiite politician who praised Iran's role in the
                    war against the Islamic State (Mehr, {d11}). The interview coincided with
                    renewed debate in Baghdad about the future of the international coalition.""",
                ],
            ),
            (
                "Iran and the Gulf",
                [
                    """Donya-e-Eqtesad reported that non-oil trade with the UAE had grown compared
                    with the same period last year (Donya-e-Eqtesad, {d10}). Much of it consists of
                    re-exports through Dubai, which makes it sensitive to sanctions enforcement.""",
                    """Iranian outlets criticized a joint Gulf statement that repeated the UAE's
                    claim to three disputed islands (Tasnim, {d12}). The foreign ministry's
                    spokesman called the islands "an inseparable part of Iran", the formula used on
                    every such occasion.""",
                ],
            ),
        ],
        "figure": {
            "caption": "Pilgrims at the Mehran border crossing.",
            "alt": "Crowds of pilgrims walking through a covered border terminal.",
            "credit": "IRNA, {y7}",
        },
    },
    {
        "slug": "demo-spotlight-on-iran-4",
        "ends_days_ago": 70,
        "editor": "Tobias Marlow",
        "tags": ["Iran", "Gulf", "Sanctions"],
        "overview": [
            """Economic pressure dominated the domestic agenda: the rial weakened and officials
            blamed sanctions and "psychological warfare" (ISNA, {d1}).""",
            """Iranian media reported maritime incidents in the Gulf, presenting the navy's actions
            as enforcement against fuel smuggling (Tasnim, {d5}).""",
            """Reporting on Syria focused on the humanitarian situation and on the shrines near
            Damascus (Mehr, {d9}).""",
        ],
        "sections": [
            (
                "Iran and the Gulf",
                [
                    """IRGC naval forces seized a foreign tanker for allegedly smuggling fuel
                    (Tasnim, {d5}). Seizures of this kind are announced often and presented as a
                    *law-enforcement* matter. They also remind neighbours of what Iran can do in the
                    waters around the Strait of Hormuz.""",
                    """IRNA highlighted a call between the Iranian and Qatari foreign ministers on
                    regional tensions and shipping security (IRNA, {d8}). Qatar is routinely
                    described in Iranian media as a reliable intermediary.""",
                    """Conservative commentators warned that the Gulf states' security ties with the
                    West could turn the region into "a front line" (Javan, {d11}). No official
                    statement echoed the warning.""",
                ],
            ),
            (
                "Sanctions and the Economy",
                [
                    """ISNA reported a sharp fall of the rial on the open market, and officials
                    blamed sanctions and foreign media (ISNA, {d1}). Economists quoted by reformist
                    papers pointed instead to inflation and the budget deficit (Shargh, {d3}).""",
                    """Oil ministry officials said exports had held steady but gave no figures
                    (Shana, {d6}). Estimates cited in the economic press suggested that discounts to
                    buyers had widened. See
                    [our tracker of Iranian oil exports](https://example.org/trackers/iran-oil).""",
                    """Parliament's economic committee summoned the central bank governor to explain
                    currency policy (Khabar Online, {d10}). Several deputies called for tighter
                    control of foreign-exchange transfers.""",
                ],
            ),
            (
                "Iranian Involvement in Syria",
                [
                    """Mehr reported on the Sayyida Zaynab shrine near Damascus and the Shiite
                    community around it (Mehr, {d9}). Iranian outlets present the protection of the
                    shrines as a core interest, even after the withdrawal of Iranian forces.""",
                    """An article in Asr Iran argued that Tehran should accept the new reality in
                    Syria and concentrate on diplomacy (Asr Iran, {d12}). Hardline websites
                    attacked the article the next day.""",
                ],
            ),
        ],
        "figure": {
            "caption": "IRGC navy boats on patrol in the Gulf.",
            "alt": "Several small fast boats at sea, leaving white wakes.",
            "credit": "Tasnim, {y5}",
        },
    },
    {
        "slug": "demo-spotlight-on-iran-5",
        "ends_days_ago": 45,
        "editor": "Leah Sorensen",
        "tags": ["Iran", "Turkey", "Kurds"],
        "overview": [
            """Relations with Turkey received unusual attention, with commentators debating
            Ankara's growing weight in Syria (Entekhab, {d2}).""",
            """Iranian media followed the Iraqi election campaign closely and described the
            pro-Iranian parties as well placed (Tasnim, {d6}).""",
            """The Kurdish question linked both files, from Turkish operations against the PKK to
            talks between Damascus and the SDF (Mehr, {d10}).""",
        ],
        "sections": [
            (
                "Iranian Involvement in Syria",
                [
                    """Entekhab called Turkey "the main winner" of the change of government in
                    Syria and warned of a *neo-Ottoman* agenda (Entekhab, {d2}). The paper urged
                    Iranian diplomats to coordinate with Moscow despite their differences.""",
                    """Mehr reported on talks between Damascus and the SDF about bringing the
                    Kurdish-led forces into the Syrian army (Mehr, {d10}). The coverage was careful
                    to neither support nor oppose Kurdish self-rule.""",
                    """Fars claimed that armed groups had harassed Shiite villages in central Syria
                    (Fars, {d12}). The claims could not be verified and were not repeated by
                    official outlets.""",
                ],
            ),
            (
                "Iranian Involvement in Iraq",
                [
                    """Tasnim ran a series on the Iraqi campaign that stressed the popularity of
                    parties linked to the PMF (Tasnim, {d6}). Sunni and Kurdish lists were barely
                    mentioned.""",
                    """The secretary of Iran's Supreme National Security Council visited Baghdad
                    (IRNA, {d8}). According to the Iranian readout, the talks covered border
                    security and earlier agreements. No new commitments were announced.""",
                ],
            ),
            (
                "Iran and Turkey",
                [
                    """Iranian media followed Turkish strikes on PKK positions in northern Iraq, and
                    some outlets accused Ankara of violating Iraqi sovereignty (Mehr, {d4}).
                    Officials avoided criticism and stressed a shared interest in fighting
                    "terrorism".""",
                    """Hamshahri warned that a Turkish-backed transport corridor through the
                    Caucasus could reduce Iran's role as a transit country (Hamshahri, {d9}). The
                    corridor has become a recurring theme in Iranian commentary on Turkey.""",
                    """The two foreign ministers spoke by phone and agreed to convene their joint
                    economic commission soon (IRNA, {d13}). Neither side gave a date.""",
                ],
            ),
        ],
        "figure": {
            "caption": "The Iranian and Turkish foreign ministers at a joint press conference.",
            "alt": "Two men at lecterns in front of the Iranian and Turkish flags.",
            "credit": "Mehr, {y13}",
        },
    },
    {
        "slug": "demo-spotlight-on-iran-6",
        "ends_days_ago": 20,
        "editor": "Tobias Marlow",
        "tags": ["Iran", "Hezbollah", "Gulf"],
        "overview": [
            """Iranian media presented the outcome of the Iraqi elections as a victory for the
            "axis of resistance" (Tasnim, {d2}).""",
            """Reports on Lebanon highlighted Israeli strikes and portrayed Hezbollah as restrained
            and responsible (Mehr, {d5}).""",
            """Contacts with Saudi Arabia continued, including a meeting on the sidelines of a
            regional conference (IRNA, {d9}).""",
        ],
        "sections": [
            (
                "Iranian Involvement in Syria",
                [
                    """Mehr reported Israeli strikes on sites in Syria and Lebanon described as
                    Hezbollah supply routes (Mehr, {d5}). The coverage dwelt on civilian damage and
                    said little about the targets.""",
                    """Kayhan accused the Syrian authorities of helping Israel against Hezbollah by
                    closing border crossings (Kayhan, {d7}). The paper offered no evidence.""",
                    """Khabar Online reported that Iranian traders were exploring business with
                    Syria through third countries (Khabar Online, {d11}). Economic ties, the report
                    suggested, might survive the political rupture on a small scale.""",
                ],
            ),
            (
                "Iranian Involvement in Iraq",
                [
                    """Tasnim welcomed the preliminary Iraqi results as a sign of *continuity*
                    (Tasnim, {d2}). It stressed that the coalition forming the next government would
                    decide the future of the PMF.""",
                    """Iran's president and the Iraqi prime minister agreed by phone to expand
                    cooperation on water and electricity (IRNA, {d6}). The readout did not mention
                    payments for Iranian gas, a long-running point of friction.""",
                    """Several outlets quoted Iraqi politicians rejecting American comments on the
                    make-up of the next government (Fars, {d8}). Washington's position was
                    portrayed as interference in Iraqi affairs.""",
                ],
            ),
            (
                "Iran and the Gulf",
                [
                    """The Iranian and Saudi foreign ministers met on the sidelines of a regional
                    conference (IRNA, {d9}). Both reaffirmed the normalization agreement, and the
                    Iranian readout mentioned *regional security arrangements*.""",
                    """Tehran Times argued that Gulf states were less willing than before to back a
                    confrontational American policy toward Iran (Tehran Times, {d12}). The author
                    pointed to trade and tourism as signs of a lasting change.
                    [Read our analysis](https://example.org/analysis/gulf-iran-detente).""",
                ],
            ),
        ],
        "figure": {
            "caption": "Iranian and Saudi delegations at a regional conference.",
            "alt": "Delegates shaking hands in a conference hall.",
            "credit": "IRNA, {y9}",
        },
    },
    {
        # Held back for a scheduled release, so editors see that state in the admin.
        "slug": "demo-spotlight-on-iran-7",
        "ends_days_ago": 1,
        "publish_in_days": 3,
        "editor": "Leah Sorensen",
        "tags": ["Iran", "Iraq", "Sanctions"],
        "overview": [
            """Government formation in Iraq entered a new phase, and Iranian media followed the
            talks between the main Shiite parties closely (Tasnim, {d3}).""",
            """New Western sanctions on shipping companies drew sharp reactions, with Tehran
            calling them "economic terrorism" (IRNA, {d6}).""",
            """The Gulf file was quieter, with reporting limited to trade and consular matters
            (ISNA, {d10}).""",
        ],
        "sections": [
            (
                "Iranian Involvement in Iraq",
                [
                    """Tasnim reported that the main Shiite parties had agreed on criteria for
                    choosing the next prime minister (Tasnim, {d3}). The coverage emphasized unity
                    and played down disagreements.""",
                    """Mehr argued that the next Iraqi government must "protect the PMF" from
                    foreign pressure (Mehr, {d5}). The article presented the PMF's legal status as
                    the central issue of the negotiations.""",
                    """An Iraqi delegation visited Tehran to discuss gas supplies ahead of winter
                    (IRNA, {d8}). Reports noted that Iraqi power plants depend heavily on Iranian
                    gas in the peak season.""",
                ],
            ),
            (
                "Iran and the Gulf",
                [
                    """IRNA condemned new sanctions on shipping companies accused of carrying
                    Iranian oil (IRNA, {d6}). Economic dailies noted that similar measures had
                    raised costs in the past without stopping exports (Donya-e-Eqtesad, {d7}).""",
                    """ISNA reported the reopening of a consular office in a Gulf state and new
                    flights between Iranian and Gulf cities (ISNA, {d10}). Such reports have become
                    routine and reflect lower tension in the region.""",
                    """Javan warned that the UAE's ties with Israel remained "a threat to the
                    security of the Gulf" (Javan, {d12}). Its tone contrasted with the conciliatory
                    language of official statements.""",
                ],
            ),
        ],
        "figure": {
            "caption": "Gas facilities near the Iran–Iraq border.",
            "alt": "Pipelines and a compressor station in a flat desert landscape.",
            "credit": "Shana, {y8}",
        },
    },
]

ARTICLES: list[dict[str, Any]] = [
    {
        "slug": "demo-iraqi-militias-reposition-syrian-border",
        "publication": "Institute for the Study of War (ISW)",
        "authors": ["Nadia Karimi", "Owen Fairbanks"],
        "days_ago": 150,
        "kicker": "Analysis",
        "title": "Iraqi Militias Reposition Along the Syrian Border",
        "excerpt": """
            Iranian-backed militias in Iraq have moved fighters and equipment away from some
            positions near the Syrian border over the past two weeks, according to local reports.
            The moves appear to reflect a reassessment of the risks of operating close to a
            frontier no longer controlled by a friendly government in Damascus.

            The repositioning does not mean that the militias have abandoned the border area.
            Several groups keep smuggling networks and informal crossings, and could return quickly
            if conditions changed.
        """,
        "path": "/research/middle-east/iraqi-militias-reposition-syrian-border/",
        "tags": ["Iraq", "Syria", "Iran"],
    },
    {
        "slug": "demo-hezbollah-rebuilding-under-pressure",
        "publication": "INSS",
        "authors": ["Yael Bernstein"],
        "days_ago": 138,
        "kicker": "Focus",
        "title": "Hezbollah Rebuilding Under Pressure",
        "standfirst": """Reconstruction depends on Iranian money that has become much harder to
            deliver.""",
        "excerpt": """
            Hezbollah faces the task of rebuilding its military capabilities and its standing among
            its own supporters at the same time. Both require money, and the routes by which Iranian
            funds once reached Lebanon have narrowed considerably.

            The organization has so far avoided open confrontation with the Lebanese state over its
            weapons. Instead it has tried to slow the process down, tying any discussion of
            disarmament to Israeli withdrawals and to reconstruction aid.

            How long this strategy can last is unclear. Much depends on whether Tehran is willing
            and able to keep paying for it.
        """,
        "editor_note": """A useful summary of the *financial* side of the disarmament debate, which
            Iranian media rarely discuss.""",
        "path": "/publication/insight/hezbollah-rebuilding-under-pressure/",
        "tags": ["Hezbollah", "Iran"],
    },
    {
        "slug": "demo-iraq-militias-weigh-their-future",
        "publication": "Al-Monitor",
        "authors": ["Samir Haddad"],
        "days_ago": 127,
        "title": "Iraq's Armed Factions Weigh Their Future Before the Elections",
        "excerpt": """
            With elections approaching, leaders of Iraq's armed factions are debating how far they
            should move into politics. Some argue that parliamentary seats offer better protection
            than weapons; others fear that giving up arms would leave them exposed.

            Iran's position in this debate is ambiguous. Tehran values the factions as a source of
            leverage, but it also wants a stable government in Baghdad that can keep buying Iranian
            gas and electricity.
        """,
        "path": "/originals/iraq-armed-factions-weigh-future-elections",
        "tags": ["Iraq", "Iran"],
    },
    {
        "slug": "demo-intelbrief-gulf-hedging",
        "publication": "The Soufan Center",
        "authors": [],
        "days_ago": 115,
        "kicker": "IntelBrief",
        "title": "The Gulf's Quiet Hedging Strategy",
        "excerpt": """
            Gulf states are pursuing a dual approach toward Iran: they maintain close security
            ties with Washington while expanding diplomatic and commercial contacts with Tehran.
            The aim is to avoid being caught in the middle of a future confrontation.

            The approach has limits. A sharp escalation between Iran and Israel, or new attacks on
            shipping, could quickly force Gulf capitals to choose sides again.
        """,
        "path": "/intelbrief-the-gulfs-quiet-hedging-strategy/",
        "tags": ["Gulf", "Iran"],
    },
    {
        "slug": "demo-teheran-sucht-neue-wege-nach-damaskus",
        "publication": "Nahost-Rundschau",
        "authors": ["Katrin Vogler"],
        "days_ago": 104,
        "language": "de",
        "kicker": "Analyse",
        "title": "Teheran sucht neue Wege nach Damaskus",
        "standfirst": """Nach dem Machtwechsel in Syrien hat Iran seinen wichtigsten Verbündeten in
            der Region verloren. Nun testet die Führung vorsichtig neue Kanäle.""",
        "excerpt": """
            Lange galt Syrien als Herzstück der iranischen Regionalpolitik. Über das Land liefen
            Waffen, Geld und Berater in Richtung Libanon, und in Damaskus saß eine Regierung, die
            Teheran ihr Überleben verdankte. Diese Zeit ist vorbei.

            In iranischen Medien wird inzwischen offen darüber gestritten, wie mit der neuen
            Führung umzugehen sei. Hardliner warnen vor jeder Annäherung, pragmatische Stimmen
            plädieren für Geduld und wirtschaftliche Kontakte über Drittstaaten.

            Diplomaten in der Region gehen davon aus, dass Iran zunächst auf Zeit spielt. Einen
            schnellen Durchbruch erwartet niemand.
        """,
        "path": "/politik/teheran-sucht-neue-wege-nach-damaskus",
        "tags": ["Iran", "Syria"],
    },
    {
        "slug": "demo-sanctions-enforcement-iran-oil-trade",
        "publication": "The Washington Institute",
        "authors": ["Daniel Ashby", "Mina Farahani"],
        "days_ago": 96,
        "kicker": "Analysis",
        "title": "How Sanctions Enforcement Is Reshaping Iran's Oil Trade",
        "standfirst": "The trade continues, but at a higher cost for everyone involved.",
        "excerpt": """
            Enforcement of sanctions on Iranian oil has shifted from the buyers to the logistics
            that connect Iran to them. Three changes stand out:

            - more designations of individual tankers and the companies that manage them;
            - closer scrutiny of ship-to-ship transfers in Asian waters;
            - pressure on the insurers and flag registries that serve the so-called shadow fleet.

            None of these measures is likely to bring exports to zero. Together, however, they
            widen the discounts Tehran must offer and reduce the revenue that reaches the state
            budget.
        """,
        "editor_note": """Read together with our
            [oil export tracker](https://example.org/trackers/iran-oil), which shows the same
            widening of discounts.""",
        "path": "/policy-analysis/how-sanctions-enforcement-reshaping-iran-oil-trade",
        "tags": ["Sanctions", "Iran"],
    },
    {
        "slug": "demo-tehran-pressure-kurdish-opposition",
        "publication": "Institute for the Study of War (ISW)",
        "authors": ["Nadia Karimi"],
        "days_ago": 84,
        "title": "Tehran Steps Up Pressure on Kurdish Opposition Groups in Iraq",
        "excerpt": """
            Iranian officials have renewed their demand that Baghdad and Erbil disarm and relocate
            Iranian Kurdish opposition groups based in northern Iraq. The demand was accompanied by
            a military exercise near the border and by warnings in state media.

            Iran has used similar pressure before, including drone and missile strikes on camps in
            the Kurdistan Region. A repeat cannot be ruled out if Tehran judges that Iraqi
            authorities are not acting quickly enough.
        """,
        "path": "/research/middle-east/tehran-pressure-kurdish-opposition-iraq/",
        "tags": ["Kurds", "Iraq", "Iran"],
    },
    {
        "slug": "demo-turkey-iran-compete-in-syria",
        "publication": "Al-Monitor",
        "authors": ["Emre Aksoy"],
        "days_ago": 71,
        "kicker": "Analysis",
        "title": "Turkey and Iran Compete for Influence in the New Syria",
        "standfirst": "Ankara has gained what Tehran lost, and both capitals know it.",
        "excerpt": """
            Turkey's influence in Syria has grown steadily since the change of government, through
            security cooperation, trade and reconstruction contracts. Iran, by contrast, has been
            reduced to watching from the outside.

            Officials in both countries avoid public criticism of each other. Behind the polite
            language, however, lies a rivalry that extends from Syria to Iraq and the Caucasus.
        """,
        "editor_note": "Compare with the Iranian commentary summarized in our recent briefings.",
        "path": "/originals/turkey-iran-compete-influence-new-syria",
        "tags": ["Turkey", "Iran", "Syria"],
    },
    {
        "slug": "demo-die-kurden-zwischen-ankara-und-damaskus",
        "publication": "Nahost-Rundschau",
        "authors": ["Matthias Brenner"],
        "days_ago": 60,
        "language": "de",
        "kicker": "Hintergrund",
        "title": "Die Kurden zwischen Ankara und Damaskus",
        "excerpt": """
            Für die kurdisch geführten Kräfte im Nordosten Syriens ist die Lage so unübersichtlich
            wie seit Jahren nicht. Die Gespräche mit der Regierung in Damaskus über eine
            Eingliederung in die Armee kommen nur langsam voran, während Ankara auf einer
            Entwaffnung besteht.

            Auch Iran beobachtet die Entwicklung genau. Teheran fürchtet, dass eine erfolgreiche
            kurdische Selbstverwaltung in Syrien die eigene kurdische Bevölkerung ermutigen könnte.
            Zugleich lehnt es eine stärkere türkische Rolle an seiner Westflanke ab.
        """,
        "path": "/politik/die-kurden-zwischen-ankara-und-damaskus",
        "tags": ["Kurds", "Turkey", "Syria"],
    },
    {
        "slug": "demo-iran-regional-strategy-after-setbacks",
        "publication": "INSS",
        "authors": ["Yael Bernstein", "Noam Adler"],
        "days_ago": 49,
        "title": "Iran's Regional Strategy After a Year of Setbacks",
        "standfirst": """Tehran has lost ground, but not its ambitions. It is looking for cheaper
            ways to pursue them.""",
        "excerpt": """
            The past year has cost Iran much of the regional network it built over two decades.
            Syria is gone as an ally, Hezbollah is weakened, and the Iraqi factions are more
            cautious than before.

            Yet there is little sign that the leadership in Tehran has given up on its regional
            goals. The emphasis has shifted to political influence, economic ties and the
            preservation of what remains, rather than expansion.

            For Iran's neighbours, this means a less visible but not necessarily less persistent
            challenge.
        """,
        "editor_note": """A good overview. The authors perhaps underestimate how much Iranian
            influence in Iraq still rests on *economic* dependence.""",
        "path": "/publication/insight/iran-regional-strategy-after-setbacks/",
        "tags": ["Iran", "Hezbollah"],
    },
    {
        "slug": "demo-intelbrief-iraq-election-pmf",
        "publication": "The Soufan Center",
        "authors": [],
        "days_ago": 38,
        "kicker": "IntelBrief",
        "title": "Iraq's Election and the Question of the PMF",
        "excerpt": """
            Iraq's parliamentary election has once again put the Popular Mobilization Forces at the
            centre of national politics. Parties close to the PMF performed well, and they will
            have a strong voice in forming the next government.

            The result complicates American efforts to limit the role of armed factions in the
            Iraqi state. It also gives Tehran a degree of reassurance after a difficult year.
        """,
        "path": "/intelbrief-iraqs-election-and-the-question-of-the-pmf/",
        "tags": ["Iraq", "Iran"],
    },
    {
        "slug": "demo-gulf-states-price-of-detente",
        "publication": "The Washington Institute",
        "authors": ["Sara Whitcombe"],
        "days_ago": 27,
        "title": "Gulf States and the Price of Détente With Iran",
        "excerpt": """
            The détente between Iran and its Gulf neighbours has held for longer than many expected.
            It rests less on trust than on a shared interest in avoiding attacks on oil facilities
            and shipping.

            That interest could weaken if sanctions enforcement tightens further and Iran looks for
            ways to raise the cost for its adversaries. Gulf capitals are aware that their calm
            depends in part on decisions taken far away.
        """,
        "path": "/policy-analysis/gulf-states-and-price-detente-iran",
        "tags": ["Gulf", "Iran", "Sanctions"],
    },
    {
        "slug": "demo-irans-wirtschaft-unter-druck",
        "publication": "Nahost-Rundschau",
        "authors": [],
        "days_ago": 15,
        "language": "de",
        "kicker": "Analyse",
        "title": "Irans Wirtschaft unter Druck",
        "excerpt": """
            Der Rial hat in den vergangenen Monaten erneut deutlich an Wert verloren. Für viele
            Familien bedeutet das steigende Preise für Lebensmittel, Medikamente und Mieten,
            während die Löhne kaum mithalten.

            Die Regierung macht vor allem die Sanktionen verantwortlich. Unabhängige Ökonomen
            verweisen dagegen auch auf hausgemachte Probleme: hohe Haushaltsdefizite, eine
            schwerfällige Staatswirtschaft und ein Bankensystem, das unter faulen Krediten leidet.

            Kurzfristige Entlastung ist nicht in Sicht. Selbst im konservativen Lager werden
            Reformen gefordert, über deren Richtung allerdings keine Einigkeit besteht.
        """,
        "path": "/wirtschaft/irans-wirtschaft-unter-druck",
        "tags": ["Iran", "Sanctions"],
    },
    {
        "slug": "demo-shipping-seizures-strait-of-hormuz",
        "publication": "Institute for the Study of War (ISW)",
        "authors": ["Owen Fairbanks"],
        "days_ago": 6,
        "title": "Shipping Seizures and the Strait of Hormuz",
        "excerpt": """
            The IRGC Navy has seized several vessels in recent months, citing fuel smuggling. The
            seizures are small in scale but serve as a *signal*: Iran can disrupt traffic in the
            Strait of Hormuz whenever it chooses.

            So far Tehran has avoided targeting large tankers linked to Western states. That
            restraint could end if new sanctions hit Iranian exports hard.
        """,
        "editor_note": "See also the Gulf section of our latest briefing.",
        "path": "/research/middle-east/shipping-seizures-strait-of-hormuz/",
        "tags": ["Gulf", "Iran"],
    },
    {
        # A draft, so editors see that state in the admin.
        "slug": "demo-iraqi-kurdistan-difficult-winter",
        "publication": "Al-Monitor",
        "authors": ["Samir Haddad"],
        "days_ago": 2,
        "draft": True,
        "title": "Iraqi Kurdistan Braces for a Difficult Winter",
        "excerpt": """
            Budget disputes with Baghdad and falling oil revenue have left the Kurdistan Regional
            Government struggling to pay salaries on time. Officials in Erbil warn that shortages
            of fuel and electricity could follow in the coming months.

            The crisis also has a regional dimension: both Iran and Turkey have economic and
            security interests in the region, and both are watching closely.
        """,
        "path": "/originals/iraqi-kurdistan-braces-difficult-winter",
        "tags": ["Kurds", "Iraq"],
    },
]


def unwrap(text: str) -> str:
    """Prose is wrapped above to fit the code; store one line per paragraph or list item."""
    blocks = []
    for block in text.strip().split("\n\n"):
        lines: list[str] = []
        for line in block.splitlines():
            line = line.strip()
            if lines and not line.startswith("- "):
                lines[-1] += " " + line
            else:
                lines.append(line)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def local_datetime(day: date, hour: int) -> datetime:
    """`day` at `hour` o'clock in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, time(hour)))


def citation_dates(start: date) -> dict[str, str]:
    """Placeholders for the dates a briefing cites: {d3} is "March 5", {y3} "March 5, 2026"."""
    dates = {}
    for n in range(PERIOD_DAYS):
        day = start + timedelta(days=n)
        dates[f"d{n}"] = f"{day:%B} {day.day}"
        dates[f"y{n}"] = f"{day:%B} {day.day}, {day.year}"
    return dates


class Command(BaseCommand):
    help = "Create invented demo briefings and article excerpts. Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        # get_or_create's `created` flag -> number of rows; a briefing's parts count with it.
        self.tally: Counter[bool] = Counter()
        self.people: dict[str, Person] = {}
        # Dates are relative to today so the demo looks fresh; they are set only on creation.
        today = timezone.localdate()
        with transaction.atomic():
            publications = {data["name"]: self.publication(data) for data in PUBLICATIONS}
            for data in BRIEFINGS:
                self.briefing(data, today)
            for data in ARTICLES:
                self.article(data, today, publications[data["publication"]])
            # The bullets' inline sources, for /sources/; rebuilt each run, as it is idempotent.
            refresh_citations(Briefing.objects.filter(slug__in=[b["slug"] for b in BRIEFINGS]))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content: {self.tally[True]} created, {self.tally[False]} already present."
            )
        )

    def get_or_create(
        self, model: type[M], defaults: dict[str, Any] | None = None, **lookup: Any
    ) -> tuple[M, bool]:
        obj, created = model.objects.get_or_create(defaults=defaults, **lookup)
        self.tally[created] += 1
        return obj, created

    def publication(self, data: dict[str, str]) -> Publication:
        publication, _ = self.get_or_create(
            Publication,
            name=data["name"],
            defaults={"homepage": data["homepage"], "aliases": data["aliases"]},
        )
        return publication

    def person(self, name: str) -> Person:
        # Remembered per run, so a second article by the same author is not counted twice.
        if name not in self.people:
            self.people[name], _ = self.get_or_create(
                Person, slug=slugify(name), defaults={"name": name, "bio": BIOS.get(name, "")}
            )
        return self.people[name]

    def briefing(self, data: dict[str, Any], today: date) -> None:
        end = today - timedelta(days=data["ends_days_ago"])
        start = end - timedelta(days=PERIOD_DAYS - 1)
        if "publish_in_days" in data:
            published_at = local_datetime(today + timedelta(days=data["publish_in_days"]), 9)
        else:
            published_at = local_datetime(end + timedelta(days=1), 9)
        briefing, created = self.get_or_create(
            Briefing,
            slug=data["slug"],
            defaults={
                "series": SERIES,
                "publisher": PUBLISHER,
                "period_start": start,
                "period_end": end,
                "editor": self.person(data["editor"]),
                "status": Status.PUBLISHED,
                "published_at": published_at,
            },
        )
        if not created:
            return
        dates = citation_dates(start)
        briefing.tags.set(data["tags"])
        for position, text in enumerate(data["overview"]):
            Bullet.objects.create(
                briefing=briefing, text=unwrap(text).format_map(dates), position=position
            )
        for position, (title, bullets) in enumerate(data["sections"]):
            section = Section.objects.create(briefing=briefing, title=title, position=position)
            for n, text in enumerate(bullets):
                Bullet.objects.create(
                    briefing=briefing,
                    section=section,
                    text=unwrap(text).format_map(dates),
                    position=n,
                )
        # Demo figures have a caption and credit but no image file, like many imported back issues.
        Figure.objects.create(
            briefing=briefing,
            **{key: value.format_map(dates) for key, value in data["figure"].items()},
        )

    def article(self, data: dict[str, Any], today: date, publication: Publication) -> None:
        original_date = today - timedelta(days=data["days_ago"])
        language = data.get("language", "en")
        # Looked up on every run, so both runs count the same rows.
        authors = [self.person(name) for name in data["authors"]]
        article, created = self.get_or_create(
            Article,
            slug=data["slug"],
            defaults={
                "title": data["title"],
                "status": Status.DRAFT if data.get("draft") else Status.PUBLISHED,
                "published_at": local_datetime(original_date + timedelta(days=1), 10),
                "language": language,
                "kicker": data.get("kicker", ""),
                "standfirst": unwrap(data.get("standfirst", "")),
                "publication": publication,
                "original_date": original_date,
                "excerpt": unwrap(data["excerpt"]),
                "editor_note": unwrap(data.get("editor_note", "")),
                # From our own data, not the row: an existing publication may lack a homepage.
                "continue_url": urljoin(HOMEPAGES[data["publication"]], data["path"]),
                "continue_label": CONTINUE_LABELS[language],
            },
        )
        if created:
            article.authors.set(authors)
            article.tags.set(data["tags"])
