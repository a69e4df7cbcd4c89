"""Helpers for end-to-end tests that scrape ghcbox's metrics (not a test module).

parse_metrics() reads Prometheus text exposition with the reference parser from the
pinned prometheus_client package, so a formatting mistake in ghcbox fails loudly here
rather than being papered over by a lenient hand-written parser.
"""

from prometheus_client.parser import text_string_to_metric_families


def parse_metrics(text):
    """Map (sample name, frozenset of label items) to the sample's value.

    Sample names are as exposed: counters keep their ``_total`` suffix and
    histograms give ``_bucket`` (with an ``le`` label), ``_sum`` and ``_count``.
    A repeated sample raises ValueError.
    """
    samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            key = (sample.name, frozenset(sample.labels.items()))
            if key in samples:
                raise ValueError(f"duplicate sample {sample.name} {dict(sample.labels)}")
            samples[key] = float(sample.value)
    return samples


def sample(samples, name, **labels):
    """The value of one sample from parse_metrics(), e.g. sample(s, "ghcbox_cells_total", status="ok")."""
    return samples[(name, frozenset(labels.items()))]
