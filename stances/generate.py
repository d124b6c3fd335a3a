"""Synthetic positions datasets for benchmarks: realistic shape, deterministic, valid by construction.

``python -m stances generate --positions N --seed S --out PATH`` writes a file in the documented
format and key order: about 200 actors (UN member states by ISO 3166-1 alpha-3 code, from
stances.countries, and a few blocs), 40 issues and 500 sources at full size (fewer for small N),
quotes of realistic length in several scripts, partial dates, every voice, some ``stance: null``.
The same seed gives byte-identical output. Every quote, speaker and URL is invented and marked so
(example.org, a title saying "synthetic"): these files are for measuring the software, never
evidence.
"""

from __future__ import annotations

import json
import random
import re

from stances.countries import COUNTRIES
from stances.model import VOICES

# The countries actors are drawn from: the UN member states, in the table's order (by code).
MEMBER_STATES: tuple[tuple[str, str], ...] = tuple(
    (country.code, country.name) for country in COUNTRIES if country.un_member
)
# Always among the actors, as in any real dataset on missile defence: the five permanent members
# of the UN Security Council (the rest are drawn at random).
MAJOR_POWERS: tuple[str, ...] = ("CHN", "FRA", "GBR", "RUS", "USA")
BLOCS: tuple[tuple[str, str], ...] = (
    ("NATO", "North Atlantic Treaty Organization"),
    ("EU", "European Union"),
    ("CSTO", "Collective Security Treaty Organization"),
    ("SCO", "Shanghai Cooperation Organisation"),
    ("ASEAN", "Association of Southeast Asian Nations"),
    ("AU", "African Union"),
    ("GCC", "Gulf Cooperation Council"),
    ("BRICS", "BRICS"),
)
# Major speakers of each language, so that a language goes with plausible actors.
LANGUAGE_ACTORS: dict[str, tuple[str, ...]] = {
    "fr": ("FRA", "BEL", "CHE", "SEN", "CIV", "MLI", "CMR", "MAR", "TUN", "LUX"),
    "de": ("DEU", "AUT", "CHE", "LIE"),
    "es": ("ESP", "MEX", "ARG", "COL", "CHL", "PER", "VEN", "CUB", "URY", "ECU"),
    "ru": ("RUS", "BLR", "KAZ", "KGZ", "TJK", "ARM"),
    "zh": ("CHN", "SGP"),
    "ja": ("JPN",),
    "ko": ("KOR", "PRK"),
    "ar": ("SAU", "EGY", "ARE", "QAT", "IRQ", "SYR", "JOR", "KWT", "OMN", "DZA", "LBY", "BHR"),
}
# Words to build quotes from, per language (sentences are random and meaningless on purpose).
WORDS: dict[str, str] = {
    "en": "we the missile defence system in Europe will remain a threat to strategic stability and our security "
    "position has not changed deployment of interceptors radar partners treaty talks dialogue cannot accept "
    "unilateral steps balance nuclear deterrence cooperation transparency guarantees legally binding",
    "fr": "nous la défense antimissile en Europe reste une menace pour la stabilité stratégique et notre sécurité "
    "position n'a pas changé déploiement des intercepteurs radar partenaires traité négociations dialogue "
    "équilibre dissuasion nucléaire coopération transparence garanties juridiquement contraignantes été où",
    "de": "wir die Raketenabwehr in Europa bleibt eine Bedrohung für die strategische Stabilität und unsere "
    "Sicherheit Position hat sich nicht geändert Stationierung Abfangraketen Radar Partner Vertrag Gespräche "
    "Gleichgewicht nukleare Abschreckung Zusammenarbeit Transparenz rechtsverbindliche Garantien müssen für",
    "es": "nosotros el sistema de defensa antimisiles en Europa sigue siendo una amenaza para la estabilidad "
    "estratégica y nuestra seguridad posición no ha cambiado despliegue interceptores radar socios tratado "
    "negociaciones diálogo equilibrio disuasión nuclear cooperación transparencia garantías jurídicas también",
    "ru": "мы система противоракетной обороны в Европе остаётся угрозой для стратегической стабильности и нашей "
    "безопасности позиция не изменилась развёртывание перехватчиков радар партнёры договор переговоры диалог "
    "баланс ядерное сдерживание сотрудничество прозрачность юридически обязывающие гарантии",
    "ar": "نحن منظومة الدفاع الصاروخي في أوروبا تبقى تهديدا للاستقرار الاستراتيجي وأمننا موقفنا لم يتغير نشر "
    "الصواريخ الاعتراضية الرادار الشركاء المعاهدة المفاوضات الحوار التوازن الردع النووي التعاون الشفافية ضمانات",
    "ko": "우리는 유럽의 미사일 방어 체계가 전략적 안정과 우리의 안보에 위협으로 남아 있다고 본다 입장은 변하지 "
    "않았다 요격 미사일 배치 레이더 동맹국 조약 협상 대화 균형 핵 억지 협력 투명성 법적 구속력 있는 보장",
}
# Scripts without spaces between words: phrases joined directly, sentences end with 。
PHRASES: dict[str, str] = {
    "zh": "我们|欧洲的导弹防御系统|仍然是|对战略稳定|和我们安全的威胁|立场没有改变|部署拦截导弹|雷达|伙伴|条约|谈判|"
    "对话|平衡|核威慑|合作|透明度|具有法律约束力的保证|不能接受|单方面步骤",
    "ja": "我々は|欧州のミサイル防衛システムは|戦略的安定と|我々の安全保障に対する|脅威であり続ける|立場は変わらない|"
    "迎撃ミサイルの配備|レーダー|同盟国|条約|交渉|対話|均衡|核抑止|協力|透明性|法的拘束力のある保証",
}
FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("John", "Mary", "Robert", "Susan", "James", "Linda", "Michael", "Karen"),
    "fr": ("François", "Hélène", "Jérôme", "Amélie", "Benoît", "Cécile"),
    "de": ("Jürgen", "Günther", "Käthe", "Björn", "Ulrike", "Matthias"),
    "es": ("José", "María", "Íñigo", "Begoña", "Andrés", "Inés"),
    "ru": ("Сергей", "Мария", "Дмитрий", "Анна", "Алексей", "Ольга"),
    "zh": ("洪", "华", "秦", "王", "赵", "汪"),
    "ja": ("太郎", "花子", "健", "美咲", "誠", "由美"),
    "ko": ("민준", "서연", "지호", "하은", "도윤", "수아"),
    "ar": ("محمد", "أحمد", "فاطمة", "عمر", "ليلى", "خالد"),
}
LAST_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("Smith", "Johnson", "O'Brien", "Williams", "Taylor", "Brown", "Davies", "Clarke"),
    "fr": ("Lefèvre", "Dubois", "Moreau", "Fournier", "Girard", "Rousseau"),
    "de": ("Müller", "Schröder", "Weiß", "Groß", "Köhler", "Fischer"),
    "es": ("García", "Martínez", "Rodríguez", "Núñez", "Peña", "Gómez"),
    "ru": ("Рябков", "Лавров", "Песков", "Захарова", "Антонов", "Грушко"),
    "zh": ("李", "王", "张", "刘", "陈", "杨"),
    "ja": ("佐藤", "鈴木", "高橋", "田中", "渡辺", "伊藤"),
    "ko": ("김", "이", "박", "최", "정", "강"),
    "ar": ("العبدالله", "الحسن", "المنصور", "السيد", "الخطيب", "النجار"),
}
ROLES: dict[str, tuple[str, ...]] = {
    "official": (
        "Foreign Minister",
        "Deputy Foreign Minister",
        "Defence Minister",
        "President",
        "Prime Minister",
        "Foreign Ministry spokesperson",
        "Permanent Representative to the UN",
        "Ambassador",
    ),
    "expert": (
        "Senior Fellow",
        "Director, Arms Control Programme",
        "Professor of International Security",
        "Research Associate",
        "Former ambassador",
    ),
    "reported": ("Foreign Ministry", "Ministry of Defence", "Government", "Presidential administration"),
}
PUBLISHERS: tuple[tuple[str, str], ...] = (
    ("Ministry of Foreign Affairs", "en"),
    ("Observer Research Foundation", "en"),
    ("Arms Control Association", "en"),
    ("Le Monde", "fr"),
    ("Frankfurter Allgemeine Zeitung", "de"),
    ("El País", "es"),
    ("Коммерсантъ", "ru"),
    ("ТАСС", "ru"),
    ("新华社", "zh"),
    ("人民日报", "zh"),
    ("朝日新聞", "ja"),
    ("연합뉴스", "ko"),
    ("الجزيرة", "ar"),
    ("Reuters", "en"),
    ("Institut français des relations internationales", "fr"),
)
ISSUE_TOPICS: tuple[str, ...] = (
    "US/NATO missile defence in Europe",
    "Aegis Ashore in Romania",
    "Aegis Ashore in Poland",
    "THAAD in South Korea",
    "THAAD in the Gulf",
    "Space-based interceptors",
    "Golden Dome",
    "ABM Treaty withdrawal",
    "Iron Dome exports",
    "Arrow 3 in Germany",
    "European Sky Shield Initiative",
    "Hypersonic glide vehicle defence",
    "Missile defence cooperation with Russia",
    "Missile defence in Japan",
    "Sea-based midcourse defence",
    "Ground-based midcourse defence",
    "Boost-phase intercept",
    "Missile defence and arms control linkage",
    "Missile defence radars in Turkey",
    "S-400 purchases",
)
# The newest date a generated position or source can have: fixed so output never depends on today.
LAST_YEAR = 2024
FIRST_YEAR = 1999
_PLAIN_SAFE = re.compile(r"^[^\W\d_][\w ./()'-]*[\w.)]$")
_YAML11_SPECIAL = re.compile(r"^(?:y|n|yes|no|true|false|on|off|null)$", re.IGNORECASE)


