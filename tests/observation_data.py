"""POST data of the observation form, as a browser without script would send it."""


def observation_post(*, action="concept", statements=(), injuries=(), signals=(), **fields):
    data = {
        "concept": "",
        "observed_at": "2026-11-20T10:30",
        "place": "Klaslokaal groep 5",
        "situation": "Noah zat stil in de hoek tijdens de kring.",
        "present": "De klas",
        "origin": "eigen_waarneming",
        "source_name": "",
        "source_role": "",
        "free_signals": "",
        "diagnosis": "",
        "diagnosis_by_name": "",
        "diagnosis_by_role": "",
        "actie": action,
        "uitspraken-TOTAL_FORMS": str(len(statements)),
        "uitspraken-INITIAL_FORMS": "0",
        "uitspraken-MIN_NUM_FORMS": "0",
        "uitspraken-MAX_NUM_FORMS": "1000",
        "letsels-TOTAL_FORMS": str(len(injuries)),
        "letsels-INITIAL_FORMS": "0",
        "letsels-MIN_NUM_FORMS": "0",
        "letsels-MAX_NUM_FORMS": "1000",
    }
    if signals:
        data["signals"] = [str(s.pk) for s in signals]
    for i, (kind, text) in enumerate(statements):
        data[f"uitspraken-{i}-kind"] = kind
        data[f"uitspraken-{i}-text"] = text
    for i, injury in enumerate(injuries):
        row = {"side": "voor", "region": "", "kind": "", "size": "", "description": "",
               "x": "", "y": ""}
        row.update(injury)
        for key, value in row.items():
            data[f"letsels-{i}-{key}"] = value
    data.update(fields)
    return data
