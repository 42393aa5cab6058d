"""report.html opened in a real headless Chromium: every figure loads, nothing is fetched, nothing runs."""

from __future__ import annotations

import pytest

from tests.reports.browser import Browser, chromium_or_skip

pytestmark = pytest.mark.slow

#: Waits until every image is decoded, then says what the page holds.
INSPECT = """(async () => {
  const images = Array.from(document.images);
  await Promise.all(images.map(image => image.decode().catch(() => null)));
  return {
    title: document.title,
    scripts: document.scripts.length,
    images: images.map(image => ({complete: image.complete, width: image.naturalWidth,
                                   height: image.naturalHeight, alt: image.alt,
                                   shown: image.getBoundingClientRect().width})),
    failures: Array.from(document.querySelectorAll("article.failure")).map(article => ({
      id: article.id, text: article.innerText,
      images: Array.from(article.querySelectorAll("img")).map(image => image.naturalWidth)})),
    text: document.body.innerText,
  };
})()"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    executable = chromium_or_skip()
    opened = Browser(executable, tmp_path_factory.mktemp("chromium-profile"))
    yield opened
    opened.close()


@pytest.mark.parametrize("name", ["empty_cluster_nan", "reference", "manhattan", "hostile", "crash_at_import"])
def test_every_figure_loads_and_nothing_is_fetched(graded, browser, name):
    run = graded[name]
    page = browser.open(run.folder / "report.html", INSPECT)
    expected_figures = len(list((run.folder / "figures").glob("*.png"))) if (run.folder / "figures").is_dir() else 0
    assert len(page["images"]) == expected_figures
    for image in page["images"]:
        assert image["complete"] and image["width"] > 0 and image["height"] > 0, image
        assert image["shown"] > 0, image  # laid out on the page, not collapsed
    assert page["scripts"] == 0
    assert page["title"].startswith("Report: ")
    fetched = browser.requests()
    assert fetched and all(url.startswith(("file:", "data:")) for url in fetched), fetched
    blocked = [entry for entry in browser.log() if entry.get("level") == "error"]
    assert not blocked, blocked  # e.g. a Content-Security-Policy violation or a failed load


def test_the_empty_cluster_failure_shows_dataset_returned_expected_and_a_loaded_picture(graded, browser):
    run = graded["empty_cluster_nan"]
    page = browser.open(run.folder / "report.html", INSPECT)
    article = next(item for item in page["failures"] if item["id"] == "kmeans-update.empty_cluster_keeps_center")
    text = article["text"]
    assert "has no point, so it must keep its position" in text
    assert "smallest example found:" in text and "data" in text and "labels" in text and "centers" in text
    returned = next(line for line in text.splitlines() if line.startswith("your code returned:"))
    expected = next(line for line in text.splitlines() if line.startswith("expected:"))
    assert "nan" in returned and "nan" not in expected
    assert "Hint:" in text
    assert len(article["images"]) == 1 and article["images"][0] > 0


def test_the_students_markup_stays_text(graded, browser):
    page = browser.open(graded["hostile"].folder / "report.html", INSPECT)
    assert page["title"] != "pwned" and page["scripts"] == 0
    assert "<script>document.title='pwned'</script>" in page["text"]  # shown as the characters it is
    assert not [url for url in browser.requests() if "example.invalid" in url]
