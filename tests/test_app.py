"""The App path as a user takes it: a real App server, headless Chromium, the operator form, the Embeddings panel.

Screenshots go to a temporary folder, or to $VISUAL_CLUSTERING_SCREENSHOTS
(``scripts/screenshots`` points it at docs/images for the README).
"""

import importlib.util
import os
import socket
import subprocess
import time
from collections import Counter
from pathlib import Path

import fiftyone as fo
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect, sync_playwright
from sklearn.metrics import adjusted_mutual_info_score

from visual_clustering_core import compute_baseline_clusters, load_clustering_run

# The App server (a subprocess started by the tests) may queue delegated runs, as `fiftyone delegated launch` needs.
os.environ["FIFTYONE_ALLOW_LEGACY_ORCHESTRATORS"] = "true"

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
TIMEOUT_MS = 120_000


def _free_port():
    with socket.socket() as s:
        s.bind(("localhost", 0))
        return s.getsockname()[1]


@pytest.fixture
def app_dataset(tmp_path):
    """The demo's digits: 1,797 images, their 64 pixels as an embeddings field, the digit as ground truth."""
    spec = importlib.util.spec_from_file_location("demo", Path(__file__).resolve().parent.parent / "scripts" / "demo.py")
    demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(demo)
    dataset = demo.digits_dataset(tmp_path / "digits")
    yield dataset
    dataset.delete()


