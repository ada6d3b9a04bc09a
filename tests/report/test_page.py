"""The report page in a real browser (headless Chromium): it loads without console errors, the
explorer colours the places the CLI's ``reach`` lists, tables sort, and the page shows rendered
Markdown with captions and no path of the machine it was written on.

CI installs Debian's ``chromium`` and ``chromium-driver`` and sets BELT_GRAPH_REQUIRE_BROWSER, so
that a missing browser fails there instead of skipping.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import belt_graph as bg
from belt_graph.cli import cli
from belt_graph.report import write_report
from belt_graph.report.page import EXPLORER_MARK
from tests.helpers import ROOT

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


DRIVER = shutil.which("chromedriver")


def browser_missing(selenium: bool, chromium: bool, driver: bool) -> str:
    """Say what the page tests lack and what to install for it, one part per missing piece."""
    lack = [
        *([] if selenium else ["selenium (pip install '.[test]')"]),
        *([] if chromium else ["a Chromium browser (Debian: apt-get install chromium)"]),
        *([] if driver else ["chromedriver (Debian: apt-get install chromium-driver)"]),
    ]
    return "the report page's browser tests need " + " and ".join(lack)


def test_the_skip_says_what_to_install() -> None:
    """Issue 41: a machine with Chromium but no driver is told the package to install."""
    assert browser_missing(True, True, False) == (
        "the report page's browser tests need chromedriver "
        "(Debian: apt-get install chromium-driver)"
    )
    assert "pip install '.[test]'" in browser_missing(False, True, True)
    assert "apt-get install chromium)" in browser_missing(True, False, True)


def _browser():  # type: ignore[no-untyped-def]
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:  # pragma: no cover
        webdriver = None
    if webdriver is None or not CHROMIUM or not DRIVER:
        why = browser_missing(webdriver is not None, bool(CHROMIUM), bool(DRIVER))
        if os.environ.get("BELT_GRAPH_REQUIRE_BROWSER"):
            pytest.fail(why)
        pytest.skip(why)
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1280,1600",
    ):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(DRIVER), options=opts)


@pytest.fixture(scope="module")
def belt_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("page") / "belt-report"
    write_report(bg.load_dataset(), out)
    return out / "report.html"


@pytest.fixture(scope="module")
def national_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("page") / "national"
    write_report(bg.load_dataset("cn-rail-2020"), out, origin="AOH")
    return out / "report.html"


def cli_reach(origin: str, hours: float, data: str | None = None) -> list[str]:
    args = ["reach", origin, "--hours", str(hours), "--format", "csv"]
    r = CliRunner().invoke(cli, [*args, *(["--data", data] if data else [])])
    assert r.exit_code == 0, r.output
    import pandas as pd

    return sorted(pd.read_csv(io.StringIO(r.stdout), dtype={"node": str})["node"])


def console_errors(driver) -> list[object]:  # type: ignore[no-untyped-def]
    """The page's errors in the browser's console."""
    return [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]


def type_origin(driver, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type into the explorer's search box and leave it, as a user picks an origin."""
    find = driver.find_element("id", "find")
    find.clear()
    find.send_keys(text)
    driver.execute_script("arguments[0].dispatchEvent(new Event('change'))", find)


def set_hours(driver, hours: float) -> None:  # type: ignore[no-untyped-def]
    """Move the explorer's hours slider."""
    driver.execute_script(
        "var s = document.getElementById('hours'); s.value = arguments[0];"
        "s.dispatchEvent(new Event('input'));",
        str(hours),
    )


def listed_minutes(driver) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """The explorer's list of places reached: id to minutes."""
    rows = driver.find_elements("css selector", "#reached tbody tr")
    return {
        r.get_attribute("data-id"): int(r.find_elements("tag name", "td")[1].text) for r in rows
    }


def choose(driver, origin: str, hours: float) -> list[str]:  # type: ignore[no-untyped-def]
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element("id", "origin")).select_by_value(origin)
    set_hours(driver, hours)
    reached = driver.find_element("id", "summary").get_attribute("data-reached")
    coloured = driver.execute_script(
        "return Array.from(document.querySelectorAll('#map .place[data-reached=\"1\"]'))"
        ".map(function (e) { return e.getAttribute('data-id'); });"
    )
    assert sorted(reached.split(";")) == sorted(coloured)
    return sorted(coloured)


def reach_minutes(origin: str, hours: float, data: str) -> dict[str, float]:
    """The places `belt-graph reach` lists with their minutes."""
    args = ["reach", origin, "--hours", str(hours), "--format", "csv", "--data", data]
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 0, r.output
    import pandas as pd

    t = pd.read_csv(io.StringIO(r.stdout), dtype={"node": str})
    return dict(zip(t["node"], t["minutes"], strict=True))


