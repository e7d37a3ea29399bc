"""Test session set-up: FiftyOne gets its own database folder and sees this checkout as a plugin; shared fixtures."""

import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_SCRATCH = Path(tempfile.mkdtemp(prefix="visual-clustering-tests-"))
(_SCRATCH / "plugins").mkdir()
(_SCRATCH / "plugins" / "visual-clustering").symlink_to(ROOT, target_is_directory=True)
os.environ["FIFTYONE_PLUGINS_DIR"] = str(_SCRATCH / "plugins")
os.environ["FIFTYONE_DATABASE_DIR"] = str(_SCRATCH / "db")
os.environ.setdefault("FIFTYONE_DATABASE_VALIDATION", "false")
os.environ.setdefault("FIFTYONE_DO_NOT_TRACK", "true")
os.environ.setdefault("FIFTYONE_SHOW_PROGRESS_BARS", "false")

import pytest  # noqa: E402  (after FiftyOne's environment is set)

PLUGIN = "@vcl/visual-clustering"


@pytest.fixture
def run_operator():
    """``run_operator(name, dataset, view=None, **params)``: one of the plugin's operators through FiftyOne."""
    import fiftyone.operators as foo

    def run(name, dataset, view=None, **params):
        ctx = {"view": view} if view is not None else {"dataset": dataset}
        return foo.execute_operator(f"{PLUGIN}/{name}", ctx, params=params)

    return run


@pytest.fixture
def blobs():
    """A dataset of 600 samples in 3 blobs: 2-D points as a manual visualization run, 16-D embeddings, truth."""
    import fiftyone as fo
    import fiftyone.brain as fob
    from sklearn.datasets import make_blobs

    points, truth = make_blobs(n_samples=600, centers=[[0, 0], [8, 0], [0, 8]], random_state=0)
    embeddings, embed_truth = make_blobs(n_samples=600, n_features=16, centers=3, random_state=1)
    dataset = fo.Dataset()
    dataset.add_samples(
        [
            fo.Sample(filepath=f"/tmp/vc/{i}.png", truth=int(t), embed_truth=int(e), embedding=v.tolist())
            for i, (t, e, v) in enumerate(zip(truth, embed_truth, embeddings))
        ]
    )
    fob.compute_visualization(dataset, points=points, method="manual", brain_key="points")
    yield dataset
    dataset.delete()


@pytest.fixture
def patches():
    """200 samples with 2 detections each (a dynamic, undeclared ``truth`` attribute) and a patch visualization."""
    import fiftyone as fo
    import fiftyone.brain as fob
    from sklearn.datasets import make_blobs

    points, truth = make_blobs(n_samples=400, centers=[[0, 0], [8, 0]], random_state=0)
    dataset = fo.Dataset()
    dataset.add_samples(
        [
            fo.Sample(
                filepath=f"/tmp/vc/patch{i}.png",
                ground_truth=fo.Detections(
                    detections=[fo.Detection(label="x", bounding_box=[0.1, 0.1, 0.2, 0.2], truth=int(truth[2 * i + j])) for j in range(2)]
                ),
            )
            for i in range(200)
        ]
    )
    fob.compute_visualization(dataset, patches_field="ground_truth", points=points, method="manual", brain_key="patches")
    yield dataset
    dataset.delete()


@pytest.fixture
def form():
    """``form(name, dataset, **params)``: the operator's form as the App resolves it, ``{input name: property}``."""
    import asyncio

    from fiftyone.operators.executor import resolve_type
    from fiftyone.operators.registry import OperatorRegistry

    def resolve(name, dataset, **params):
        request = {"dataset_name": dataset.name, "params": params}
        return asyncio.run(resolve_type(OperatorRegistry(), f"{PLUGIN}/{name}", request)).type.properties

    return resolve
