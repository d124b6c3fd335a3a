"""The country table: ISO 3166-1 codes and short English names, and the check of country ids.

One copy of these facts, used by the generator and by validation: the Map page draws a country by
its alpha-3 code (plotly's ``locationmode="ISO-3"``), so a ``kind: country`` actor with any other
id is left off the map, and :func:`check_country_ids` warns about it with a did-you-mean.

The table is Debian's iso-codes 4.15.0 (ISO 3166-1, 249 entries), with the name people use where
the standard's is inverted or formal ("Russia" rather than "Russian Federation", "South Korea"
rather than "Korea, Republic of"); the standard's names are kept in :data:`OTHER_NAMES` so that
a dataset using them still gets a suggestion. ``un_member`` marks the 193 UN member states (the
generator draws its countries from them). No network, no extra package.

The bundled world map (static/topojson/world_110m.json) names each of its shapes by one of these
codes (a test checks it); small states such as Singapore or Malta have a code but no shape at its
scale, so they are valid ids that the map does not draw.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from stances.hints import MAX_GUESS_CHARS
from stances.problems import Problem

if TYPE_CHECKING:
    from stances.model import Actor


class Country(NamedTuple):
    """One entry of ISO 3166-1."""

    code: str  # alpha-3, the id a ``kind: country`` actor must have
    alpha2: str  # alpha-2, only to recognise it when a dataset uses it by mistake
    name: str  # short English name
    un_member: bool  # one of the 193 UN member states (the rest are territories and observers)


COUNTRIES: tuple[Country, ...] = (
    Country("ABW", "AW", "Aruba", False),
    Country("AFG", "AF", "Afghanistan", True),
    Country("AGO", "AO", "Angola", True),
    Country("AIA", "AI", "Anguilla", False),
    Country("ALA", "AX", "Åland Islands", False),
    Country("ALB", "AL", "Albania", True),
    Country("AND", "AD", "Andorra", True),
    Country("ARE", "AE", "United Arab Emirates", True),
    Country("ARG", "AR", "Argentina", True),
    Country("ARM", "AM", "Armenia", True),
    Country("ASM", "AS", "American Samoa", False),
    Country("ATA", "AQ", "Antarctica", False),
    Country("ATF", "TF", "French Southern Territories", False),
    Country("ATG", "AG", "Antigua and Barbuda", True),
    Country("AUS", "AU", "Australia", True),
    Country("AUT", "AT", "Austria", True),
    Country("AZE", "AZ", "Azerbaijan", True),
    Country("BDI", "BI", "Burundi", True),
    Country("BEL", "BE", "Belgium", True),
    Country("BEN", "BJ", "Benin", True),
    Country("BES", "BQ", "Bonaire, Sint Eustatius and Saba", False),
    Country("BFA", "BF", "Burkina Faso", True),
    Country("BGD", "BD", "Bangladesh", True),
    Country("BGR", "BG", "Bulgaria", True),
    Country("BHR", "BH", "Bahrain", True),
    Country("BHS", "BS", "Bahamas", True),
    Country("BIH", "BA", "Bosnia and Herzegovina", True),
    Country("BLM", "BL", "Saint Barthélemy", False),
    Country("BLR", "BY", "Belarus", True),
    Country("BLZ", "BZ", "Belize", True),
    Country("BMU", "BM", "Bermuda", False),
    Country("BOL", "BO", "Bolivia", True),
    Country("BRA", "BR", "Brazil", True),
    Country("BRB", "BB", "Barbados", True),
    Country("BRN", "BN", "Brunei", True),
    Country("BTN", "BT", "Bhutan", True),
    Country("BVT", "BV", "Bouvet Island", False),
    Country("BWA", "BW", "Botswana", True),
    Country("CAF", "CF", "Central African Republic", True),
    Country("CAN", "CA", "Canada", True),
    Country("CCK", "CC", "Cocos (Keeling) Islands", False),
    Country("CHE", "CH", "Switzerland", True),
    Country("CHL", "CL", "Chile", True),
    Country("CHN", "CN", "China", True),
    Country("CIV", "CI", "Côte d'Ivoire", True),
    Country("CMR", "CM", "Cameroon", True),
    Country("COD", "CD", "DR Congo", True),
    Country("COG", "CG", "Congo", True),
    Country("COK", "CK", "Cook Islands", False),
    Country("COL", "CO", "Colombia", True),
    Country("COM", "KM", "Comoros", True),
    Country("CPV", "CV", "Cabo Verde", True),
    Country("CRI", "CR", "Costa Rica", True),
    Country("CUB", "CU", "Cuba", True),
    Country("CUW", "CW", "Curaçao", False),
    Country("CXR", "CX", "Christmas Island", False),
    Country("CYM", "KY", "Cayman Islands", False),
    Country("CYP", "CY", "Cyprus", True),
    Country("CZE", "CZ", "Czechia", True),
    Country("DEU", "DE", "Germany", True),
    Country("DJI", "DJ", "Djibouti", True),
    Country("DMA", "DM", "Dominica", True),
    Country("DNK", "DK", "Denmark", True),
    Country("DOM", "DO", "Dominican Republic", True),
    Country("DZA", "DZ", "Algeria", True),
    Country("ECU", "EC", "Ecuador", True),
    Country("EGY", "EG", "Egypt", True),
    Country("ERI", "ER", "Eritrea", True),
    Country("ESH", "EH", "Western Sahara", False),
    Country("ESP", "ES", "Spain", True),
    Country("EST", "EE", "Estonia", True),
    Country("ETH", "ET", "Ethiopia", True),
    Country("FIN", "FI", "Finland", True),
    Country("FJI", "FJ", "Fiji", True),
    Country("FLK", "FK", "Falkland Islands", False),
    Country("FRA", "FR", "France", True),
    Country("FRO", "FO", "Faroe Islands", False),
    Country("FSM", "FM", "Micronesia", True),
    Country("GAB", "GA", "Gabon", True),
    Country("GBR", "GB", "United Kingdom", True),
    Country("GEO", "GE", "Georgia", True),
    Country("GGY", "GG", "Guernsey", False),
    Country("GHA", "GH", "Ghana", True),
    Country("GIB", "GI", "Gibraltar", False),
    Country("GIN", "GN", "Guinea", True),
    Country("GLP", "GP", "Guadeloupe", False),
    Country("GMB", "GM", "Gambia", True),
    Country("GNB", "GW", "Guinea-Bissau", True),
    Country("GNQ", "GQ", "Equatorial Guinea", True),
    Country("GRC", "GR", "Greece", True),
    Country("GRD", "GD", "Grenada", True),
    Country("GRL", "GL", "Greenland", False),
    Country("GTM", "GT", "Guatemala", True),
    Country("GUF", "GF", "French Guiana", False),
    Country("GUM", "GU", "Guam", False),
    Country("GUY", "GY", "Guyana", True),
    Country("HKG", "HK", "Hong Kong", False),
    Country("HMD", "HM", "Heard Island and McDonald Islands", False),
    Country("HND", "HN", "Honduras", True),
    Country("HRV", "HR", "Croatia", True),
    Country("HTI", "HT", "Haiti", True),
    Country("HUN", "HU", "Hungary", True),
    Country("IDN", "ID", "Indonesia", True),
    Country("IMN", "IM", "Isle of Man", False),
    Country("IND", "IN", "India", True),
    Country("IOT", "IO", "British Indian Ocean Territory", False),
    Country("IRL", "IE", "Ireland", True),
    Country("IRN", "IR", "Iran", True),
    Country("IRQ", "IQ", "Iraq", True),
    Country("ISL", "IS", "Iceland", True),
    Country("ISR", "IL", "Israel", True),
    Country("ITA", "IT", "Italy", True),
    Country("JAM", "JM", "Jamaica", True),
    Country("JEY", "JE", "Jersey", False),
    Country("JOR", "JO", "Jordan", True),
    Country("JPN", "JP", "Japan", True),
    Country("KAZ", "KZ", "Kazakhstan", True),
    Country("KEN", "KE", "Kenya", True),
    Country("KGZ", "KG", "Kyrgyzstan", True),
    Country("KHM", "KH", "Cambodia", True),
    Country("KIR", "KI", "Kiribati", True),
    Country("KNA", "KN", "Saint Kitts and Nevis", True),
    Country("KOR", "KR", "South Korea", True),
    Country("KWT", "KW", "Kuwait", True),
    Country("LAO", "LA", "Laos", True),
    Country("LBN", "LB", "Lebanon", True),
    Country("LBR", "LR", "Liberia", True),
    Country("LBY", "LY", "Libya", True),
    Country("LCA", "LC", "Saint Lucia", True),
    Country("LIE", "LI", "Liechtenstein", True),
    Country("LKA", "LK", "Sri Lanka", True),
    Country("LSO", "LS", "Lesotho", True),
    Country("LTU", "LT", "Lithuania", True),
    Country("LUX", "LU", "Luxembourg", True),
    Country("LVA", "LV", "Latvia", True),
    Country("MAC", "MO", "Macao", False),
    Country("MAF", "MF", "Saint Martin (French part)", False),
    Country("MAR", "MA", "Morocco", True),
    Country("MCO", "MC", "Monaco", True),
    Country("MDA", "MD", "Moldova", True),
    Country("MDG", "MG", "Madagascar", True),
    Country("MDV", "MV", "Maldives", True),
    Country("MEX", "MX", "Mexico", True),
    Country("MHL", "MH", "Marshall Islands", True),
    Country("MKD", "MK", "North Macedonia", True),
    Country("MLI", "ML", "Mali", True),
    Country("MLT", "MT", "Malta", True),
    Country("MMR", "MM", "Myanmar", True),
    Country("MNE", "ME", "Montenegro", True),
    Country("MNG", "MN", "Mongolia", True),
    Country("MNP", "MP", "Northern Mariana Islands", False),
    Country("MOZ", "MZ", "Mozambique", True),
    Country("MRT", "MR", "Mauritania", True),
    Country("MSR", "MS", "Montserrat", False),
    Country("MTQ", "MQ", "Martinique", False),
    Country("MUS", "MU", "Mauritius", True),
    Country("MWI", "MW", "Malawi", True),
    Country("MYS", "MY", "Malaysia", True),
    Country("MYT", "YT", "Mayotte", False),
    Country("NAM", "NA", "Namibia", True),
    Country("NCL", "NC", "New Caledonia", False),
    Country("NER", "NE", "Niger", True),
    Country("NFK", "NF", "Norfolk Island", False),
    Country("NGA", "NG", "Nigeria", True),
    Country("NIC", "NI", "Nicaragua", True),
    Country("NIU", "NU", "Niue", False),
    Country("NLD", "NL", "Netherlands", True),
    Country("NOR", "NO", "Norway", True),
    Country("NPL", "NP", "Nepal", True),
    Country("NRU", "NR", "Nauru", True),
    Country("NZL", "NZ", "New Zealand", True),
    Country("OMN", "OM", "Oman", True),
    Country("PAK", "PK", "Pakistan", True),
    Country("PAN", "PA", "Panama", True),
    Country("PCN", "PN", "Pitcairn", False),
    Country("PER", "PE", "Peru", True),
    Country("PHL", "PH", "Philippines", True),
    Country("PLW", "PW", "Palau", True),
    Country("PNG", "PG", "Papua New Guinea", True),
    Country("POL", "PL", "Poland", True),
    Country("PRI", "PR", "Puerto Rico", False),
    Country("PRK", "KP", "North Korea", True),
    Country("PRT", "PT", "Portugal", True),
    Country("PRY", "PY", "Paraguay", True),
    Country("PSE", "PS", "Palestine", False),
    Country("PYF", "PF", "French Polynesia", False),
    Country("QAT", "QA", "Qatar", True),
    Country("REU", "RE", "Réunion", False),
    Country("ROU", "RO", "Romania", True),
    Country("RUS", "RU", "Russia", True),
    Country("RWA", "RW", "Rwanda", True),
    Country("SAU", "SA", "Saudi Arabia", True),
    Country("SDN", "SD", "Sudan", True),
    Country("SEN", "SN", "Senegal", True),
    Country("SGP", "SG", "Singapore", True),
    Country("SGS", "GS", "South Georgia and the South Sandwich Islands", False),
    Country("SHN", "SH", "Saint Helena, Ascension and Tristan da Cunha", False),
    Country("SJM", "SJ", "Svalbard and Jan Mayen", False),
    Country("SLB", "SB", "Solomon Islands", True),
    Country("SLE", "SL", "Sierra Leone", True),
    Country("SLV", "SV", "El Salvador", True),
    Country("SMR", "SM", "San Marino", True),
    Country("SOM", "SO", "Somalia", True),
    Country("SPM", "PM", "Saint Pierre and Miquelon", False),
    Country("SRB", "RS", "Serbia", True),
    Country("SSD", "SS", "South Sudan", True),
    Country("STP", "ST", "São Tomé and Príncipe", True),
    Country("SUR", "SR", "Suriname", True),
    Country("SVK", "SK", "Slovakia", True),
    Country("SVN", "SI", "Slovenia", True),
    Country("SWE", "SE", "Sweden", True),
    Country("SWZ", "SZ", "Eswatini", True),
    Country("SXM", "SX", "Sint Maarten (Dutch part)", False),
    Country("SYC", "SC", "Seychelles", True),
    Country("SYR", "SY", "Syria", True),
    Country("TCA", "TC", "Turks and Caicos Islands", False),
    Country("TCD", "TD", "Chad", True),
    Country("TGO", "TG", "Togo", True),
    Country("THA", "TH", "Thailand", True),
    Country("TJK", "TJ", "Tajikistan", True),
    Country("TKL", "TK", "Tokelau", False),
    Country("TKM", "TM", "Turkmenistan", True),
    Country("TLS", "TL", "Timor-Leste", True),
    Country("TON", "TO", "Tonga", True),
    Country("TTO", "TT", "Trinidad and Tobago", True),
    Country("TUN", "TN", "Tunisia", True),
    Country("TUR", "TR", "Türkiye", True),
    Country("TUV", "TV", "Tuvalu", True),
    Country("TWN", "TW", "Taiwan", False),
    Country("TZA", "TZ", "Tanzania", True),
    Country("UGA", "UG", "Uganda", True),
    Country("UKR", "UA", "Ukraine", True),
    Country("UMI", "UM", "United States Minor Outlying Islands", False),
    Country("URY", "UY", "Uruguay", True),
    Country("USA", "US", "United States", True),
    Country("UZB", "UZ", "Uzbekistan", True),
    Country("VAT", "VA", "Holy See", False),
    Country("VCT", "VC", "Saint Vincent and the Grenadines", True),
    Country("VEN", "VE", "Venezuela", True),
    Country("VGB", "VG", "British Virgin Islands", False),
    Country("VIR", "VI", "U.S. Virgin Islands", False),
    Country("VNM", "VN", "Vietnam", True),
    Country("VUT", "VU", "Vanuatu", True),
    Country("WLF", "WF", "Wallis and Futuna", False),
    Country("WSM", "WS", "Samoa", True),
    Country("YEM", "YE", "Yemen", True),
    Country("ZAF", "ZA", "South Africa", True),
    Country("ZMB", "ZM", "Zambia", True),
    Country("ZWE", "ZW", "Zimbabwe", True),
)

COUNTRY_NAMES: dict[str, str] = {country.code: country.name for country in COUNTRIES}
ISO_ALPHA3: frozenset[str] = frozenset(COUNTRY_NAMES)

# Names a dataset may give a country besides the short name above: the standard's own, former and
# colloquial ones. Used only to suggest a code; the name field itself is free text.
OTHER_NAMES: dict[str, str] = {
    "Bolivia, Plurinational State of": "BOL",
    "Brunei Darussalam": "BRN",
    "Congo, The Democratic Republic of the": "COD",
    "Democratic Republic of the Congo": "COD",
    "DRC": "COD",
    "Congo-Kinshasa": "COD",
    "Republic of the Congo": "COG",
    "Congo-Brazzaville": "COG",
    "Falkland Islands (Malvinas)": "FLK",
    "Micronesia, Federated States of": "FSM",
    "Iran, Islamic Republic of": "IRN",
    "Islamic Republic of Iran": "IRN",
    "Korea, Republic of": "KOR",
    "Republic of Korea": "KOR",
    "Lao People's Democratic Republic": "LAO",
    "Moldova, Republic of": "MDA",
    "Republic of Moldova": "MDA",
    "Korea, Democratic People's Republic of": "PRK",
    "Democratic People's Republic of Korea": "PRK",
    "DPRK": "PRK",
    "Palestine, State of": "PSE",
    "State of Palestine": "PSE",
    "Russian Federation": "RUS",
    "Syrian Arab Republic": "SYR",
    "Taiwan, Province of China": "TWN",
    "Tanzania, United Republic of": "TZA",
    "Holy See (Vatican City State)": "VAT",
    "Vatican": "VAT",
    "Vatican City": "VAT",
    "Venezuela, Bolivarian Republic of": "VEN",
    "Virgin Islands, British": "VGB",
    "Virgin Islands, U.S.": "VIR",
    "Viet Nam": "VNM",
    "People's Republic of China": "CHN",
    "PRC": "CHN",
    "Federal Republic of Germany": "DEU",
    "United States of America": "USA",
    "America": "USA",
    "US": "USA",
    "UK": "GBR",
    "Britain": "GBR",
    "Great Britain": "GBR",
    "United Kingdom of Great Britain and Northern Ireland": "GBR",
    "UAE": "ARE",
    "Holland": "NLD",
    "Czech Republic": "CZE",
    "Slovak Republic": "SVK",
    "Kyrgyz Republic": "KGZ",
    "Turkey": "TUR",
    "Swaziland": "SWZ",
    "Macedonia": "MKD",
    "Ivory Coast": "CIV",
    "Burma": "MMR",
    "East Timor": "TLS",
    "Cape Verde": "CPV",
    "Macau": "MAC",
}

# Codes that are not ISO 3166-1 alpha-3 but are often taken for it: the Olympic (IOC) codes that
# differ from ISO's, and UK (alpha-2 codes come from the table). The map draws DEU, never GER.
OTHER_CODES: dict[str, str] = {
    "ALG": "DZA", "ANG": "AGO", "ARU": "ABW", "BAH": "BHS", "BAN": "BGD", "BAR": "BRB", "BIZ": "BLZ", "BOT": "BWA",
    "BRU": "BRN", "BUL": "BGR", "BUR": "BFA", "CAM": "KHM", "CGO": "COG", "CHA": "TCD", "CHI": "CHL", "CRC": "CRI",
    "CRO": "HRV", "DEN": "DNK", "ESA": "SLV", "FIJ": "FJI", "GAM": "GMB", "GEQ": "GNQ", "GER": "DEU", "GRE": "GRC",
    "GUA": "GTM", "GUI": "GIN", "HAI": "HTI", "HON": "HND", "INA": "IDN", "IRI": "IRN", "ISV": "VIR", "KSA": "SAU",
    "KUW": "KWT", "LAT": "LVA", "LBA": "LBY", "LES": "LSO", "LIB": "LBN", "MAD": "MDG", "MAS": "MYS", "MAW": "MWI",
    "MGL": "MNG", "MON": "MCO", "MRI": "MUS", "MTN": "MRT", "MYA": "MMR", "NED": "NLD", "NEP": "NPL", "NGR": "NGA",
    "NIG": "NER", "OMA": "OMN", "PAR": "PRY", "PHI": "PHL", "PLE": "PSE", "POR": "PRT", "PUR": "PRI", "RSA": "ZAF",
    "SAM": "WSM", "SEY": "SYC", "SIN": "SGP", "SLO": "SVN", "SOL": "SLB", "SRI": "LKA", "SUD": "SDN", "SUI": "CHE",
    "TAN": "TZA", "TGA": "TON", "TOG": "TGO", "TPE": "TWN", "UAE": "ARE", "URU": "URY", "VAN": "VUT", "VIE": "VNM",
    "ZAM": "ZMB", "ZIM": "ZWE", "UK": "GBR",
}  # fmt: skip

ISO_SEARCH = "https://www.iso.org/obp/ui/#search"
# Actors per call that get the fuzzy part of a did-you-mean (a few hundred string comparisons
# each): a file of thousands of made-up country ids must not slow every load down.
MAX_FUZZY = 50


def country_name(code: str) -> str | None:
    """The short English name of an ISO 3166-1 alpha-3 code, or None for an unknown code."""
    return COUNTRY_NAMES.get(code)


def _key(text: str) -> str:
    """``text`` as compared for a suggestion: no case, accents or punctuation; "St" is "Saint"."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    words = re.findall(r"[^\W_]+", "".join(ch for ch in folded if not unicodedata.combining(ch)))
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join("saint" if word == "st" else word for word in words)


