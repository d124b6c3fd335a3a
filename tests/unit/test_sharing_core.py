"""A view as a link: the parameters it writes, what a link's values give back, its address and
its citation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from stances import sharing
from stances.load import load_dataset
from stances.model import Dataset

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    """A small valid dataset (tests/data/valid.yaml)."""
    return load_dataset(DATA / "valid.yaml", cache=False)


# --- the parameters a view writes ------------------------------------------------------------------


def test_a_view_writes_as_of_voices_and_revision_then_its_own(dataset: Dataset):
    params = sharing.view_params(
        dt.date(2014, 5, 2),
        ("expert", "official"),
        dataset,
        {"actors": ["RUS", "CHN"], "issue": "bmd", "since": dt.date(2010, 1, 1)},
    )
    assert (
        params
        == {
            "asof": ["2014-05-02"],
            "voices": ["official,expert"],  # in the scale's order, whatever the order chosen
            "rev": [dataset.content_hash[:7]],
            "actors": ["RUS", "CHN"],
            "issue": ["bmd"],
            "since": ["2010-01-01"],
        }
    )


def test_empty_values_are_left_out_and_no_voice_is_written_as_none(dataset: Dataset):
    params = sharing.view_params(dt.date(2014, 5, 2), (), dataset, {"q": "", "actors": [], "issues": ()})
    assert params == {"asof": ["2014-05-02"], "voices": ["none"], "rev": [dataset.content_hash[:7]]}


def test_screenshot_mode_stays_in_the_url(dataset: Dataset):
    params = sharing.view_params(dt.date(2014, 5, 2), ("official",), dataset, {}, screenshot=True)
    assert params[sharing.SCREENSHOT_PARAM] == ["1"]
    assert sharing.SCREENSHOT_PARAM not in sharing.view_params(dt.date(2014, 5, 2), ("official",), dataset, {})


def test_a_view_leaves_out_what_is_at_the_pages_default(dataset: Dataset):
    params = sharing.view_params(
        dt.date(2014, 5, 2),
        ("official",),
        dataset,
        {"issues": ["bmd", "inf"], "actors": ["RUS"], "issue": "bmd", "q": "", "since": None},
        defaults={"issues": ("bmd", "inf"), "actors": ["RUS", "USA"], "issue": "inf", "q": "", "since": None},
    )
    assert (
        params
        == {
            "asof": ["2014-05-02"],  # always: a link must not drift as positions are added
            "voices": ["official"],
            "rev": [dataset.content_hash[:7]],
            "actors": ["RUS"],
            "issue": ["bmd"],
        }
    )


def test_a_default_the_data_chose_is_written_when_it_names_few_values(dataset: Dataset):
    """The issue, pair or dates a page opens on can move when a record is added: a link names them;
    a long default (the Overview's 40 actors) stays out, and so does one the data did not choose."""
    many = [f"A{i}" for i in range(sharing.MAX_PINNED_VALUES + 1)]
    values = {"issue": "bmd", "actors": ["RUS", "USA"], "issues": many, "minshared": 2, "q": ""}
    params = sharing.view_params(
        dt.date(2014, 5, 2),
        ("official",),
        dataset,
        values,
        defaults=values,
        data_defaults={"issue", "actors", "issues", "q"},
    )
    assert {k: v for k, v in params.items() if k not in ("asof", "voices", "rev")} == {
        "issue": ["bmd"],
        "actors": ["RUS", "USA"],
    }


def test_a_choice_emptied_against_a_default_is_written_empty_so_the_link_keeps_it(dataset: Dataset):
    params = sharing.view_params(
        dt.date(2014, 5, 2), ("official",), dataset, {"issues": [], "q": ""}, defaults={"issues": ["bmd"]}
    )
    assert params["issues"] == [""] and "q" not in params


def test_fading_years_are_written_only_when_changed(dataset: Dataset):
    assert "fade" not in sharing.view_params(dt.date(2014, 5, 2), ("official",), dataset, {})
    assert sharing.view_params(dt.date(2014, 5, 2), ("official",), dataset, {}, fade_years=0)["fade"] == ["0"]
    assert sharing.view_params(dt.date(2014, 5, 2), ("official",), dataset, {}, fade_years=25)["fade"] == ["25"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2014, 5, 2), ["2014-05-02"]),
        ("bmd", ["bmd"]),
        ("", []),
        (None, []),
        (7, ["7"]),
        (("RUS", "USA"), ["RUS", "USA"]),
        ([], []),
    ],
)
def test_parameter_values_as_the_url_writes_them(value, expected):
    assert sharing.param_values(value) == expected


# --- what a link's values give back ------------------------------------------------------------------

OPTIONS = {"RUS": "Russia", "CHN": "China", "USA": "United States", "FRA": "France"}


