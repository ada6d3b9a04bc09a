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
from tests.helpers import ROOT

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


DRIVER = shutil.which("chromedriver")


def _browser():  # type: ignore[no-untyped-def]
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:  # pragma: no cover
        webdriver = None
    if webdriver is None or not CHROMIUM or not DRIVER:
        why = "needs selenium, chromium and chromedriver (Debian: chromium chromium-driver)"
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


def choose(driver, origin: str, hours: float) -> list[str]:  # type: ignore[no-untyped-def]
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element("id", "origin")).select_by_value(origin)
    driver.execute_script(
        "var s = document.getElementById('hours'); s.value = arguments[0];"
        "s.dispatchEvent(new Event('input'));",
        str(hours),
    )
    reached = driver.find_element("id", "summary").get_attribute("data-reached")
    coloured = driver.execute_script(
        "return Array.from(document.querySelectorAll('#map .place[data-reached=\"1\"]'))"
        ".map(function (e) { return e.getAttribute('data-id'); });"
    )
    assert sorted(reached.split(";")) == sorted(coloured)
    return sorted(coloured)


def not_blank(png: bytes) -> bool:
    from matplotlib import image

    pixels = image.imread(io.BytesIO(png))
    return float(pixels[..., :3].std()) > 0.05


def test_belt_page_in_a_browser(belt_page: Path) -> None:
    driver = _browser()
    try:
        driver.get(belt_page.as_uri())
        errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
        assert not errors, errors
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
        # a table sorts by a click on its header
        table = driver.find_elements("css selector", "main table")[-1]
        header = table.find_elements("css selector", "thead th")[0]
        before = [r.text for r in table.find_elements("css selector", "tbody tr")]
        header.click()
        after = [r.text for r in table.find_elements("css selector", "tbody tr")]
        assert sorted(before) == sorted(after) and len(after) > 1
        assert not_blank(driver.get_screenshot_as_png())
        assert not [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    finally:
        driver.quit()


def test_national_page_in_a_browser(national_page: Path) -> None:
    driver = _browser()
    try:
        driver.get(national_page.as_uri())
        assert not [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
        # the picker lists cities (issue 22); the page's origin station AOH shows as Shanghai
        from selenium.webdriver.support.ui import Select

        picker = Select(driver.find_element("id", "origin"))
        assert picker.first_selected_option.get_attribute("value") == "Shanghai"
        assert choose(driver, "Nanjing", 1.5) == cli_reach("Nanjing", 1.5, "cn-rail-2020")
        assert not_blank(driver.find_element("id", "explorer").screenshot_as_png)
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