def overlapping_labels(driver) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Pairs of map labels whose boxes on screen overlap."""
    boxes = driver.execute_script(
        "return Array.from(document.querySelectorAll('#map .label')).map(function (t) {"
        "  var r = t.getBoundingClientRect(); return [t.textContent, r.left, r.top, r.right,"
        "  r.bottom]; });"
    )
    return [
        (a[0], b[0])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5 and a[2] < b[4] - 0.5 and b[2] < a[4] - 0.5
    ]


def not_blank(png: bytes) -> bool:
    from matplotlib import image

    pixels = image.imread(io.BytesIO(png))
    return float(pixels[..., :3].std()) > 0.05


def test_belt_page_in_a_browser(belt_page: Path) -> None:
    driver = _browser()
    try:
        driver.get(belt_page.as_uri())
        errors = console_errors(driver)
        assert not errors, errors
        # door to door, the page opens at 2 h, where the origin reaches more than itself
        opened = driver.find_element("id", "summary").text
        assert opened.startswith(f"{len(cli_reach('Putuo', 2))} places within 2 h of Putuo")
        # picking Nanjing and 1 h colours the places `belt-graph reach Nanjing --hours 1` lists
        assert choose(driver, "Nanjing", 1) == cli_reach("Nanjing", 1)
        assert choose(driver, "Putuo", 0.5) == cli_reach("Putuo", 0.5)
        assert choose(driver, "Taizhou", 2.25) == cli_reach("Taizhou", 2.25)
        # details on hover (an unknown is "unknown", not 0: no place of the belt lacks both)
        driver.execute_script(
            "document.querySelector('#map .place[data-id=\"Suzhou\"]')"
            ".dispatchEvent(new Event('mouseenter'));"
        )
        details = driver.find_element("id", "details").text
        assert "Suzhou" in details and "population: 12,987,000" in details
        assert "from Taizhou:" in details
        # the tables section folds each table under its title; open, a table sorts by a click
        # on its header
        folded = driver.find_elements("css selector", "details.table")
        assert folded and not any(d.get_attribute("open") for d in folded)
        driver.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
        table = driver.find_elements("css selector", "main table")[-1]
        header = table.find_elements("css selector", "thead th")[0]
        before = [r.text for r in table.find_elements("css selector", "tbody tr")]
        header.click()
        after = [r.text for r in table.find_elements("css selector", "tbody tr")]
        assert sorted(before) == sorted(after) and len(after) > 1
        assert not_blank(driver.get_screenshot_as_png())
        assert not console_errors(driver)
    finally:
        driver.quit()


def test_national_page_in_a_browser(national_page: Path) -> None:
    driver = _browser()
    try:
        driver.get(national_page.as_uri())
        assert not console_errors(driver)
        # the picker lists cities (issue 22); the page's origin station AOH shows as Shanghai
        from selenium.webdriver.support.ui import Select

        picker = Select(driver.find_element("id", "origin"))
        assert picker.first_selected_option.get_attribute("value") == "Shanghai"
        assert choose(driver, "Nanjing", 1.5) == cli_reach("Nanjing", 1.5, "cn-rail-2020")
        assert not_blank(driver.find_element("id", "explorer").screenshot_as_png)
    finally:
        driver.quit()


def explorer_page(ds: bg.Dataset, G: object, origin: str, folder: Path) -> Path:
    """Write a page holding the explorer alone (the report's page, without the rest)."""
    from belt_graph.report.explorer import explorer_data, explorer_html
    from belt_graph.report.page import render_page

    html = explorer_html(explorer_data(ds, G, origin))  # type: ignore[arg-type]
    out = folder / "explorer.html"
    out.write_text(render_page("# Explorer\n\n" + EXPLORER_MARK, folder, "x", html), "utf-8")
    return out


@pytest.fixture(scope="module")
def many_places_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The explorer alone, on cn-rail-2023's 334 cities."""
    ds = bg.load_dataset("cn-rail-2023")
    return explorer_page(ds, bg.rail_graph(ds), "Shanghai", tmp_path_factory.mktemp("page"))


def test_explorer_for_hundreds_of_places(many_places_page: Path) -> None:
    from selenium.webdriver.support.ui import Select

    driver = _browser()
    try:
        driver.get(many_places_page.as_uri())
        assert not console_errors(driver)
        picker = Select(driver.find_element("id", "origin"))
        # hundreds of places: pick one by typing (Chinese, English, a station's code)
        assert len(picker.options) >= 300
        for typed, city in (("武汉", "Wuhan"), ("chengd", "Chengdu"), ("VNP", "Beijing")):
            type_origin(driver, typed)
            assert picker.first_selected_option.get_attribute("value") == city, typed
        type_origin(driver, "Atlantis")
        assert "no place matches" in driver.find_element("id", "find-note").text
        assert picker.first_selected_option.get_attribute("value") == "Beijing"
        # move the slider, read the list: the places reached with their minutes, as `reach`
        expected = reach_minutes("Beijing", 2.5, "cn-rail-2023")
        set_hours(driver, 2.5)
        listed = listed_minutes(driver)
        assert set(listed) == set(expected)
        assert all(abs(listed[k] - expected[k]) <= 0.5 for k in expected)
        minutes = list(listed.values())  # in the list's order
        assert minutes == sorted(minutes)  # nearest first
        driver.find_element("css selector", "#reached th[data-key='minutes']").click()
        again = driver.find_elements("css selector", "#reached tbody tr td:nth-child(2)")
        assert [int(c.text) for c in again] == sorted(minutes, reverse=True)
        # labels never overlap, and zooming in shows more of them
        assert not overlapping_labels(driver)
        before = len(driver.find_elements("css selector", "#map .label"))
        for _ in range(3):
            driver.find_element("id", "zoom-in").click()
        assert not overlapping_labels(driver)
        labels = driver.find_elements("css selector", "#map .label")
        assert "Beijing" in [x.text for x in labels]  # the origin is always labelled
        driver.find_element("id", "zoom-reset").click()
        assert len(driver.find_elements("css selector", "#map .label")) == before
        assert not console_errors(driver)
    finally:
        driver.quit()


@pytest.mark.parametrize("which", ["belt_page", "national_page"])
def test_page_is_rendered_markdown_with_captions(
    which: str, request: pytest.FixtureRequest
) -> None:
    page: Path = request.getfixturevalue(which)
    text = page.read_text(encoding="utf-8")
    body = re.sub(r"<script.*?</script>", "", text, flags=re.S)
    body = re.sub(r'src="data:[^"]*"', "", body)  # the embedded figures
    assert "<table>" in body and "<figcaption>" in body and 'id="explorer"' in text
    for raw in ("```", "**", "|---", "| ---", "&lt;li&gt;", "<li>-"):
        assert raw not in body, raw
    assert str(page.parent) not in text and str(ROOT) not in text  # no path of this machine
    assert re.search(r"<h3[^>]*>Figure 1\. ", body)
    figures = len(re.findall(r"<figure", body))
    assert figures == len(list((page.parent / "figures").glob("*.png")))
    assert "e+0" not in body  # no scientific notation


def _cairns_places(cairns: bg.Dataset, folder: Path) -> bg.Dataset:
    """Three places over the Cairns feed's stops, built as `build-places` builds them."""
    rows = [
        ("CairnsCity", "Cairns City", "750450"),
        ("Smithfield", "Smithfield", "750053"),
        ("Raintrees", "Raintrees", "750186"),
    ]
    lines = ["id,name,lat,lon,radius_km"] + [
        f"{i},{n},{cairns.nodes.at[s, 'lat']},{cairns.nodes.at[s, 'lon']},0.6" for i, n, s in rows
    ]
    (folder / "places.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    bg.write_places(cairns, folder / "places.csv", folder / "places")
    return bg.load_dataset(folder / "places")


@pytest.mark.parametrize(
    ("level", "typed", "picked", "hours"),
    [
        ("stops", "Raintrees Shopping Centre", "750186", 0.5),
        # door to door: access and egress take minutes, so places need a longer window
        ("places", "raint", "Raintrees", 1.0),
    ],
)
def test_explorer_on_an_imported_bus_feed(
    cairns: bg.Dataset, tmp_path: Path, level: str, typed: str, picked: str, hours: float
) -> None:
    """Issue 27: the explorer of a GTFS feed's report, and of places built over it: picked by
    typing a name, the reached list equal to `reach`, labels clear of each other."""
    from selenium.webdriver.support.ui import Select

    ds = cairns if level == "stops" else _cairns_places(cairns, tmp_path)
    G = bg.rail_graph(ds)
    page = explorer_page(ds, G, bg.default_origin(ds), tmp_path)
    driver = _browser()
    try:
        driver.get(page.as_uri())
        assert not console_errors(driver)
        picker = Select(driver.find_element("id", "origin"))
        type_origin(driver, typed)
        assert picker.first_selected_option.get_attribute("value") == picked
        set_hours(driver, hours)
        listed = listed_minutes(driver)
        assert len(listed) > 1
        # the summary speaks of the feed's stops, or of the places built over them
        summary = driver.find_element("id", "summary").text
        assert f"{len(listed)} {level} within {hours:g} h" in summary
        want = {str(k): v for k, v in bg.reach(G, picked, hours)["minutes"].items()}
        assert set(listed) == set(want)
        assert all(abs(listed[k] - want[k]) <= 0.5 for k in want)
        assert not overlapping_labels(driver)
        assert "stop" not in driver.find_element("id", "find-note").text
    finally:
        driver.quit()


def test_the_page_written_in_parts_is_the_page_rendered(tmp_path: Path) -> None:
    from belt_graph.report.page import EXPLORER_MARK, render_page, write_page

    folder = tmp_path / "figures"
    folder.mkdir()
    (folder / "a.png").write_bytes(b"\x89PNG not really")
    md = f"# T\n\n![a, b](figures/a.png)\n\n*cap*\n\n{EXPLORER_MARK}\n\n| x | y |\n|---|---|\n| 1 | é |\n"
    write_page(tmp_path / "p.html", md, folder, "t", "<div>explorer ü</div>")
    page = render_page(md, folder, "t", "<div>explorer ü</div>")
    assert (tmp_path / "p.html").read_text(encoding="utf-8") == page
    assert "explorer ü" in page and "base64," in page
