"""An English question answered from a Spanish page when no English text answers it: its concepts are
searched in Spanish words ("signatories" as "signatarios"), and the reply stays in English."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.engine import Engine

REPO = Path(__file__).resolve().parents[2]

SPANISH = """---
url: https://www.cms.int/es/news/reunion-de-signatarios-aves-de-pastizales
date: 2018-08-31
---
Un gran impulso para la conservación de las aves de pastizales

La Segunda Reunión de Signatarios del Memorando de Entendimiento (MdE) sobre las aves migratorias de pastizales
tuvo lugar el 24 y 25 de julio de 2018 en la ciudad de Florianópolis, por invitación del Gobierno de Brasil.

Se añadió una nueva especie de ave a la lista de especies cubiertas por el MdE.
"""

ENGLISH = """---
url: https://www.cms.int/en/news/cop14-opens
date: 2024-02-12
---
The fourteenth meeting of the Conference of the Parties opened in Samarkand, Uzbekistan, on 12 February 2024.
"""


def test_an_english_question_is_searched_in_a_spanish_pages_words(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copyfile(REPO / "corpus" / "meetings.yaml", corpus / "meetings.yaml")
    (corpus / "grassland-es.md").write_text(SPANISH, encoding="utf-8")
    (corpus / "cop14-en.md").write_text(ENGLISH, encoding="utf-8")
    engine = Engine.open(corpus, tmp_path / "index.npz", notify=lambda _m: None)

    answer = engine.ask("Where did the signatories of the grassland birds memorandum meet?")
    assert answer.found and answer.lang == "en"
    assert answer.citations[0].passage.source == "grassland-es.md"
    assert any("Florianópolis" in c.quote for c in answer.citations[:2])
    # An English text that answers is still preferred, and what no text says is still not found.
    assert engine.ask("When did COP14 open?").citations[0].passage.lang == "en"
    assert not engine.ask("How many hotels host the grassland birds signatories?").found
