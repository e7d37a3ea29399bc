"""The shipped network: small, offline, and documented."""

import pytest
import torch

from visual_clustering_core.unet import WEIGHTS_PATH, UNet, load_model


def test_shipped_weights_are_small_and_load_offline():
    assert WEIGHTS_PATH.stat().st_size <= 10 * 1024**2
    model = load_model()
    assert sum(p.numel() for p in model.parameters()) <= 2_000_000
    assert not model.training
    with torch.inference_mode():
        assert model(torch.zeros(1, 2, 256, 256)).shape == (1, 2, 256, 256)


def test_model_card_sits_next_to_the_weights():
    card = (WEIGHTS_PATH.parent / "MODEL_CARD.md").read_text()
    for words in ("parameters", "held-out", "IoU", "seed", "python -m visual_clustering_core.training"):
        assert words in card


def test_missing_weights_say_what_to_do(tmp_path):
    with pytest.raises(FileNotFoundError, match="weights=<path>"):
        load_model(tmp_path / "nothing.pt")


def test_any_multiple_of_sixteen_works():
    model = UNet().eval()
    with torch.inference_mode():
        assert model(torch.zeros(2, 2, 96, 128)).shape == (2, 2, 96, 128)