def test_ids_are_read_from_repeated_and_comma_separated_values():
    picked = sharing.picked_from_url(["RUS,CHN", "USA", "RUS"], OPTIONS)
    assert picked == sharing.Picked(["RUS", "CHN", "USA"], [])


def test_unknown_ids_and_those_beyond_the_limit_are_dropped_with_a_reason():
    picked = sharing.picked_from_url(["XXX,RUS,CHN", "USA", "FRA", "YYY"], OPTIONS, max_selections=2)
    assert picked.chosen == ["RUS", "CHN"]
    assert picked.dropped == [(["XXX", "YYY"], "not in this dataset"), (["USA", "FRA"], "at most 2 can be chosen")]


def test_free_text_is_never_split_on_commas():
    speakers = {"Lavrov, Sergei": "Lavrov, Sergei", "Lavrov": "Lavrov"}
    assert sharing.picked_from_url(["Lavrov, Sergei"], speakers, free_text=True).chosen == ["Lavrov, Sergei"]
    assert sharing.picked_from_url(["Lavrov, Sergei"], speakers).chosen == ["Lavrov"]


@pytest.mark.parametrize(
    ("value", "chosen", "dropped"),
    [
        (None, ["official"], []),
        ("none", [], []),
        (" none ", [], []),
        ("expert,official", ["expert", "official"], []),
        ("expert,shouting", ["expert"], [(["shouting"], "not a voice (official, expert, reported)")]),
        ("shouting", ["official"], [(["shouting"], "not a voice (official, expert, reported)")]),
        ("", ["official"], []),
    ],
)
def test_voices_from_a_link_default_to_officials(value, chosen, dropped):
    assert sharing.voices_from_url(value) == sharing.Picked(chosen, dropped)


@pytest.mark.parametrize(
    ("value", "requested"),
    [("1", True), (" TRUE ", True), ("yes", True), ("on", True), ("0", False), ("", False), (None, False)],
)
def test_screenshot_mode_is_asked_for_as_any_flag(value, requested):
    assert sharing.screenshot_requested(value) is requested


# --- the address and the citation -------------------------------------------------------------------


def test_a_view_link_leaves_screenshot_mode_out_and_encodes_values():
    link = sharing.view_link(
        "http://localhost:8501/compare",
        [("actors", "RUS"), ("actors", "CHN"), ("screenshot", "1"), ("q", "a&b c")],
    )
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "http://localhost:8501/compare"
    assert parse_qsl(parts.query) == [("actors", "RUS"), ("actors", "CHN"), ("q", "a&b c")]


@pytest.mark.parametrize(
    ("url", "public", "base_path", "expected"),
    [
        ("http://localhost:8501/compare?a=1", None, "", "http://localhost:8501/compare?a=1"),
        (
            "http://localhost:8501/compare?a=1",
            "https://stances.example.org",
            "",
            "https://stances.example.org/compare?a=1",
        ),
        ("http://10.0.0.5:8501/", "https://example.org/stances", "", "https://example.org/stances/"),
        ("http://host:8501/dash/map", "https://example.org/", "/dash/", "https://example.org/map"),
        ("http://host:8501/dashboard/map", "https://example.org", "dash", "https://example.org/dashboard/map"),
        ("", "https://example.org", "", "https://example.org/"),  # no address reported (a test run)
    ],
)
def test_a_view_address_moves_to_the_public_one(url, public, base_path, expected):
    assert sharing.public_address(url, public, base_path) == expected


def test_the_default_pages_link_has_its_slash():
    assert (
        sharing.view_link("http://127.0.0.1:8501", [("asof", "2024-01-01")]) == "http://127.0.0.1:8501/?asof=2024-01-01"
    )
    assert sharing.view_link("", [("asof", "2024-01-01")]) == "?asof=2024-01-01"  # no address reported


def test_a_view_link_without_parameters_is_the_page_address():
    assert sharing.view_link("http://localhost:8501/map", [("screenshot", "1")]) == "http://localhost:8501/map"


def test_the_citation_names_chart_dataset_revision_link_and_day(dataset: Dataset):
    text = sharing.citation(" Russia &amp; China vs NATO ", dataset, "http://x/compare?a=1", dt.date(2026, 1, 2))
    assert text == (
        f"“Russia & China vs NATO”. {dataset.title}, revision {dataset.revision}. "
        "http://x/compare?a=1 (accessed 2026-01-02)."
    )
    assert sharing.citation(None, dataset, "u", dt.date(2026, 1, 2)).startswith("“”. ")


def test_screenshot_css_hides_all_but_the_shot_container():
    css = sharing.SCREENSHOT_CSS
    assert css.startswith("<style>") and css.endswith("</style>")
    assert '[data-testid="stSidebar"]' in css and f"st-key-{sharing.SHOT_KEY}" in css
    assert "{{" not in css and "{display: none !important;}" in css  # the f-string's braces came out single
