from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Synthetic cities and the benchmark that measures Styrkort on them (no models)."""

    name = "bench"
    verbose_name = "Prestandamätning"
