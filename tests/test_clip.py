"""The OpenCLIP source, with a model built without pretrained weights (nothing is downloaded)."""

import fiftyone as fo
import fiftyone.operators as foo
import numpy as np
from PIL import Image

from visual_clustering_core.runs import load_clustering_run


def test_openclip_embeddings_then_visual_clusters(tmp_path):
    rng = np.random.default_rng(0)
    samples = []
    for i in range(24):
        color = (220, 30, 30) if i % 2 else (30, 30, 220)
        pixels = np.clip(rng.normal(color, 25, (64, 64, 3)), 0, 255).astype(np.uint8)
        path = tmp_path / f"{i}.png"
        Image.fromarray(pixels).save(path)
        samples.append(fo.Sample(filepath=str(path)))
    dataset = fo.Dataset()
    dataset.add_samples(samples)
    try:
        foo.execute_operator(
            "@vcl/visual-clustering/compute_visual_clusters",
            dict(dataset=dataset),
            params=dict(
                source="openclip",
                clip_model="ViT-B-32",
                clip_pretrained="",
                embeddings_field="clip",
                projection="pca",
                run_key="clip_clusters",
            ),
        )
        vectors = dataset.values("clip")
        assert all(v is not None and len(v) == 512 for v in vectors)
        assert np.allclose(np.linalg.norm(np.array(vectors), axis=1), 1, atol=1e-4)
        run = load_clustering_run(dataset, "clip_clusters")
        assert run.config["source"]["embeddings_field"] == "clip" and run.config["source"]["dimensions"] == 512
        assert dataset.count("clip_clusters") == 24
    finally:
        dataset.delete()