@functools.cache
def _names() -> dict[str, str]:
    """Compared name -> alpha-3 code for every short and other name (built on the first miss)."""
    names = {_key(name): code for name, code in OTHER_NAMES.items()}
    names.update((_key(country.name), country.code) for country in COUNTRIES)
    return names


@functools.cache
def _codes() -> dict[str, str]:
    """Upper-case alpha-2 or other code -> alpha-3 code."""
    codes = {country.alpha2: country.code for country in COUNTRIES}
    codes.update(OTHER_CODES)
    return codes


def suggest_country(code: str, name: str = "", *, fuzzy: bool = True) -> str | None:
    """The ISO alpha-3 code that a non-ISO id (and its record's name) most likely means, or None.

    Exact matches first, from the strongest evidence to the weakest: the id in another case
    (``deu``), the name (``Germany``, ``Russian Federation``), an alpha-2 or Olympic code (``DE``,
    ``GER``), the id spelt as a name (``GERMANY``). With ``fuzzy``, then a close spelling of the
    name (``Germnay``), a name the id begins uniquely (``SWI`` -> Switzerland) or a close spelling
    of the id.
    """
    upper = code.upper()
    if upper in ISO_ALPHA3:
        return upper
    names = _names()
    name_key, code_key = _key(name), _key(code)
    found = names.get(name_key) or _codes().get(upper) or names.get(code_key)
    if found or not fuzzy:
        return found
    long = len(name_key) > MAX_GUESS_CHARS  # a long name: no guess (difflib's cost grows with it)
    close = difflib.get_close_matches(name_key, names, n=1, cutoff=0.8) if name_key and not long else []
    if close:
        return names[close[0]]
    if len(code_key) >= 3:
        starting = {found for key, found in names.items() if key.startswith(code_key)}
        if starting:  # IRA begins Iran and Iraq: better no guess than a coin toss
            return starting.pop() if len(starting) == 1 else None
        close = difflib.get_close_matches(code_key, names, n=1, cutoff=0.8)
        if close:
            return names[close[0]]
    return None