def _scalar(text: str) -> str:
    """Plain when unambiguous (as a person would write it), else a JSON-style double-quoted string."""
    if (
        _PLAIN_SAFE.match(text)
        and "_" not in text
        and not _YAML11_SPECIAL.match(text)
        and ": " not in text
        and " #" not in text
    ):
        return text
    return json.dumps(text, ensure_ascii=False)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _sentence(rng: random.Random, language: str) -> str:
    if language in PHRASES:
        phrases = PHRASES[language].split("|")
        return "".join(rng.choice(phrases) for _ in range(rng.randint(3, 8))) + "。"
    words = WORDS[language].split()
    text = " ".join(rng.choice(words) for _ in range(rng.randint(5, 18)))
    end = "؟" if language == "ar" and rng.random() < 0.1 else "."
    return text[0].upper() + text[1:] + end


def _quote(rng: random.Random, language: str) -> str:
    """A few sentences, sometimes with an omission marked by ... and typographic quote marks."""
    sentences = [_sentence(rng, language) for _ in range(rng.randint(1, 4))]
    if len(sentences) > 1 and rng.random() < 0.2:
        sentences.insert(rng.randint(1, len(sentences) - 1), rng.choice(("...", "…")))
    if language == "en" and rng.random() < 0.1:
        sentences.append("“This is not directed against anyone,” he said: “we remain open to talks.”")
    return " ".join(sentences)


