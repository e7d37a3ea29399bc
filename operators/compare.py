"""Compare clustering runs: a table of scores, the agreement between runs, and a picture."""

import base64
import tempfile
from pathlib import Path

import fiftyone as fo
import fiftyone.operators as foo
import fiftyone.operators.types as types

from ..visual_clustering_core.comparison import compare_clustering_runs
from ..visual_clustering_core.runs import list_clustering_runs
from .forms import ICON, run_choice


def truth_fields(dataset):
    """Sample fields that can hold true classes: strings, integers, booleans and classifications."""
    schema = dataset.get_field_schema(flat=True)
    scalar = (fo.StringField, fo.IntField, fo.BooleanField)
    return sorted(
        name
        for name, field in schema.items()
        if "." not in name and name not in ("id", "filepath")
        and (isinstance(field, scalar) or (isinstance(field, fo.EmbeddedDocumentField) and issubclass(field.document_type, fo.Classification)))
    )


def truth_choices(dataset):
    """The fields offered as ground truth: true classes, not the label fields clustering runs wrote."""
    written = {dataset.get_run_info(key).config.label_field for key in list_clustering_runs(dataset)}
    return [f for f in truth_fields(dataset) if f not in written]


class CompareClusteringRuns(foo.Operator):
    @property
    def config(self):
        return foo.OperatorConfig(
            name="compare_clustering_runs",
            label="Compare clustering runs",
            description="Scores, agreement and a side-by-side picture of clustering runs",
            dynamic=True,
            icon=ICON,
        )

    def resolve_input(self, ctx):
        inputs = types.Object()
        if run_choice(ctx, inputs, name="run_keys", label="Runs to compare", multiple=True) is not None:
            fields = truth_choices(ctx.dataset)
            inputs.enum(
                "gt_field",
                fields,
                default=fields[0] if len(fields) == 1 else None,  # the only candidate, e.g. ground_truth
                label="Ground truth (optional)",
                description="A field of true classes: for patch runs, an attribute of the patches such as 'label'",
                view=types.AutocompleteView(allow_user_input=True),
            )
            inputs.str("report_folder", label="Keep the report in (optional)",
                       description="A folder on the App's machine: comparison.md and runs.png are written there")
        return types.Property(inputs, view=types.View(label="Compare clustering runs"))

    def execute(self, ctx):
        folder = ctx.params.get("report_folder")
        with tempfile.TemporaryDirectory() as scratch:
            path = Path(folder or scratch) / "runs.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            comparison = compare_clustering_runs(ctx.dataset, ctx.params["run_keys"], ctx.params.get("gt_field") or None, path)
            pictures = [Path(p) for p in (comparison.plot_path, comparison.heatmap_path) if p]
            report = comparison.to_markdown()
            if folder:
                links = "".join(f"![{p.stem}]({p.name})\n\n" for p in pictures)
                (Path(folder) / "comparison.md").write_text(links + report + "\n")
            inline = "".join(f"![{p.stem}](data:image/png;base64,{base64.b64encode(p.read_bytes()).decode()})\n\n" for p in pictures)
        report = inline + report + "\n\nOpen any cluster's samples with **Load the view of one cluster**."
        return {"report": report, "rows": comparison.rows}

    def resolve_output(self, ctx):
        outputs = types.Object()
        outputs.str("report", label="Comparison", view=types.MarkdownView(read_only=True))
        return types.Property(outputs, view=types.View(label="Clustering runs compared"))
