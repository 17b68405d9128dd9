"""Word families French, Spanish and Portuguese stemmers leave apart — a verb and its noun ("inscrever"
/ "inscrições", "durer" / "durée", "firmar" / "firma") — as analyzed terms of each language, merged
into ``bot.cms.synonyms.SYNONYMS`` so a question in one form finds the text in the other (as English
irregular verbs do there)."""

from __future__ import annotations

#: language → families of words, one family a line.
FAMILIES: dict[str, tuple[str, ...]] = {
    "fr": (
        "inscrire inscription inscriptions inscrit inscrite inscrites", "durer dure durent durée",
        "réaliser réalisation", "participer participation participants", "approuver approbation approuvé",
        "adopter adoption adopté adoptée adoptées", "élire élection élu élue", "signer signature signé signée",
        "ratifier ratification ratifié", "ouvrir ouverture ouvert ouverte", "clôturer clôture",
        "proposer proposition proposé proposée", "inclure inclusion inclus incluse", "protéger protection protégé",
        "coûter coût coûts", "tenir tenue tenu", "lancer lancement lancé", "présenter présentation présenté",
        "achever achèvement achevé", "accueillir accueil accueilli",
    ),
    "es": (
        "inscribir inscripción inscripciones inscrito", "durar dura duran duración", "realizar realización realizada",
        "participar participación participantes", "aprobar aprobación aprobado aprobada aprobaron",
        "adoptar adopción adoptado adoptada", "elegir elección elegido elegida", "firmar firma firmado firmaron",
        "ratificar ratificación ratificado", "abrir apertura abierto abierta", "clausurar clausura",
        "proponer propuesta propuesto propuestas propuso", "incluir inclusión incluido incluida incluyó",
        "proteger protección protegido", "costar costo coste costó", "esperar esperado esperaban expectativa",
        "añadir añadió añadido", "presentar presentación presentó", "lanzar lanzamiento lanzó",
    ),
    "pt": (
        "inscrever inscrição inscrições inscrito", "durar dura duram duração", "realizar realização realizada",
        "participar participação participantes", "aprovar aprovação aprovado aprovada",
        "adotar adoção adotado adotada", "eleger eleição eleito eleita", "assinar assinatura assinado assinada",
        "ratificar ratificação ratificado", "abrir abertura aberto aberta", "encerrar encerramento encerrado",
        "propor proposta propostas proposto", "incluir inclusão incluído incluída", "proteger proteção protegido",
        "custar custo custos custou", "sediar sede", "esperar esperado esperados expectativa",
        "apresentar apresentação apresentou", "lançar lançamento lançou",
    ),
}


def families() -> dict[str, tuple[str, ...]]:
    """term → the other terms of its family, every language's families analyzed in that language."""
    from bot.search.analyzer import analyze

    table: dict[str, set[str]] = {}
    for lang, groups in FAMILIES.items():
        for group in groups:
            terms = set(analyze(group, lang))
            for term in terms:
                table.setdefault(term, set()).update(terms - {term})
    return {term: tuple(sorted(others)) for term, others in table.items() if others}
