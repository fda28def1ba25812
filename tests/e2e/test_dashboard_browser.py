"""The dashboard in a real browser (Debian's chromium driven by Playwright): an operator logs
in with a key, watches a lane turn failed as an incident is fed in, and acknowledges an
alert from the page."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.keys import key_for
from tests.served import served
from tests.switching_builders import HOUR, store_lane_incident
from tradelane.bootstrap import Application, build
from tradelane.config import Settings
from tradelane.domain.access import Role
from tradelane.entrypoints.api.app import create_app
from tradelane.services.catalogues import install_catalogue_file

playwright_sync = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="Debian's chromium is not installed (apt-get install chromium)",
)

T0 = datetime(2026, 9, 14, 8, 0, tzinfo=UTC)  # a quiet week: no peak window is open
CHANNEL, COUNTRY = "epacket-cn", "US"
EVALUATIONS = 16  # excess delay about 90.5 h .. 105.5 h: degraded after 3, then failed-level


@pytest.fixture
def dashboard(tmp_path: Path) -> Iterator[tuple[str, str, Application]]:
    system = build(Settings(data_dir=tmp_path))
    system.migrate()
    install_catalogue_file(None, uow=system.uow(), now=T0)
    with served(create_app(system)) as url:
        yield url, key_for(system, Role.OPERATOR), system


def test_an_operator_sees_a_lane_fail_and_acknowledges_its_alert(
    dashboard: tuple[str, str, Application], tmp_path: Path
) -> None:
    url, key, system = dashboard
    lane = f'[data-lane="{CHANNEL}/{COUNTRY}"]'
    with playwright_sync.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(f"{url}/")
        page.fill("#key", key)
        page.click("#login")
        assert page.get_attribute(lane, "data-state") == "unmeasured"

        with system.uow() as uow:
            store_lane_incident(uow, CHANNEL, COUNTRY, at=T0)
            uow.commit()
        for hour in range(EVALUATIONS):
            system.evaluate_switching(now=T0 + hour * HOUR)
        system.sweep(now=T0 + EVALUATIONS * HOUR)
        page.wait_for_selector(f'{lane}[data-state="failed"]', timeout=20_000)  # self-refresh

        alert = page.locator('tr.alert[data-state="open"]').first
        alert_id = alert.get_attribute("data-alert")
        alert.locator("button.ack").click()
        page.wait_for_selector(f'tr.alert[data-alert="{alert_id}"][data-state="acknowledged"]')
        assert "acknowledged" in page.inner_text("#notice")
        shot = tmp_path / "dashboard.png"
        page.screenshot(path=str(shot), full_page=True)
        browser.close()
    assert shot.stat().st_size > 10_000
