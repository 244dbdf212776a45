"""The publications the back issues excerpt most, with the ways the old site spelled them: a
migration adds them to a new database, and a restore recognises them by this list as rows the
migration made rather than content.

Each is (name, homepage, other spellings); the slug is made from the name.
"""

PUBLICATIONS = [
    (
        "Institute for the Study of War",
        "https://www.understandingwar.org/",
        ["ISW", "INSTITUTE FOR THE STUDY OF WAR", "Institute for the Study of War (ISW)"],
    ),
    ("Turkeyscope", "https://dayan.org/", []),
    ("Human Rights Watch", "https://www.hrw.org/", ["HRW", "Witness"]),
    (
        "INSS",
        "https://www.inss.org.il/",
        ["Institute for National Security Studies", "INSS Insight"],
    ),
    ("Al-Monitor", "https://www.al-monitor.com/", ["AL MONITOR", "Al Monitor", "AL-MONITOR"]),
    (
        "The Soufan Center",
        "https://thesoufancenter.org/",
        ["Soufan Center", "THE SOUFAN CENTER", "IntelBrief"],
    ),
    (
        "The Washington Institute",
        "https://www.washingtoninstitute.org/",
        ["Washington Institute for Near East Policy", "Fikra Forum", "FIKRA FORUM"],
    ),
]