@pytest.fixture
def page(app_dataset, tmp_path):
    """A Chromium page on the App, served on localhost with the plugin loaded; both stopped whatever happens."""
    chromium = os.environ.get("VISUAL_CLUSTERING_CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).is_file():
        pytest.fail(f"no Chromium at {chromium}: run ./scripts/test, which installs Debian's chromium and playwright.")
    port = _free_port()
    session = fo.launch_app(app_dataset, port=port, remote=True, auto=False)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch_persistent_context(
                str(tmp_path / "chromium-profile"),  # a fresh --user-data-dir
                executable_path=chromium,
                headless=True,
                args=CHROMIUM_FLAGS,
                viewport={"width": 1400, "height": 900},
            )
            try:
                page = browser.new_page()
                page.set_default_timeout(TIMEOUT_MS)
                page.goto(f"http://localhost:{port}/datasets/{app_dataset.name}")
                page.locator("[data-cy=sidebar]").wait_for()
                yield page
            finally:
                browser.close()
    finally:
        session.close()


def _screenshot_dir(tmp_path):
    folder = Path(os.environ.get("VISUAL_CLUSTERING_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _dismiss_promotions(page):
    for button in page.get_by_role("button", name="Dismiss").all():
        if button.is_visible():
            button.click()


def _choose_color_by(page, field, attempts=5):
    """Pick ``field`` in the panel's Color by menu, opening it again (as a user would) if it opened before the plot loaded."""
    for _ in range(attempts):
        page.get_by_label("Color by").click()
        option = page.get_by_role("option", name=field)
        try:
            option.wait_for(timeout=10_000)
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            continue
        option.click()
        return
    raise AssertionError(f"the Embeddings panel's Color by menu never offered {field!r}")


def test_compute_visual_clusters_from_the_app_and_colour_the_embeddings(page, app_dataset, tmp_path):
    shots = _screenshot_dir(tmp_path)
    try:
        _use_the_app(page, app_dataset, shots)
    except BaseException:
        page.screenshot(path=shots / "app_failure.png")  # what the user would have seen
        raise


def test_delegated_runs_from_the_app_are_executed_by_the_launcher(page, app_dataset, tmp_path):
    """Tick Delegate and schedule the same run twice: `fiftyone delegated launch` completes one, with progress
    to 1.0; the other fails, and its run status says why."""
    from fiftyone.operators.delegated import DelegatedOperationService

    shots = _screenshot_dir(tmp_path)
    service = DelegatedOperationService()
    try:
        _schedule_twice(page, service, app_dataset.name, shots / "app_delegated_scheduled.png")
    except BaseException:
        page.screenshot(path=shots / "app_failure.png")  # what the user would have seen
        raise
    launcher = subprocess.Popen(["fiftyone", "delegated", "launch"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 300
        while time.time() < deadline and any(
            op.run_state not in ("completed", "failed") for op in service.list_operations(dataset_name=app_dataset.name)
        ):
            time.sleep(2)
    finally:
        launcher.terminate()
        launcher.wait(timeout=60)
    states = {op.run_state: op for op in service.list_operations(dataset_name=app_dataset.name)}
    assert sorted(states) == ["completed", "failed"], [op.result.error for op in states.values()]
    assert states["completed"].status.progress == 1.0
    assert "already has a clustering run 'delegated_clusters'" in states["failed"].result.error
    assert load_clustering_run(app_dataset, "delegated_clusters").config["source"]["projection"] == "umap"


def _schedule_twice(page, service, dataset_name, shot):
    """Schedule the same delegated run twice from the operator browser; each is queued before the next click (the
    App's "scheduled" toast is transient, so the queue is what is waited on; ``shot``: the App as the second toast
    shows, or just after if it was missed)."""
    _dismiss_promotions(page)
    for scheduled in (1, 2):
        page.locator("[data-cy=action-browse-operations]").click()
        page.get_by_placeholder("Search operations by name...").fill("visual clusters")
        page.get_by_text("Compute visual clusters", exact=True).click()
        page.locator('input[value="visual_clusters"]').fill("delegated_clusters")
        page.get_by_text("Delegate", exact=True).click()
        expect(page.get_by_role("button", name="Schedule")).to_be_enabled()
        page.get_by_role("button", name="Schedule").click()
        if scheduled == 2:
            try:
                page.get_by_text("Operation successfully scheduled").first.wait_for(timeout=20_000)
            except PlaywrightTimeout:
                pass
            page.screenshot(path=shot)
        deadline = time.time() + 120
        while len(service.list_operations(dataset_name=dataset_name)) < scheduled:
            assert time.time() < deadline, f"the App never queued delegated run {scheduled} of 2"
            time.sleep(1)
        expect(page.get_by_role("button", name="Schedule")).to_be_hidden()


def _use_the_app(page, app_dataset, shots):
    _dismiss_promotions(page)

    # The operator browser: find the operator and open its form.
    page.locator("[data-cy=action-browse-operations]").click()
    page.get_by_placeholder("Search operations by name...").fill("visual clusters")
    page.get_by_text("Compute visual clusters", exact=True).click()
    page.get_by_text("Points of a compute_visualization run").wait_for()
    # The digits have no visualization run, so the form offers their pixels, the only vector field, projected with
    # UMAP. The form's inputs carry no labels: find them by their defaults.
    page.locator('input[value="visual_clusters"]').fill("app_clusters")
    page.get_by_text("Save the projection as").wait_for()
    page.get_by_text("Advanced: hyperparameters").wait_for()
    expect(page.get_by_role("button", name="Execute")).to_be_enabled()  # the form has resolved what was typed
    page.screenshot(path=shots / "app_form.png")
    page.get_by_text("Advanced: hyperparameters").click()
    page.locator('input[type=number][value="6"]').fill("4")
    page.get_by_text("Valley depth (x lower peak)").scroll_into_view_if_needed()  # the knob for fewer or more clusters
    page.screenshot(path=shots / "app_advanced.png")
    page.get_by_role("button", name="Execute").click()

    # The run finishes, its summary and picture show, and the App reloads the dataset.
    page.get_by_text("Label field (colour the Embeddings panel by it)").wait_for()
    assert page.get_by_text("app_clusters", exact=True).first.is_visible()
    page.get_by_alt_text("app_clusters").scroll_into_view_if_needed()
    page.screenshot(path=shots / "app_summary.png")
    page.get_by_role("button", name="Close").click()
    app_dataset.reload()
    run = load_clustering_run(app_dataset, "app_clusters")
    assert run.config["params"]["grow"] == 4 and run.config["source"]["projection"] == "umap"
    projection = run.config["save_brain_key"]
    assert projection in app_dataset.list_brain_runs(), "the projection is kept for the Embeddings panel"
    truth, labels = app_dataset.values(["ground_truth.label", "app_clusters"])
    assert adjusted_mutual_info_score(truth, labels) > 0.8
    page.locator("[data-cy=sidebar-field-app_clusters]").wait_for()
    page.locator("[data-cy=sidebar]").screenshot(path=shots / "app_sidebar.png")

    # Run info, offline: config and picture render; a button opens the largest cluster's samples.
    page.locator("[data-cy=action-browse-operations]").click()
    page.get_by_placeholder("Search operations by name...").fill("run info")
    page.get_by_text("Get clustering run info", exact=True).click()
    page.get_by_role("button", name="Execute").click()
    page.get_by_text('"label_field": "app_clusters"').wait_for()
    page.screenshot(path=shots / "app_run_info.png")
    largest = run.cluster_sizes[0]
    page.get_by_role("button", name=f"Open cluster 00 ({largest:,} points)").click()
    page.get_by_text(f"{largest:,} samples").first.wait_for()
    page.keyboard.press("Escape")
    page.locator("[data-cy=btn-clear-view-bar]").click()  # back to every sample
    page.get_by_text(f"{len(app_dataset):,} samples").first.wait_for()

    # The comparison operator, on this run and a k-means run: report, picture and agreement heatmap.
    compute_baseline_clusters(app_dataset, "kmeans_clusters", n_clusters=10, brain_key=projection)
    page.locator("[data-cy=action-browse-operations]").click()
    page.get_by_placeholder("Search operations by name...").fill("compare clustering")
    page.get_by_text("Compare clustering runs", exact=True).click()
    expect(page.get_by_role("button", name="Execute")).to_be_enabled()
    page.get_by_role("button", name="Execute").click()
    page.get_by_text("Agreement between runs").first.wait_for()
    assert page.get_by_alt_text("runs", exact=True).is_visible()
    assert page.get_by_text("scored against `ground_truth`").count() or page.get_by_text("scored against ground_truth").count()
    page.screenshot(path=shots / "app_compare.png")
    page.get_by_text("f_score", exact=True).scroll_into_view_if_needed()
    page.screenshot(path=shots / "app_compare_tables.png")
    page.get_by_role("button", name="Close").click()

    # The Embeddings panel, on the visualization run, coloured by the new field.
    page.locator("[data-cy=new-panel-btn]").click()
    page.get_by_text("Embeddings", exact=True).first.click()
    _dismiss_promotions(page)
    page.get_by_text(projection, exact=True).click()
    _choose_color_by(page, "app_clusters")
    legend = page.locator("[data-cy=panel-content-Embeddings]")
    for value in sorted(set(labels))[:3]:
        legend.get_by_text(value, exact=True).first.wait_for()
    page.get_by_text(f"{len(app_dataset):,} points", exact=True).wait_for()  # every point plotted, not one cluster's
    page.wait_for_timeout(1500)  # let the plot draw its colours
    page.screenshot(path=shots / "app_embeddings.png")
    assert (shots / "app_embeddings.png").stat().st_size > 20_000

    # The Clustering runs panel: both runs against the digits; a click on a cell opens its samples.
    page.locator("[data-cy=new-panel-btn]").last.click()
    page.get_by_text("Clustering runs", exact=True).first.click()
    page.get_by_text("Agreement (AMI on the points both labelled)").wait_for()
    largest = Counter(t for t, label in zip(truth, labels) if label == "00")  # the largest cluster's classes
    _, count = largest.most_common(1)[0]
    plot = page.locator(".js-plotly-plot", has_text="app_clusters: clusters (rows) x ground_truth")
    plot.scroll_into_view_if_needed()
    # the cells' numbers, not the colour bar's ticks (its top tick may read the same count)
    cells = [cell.bounding_box() for cell in plot.locator(".heatmaplayer").get_by_text(str(count), exact=True).all()]
    cell = min(cells, key=lambda box: box["y"])  # row 00, the top one
    page.mouse.click(cell["x"] + cell["width"] / 2, cell["y"] + cell["height"] / 2)
    page.get_by_text(f"{count:,} samples").first.wait_for()
    page.wait_for_timeout(3000)  # let the grid draw the samples' images
    page.screenshot(path=shots / "app_panel_click.png")

