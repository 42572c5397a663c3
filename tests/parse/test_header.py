"""Header fields read from real cables (fixtures in tests/fixtures/formats, see README).

Every expected value below was written by reading the cable text, not by running the
parser: the ID and where it came from, dates, routing, classification, caveats, E.O.
line, TAGS, SUBJECT, Classified By and signer.  A field left out of a row is not
asserted for that cable (the text does not state it clearly enough to have one truth).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from refdb.model import ParsedCable, RawCable
from refdb.parse import parse_cable, read_path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "formats"


def _cable(name: str, locator: str = "") -> ParsedCable:
    raws = [r for r in read_path(FIXTURES / name) if isinstance(r, RawCable) and r.locator == locator]
    assert len(raws) == 1, f"{name}:{locator} is not one cable"
    return parse_cable(raws[0])


def _value(c: ParsedCable, field: str) -> object:
    if field == "id":
        return c.id.canonical if c.id else None
    if field == "date":
        return c.date.strftime("%Y-%m-%d %H:%M") if c.date else None
    if field == "first_info":
        return c.info[0] if c.info else None
    if field == "n_info":
        return len(c.info)
    return getattr(c, field)


ROWS = [
    # -- WikiLeaks viewer pages, Apr-2011 mirror ------------------------------------------
    ("viewer_86MADRID5480.html", "", dict(
        id="86MADRID5480", published_id="86MADRID5480", id_source="metadata", date="1986-05-12 17:05",
        dtg="121758Z MAY 86", precedence="IMMEDIATE", origin="MADRID", origin_name="AMEMBASSY MADRID",
        routing_indicator=None, classification="SECRET", caveats=(), declassify_on="OADR",
        tags=("PTER", "PINR", "PREL", "SP", "LY"), subject="QADHAFI RETALIATES AGAINST SPANISH EXPULSIONS",
        classified_by=None, signer="ENDERS", to=("SECSTATE WASHDC", "EC COLLECTIVE"),
        info=("AMEMBASSY ALGIERS", "AMEMBASSY RABAT", "AMEMBASSY TUNIS"))),
    ("viewer_90BAGHDAD4397.html", "", dict(
        id="90BAGHDAD4397", date="1990-08-02 04:04", dtg="020411Z AUG 90", precedence="IMMEDIATE",
        origin="BAGHDAD", classification="SECRET", declassify_on="OADR", tags=("PREL", "IZ", "KU", "AS"),
        subject="IRAQI INCURSION ACROSS KUWAITI BORDER", signer="WILSON",
        to=("SECSTATE WASHDC", "AMEMBASSY KUWAIT", "AMEMBASSY RIYADH", "AMEMBASSY CAIRO", "AMEMBASSY DOHA",
            "AMEMBASSY ABU DHABI", "AMEMBASSY MANAMA", "AMEMBASSY AMMAN", "AMEMBASSY MUSCAT", "AMEMBASSY DAMASCUS"),
        info=())),
    ("viewer_06SANJOSE489.html", "", dict(  # partial extract: no routing header
        id="06SANJOSE489", id_source="metadata", date="2006-03-03 20:08", dtg=None, precedence=None,
        origin="SANJOSE", origin_name="Embassy San Jose", routing_indicator=None, classification="UNCLASSIFIED",
        caveats=("SIPDIS",), declassify_on="N/A", tags=("PREL", "PGOV", "CS", "UN"),
        subject="COSTA RICA ON UNSYG SUCCESSION", signer="LANGDALE", to=(), info=())),
    ("viewer_05SANJOSE1748.html", "", dict(
        id="05SANJOSE1748", date="2005-08-04 17:05", classification="UNCLASSIFIED", caveats=("SIPDIS",),
        declassify_on="N/A", tags=("CS", "ETRD", "PGOV", "PREL"),
        subject="LETTER FROM EX-PRESIDENT MIGUEL ANGEL RODRIGUEZ FOR PRESIDENT BUSH", signer="KAPLAN")),
    ("viewer_09CAIRO1514.html", "", dict(
        id="09CAIRO1514", date="2009-08-05 13:01", dtg="051317Z AUG 09", precedence="ROUTINE", origin="CAIRO",
        origin_name="AMEMBASSY CAIRO", routing_indicator="RUEHEG", classification="UNCLASSIFIED",
        caveats=("SIPDIS",), declassify_on="N/A", tags=("PGOV", "PHUM", "UN", "EG"),
        subject="INITIATIVES TO COUNTER TORTURE IN EGYPT", signer="SCOBEY", to=("SECSTATE WASHDC",),
        info=("ARAB ISRAELI COLLECTIVE", "NSC WASHDC"))),
    ("viewer_06SANJOSE2543.html", "", dict(
        id="06SANJOSE2543", dtg="091659Z NOV 06", precedence="PRIORITY", origin="SANJOSE",
        origin_name="AMEMBASSY SAN JOSE", routing_indicator="RUEHSJ",
        classification="UNCLASSIFIED//FOR OFFICIAL USE ONLY", caveats=("SIPDIS", "SENSITIVE", "FOUO"),
        tags=("UNGA", "PREL", "PHUM", "UN", "CS"), subject="COSTA RICA NOT LIKELY TO OPPOSE CUBA EMBARGO RESOLUTION",
        signer="LANGDALE", info=("WHA CENTRAL AMERICAN COLLECTIVE", "USMISSION USUN NEW YORK"))),
    ("viewer_07MUSCAT359.html", "", dict(  # newspaper layout: date line, "EO 12958 DECL:", "TAGS PREL, IR"
        id="07MUSCAT359", date="2007-04-11 12:12", dtg="111257Z APR 07", precedence="PRIORITY",
        routing_indicator="RUEHMS", classification="CONFIDENTIAL", caveats=("SIPDIS",), declassify_on="04/11/2017",
        tags=("PREL", "IR", "MU"), subject="BRITISH AMBASSADOR LAUDS OMANI ROLE IN IRAN’S RELEASE OF CAPTIVE SAILORS",
        classified_by="Ambassador Gary A. Grappo for Reasons 1.4 (b, d)", signer="GRAPPO")),
    ("viewer_09RANGOON732.html", "", dict(
        id="09RANGOON732", dtg="100935Z NOV 09", precedence="IMMEDIATE", routing_indicator="RUEHGO",
        classification="SECRET", caveats=("SIPDIS",), declassify_on="11/10/2019",
        tags=("KNNP", "PARM", "PREL", "NPT", "PGOV", "PINR", "KN", "BM"),
        subject="BURMA: ANOTHER CONVERSATION ABOUT BURMA-DPRK NUCLEAR ISSUE",
        classified_by="CDA Larry Dinger for Reasons 1.4 (b) & (d)", signer="DINGER", n_info=14)),
    ("viewer_08USUNNEWYORK720.html", "", dict(  # the page ends with a repeated heading, no signature
        id="08USUNNEWYORK720", dtg="090313Z AUG 08", precedence="IMMEDIATE", origin="USUNNEWYORK",
        origin_name="USMISSION USUN NEW YORK", routing_indicator="RUCNDT",
        caveats=("SENSITIVE", "SIPDIS", "FOUO"), declassify_on="N/A", tags=("GG", "PGOV", "PREL", "RS"),
        subject="GEORGIA CHALLENGES RUSSIA, SECURITY COUNCIL", signer=None)),
    ("viewer_08USUNNEWYORK176.html", "", dict(
        id="08USUNNEWYORK176", date="2008-02-25 22:10", dtg="252210Z FEB 08", precedence="PRIORITY",
        origin="USUNNEWYORK", caveats=("SIPDIS", "SENSITIVE", "FOUO"), tags=("PGOV", "PREL", "UNSC", "IC"),
        subject="ICELANDIC PRESIDENT GRIMSSON PITCHES CANDIDACY FOR SECURITY COUNCIL SEAT", signer="KHALILZAD",
        to=("SECSTATE WASHDC",),
        info=("EUROPEAN POLITICAL COLLECTIVE", "UN SECURITY COUNCIL COLLECTIVE", "AMEMBASSY REYKJAVIK"))),
    ("viewer_09LONDON1932.html", "", dict(  # an "INFO  LOG-00" distribution block above the DTG
        id="09LONDON1932", dtg="211331Z AUG 09", precedence="ROUTINE", origin_name="AMEMBASSY LONDON",
        routing_indicator=None, classification="CONFIDENTIAL//NOFORN", caveats=("NOFORN",),
        declassify_on="08/19/2019", tags=("AORC", "PREL", "PARM", "KNNP", "IAEA", "EG", "IS", "IR", "UK"),
        subject="IAEA: UK PESSIMISTIC ABOUT AVOIDING FURTHER CONFLICT OVER MIDDLE EAST AT GC",
        classified_by="Political Counselor Robin Quinville for reasons 1.4 (b) and (d).", signer="SUSMAN",
        to=("SECSTATE WASHDC",), info=("ARAB ISRAELI COLLECTIVE", "IRAN COLLECTIVE"))),
    ("viewer_10JERUSALEM286.html", "", dict(
        id="10JERUSALEM286", dtg="161628Z FEB 10", origin="JERUSALEM", origin_name="AMCONSUL JERUSALEM",
        routing_indicator="RUEHJM", classification="SECRET//NOFORN", caveats=("NOFORN", "SIPDIS"),
        declassify_on="02/16/2020", tags=("PGOV", "PREL", "PINS", "KWBG", "KPAL", "IS"),
        subject="PALESTINIAN AUTHORITY SECURITY OFFICIALS ON COORDINATION WITH ISRAEL",
        classified_by="CG Daniel Rubinstein, per reasons 1.4 (b) and (d).", signer="RUBINSTEIN", n_info=3)),
    ("viewer_10STATE9565.html", "", dict(
        id="10STATE9565", date="2010-01-29 21:09", dtg="292120Z JAN 10", precedence="ROUTINE", origin="STATE",
        origin_name="SECSTATE WASHDC", routing_indicator="RUEHC", classification="SECRET", caveats=("SIPDIS",),
        declassify_on="01/29/2035", tags=("PINR", "ENRG", "EPET", "MCAP", "PBTS", "AR", "UK"),
        subject="(S/REL UK) ARGENTINE REACTION TO POTENTIAL FALKLAND ISLANDS OIL EXPLORATION (C-TN9-01234)",
        classified_by="ELISSA G. PITTERLE, DIRECTOR, INR/OPS", signer="CLINTON",
        to=("AMEMBASSY BUENOS AIRES",), info=("AMEMBASSY LONDON",))),
    ("viewer_09STATE106750.html", "", dict(
        id="09STATE106750", dtg="141932Z OCT 09", origin="STATE", classification="CONFIDENTIAL//NOFORN",
        caveats=("NOFORN", "SIPDIS"), declassify_on="10/14/2034", tags=("PINR", "ECON", "EFIN", "SP"),
        subject="(C/NF) KUDOS FOR REPORTING ON SPANISH ECONOMY (C-RE9-02128)",
        classified_by="MICHAEL P. OWENS, ACTING DIR, INR/OPS. REASON: 1.4(C).", signer="CLINTON",
        to=("AMEMBASSY MADRID",), info=())),
    # -- garbled published IDs ------------------------------------------------------------
    ("viewer_09EFTOLONDON2905.html", "", dict(
        id="09LONDON2905", published_id="09EFTOLONDON2905", id_source="metadata", dtg="301156Z DEC 09",
        origin="LONDON", routing_indicator="RUEHLO", caveats=("EFTO", "SENSITIVE", "SIPDIS", "FOUO"),
        declassify_on="N/A", tags=("KNNP", "PARM", "AORC", "ENRG", "MNUC", "PGOV", "PREL", "UNGA", "CDG"),
        subject="UK RESPONSE: U.S. NON-PAPER ON DISSUADING ABUSE OF THE NPT WITHDRAWAL PROVISION",
        signer="LEBARON")),
    ("viewer_09EFTOTRIPOLI704.html", "", dict(
        id="09TRIPOLI704", published_id="09EFTOTRIPOLI704", precedence="PRIORITY", routing_indicator="RUEHTRO",
        caveats=("EFTO", "SENSITIVE", "NOFORN", "SIPDIS", "FOUO"), tags=("PREL", "PGOV", "EAIR", "OVIP", "UNGA", "LY"),
        subject="LIBYAN PROTOCOL CHIEF CONFIRMS QADHAFI WILL NOT STAY IN ENGLEWOOD RESIDENCE", signer="POLASCHIK")),
    ("viewer_08SCTION02OF02SAOPAULO335.html", "", dict(
        id="08SAOPAULO335", published_id="08SCTION02OF02SAOPAULO335", id_source="metadata", dtg="260929Z JUN 08",
        origin="SAOPAULO", origin_name="AMCONSUL SAO PAULO", routing_indicator="RUEHSO", caveats=("SIPDIS",),
        declassify_on="03/14/2018", tags=("ECON", "ENRG", "EPET", "PGOV", "EINV", "EAGR", "BR"),
        subject="AMBASSADOR DISCUSSES BRAZILIAN OIL CONCESSION MODEL WITH DELFIM NETTO", signer="WHITE")),
    ("viewer_08ECTION01OF02MANAMA492.html", "", dict(  # line noise: "E.O. 1295:", "TORUEHC/"
        id="08MANAMA492", published_id="08ECTION01OF02MANAMA492", dtg="240620Z JUL 08", precedence="PRIORITY",
        routing_indicator="RUEHMK", classification="CONFIDENTIAL", declassify_on="07/24/2018",
        tags=("KCRM", "KWMN", "ASEC", "PHUMBA"), subject="BAHRAIN SEEKS IOM'S ASSISTANCE TO COBAT TIP", signer=None)),
    ("viewer_final2011_7575LIBREVILLE1895.html", "", dict(  # final 2011 page; year doubled in the published ID
        id="75LIBREVILLE1895", published_id="7575LIBREVILLE1895", id_source="banner", date="1975-11-18 12:05",
        dtg="181205Z NOV 75", precedence="IMMEDIATE", origin="LIBREVILLE", classification="CONFIDENTIAL",
        declassify_on="NGDS", tags=("PFOR", "UNGA", "GB", "KS", "KN"), subject="KOREA AT 30TH UNGA: GABON",
        to=("USMISSION USUN NEWYORK", "SECSTATE WASHDC"), info=("AMEMBASSY PARIS", "AMEMBASSY SEOUL"))),
    # -- other page generations and page oddities -----------------------------------------
    ("viewer_08BERN612.html", "", dict(  # a tab-separated database row precedes the banner
        id="08BERN612", dtg="021439Z DEC 08", precedence="ROUTINE", origin="BERN", classification="CONFIDENTIAL",
        caveats=(), declassify_on="12/05/2028", tags=("PREL", "ECON", "ETRD", "PHUM", "EFIN", "SZ"),
        subject="BILATERAL RELATIONSHIPS WITH SWITZERLAND AND THE PRINCIPALITY OF LIECHTENSTEIN",
        classified_by="AMB. P. CONEWAY FOR REASON 1.4 (b) and (d)", signer="CONEWAY",
        to=("SECSTATE WASHDC",), info=("EUROPEAN POLITICAL COLLECTIVE",))),
    ("viewer_09ANKARA71.html", "", dict(  # MySQL-escaped newlines ("\" at line ends)
        id="09ANKARA71", dtg="151147Z JAN 09", precedence="PRIORITY", classification="SECRET", caveats=(),
        declassify_on="01/15/2019", tags=("ETTC", "MNUC", "EFIN", "KNNP", "PARM", "PINS", "PREL", "SZ"),
        subject="TURKEY: AQ KHAN SANCTIONS REACTION, UPDATE ON CASE",
        classified_by="Pol-Mil Counselor A.F. Godfrey, Reasons 1.4 (b,d)", signer="JEFFREY",
        to=("SECSTATE WASHDC",), info=("AMEMBASSY BERN", "AMEMBASSY THE HAGUE"))),
    ("viewer_nov2010_09RIYADH447.html", "", dict(  # Nov-2010 page: "Date" column, no "Released"
        id="09RIYADH447", date="2009-03-22 10:10", dtg="221014Z MAR 09", precedence="IMMEDIATE",
        classification="SECRET", caveats=(), declassify_on="03/16/2019",
        tags=("PREL", "PTER", "KWBG", "SA", "AF", "IN", "PK", "IR", "IZ"),
        subject="COUNTERTERRORISM ADVISER BRENNAN'S MEETING WITH SAUDI KING ABDULLAH",
        classified_by="Pol Counselor Lisa Carle, 1.4(b),(d)", signer="FRAKER",
        to=("NSC WASHDC", "SECSTATE WASHDC"), n_info=7)),
    ("viewer_dec2010_04RANGOON1100.html", "", dict(  # partial extract + newspaper date line
        id="04RANGOON1100", date="2004-08-27 08:08", dtg=None, origin_name="Embassy Rangoon",
        classification="SECRET", caveats=("SIPDIS",), declassify_on="08/26/2014",
        tags=("PARM", "PINR", "PREL", "KNNP", "BM", "KN"),
        subject="ALLEGED NORTH KOREAN INVOLVEMENT IN MISSILE ASSEMBLY AND UNDERGROUND FACILITY CONSTRUCTION IN BURMA",
        classified_by="CDA, A.I. RON MCMULLEN FOR REASON 1.5 (A/C).", signer="MCMULLEN")),
    ("viewer_socialgraph_10CARACAS187.html", "", dict(
        id="10CARACAS187", dtg="122020Z FEB 10", precedence="ROUTINE", routing_indicator="RUEHCV",
        caveats=("SIPDIS",), declassify_on="2020/02/12", tags=("PGOV", "PHUM", "PREL", "KDEM", "CU", "VE"),
        subject="Increased Harassment of Approved Cuban Medical Parolees",
        classified_by="Robin D. Meyer, Political Counselor, DOS, POL; REASON: 1.4(B), (D)", signer="DUDDY",
        to=("SECSTATE WASHDC",), first_info="EU MEMBER STATES COLLECTIVE", n_info=4)),
    ("viewer_relative_links_10ASUNCION97.html", "", dict(
        id="10ASUNCION97", dtg="182052Z FEB 10", precedence="IMMEDIATE", routing_indicator="RUEHAC",
        classification="SECRET//NOFORN", caveats=("SIPDIS", "NOFORN"), declassify_on="2035/02/18",
        tags=("PGOV", "SNAR", "ASEC", "PREL", "PA"),
        subject="GOP SEEKS TO IMPLEMENT NEW CELL PHONE INTERCEPT SYSTEM, BUT PROMISES TO KEEP SIU PROGRAM INTACT",
        classified_by="Ambassador Liliana Ayalde, Ambassador, State, Front Office; REASON: 1.4(B), (D)",
        signer="AYALDE")),
    ("viewer_gzip_named_html_79TEHRAN8980.html", "", dict(
        id="79TEHRAN8980", dtg="130458Z AUG 79", precedence="ROUTINE", origin_name="AMEMBASSY TEHRAN",
        classification="CONFIDENTIAL", declassify_on="GDS 8/12/85 (TOMSETH, VICTOR L.) OR-P",
        tags=("PEPR", "IR"), subject="NEGOTIATIONS", signer="LAINGEN", to=("SECSTATE WASHDC",))),
    # -- signature and TAGS debris found by the spot check --------------------------------
    ("viewer_10QUITO9.html", "", dict(  # "=====CABLE ENDS=====" after the signature
        id="10QUITO9", dtg="141757Z JAN 10", precedence="IMMEDIATE", caveats=("SENSITIVE", "SIPDIS", "FOUO"),
        tags=("PGOV", "ELAB", "PHUM", "EC"), subject="DISORGANIZED LABOR: LOTS OF TALK, LITTLE COLLECTIVE ACTION",
        signer="HODGES")),
    ("viewer_08TRIPOLI183.html", "", dict(  # a date stamp after the signature
        id="08TRIPOLI183", dtg="040801Z MAR 08", precedence="IMMEDIATE", declassify_on="3/3/2028",
        tags=("PREL", "PGOV", "PHUM", "PINR", "LY"), subject="FOLLOW-UP ON HUMAN RIGHTS ACTIVIST FATHI EL-JAHMI",
        classified_by="Chris Stevens, CDA, Embassy Tripoli, Dept of State. REASON: 1.4 (b), (d)", signer="STEVENS")),
    ("viewer_07ASHGABAT1348.html", "", dict(  # the signature is redacted
        id="07ASHGABAT1348", tags=("EIND", "ETRD", "PGOV", "PREL", "TX"),
        subject="TURKMENISTAN CORRUPTION: WHAT HAPPENS IN ASHGABAT, STAYS IN ASHGABAT",
        classified_by="XXXXXXXXXXXXX for reasons 1.4 (B) and (D).", signer=None)),
    ("mongo_free_text_tags_baghdad_rec125.json", "record=1", dict(  # "TAGS: ..., IZ, National Assembly, Sunni Arab"
        id="05BAGHDAD2830", id_source="derived", declassify_on="07/05/2025", tags=("PREL", "PGOV", "KDEM", "IZ"),
        subject="SUNNI ARABS OFFICIALY WELCOMED INTO TNA CONSTITUTION DRAFTING AS DOUBTS PERSIST",
        classified_by="Charge d' Affaires David M. Satterfield for Reasons 1.4 (b) and (d)", signer="SATTERFIELD")),
    # -- cables.csv rows --------------------------------------------------------------------
    ("cables_csv_head_rows1-3.csv", "row=1", dict(
        id="66BUENOSAIRES2481", id_source="metadata", date="1966-12-28 18:48", dtg="281848Z DEC 66",
        precedence="PRIORITY", origin="BUENOSAIRES", origin_name="AMEMBASSY BUENOS AIRES",
        classification="UNCLASSIFIED", declassify_on="DECLASSIFIED BY NARA 09/02/2009",
        tags=("EFIS", "PBTS", "AR"), subject="EXTENDED NATIONAL JURISDICTIONS OVER HIGH SEAS",
        classified_by=None, signer="SACCIO", to=("SECSTATE WASHDC",), first_info="USCINCSO")),
    ("cables_csv_head_rows1-3.csv", "row=2", dict(
        id="72TEHRAN1164", date="1972-02-25 09:30", dtg="250930Z FEB 72", precedence="ROUTINE",
        origin_name="AMEMBASSY TEHRAN", classification="UNCLASSIFIED",
        declassify_on="AS AMENDED; DECLASSIFIED JUNE 21, 2006", tags=("MASS", "MARR", "IR"),
        subject="ACCELERATION OF F-4ES FOR IRAN", signer="HECK", to=("SECSTATE WASHDC",),
        info=("SECDEF", "EUCOM", "CSAF"))),
    ("cables_csv_rows28-30.csv", "row=1", dict(
        id="85STATE38496", date="1985-02-07 22:58", dtg="072258Z FEB 85", precedence="IMMEDIATE", origin="STATE",
        origin_name="SECSTATE WASHDC", classification="SECRET", declassify_on="OADR", tags=("PTER",),
        subject="INTERNATIONAL LINKS OF LARF", signer="SHULTZ", to=("AMEMBASSY ROME",), n_info=7)),
    ("cables_csv_rows28-30.csv", "row=3", dict(  # "S E C R E T N O F O R N MOGADISHU 01643"
        id="85MOGADISHU1643", published_id="85NOFORNMOGADISHU1643", id_source="metadata",
        date="1985-02-12 12:49", dtg="121249Z FEB 85", precedence="PRIORITY", origin="MOGADISHU",
        classification="SECRET", caveats=("NOFORN",), declassify_on="OADR", tags=("PREL", "SD", "UR", "US"),
        subject="REPORT OF SOMALI OVERTURE T0 SOVIETS", signer="BRIDGES", to=("SECSTATE WASHDC",))),
    # -- mongoexport JSON -----------------------------------------------------------------
    ("mongo_refid_wikileaks-11-28-10_rec1.json", "record=1", dict(  # re-cased, newlines lost
        id="04ANKARA348", id_source="metadata", date="2004-01-20 12:12", origin="ANKARA",
        origin_name="Embassy Ankara", classification="CONFIDENTIAL", declassify_on="01/07/2014",
        tags=("PREL", "PGOV", "PINS", "TU"),
        subject="turkish p.m. Erdogan goes to washington: how strong a leader in the face of strong challenges?(U)",
        classified_by="Ambassador Eric Edelman; reasons: 1.5 (b,d).", signer="EDELMAN")),
    ("mongo_derived_baghdad_rec1-2.json", "record=1", dict(  # _id holds the references column
        id="04BAGHDAD4", published_id="04BAGHDAD4", id_source="derived", date="2004-06-30 10:01",
        origin="BAGHDAD", origin_name="Embassy Baghdad", classification="CONFIDENTIAL", declassify_on="06/29/14",
        tags=("PREL", "PGOV", "IZ"),
        subject="USEB 003: LETTER ON AGREMENT FROM MINISTER OF FOREIGN AFFAIRS TO SECRETARY POWELL",
        classified_by="DCM JAMES JEFFREY FOR REASONS 1.4 (D).", signer="NEGROPONTE")),
    ("mongo_derived_baghdad_rec1-2.json", "record=2", dict(
        id="04BAGHDAD17", id_source="derived", date="2004-07-02 17:37", declassify_on="07/01/2014",
        tags=("PTER", "PGOV", "PREL", "PINS", "MARR", "IZ"),
        subject="USEB 018: IRAQI GOVERNMENT SIGNALS TOUGHER SENTENCES FOR CRIMINALS AND TERRORISTS",
        classified_by="DCM JAMES JEFFREY FOR REASONS 1.4 (B) AND (D).", signer="NEGROPONTE")),
    ("mongo_broken_cairo_rec1-2.json", "record=2", dict(  # unescaped quotes, raw newlines
        id="09CAIRO2", id_source="derived", date="2009-01-01 02:45", caveats=("SIPDIS",),
        declassify_on="12/31/2018", tags=("PGOV", "PREL", "PHUM", "KPAL", "IS", "EG"),
        subject="EGYPT: GAZA ROUND-UP: DECEMBER 31",
        classified_by="Pol-Econ Counselor Catherine Hill-Herndon for reasons 1.4 (d).", signer="SCOBEY")),
    ("mongo_iran_rec179_and_last.json", "record=1", dict(  # "S E C R E T 01 OF 02 RPO DUBAI 000288"
        id="09RPODUBAI288", id_source="derived", date="2009-07-15 11:52", origin="RPODUBAI",
        classification="SECRET//NOFORN", caveats=("NOFORN", "SIPDIS"), declassify_on="7/15/2019",
        tags=("PGOV", "PHUM", "ECON", "IR"), subject="IRAN REGIONAL PRESENCE OFFICE DUBAI: WINDOW ON IRAN - JULY 15, 2009",
        classified_by="Timothy Richardson, Acting Director, Iran Regional Presence Office, DOS. REASON: 1.4 (b), (d)")),
    ("mongo_iran_rec179_and_last.json", "record=2", dict(  # junk after the closing brace
        id="09RPODUBAI411", date="2009-10-05 15:01", classification="CONFIDENTIAL", declassify_on="10/5/2019",
        tags=("PGOV", "PREL", "IR"),
        subject="IRAN: NEW MILITARY APPOINTMENTS INDICATE ONGOING IRGC STRUCTURAL RE-ALIGNMENT?", signer="EYRE")),
    ("mongo_escaped_apostrophes_islamabad_rec1.json", "record=1", dict(
        id="85ISLAMABAD8251", id_source="derived", date="1985-04-23 09:33", declassify_on="OADR",
        tags=("PREL", "IR", "PK", "SU"), subject="PAKISTAN SEES SIGNS OF UPTURN IN IRAN-SOVIET - TIES",
        signer="HINTON")),
    # -- PlusD text, bare bodies, JSONP, the seed ------------------------------------------
    ("plusd_09USEUBRUSSELS1177.txt", "", dict(
        id="09USEUBRUSSELS1177", id_source="banner", date="2009-08-25 15:50", dtg="251550Z AUG 09",
        precedence="ROUTINE", origin="USEUBRUSSELS", origin_name="USEU BRUSSELS", routing_indicator=None,
        classification="UNCLASSIFIED", caveats=(), declassify_on="N/A", tags=("OTRA", "AORC", "CTM", "SCCC"),
        subject="World Customs Organization (WCO) Establishment of Counterfeiting and Piracy (CAP) Group",
        signer="MURRAY", to=("SECSTATE WASHDC", "US CUSTOMS AND BORDER PROTECTION WASHINGTON DC"), info=())),
    ("plusd_07BOGOTA1165.txt", "", dict(
        id="07BOGOTA1165", id_source="banner", date="2007-02-16 19:02", dtg="161902Z FEB 07", precedence="ROUTINE",
        origin_name="AMEMBASSY BOGOTA", routing_indicator="RUEHBO", classification="UNCLASSIFIED",
        caveats=("SIPDIS",), tags=("PGOV", "CO"),
        subject="COLOMBIA REQUESTS SUPPORT FOR CANDIDATE FOR INTERAMERICAN JUDICIAL COMMITTEE", signer="DRUCKER",
        to=("SECSTATE WASHDC",), info=("WESTERN HEMISPHERIC AFFAIRS DIPL POSTS",))),
    ("plusd_07KUALALUMPUR1376.txt", "", dict(
        id="07KUALALUMPUR1376", dtg="100936Z SEP 07", precedence="IMMEDIATE", origin="KUALALUMPUR",
        origin_name="AMEMBASSY KUALA LUMPUR", routing_indicator="RUEHKL", tags=("PREL", "SOCI", "TSPL", "UNGA", "MY"),
        subject="MALAYSIA: NO RESPONSE YET ON INVITATION TO LUNCHEON HOSTED BY MRS. BUSH, SEPT. 24",
        signer="LAFLEUR", to=("SECSTATE WASHDC",), info=("USMISSION USUN NEW YORK",))),
    ("body_04THEHAGUE2415.txt", "", dict(  # no date anywhere: year from DECL 09/09/2014 less ten
        id="04THEHAGUE2415", id_source="derived", date=None, origin="THEHAGUE", classification="CONFIDENTIAL",
        caveats=("SIPDIS",), declassify_on="09/09/2014", tags=("PREL", "TU", "NL"),
        subject="TURKEY'S EU CANDIDACY AND DUTCH POLITICS", signer="SOBEL")),
    ("body_08CAIRO2091.txt", "", dict(  # DECL 2028: twenty years, not ten
        id="08CAIRO2091", id_source="derived", classification="SECRET", declassify_on="09/23/2028",
        tags=("PARM", "PGOV", "ECON", "EG"), subject="ACADEMICS SEE THE MILITARY IN DECLINE, BUT RETAINING STRONG INFLUENCE",
        classified_by="DCM Matthew Tueller for reason 1.4 (b) and (d).", signer="SCOBEY")),
    ("body_ner_00HARARE6677.txt", "", dict(  # NER debris removed; the text is HARARE 005461's
        id="00HARARE5461", id_source="derived", classification="CONFIDENTIAL", caveats=("SIPDIS",),
        declassify_on="09/21/10", tags=("PGOV", "PINS", "ZI", "MDC", "ZANU-PF"),
        subject="ZANU-PF REPORTEDLY INTERESTED IN DEAL WITH MDC THAT INVOLVES MUGABE’S DEPARTURE", signer="MCDONALD")),
    ("jsonp_08MOSCOW3343.json", "items[0]", dict(
        id="08MOSCOW3343", id_source="metadata", date="2008-11-19 06:06", dtg="190643Z NOV 08",
        precedence="PRIORITY", origin="MOSCOW", routing_indicator="RUEHMO", classification="CONFIDENTIAL",
        caveats=("SIPDIS",), declassify_on="08/15/2017", tags=("PGOV", "PHUM", "SOCI", "RS"),
        subject="MEDVEDEV’S ADDRESS AND TANDEM POLITICS", classified_by="DCM Eric Rubin. Reason: 1.4 (d).",
        signer="BEYRLE")),
    ("seed_08TOKYO1002.txt", "", dict(
        id="08TOKYO1002", published_id="08TOKYO1002", id_source="banner", date="2008-04-11 06:26",
        dtg="110626Z APR 08", precedence="IMMEDIATE", origin="TOKYO", origin_name="AMEMBASSY TOKYO",
        routing_indicator="RUEHKO", classification="CONFIDENTIAL", caveats=("SIPDIS",), declassify_on="04/11/2018",
        tags=("PREL", "MARR", "PARM", "JA", "RS"),
        subject="MOSCOW LINKS EUROPEAN AND ASIAN SECURITY ENVIRONMENTS DURING JAPAN-RUSSIA STRATEGIC DIALOGUE",
        classified_by="Charge d' Affaires, a.i., W. Michael Meserve. Reasons 1.4 (B) (D)", signer="MESERVE",
        to=("SECSTATE WASHDC",), first_info="ALL NATO POST COLLECTIVE", n_info=17)),
]


def _cases() -> list:
    cases = []
    for name, locator, expected in ROWS:
        for field, value in expected.items():
            cases.append(pytest.param(name, locator, field, value, id=f"{name.split('.')[0]}{'-' + locator if locator else ''}-{field}"))
    return cases


@pytest.mark.parametrize("name, locator, field, expected", _cases())
def test_header_field(name: str, locator: str, field: str, expected: object) -> None:
    assert _value(_cable(name, locator), field) == expected


def test_table_covers_thirty_cables() -> None:
    assert len({(name, locator) for name, locator, _ in ROWS}) >= 30


@pytest.mark.parametrize(
    "name, locator, warning",
    [
        pytest.param("viewer_09EFTOLONDON2905.html", "", "published ID 09EFTOLONDON2905 is garbled", id="efto-fused"),
        pytest.param("viewer_final2011_7575LIBREVILLE1895.html", "", "published ID '7575LIBREVILLE1895' is unreadable",
                     id="doubled-year"),
        pytest.param("body_04THEHAGUE2415.txt", "", "year 2004 guessed from the declassification date", id="decl-year"),
        pytest.param("mongo_iran_rec179_and_last.json", "record=2", "junk after the closing brace", id="json-junk"),
        pytest.param("plusd_07BOGOTA1165.txt", "", "decoded as Windows-1252", id="latin1"),
    ],
)
def test_repairs_and_guesses_are_reported(name: str, locator: str, warning: str) -> None:
    assert any(warning in w for w in _cable(name, locator).warnings)


def test_metadata_id_differing_from_the_banner_is_reported_not_replaced() -> None:
    """08BERN612's page carries its own banner; a page whose banner names another cable
    keeps the metadata ID and says so (MUSCAT pages that relay a BEIJING cable)."""
    raw = next(r for r in read_path(FIXTURES / "viewer_09CAIRO1514.html") if isinstance(r, RawCable))
    relabelled = RawCable(raw.source, raw.locator, raw.format, raw.text, {**raw.meta, "id": "09CAIRO1515"})
    cable = parse_cable(relabelled)
    assert cable.id is not None and cable.id.canonical == "09CAIRO1515"
    assert "banner reads CAIRO 001514, the ID is 09CAIRO1515" in cable.warnings


@pytest.mark.parametrize(
    "heading, expected",
    [
        # Flattened mongo-export bodies glue TAGS onto the date (05SANAA1352, 06TELAVIV687).
        ("E.O. 12958: DECL: 05/21/2015TAGS: PREL PGOV PTER PINR KMCA KMPI", "05/21/2015"),
        ("E.O. 12958: DECL: 02/15/2016TAGS: ECON KWBG PGOV PREL KPAL IS", "02/15/2016"),
        ("E.O. 12958: DECL: 04/11/2018\nTAGS: PREL", "04/11/2018"),
        ("E.O. 12958: N/A SUBJECT: EXPORT CONTROLS", "N/A"),
        # 07MUNICH: "N/A" glued to TAGS, which is glued to SUBJECT.
        ("E.O. 12958: N/ATAGS: PGOV EINV INRB GMSUBJECT: GERMANY/BAVARIA", "N/A"),
    ],
    ids=["glued-tags-sanaa", "glued-tags-telaviv", "own-line", "na-then-subject", "na-glued-tags"],
)
def test_declassification_date_stops_at_the_next_field(heading, expected):
    from refdb.parse.heading import declassify_on

    assert declassify_on(heading) == expected


@pytest.mark.parametrize(
    "published, stored_as",
    [
        pytest.param("09CAIRO1514", "09CAIRO1514", id="real-id"),
        pytest.param("7575LIBREVILLE1895", "7575LIBREVILLE1895", id="unreadable-kept-as-published"),
        pytest.param("7575" + "L" * 59 + "1", "7575" + "L" * 59 + "1", id="64-characters-kept"),
        pytest.param("7575" + "L" * 60 + "1", "09CAIRO1514", id="65-characters-is-debris"),
        pytest.param("08" + "X" * 120 + "1", "09CAIRO1514", id="longer-than-the-key-column"),
    ],
)
def test_a_published_id_too_long_to_be_one_is_not_the_key(published: str, stored_as: str) -> None:
    """A metadata ID cell that swallowed text would not fit the key column (80): the
    cable is stored under the ID its text gives, and the warning names the debris."""
    raw = next(r for r in read_path(FIXTURES / "viewer_09CAIRO1514.html") if isinstance(r, RawCable))
    cable = parse_cable(RawCable(raw.source, raw.locator, raw.format, raw.text, {**raw.meta, "id": published}))
    assert cable.id is not None and cable.id.canonical == "09CAIRO1514"
    assert cable.published_id == stored_as
    if len(published) > 64:
        assert any(f"({len(published)} characters) is unreadable" in w for w in cable.warnings)
