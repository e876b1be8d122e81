"""Documents built by hand for the renderers' tests and the benchmark: the shape a frozen report
stores (``yearreports.document.Document``), no model needed."""

GOAL = "Helsingborgs stad ska ligga i framkant i miljö- och klimatfrågor"
NAMNDER = {
    "Miljönämnden": "<p>Miljönämnden har minskat <strong>energianvändningen</strong> med 4 %.</p>",
    "Kulturnämnden": "<p>Kulturnämnden har ställt om <em>två</em> bibliotek till solel.</p>"
    "<ul><li>Dunkers kulturhus<ul><li>solceller på taket</li></ul></li><li>Stadsbiblioteket</li></ul>",
    "Socialnämnden": "<p>Socialnämnden byter tjänstebilar mot elbilar, se "
    '<a href="https://helsingborg.se/klimat" rel="noopener noreferrer">klimatplanen</a>.</p>'
    "<ol><li>Hemtjänsten</li><li>LSS</li></ol>",
}
CHART_ALT = (
    "Energianvändning i stadens lokaler 2023–2026: har minskat från 172 till 160 kWh/m², "
    "prognosen för 2027 är 152 kWh/m², målvärdet 155 kWh/m²."
)


def city_report() -> dict:
    """The city's delårsrapport compiled from three nämnder, frozen and adopted."""
    quoted = [{"type": "html", "html": html, "source": name} for name, html in NAMNDER.items()]
    return {
        "schema": 1,
        "language": "sv",
        "title": "Delårsrapport 2026",
        "unit": "Helsingborgs stad",
        "municipality": "Helsingborgs stad",
        "occasion": "Delår augusti 2026",
        "state": "Fastställd",
        "decision": {
            "body": "Kommunfullmäktige",
            "date": "2026-10-28",
            "paragraph": "§ 123",
            "diary_number": "KS 2026/123",
        },
        "frozen_at": "2026-09-30T14:12:00+02:00",
        "sections": [
            {
                "heading": "Inledning",
                "blocks": [
                    {
                        "type": "html",
                        "html": "<p>Stadens delårsrapport visar läget efter augusti.</p>"
                        "<h2>Viktiga händelser</h2><blockquote><p>Året präglas av omställning."
                        "</p></blockquote><table><thead><tr><th>Händelse</th><th>Månad</th>"
                        "</tr></thead><tbody><tr><td>Ny klimatplan</td><td>mars</td></tr>"
                        "</tbody></table>",
                    }
                ],
            },
            {
                "heading": "Miljö och klimat",
                "blocks": [
                    {
                        "type": "table",
                        "caption": "Mål och status",
                        "columns": ["Mål", "Status"],
                        "rows": [[GOAL, "◐ Delvis uppfyllt"]],
                        "numeric": [False, False],
                    },
                    {"type": "heading", "text": "Nämndernas analyser", "level": 2},
                    *quoted,
                    {
                        "type": "table",
                        "caption": "Mått",
                        "columns": ["Mått", "Utfall 2025", "Utfall 2026", "Målvärde", "Status"],
                        "rows": [
                            [
                                "Energianvändning",
                                "165 kWh/m²",
                                "160 kWh/m²",
                                "155 kWh/m²",
                                "◐ Delvis uppfyllt",
                            ],
                            ["Andel förnybar el", "88 %", "96 %", "95 %", "✓ Uppfyllt"],
                        ],
                        "numeric": [False, True, True, True, False],
                    },  # fmt: skip
                    {
                        "type": "chart",
                        "title": "Energianvändning i stadens lokaler",
                        "alt": CHART_ALT,
                        "unit": "kWh/m²",
                        "series": [
                            {
                                "label": "Utfall",
                                "style": "solid",
                                "points": [
                                    ["2023", 172],
                                    ["2024", 168],
                                    ["2025", 165],
                                    ["2026", 160],
                                ],
                            },
                            {
                                "label": "Prognos",
                                "style": "dashed",
                                "points": [["2026", 160], ["2027", 152]],
                            },
                        ],  # fmt: skip
                        "target": 155,
                    },
                ],
            },
            {"heading": "Ekonomi", "blocks": []},
        ],
    }