def _date(rng: random.Random) -> str:
    year = rng.randint(FIRST_YEAR, LAST_YEAR)
    precision = rng.random()
    if precision < 0.1:
        return str(year)
    month = rng.randint(1, 12)
    if precision < 0.3:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{rng.randint(1, 28):02d}"


def _person(rng: random.Random, language: str) -> str:
    first, last = rng.choice(FIRST_NAMES[language]), rng.choice(LAST_NAMES[language])
    if language in ("zh", "ko"):
        return last + first
    if language == "ja":
        return f"{last} {first}"
    return f"{first} {last}"


def generate(positions: int, seed: int) -> str:
    """The YAML text of a synthetic dataset with ``positions`` positions; deterministic per seed."""
    rng = random.Random(seed)
    n_actors = max(4, min(200, positions // 5))
    n_issues = max(2, min(40, positions // 25))
    n_sources = max(3, min(500, positions // 4))
    n_blocs = min(len(BLOCS), max(1, n_actors // 25))
    n_countries = n_actors - n_blocs
    major = [country for country in MEMBER_STATES if country[0] in MAJOR_POWERS][:n_countries]
    others = [country for country in MEMBER_STATES if country[0] not in MAJOR_POWERS]
    countries = sorted(major + rng.sample(others, n_countries - len(major)))
    country_ids = [code for code, _ in countries]
    out: list[str] = [
        "# yaml-language-server: $schema=positions.schema.json",
        f"# Synthetic dataset for benchmarks (python -m stances generate --positions {positions} --seed {seed}).",
        "# Every quote, speaker and link in it is invented: it is not evidence of anything.",
        f'title: "Synthetic benchmark dataset ({positions} positions, seed {seed})"',
        "actors:",
    ]
    for code, name in countries:
        out += [f"  - id: {code}", f"    name: {_scalar(name)}", "    kind: country"]
    for code, name in BLOCS[:n_blocs]:
        members = sorted(rng.sample(country_ids, min(len(country_ids), rng.randint(2, 12))))
        out += [
            f"  - id: {code}",
            f"    name: {_scalar(name)}",
            "    kind: bloc",
            f"    members: [{', '.join(members)}]",
        ]
    actor_ids = country_ids + [code for code, _ in BLOCS[:n_blocs]]

    out.append("issues:")
    issue_ids = []
    for index in range(n_issues):
        topic = ISSUE_TOPICS[index % len(ISSUE_TOPICS)]
        round_ = index // len(ISSUE_TOPICS)
        title = topic if round_ == 0 else f"{topic} (phase {round_ + 1})"
        issue_id = _slug(title)
        issue_ids.append(issue_id)
        out += [
            f"  - id: {issue_id}",
            f"    title: {_scalar(title)}",
            f"    question: {_scalar(f'{title} should go ahead as planned.')}",
        ]
        if rng.random() < 0.5:
            out.append(f"    description: {_scalar('Synthetic issue: ' + _sentence(rng, 'en'))}")

    out.append("sources:")
    source_ids = []
    for index in range(n_sources):
        publisher, language = rng.choice(PUBLISHERS)
        date = _date(rng)
        source_id = f"{_slug(publisher) or 'src'}-{date}-{index}"
        source_ids.append(source_id)
        out.append(f"  - id: {source_id}")
        if rng.random() < 0.9:
            out.append(f"    title: {_scalar('Synthetic: ' + _sentence(rng, language)[:90].rstrip())}")
        out += [f"    publisher: {_scalar(publisher)}", f"    date: {date}"]
        if rng.random() < 0.8:
            out.append(f"    url: https://example.org/{_slug(publisher) or 'news'}/{date}/{index}?lang={language}&p=1")
        if rng.random() < 0.3:
            out.append(f"    author: {_scalar(_person(rng, language))}")
        if rng.random() < 0.05:
            out.append(f"    note: {_scalar('Synthetic source, generated for benchmarks.')}")

    out.append("positions:")
    stances: dict[tuple[str, str, str, str], int | None] = {}  # (actor, issue, date, voice) -> stance: no ties
    languages = list(WORDS) + list(PHRASES)
    for _ in range(positions):
        language = "en" if rng.random() < 0.5 else rng.choice(languages)
        speakers = [a for a in LANGUAGE_ACTORS.get(language, ()) if a in actor_ids]
        actor = rng.choice(speakers) if speakers and rng.random() < 0.8 else rng.choice(actor_ids)
        issue = rng.choice(issue_ids)
        voice = rng.choices(VOICES, weights=(6, 3, 1))[0]
        date = _date(rng)
        stance: int | None = None if rng.random() < 0.04 else rng.randint(-2, 2)
        key = (actor, issue, date, voice)
        stance = stances.setdefault(key, stance)
        out += [
            f"  - actor: {actor}",
            f"    issue: {issue}",
            f"    stance: {'null' if stance is None else stance}",
            f"    date: {date}",
            f"    speaker: {_scalar(_person(rng, language))}",
            f"    role: {_scalar(rng.choice(ROLES[voice]))}",
            f"    voice: {voice}",
            f"    quote: {json.dumps(_quote(rng, language), ensure_ascii=False)}",
        ]
        if language != "en":
            out.append(f"    language: {language}")
            if rng.random() < 0.2:
                out.append(f"    translation: {json.dumps(_quote(rng, 'en'), ensure_ascii=False)}")
                out.append(f"    translation_source: {rng.choice(source_ids)}")
        out.append(f"    source: {rng.choice(source_ids)}")
        if rng.random() < 0.1:
            out.append(f"    note: {_scalar('Coded from the full statement; ' + _sentence(rng, 'en'))}")
    return "\n".join(out) + "\n"