def check_country_ids(actors: Sequence[Actor], label: str, *, indexes: Sequence[int] | None = None) -> list[Problem]:
    """One ``unknown-country-code`` warning per ``kind: country`` actor whose id is not ISO alpha-3.

    ``label`` names the file in each problem. ``indexes`` gives each actor's index in the file's
    ``actors`` list, for the location ``actors[i].id``; without it the position in ``actors`` is
    used, which is right only when no actor record before it was left out. The warning is at the
    actor's first key. A dict lookup per actor; suggestions only for the misses, the fuzzy part
    for at most ``MAX_FUZZY`` of them.
    """
    problems: list[Problem] = []
    fuzzy_left = MAX_FUZZY
    used: set[str] | None = None
    for position, actor in enumerate(actors):
        if actor.kind != "country" or actor.id in ISO_ALPHA3:
            continue
        guess = suggest_country(actor.id, actor.name, fuzzy=fuzzy_left > 0)
        fuzzy_left -= 1
        if guess is None:
            hint = f"use the country's ISO 3166-1 alpha-3 code ({ISO_SEARCH}), or kind: bloc for a group"
        else:
            hint = f"did you mean {guess} ({COUNTRY_NAMES[guess]})?"
            used = {other.id for other in actors} if used is None else used
            if guess in used:
                hint += f" {guess} is an actor of this file already: merge the two"
        index = position if indexes is None else indexes[position]
        problems.append(
            Problem(
                "unknown-country-code",
                f"'{actor.id}' is not an ISO 3166-1 alpha-3 country code; the map cannot draw it",
                path=label,
                line=actor.line or None,
                column=actor.column or None,
                loc=f"actors[{index}].id",
                hint=hint,
                severity="warning",
            )
        )
    return problems
