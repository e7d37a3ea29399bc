"""The generator, and a tiny training run through checkpoint and resume."""

import json

import numpy as np
import torch

from visual_clustering_core.synthetic import SHAPES, make_dataset
from visual_clustering_core.training import SyntheticImages, _loader, render_example, train
from visual_clustering_core.unet import load_model, read_weights


def test_generator_is_reproducible_and_well_formed():
    X1, y1 = make_dataset([3, 0, 7])
    X2, y2 = make_dataset([3, 0, 7])
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    assert X1.dtype == np.float32 and X1.shape == (len(y1), 2)
    assert y1.min() >= -1 and np.isfinite(X1).all()


def test_generator_covers_sizes_counts_and_noise():
    draws = [make_dataset([0, 0, i]) for i in range(60)]
    sizes = [len(y) for _, y in draws]
    clusters = [y.max() + 1 for _, y in draws]
    assert min(sizes) < 1000 and max(sizes) > 100_000
    assert min(clusters) == 1 and max(clusters) > 30
    assert any((y == -1).any() for _, y in draws) and any(not (y == -1).any() for _, y in draws)
    X, y = make_dataset(1, n_points=10_000_000, n_clusters=150)
    assert len(y) >= 9_000_000 and y.max() + 1 == 150
    assert {"gaussian", "anisotropic", "arc", "ring", "spiral", "line", "curve"} <= set(SHAPES)


def test_rendered_examples_pair_inputs_with_targets():
    image, target, X, labels = render_example([0, 0, 1])
    assert image.shape == target.shape == (2, 256, 256)
    assert set(np.unique(target)) <= {0.0, 1.0}
    assert len(X) == len(labels)
    images, targets = SyntheticImages(0, 0, 4)[2]
    assert images.dtype == torch.float32


def test_tiny_training_run_checkpoints_and_resumes(tmp_path):
    args = dict(steps=3, batch_size=2, seed=0, out=tmp_path / "unet.pt", checkpoint=tmp_path / "ckpt", eval_examples=2, log=lambda *_: None)
    first = train(**args, max_minutes=0)  # stops after its first step, resumably
    assert first == {"step": 1, "finished": False}
    assert (tmp_path / "ckpt" / "model.pt").is_file() and not (tmp_path / "unet.pt").exists()
    logs = []
    metrics = train(**(args | {"log": logs.append}))
    assert "resumed from" in logs[0] and "at step 1" in logs[0]
    assert metrics["finished"] and metrics["steps"] == 3
    assert 0 <= metrics["heldout_area_iou"] <= 1 and 0 <= metrics["heldout_area_iou_pooled"] <= 1
    assert json.loads((tmp_path / "unet.json").read_text())["steps"] == 3
    model = load_model(tmp_path / "unet.pt")
    assert model(torch.zeros(1, 2, 64, 64)).shape == (1, 2, 64, 64)


def test_fine_tuning_starts_from_saved_weights_and_says_so(tmp_path):
    first = dict(steps=1, batch_size=2, seed=0, out=tmp_path / "a.pt", checkpoint=tmp_path / "a", eval_examples=2, log=lambda *_: None)
    train(**first)
    tuned = train(**(first | {"out": tmp_path / "b.pt", "checkpoint": tmp_path / "b", "init": tmp_path / "a.pt", "lr": 0.0}))
    assert tuned["initialised_from"]["steps"] == 1
    assert tuned["first_example"] == 2  # the datasets after the two the first run was trained on
    start, end = (read_weights(tmp_path / name).state_dict() for name in ("a.pt", "b.pt"))
    assert all(torch.allclose(start[k].float(), end[k].float()) for k in start if "running" not in k and start[k].is_floating_point())
    assert "--init" in (tmp_path / "MODEL_CARD.md").read_text()


def test_data_workers_draw_the_same_stream_as_the_main_process():
    data = SyntheticImages(0, 0, 6)
    alone, workers = (list(_loader(data, range(2, 6), 2, n)) for n in (0, 2))
    assert all(torch.equal(a, w) for (a_images, a_targets), (w_images, w_targets) in zip(alone, workers)
               for a, w in ((a_images, w_images), (a_targets, w_targets)))
