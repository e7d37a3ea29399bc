"""Test session set-up: FiftyOne gets its own database folder and sees this checkout as a plugin."""

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
