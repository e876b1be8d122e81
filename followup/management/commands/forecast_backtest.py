"""manage.py forecast_backtest: how well each projection method forecast the shipped series."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from followup import backtest, forecasting
from scorecards.models import Frequency

ORDER = (Frequency.MONTHLY, Frequency.TERTIAL, Frequency.YEARLY)


class Command(BaseCommand):
    help = _(
        "Kör varje prognosmetod på de serier som följer med (databasens värden och Koladas "
        "årsvärden) genom att dölja det senast kända och prognostisera det; skriver MAPE per "
        "metod och frekvens bredvid de naiva jämförelserna."
    )

    def handle(self, *args, **options):
        table = backtest.run()
        best = backtest.best_methods(table)
        freq_labels = dict(Frequency.choices)
        columns = [
            _("frekvens"),
            _("metod"),
            _("MAPE % (gemensamma fall)"),
            _("MAPE % (alla fall metoden klarade)"),
            _("prognoser"),
            _("kunde inte"),
        ]
        self.stdout.write("| " + " | ".join(columns) + " |")
        self.stdout.write("| --- | --- | ---: | ---: | ---: | ---: |")
        for frequency in ORDER:
            scores = table.get(frequency, {})
            methods = (
                forecasting.YEARLY_METHODS if frequency == Frequency.YEARLY else forecasting.METHODS
            )
            for name, method in methods.items():
                score = scores.get(name)
                if score is None:
                    continue
                mape = f"{score.mape:.1f}" if score.mape is not None else "–"
                common = f"{score.common_mape:.1f}" if score.common_mape is not None else "–"
                label = str(method.label) + (" ★" if best.get(frequency) == name else "")
                self.stdout.write(
                    f"| {freq_labels[frequency]} | {label} | {common} | {mape} | {len(score.errors)} "
                    f"| {score.skipped} |"
                )
        self.stdout.write("")
        for frequency in ORDER:
            if frequency in best:
                configured = forecasting.BEST_METHOD.get(frequency)
                note = (
                    ""
                    if configured == best[frequency]
                    else _(" (förslaget använder %(m)s)") % {"m": configured}
                )
                self.stdout.write(
                    _("Bäst för %(freq)s: %(method)s%(note)s")
                    % {"freq": freq_labels[frequency], "method": best[frequency], "note": note}
                )
